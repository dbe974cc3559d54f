// Decision 0970, gaps 1 and 2: scanners run by wrappers (xargs, find -exec, docker/kubectl exec, nix develop -c,
// poetry/uv/pipenv/conda run, env) judged like `sh -c` strings, by each wrapper's real exit-status contract; and a
// `set +e` status that is captured (`rc=$?`) or printed (`echo "exit=$?"`) but never used to fail. Every finding
// asserted as `rule line:column`; true negatives beside each.
import { describe, expect, it } from 'vitest';
import { run, scanText } from './helpers.js';
import { shellOptions } from '../../../src/gates/gate-integrity/analyze.js';

describe('gap 1: scanners run by wrappers', () => {
  it.each([
    // xargs exits 123 when an invocation fails: the failure is kept, so only what follows xargs decides
    ['xargs SCANNER || true', "git ls-files '*.py' | xargs bandit -ll || true", ['exit-suppressed 7:50']],
    ['xargs -I{} sh -c "… || true"', "cat images.txt | xargs -I{} sh -c 'trivy image --exit-code 1 {} || true'", ['exit-suppressed 7:75']],
    ['xargs -n1 -I {} bash -c "scanner; echo" (no errexit in the string)', "cat imgs | xargs -n1 -I {} bash -c 'trivy image --exit-code 1 {}; echo done'", ['exit-suppressed 7:75']],
    ['xargs -0 -P4 a verifier with no time limit', 'cat refs | xargs -0 -P4 -n1 cosign verify --key cosign.pub', ['verifier-no-timeout 7:39']],
    // find -exec … \; uses the status as a test only and exits 0
    ['find -exec SCANNER {} \\;', "find . -name '*.tf' -exec tfsec {} \\;", ['exit-suppressed 7:46']],
    ['find -execdir sh -c "…" \\; (the string blocks, find does not)', "find . -name Dockerfile -execdir sh -c 'trivy config --exit-code 1 .' \\;", ['exit-suppressed 7:81']],
    ["find -exec … ';' quoted terminator", "find charts -name Chart.yaml -exec checkov -f {} ';'", ['exit-suppressed 7:60']],
    ['find -exec sh -c "… || true" {} + (the string decides)', "find . -name '*.py' -exec sh -c 'bandit \"$@\" || true' sh {} +", ['exit-suppressed 7:56']],
    // docker exec returns the command's status; -d returns at once
    ['docker exec -d CONTAINER SCANNER', 'docker exec -d app bandit -r /src', ['exit-suppressed 7:23']],
    ['docker exec -itd', 'docker exec -itd app bandit -r /src', ['exit-suppressed 7:23']],
    ['docker exec CONTAINER sh -c "… || true"', 'docker exec -i app sh -c "bandit -r /src || true"', ['exit-suppressed 7:52']],
    ['docker exec CONTAINER SCANNER || true', 'docker exec -w /src -e CI=1 app pip-audit || true', ['exit-suppressed 7:53']],
    ['docker compose -f f exec -T SERVICE SCANNER --exit-zero', 'docker compose -f ci.yml exec -T app bandit -r . --exit-zero', ['exit-suppressed 7:60']],
    ['kubectl exec POD -- sh -c "… | tee" (no pipefail)', "kubectl exec -n ci deploy/scanner -- sh -c 'trivy fs --exit-code 1 / | tee /tmp/out'", ['exit-suppressed 7:80']],
    ['kubectl exec POD -- SCANNER || true', 'kubectl exec scanner -c main -- trivy fs --exit-code 1 / || true', ['exit-suppressed 7:68']],
    ['oc exec without --', 'oc exec scanner-pod grype dir:/ --fail-on none', ['exit-suppressed 7:43']],
    // nix, poetry/uv/pipenv/conda, env
    ['nix develop -c bash -c "…; echo"', "nix develop .#ci -c bash -c 'cargo audit; echo audited'", ['exit-suppressed 7:51']],
    ['nix develop --command SCANNER || true', 'nix develop --command cargo audit || true', ['exit-suppressed 7:45']],
    ["nix-shell --run '…; echo' (bash, no errexit)", "nix-shell -p trivy --run 'trivy fs --exit-code 1 . ; echo ok'", ['exit-suppressed 7:62']],
    ['poetry run sh -c "… || true"', "poetry run sh -c 'bandit -r src || true'", ['exit-suppressed 7:43']],
    ['uv run --with X SCANNER --exit-zero', 'uv run --with bandit bandit -r src --exit-zero', ['exit-suppressed 7:46']],
    ['pipenv run SCANNER || true', 'pipenv run safety check || true', ['exit-suppressed 7:35']],
    ['conda run -n ENV bash -c "… | tee"', "conda run -n ci bash -c 'pip-audit | tee a.txt'", ['exit-suppressed 7:46']],
    ['env VAR=x SCANNER || true', 'env SEMGREP_APP_TOKEN=x semgrep ci || true', ['exit-suppressed 7:46']],
    ['wrappers nested: xargs → docker exec → sh -c', "echo app | xargs -I{} docker exec {} sh -c 'gitleaks detect; echo done'", ['exit-suppressed 7:70']],
  ])('%s', (_n, script, want) => {
    expect(run(script)).toEqual(want);
  });

  it.each([
    ['xargs SCANNER (xargs exits 123 on failure)', "git ls-files '*.py' | xargs bandit -ll"],
    ['xargs -I{} sh -c "SCANNER" (the string ends with the scanner)', "ls | xargs -I{} sh -c 'trivy image --exit-code 1 {}'"],
    ['xargs -r with long options', 'git diff --name-only | xargs --no-run-if-empty --max-args=20 semgrep scan --error'],
    ['find -exec SCANNER {} + (find fails when an invocation fails)', "find . -name '*.tf' -exec tfsec {} +"],
    ['find -exec sh -c "SCANNER" sh {} +', "find . -type d -name charts -exec sh -c 'checkov -d \"$1\"' sh {} +"],
    ['find -exec of a non-scanner', "find . -name '*.pyc' -exec rm -f {} \\;"],
    ['docker exec CONTAINER SCANNER', 'docker exec app bandit -r /src'],
    ['docker exec -it CONTAINER sh -c "set -e; …; echo"', 'docker exec -it app sh -c "set -e; bandit -r /src; echo ok"'],
    ['docker exec --detach=false', 'docker exec --detach=false app bandit -r /src'],
    ['docker compose exec', 'docker compose exec -T app pip-audit --strict'],
    ['kubectl exec POD -- sh -ec "…; echo"', "kubectl exec -n ci scanner -- sh -ec 'trivy fs --exit-code 1 /; echo ok'"],
    ['nix develop --command SCANNER', 'nix develop --command cargo audit'],
    ['nix-shell --run SCANNER', "nix-shell -p trivy --run 'trivy fs --exit-code 1 .'"],
    ['poetry run bash -c "SCANNER"', "poetry run bash -c 'bandit -r src'"],
    ['xargs cosign sign (not a verifier)', 'echo "${TAGS}" | xargs -I {} cosign sign --yes {}@${DIGEST}'],
    ['xargs timeout 300 cosign verify', 'cat refs | xargs -n1 timeout 300 cosign verify --key k'],
    ['docker exec a non-scanner || true', 'docker exec app rm -rf /tmp/x || true'],
  ])('true negative: %s', (_n, script) => {
    expect(run(script)).toEqual([]);
  });

  it('continue-on-error on a step whose scanner runs through xargs', () => {
    expect(scanText(`on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: git ls-files '*.py' | xargs bandit\n        continue-on-error: true\n`)).toEqual(['continue-on-error 7:28']);
  });
});

describe('gap 2: set +e with a status captured or printed but never used to fail', () => {
  it.each([
    ['rc=$? captured, only printed', 'set +e\ntrivy fs --exit-code 1 .\nrc=$?\necho "trivy exit $rc"', ['errexit-disabled 8:11']],
    ['echo "exit=$?"', 'set +e\nbandit -r src\necho "exit=$?"', ['errexit-disabled 8:11']],
    ['the status written to the step summary only', 'set +e\nbandit -r . -o b.json\necho "rc=$?" >> "$GITHUB_STEP_SUMMARY"', ['errexit-disabled 8:11']],
    ['if [ $rc … ] with a branch that only warns', 'set +e\ngrype dir:. --fail-on high\nrc=$?\nif [ "$rc" -ne 0 ]; then\n  echo "::warning::grype found vulnerabilities"\nfi', ['errexit-disabled 8:11']],
    ['[ $rc -ne 0 ] && echo (no failing branch)', 'set +e\nosv-scanner -r .\nrc=$?\n[ $rc -ne 0 ] && echo "::error::osv-scanner found vulnerabilities"\necho done', ['errexit-disabled 8:11']],
    ['case $? with branches that only print', 'set +e\nsemgrep scan --error\ncase $? in\n  0) echo clean ;;\n  *) echo "::warning::findings" ;;\nesac', ['errexit-disabled 8:11']],
    ['`exit $?` after an echo is the echo\'s status', 'set +e\ngitleaks detect\necho "gitleaks: $?"\nexit $?', ['errexit-disabled 8:11']],
    ['a bare test under set +e, not last', 'set +e\nbandit -r src\nrc=$?\n[ "$rc" -eq 0 ]\necho done', ['errexit-disabled 8:11']],
    ['rc=$(scanner; echo $?) only printed', 'rc=$(trivy fs --exit-code 1 . >/dev/null 2>&1; echo $?)\necho "trivy: $rc"', ['exit-suppressed 7:56']],
    ['"exit $rc" inside an echo string is no exit', 'set +e\nzizmor .\nrc=$?\necho "would exit $rc"', ['errexit-disabled 8:11']],
    ['two scanners, each at its own token', 'set +e\nbandit -r src\nsemgrep scan --error\necho done', ['errexit-disabled 8:11', 'errexit-disabled 9:11']],
    ['set +e; scanner && echo ok; echo more (the && list is lost)', 'set +e\npip-audit && echo ok\necho more', ['errexit-disabled 8:11']],
    ['inside sh -c: `set +e; scanner; echo "rc=$?"`', "sh -c 'set -e; set +e; trivy fs --exit-code 1 .; echo \"rc=$?\"'", ['errexit-disabled 7:34']],
    ['sh -c without errexit: scanner; echo "exit=$?"', "sh -c 'trivy fs --exit-code 1 .; echo \"exit=$?\"'", ['exit-suppressed 7:42']],
    ['bash {0}: scanner; echo "exit=$?"', 'trivy fs --exit-code 1 .\necho "exit=$?"', ['errexit-disabled 9:16']],
  ])('%s', (_n, script, want) => {
    expect(run(script, _n.startsWith('bash {0}') ? 'bash {0}' : '')).toEqual(want);
  });

  it.each([
    ['exit $rc', 'set +e\ntrivy fs --exit-code 1 .\nrc=$?\necho "trivy exit $rc"\nexit $rc'],
    ['exit "$rc" after a set -e', 'set +e\ntrivy fs --exit-code 1 .\nrc=$?\nset -e\nupload.sh || true\nexit "$rc"'],
    ['[ $rc -ne 0 ] && exit 1', 'set +e\ntrivy fs --exit-code 1 .\nrc=$?\n[ $rc -ne 0 ] && exit 1\necho ok'],
    ['if [ $rc … ]; then exit 1; fi', 'set +e\nbandit -r src\nrc=$?\nif [ $rc -ne 0 ]; then\n  echo "::error::bandit found issues"\n  exit 1\nfi'],
    ['if [ $? -ne 0 ]; then exit 1', 'set +e\nbandit -r src\nif [ $? -ne 0 ]; then\n  exit 1\nfi'],
    ['(( $? == 0 )) || exit 1', 'set +e\nsemgrep scan --error\n(( $? == 0 )) || exit 1'],
    ['case $? with a failing branch', 'set +e\ngrype dir:. --fail-on high\ncase $? in\n  0) echo clean ;;\n  *) exit 1 ;;\nesac'],
    ['PIPESTATUS captured and handed on', 'set +e\ntrivy fs --exit-code 1 . | tee t.txt\nrc=${PIPESTATUS[0]}\nexit $rc'],
    ['local rc=$? … return $rc in a function', 'scan() {\n  set +e\n  trivy fs --exit-code 1 .\n  local rc=$?\n  set -e\n  return $rc\n}\nscan'],
    ['status copied to another variable, then exit', 'set +e\nbandit -r .\nrc=$?\nstatus=$rc\necho "$status"\nexit $status'],
    ['status handed to a later step through GITHUB_OUTPUT', 'set +e\ntrivy fs --exit-code 1 .\necho "trivy-rc=$?" >> "$GITHUB_OUTPUT"'],
    ['set -e back on, then a bare test of the status (pnpm release.yml shape)', 'set +e\ntrivy fs --exit-code 1 . > trivy.txt\ntrivy_exit=$?\nset -e\ncat trivy.txt\ntest "$trivy_exit" -eq 0\necho next'],
    ['a bare [ $rc -eq 0 ] as the last command', 'set +e\nbandit -r src\nrc=$?\necho "bandit rc=$rc"\n[ "$rc" -eq 0 ]'],
    ['status passed to a gate script', 'set +e\ntrivy fs --exit-code 1 .\nrc=$?\n./ci/fail-if.sh "$rc"'],
    ['the output decides later: exit 1 on a count', 'set +e\ntrivy fs --format json -o t.json --exit-code 1 .\nset -e\nn=$(jq ".Results | length" t.json)\nif [ "$n" -gt 0 ]; then exit 1; fi'],
    ['set +e, the scanner last inside an if block that ends the step', 'set +e\nif [ -f requirements.txt ]; then\n  pip-audit -r requirements.txt\nfi'],
    ['rc=$(scanner >/dev/null; echo $?) then a failing test of rc', 'rc=$(trivy fs --exit-code 1 . >/dev/null 2>&1; echo $?)\nif [ "$rc" -ne 0 ]; then exit 1; fi'],
    ['the scanner is the last command', 'set +e\necho start\ntrivy fs --exit-code 1 .'],
    ['default bash -e: scanner; echo "exit=$?" (errexit stops first)', 'trivy fs --exit-code 1 .\necho "exit=$?"'],
    ['sh -c: scanner; rc=$?; exit $rc', "sh -c 'trivy fs --exit-code 1 .; rc=$?; echo \"rc=$rc\"; exit $rc'"],
  ])('true negative: %s', (_n, script) => {
    expect(run(script)).toEqual([]);
  });
});

describe('shellOptions: one reader for `sh|bash [options]` (sh -c strings and script calls)', () => {
  it.each([
    ['bash -eo pipefail -c x', { errexit: true, pipefail: true, c: true, s: false, next: 4 }],
    ['bash -o errexit -o pipefail script.sh', { errexit: true, pipefail: true, c: false, s: false, next: 5 }],
    ['sh -ec x', { errexit: true, pipefail: false, c: true, s: false, next: 2 }],
    ['bash --noprofile --norc -e -- scan.sh', { errexit: true, pipefail: false, c: false, s: false, next: 5 }],
    ['bash +o pipefail -c x', { errexit: false, pipefail: false, c: true, s: false, next: 4 }],
    ['bash -s arg', { errexit: false, pipefail: false, c: false, s: true, next: 2 }],
    ['bash --rcfile f -c x', { errexit: false, pipefail: false, c: false, s: false, next: 1 }],
  ])('%s', (cmd, want) => {
    expect(shellOptions(cmd.split(' '))).toEqual(want);
  });
});
