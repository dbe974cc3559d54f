// Real-world precision pass (decision 0960): scanners inside `sh -c` / `bash -c` strings (also as a container's
// command), nested command substitutions, more scanners and actions by their real exit contracts, and benign
// look-alikes. Every finding asserted as `rule line:column`; true negatives beside each.
import { describe, expect, it } from 'vitest';
import { run, scanText } from './helpers.js';

describe('scripts passed as strings: sh -c / bash -c, also as a container command', () => {
  it.each([
    ['|| true inside bash -c "…"', 'bash -c "trivy fs --exit-code 1 . || true"', ['exit-suppressed 7:45']],
    ['sh -c without -e: a later command decides', "sh -c 'trivy fs --exit-code 1 .; echo done'", ['exit-suppressed 7:42']],
    ['|| true after the wrapper', "bash -c 'trivy fs --exit-code 1 .' || true", ['exit-suppressed 7:46']],
    ['a flag inside the string', 'bash -c "gitleaks detect --exit-code 0"', ['exit-suppressed 7:36']],
    ['a pipe inside sh -c (no pipefail)', "sh -c 'trivy fs --exit-code 1 . | tee out.txt'", ['exit-suppressed 7:43']],
    ['docker run IMAGE sh -c "… || true"', 'docker run --rm -v $PWD:/src python:3.12 sh -c "pip install bandit && bandit -r /src || true"', ['exit-suppressed 7:96']],
    ['--entrypoint /bin/sh IMAGE -c "…; echo"', 'docker run --rm --entrypoint /bin/sh aquasec/trivy:0.50 -c "trivy image --exit-code 1 x; echo done"', ['exit-suppressed 7:98']],
    ['$(bash -c "… || true")', "out=$(bash -c 'bandit -r . || true')", ['exit-suppressed 7:38']],
    ['nested $(…): the outer command decides', 'x=$(echo $(trivy fs --exit-code 1 .))', ['exit-suppressed 7:15']],
    ['nested $(… || true)', 'out=$(y=$(trivy fs --exit-code 1 . || true); echo "$y")', ['exit-suppressed 7:46']],
    ['a verifier inside sh -c with no time limit', 'sh -c "cosign verify --key k img"', ['verifier-no-timeout 7:18']],
    ['a scanner image running sh -c (the string decides)', 'docker run --rm -v "${PWD}:/src" semgrep/semgrep sh -c "semgrep ci --config auto; echo finished"', ['exit-suppressed 7:91']],
    ['set +e … scanner … set -e: errexit back on, the status was never read', 'set +e\ntrivy fs --exit-code 1 .\nset -e\necho done', ['errexit-disabled 8:11']],
    ['|| rc=$? with nothing handing it on', 'trivy image --exit-code 1 app:1 || rc=$?\necho "$rc"', ['exit-suppressed 7:43']],
  ])('%s', (_n, script, want) => {
    expect(run(script)).toEqual(want);
  });

  it.each([
    ['bash -ec: errexit inside', "bash -ec 'trivy fs --exit-code 1 .; echo done'"],
    ['set -e at the start of the string', 'bash -c "set -e; trivy fs --exit-code 1 .; echo ok"'],
    ['the scanner ends an && list in a container', 'docker run --rm -v $PWD:/src python:3.12 sh -c "pip install bandit && bandit -r /src"'],
    ['--entrypoint sh, the scanner last', 'docker run --rm --entrypoint /bin/sh aquasec/trivy:0.50 -c "trivy image --exit-code 1 x"'],
    ['bash -o pipefail -c with a pipe', "bash -o pipefail -c 'trivy fs --exit-code 1 . | tee out.txt'"],
    ['the status handed on: rc=$? … exit $rc', "sh -c 'trivy fs --exit-code 1 .; rc=$?; rm -f x; exit $rc'"],
    ['timeout around the wrapper', 'timeout 300 sh -c "cosign verify --key k img"'],
    ['|| true on a non-scanner inside sh -c', "sh -c 'echo hello || true'"],
    ['set +e, rc=$?, set -e, exit $rc', 'set +e\ntrivy fs --exit-code 1 .\nrc=$?\nset -e\necho "rc=$rc"\nexit $rc'],
    ['|| rc=$? handed on by exit $rc', 'rc=0\ntrivy image --exit-code 1 app:1 || rc=$?\ndocker rmi app:1 || true\nexit $rc'],
    ['a scanner image running sh -c, scanner last', 'docker run --rm -v "${PWD}:/src" semgrep/semgrep sh -c "cd /src && semgrep ci --config auto"'],
  ])('true negative: %s', (_n, script) => {
    expect(run(script)).toEqual([]);
  });
});

describe('scanners by their real exit contracts', () => {
  it.each([
    ['snyk test || true', 'snyk test --severity-threshold=high || true', ['exit-suppressed 7:47']],
    ['snyk code test || true', 'snyk code test --sarif-file-output=snyk.sarif || true', ['exit-suppressed 7:57']],
    ['safety check --continue-on-error', 'safety check -r requirements.txt --continue-on-error', ['exit-suppressed 7:44']],
    ['safety check || true', 'safety check -r requirements.txt || true', ['exit-suppressed 7:44']],
    ['tfsec --soft-fail', 'tfsec . --soft-fail', ['exit-suppressed 7:19']],
    ['checkov -s (short for --soft-fail)', 'checkov -d . -s', ['exit-suppressed 7:24']],
    ['gosec -no-fail', 'gosec -no-fail ./...', ['exit-suppressed 7:17']],
    ['zizmor --no-exit-codes', 'zizmor --no-exit-codes .github/workflows', ['exit-suppressed 7:18']],
    ['brakeman --no-exit-on-warn', 'brakeman --no-exit-on-warn', ['exit-suppressed 7:20']],
    ['kics --ignore-on-exit results', 'kics scan -p . --ignore-on-exit results', ['exit-suppressed 7:26']],
    ['govulncheck || true', 'govulncheck ./... || true', ['exit-suppressed 7:29']],
    ['cargo audit || true', 'cargo audit || true', ['exit-suppressed 7:23']],
    ['cargo deny check || true', 'cargo deny check advisories || true', ['exit-suppressed 7:39']],
    ['bundle exec bundle-audit check || true', 'bundle exec bundle-audit check --update || true', ['exit-suppressed 7:51']],
    ['gh attestation verify || true', 'gh attestation verify x.tgz --repo o/r || true', ['exit-suppressed 7:50']],
    ['npm audit --audit-level=high || true', 'npm audit --audit-level=high || true', ['exit-suppressed 7:40']],
    ['npm audit --audit-level=none', 'npm audit --audit-level=none', ['exit-suppressed 7:21']],
    ['yarn npm audit || true', 'yarn npm audit --all || true', ['exit-suppressed 7:32']],
    ['bundle exec brakeman --no-exit-on-warn', 'bundle exec brakeman -q --no-exit-on-warn', ['exit-suppressed 7:35']],
    ['go run govulncheck@latest || true', 'go run golang.org/x/vuln/cmd/govulncheck@latest ./... || true', ['exit-suppressed 7:65']],
    ['bin/brakeman (Rails binstub) || true', 'bin/brakeman --no-pager || true', ['exit-suppressed 7:35']],
    ['grype without --fail-on, || true (explicit opt-out)', 'grype dir:. || true', ['exit-suppressed 7:23']],
  ])('%s', (_n, script, want) => {
    expect(run(script)).toEqual(want);
  });

  it.each([
    ['snyk test with a threshold blocks', 'snyk test --severity-threshold=high'],
    ['snyk monitor is a snapshot upload, not a check', 'snyk monitor || true'],
    ['safety --version', 'safety --version || true'],
    ['checkov --soft-fail-on a named check is partial', 'checkov -d . --soft-fail-on CKV_AWS_20'],
    ['checkov --soft-fail with --hard-fail-on still fails on the list', 'checkov -d . --soft-fail --hard-fail-on HIGH,CRITICAL'],
    ['cargo audit fix is a fixer', 'cargo audit fix || true'],
    ['go run of another tool', 'go run ./cmd/gen ./... || true'],
    ['bundle exec of a non-scanner', 'bundle exec rubocop || true'],
    ['gh attestation verify (no timeout rule: not cosign/slsa-verifier)', 'gh attestation verify x.tgz --repo o/r'],
    ['npm audit --audit-level=critical blocks', 'npm audit --audit-level=critical'],
    ['linters are not security gates: shellcheck', 'shellcheck scripts/*.sh || true'],
    ['linters are not security gates: hadolint --no-fail', 'hadolint Dockerfile --no-fail'],
    ['linters are not security gates: actionlint', 'actionlint || true'],
    ['trivy without --exit-code: a reporter by default (decision 0851)', 'trivy image --severity HIGH,CRITICAL img'],
    ['|| true on cleanup after the scanner', 'trivy fs . --exit-code 1 ; docker rmi scanner || true'],
  ])('true negative: %s', (_n, script) => {
    expect(run(script)).toEqual([]);
  });
});

describe('actions by their inputs, and continue-on-error handed to a later failing step', () => {
  const wf = (steps: string) => `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  it.each([
    ['checkov-action soft_fail: true alone', '      - uses: bridgecrewio/checkov-action@v12\n        with:\n          soft_fail: true\n', ['exit-suppressed 8:22']],
    ['tfsec-action soft_fail: true', '      - uses: aquasecurity/tfsec-action@v1.0.3\n        with:\n          soft_fail: true\n', ['exit-suppressed 8:22']],
    ['kics ignore_on_exit: results', '      - uses: checkmarx/kics-github-action@v2\n        with:\n          path: .\n          ignore_on_exit: results\n', ['exit-suppressed 9:27']],
    ['dependency-review warn-only: true', '      - uses: actions/dependency-review-action@v4\n        with:\n          warn-only: true\n', ['exit-suppressed 8:22']],
    ['snyk action with continue-on-error and SARIF upload, nothing fails later', '      - uses: snyk/actions/node@master\n        id: snyk\n        continue-on-error: true\n        with:\n          args: --sarif-file-output=snyk.sarif\n      - uses: github/codeql-action/upload-sarif@v3\n        with:\n          sarif_file: snyk.sarif\n', ['continue-on-error 8:28']],
    ['zricethezav/gitleaks-action with continue-on-error', '      - uses: zricethezav/gitleaks-action@v2\n        continue-on-error: true\n', ['continue-on-error 7:28']],
    ['gosec action args -no-fail', '      - uses: securego/gosec@v2\n        with:\n          args: -no-fail -fmt sarif -out r.sarif ./...\n', ['exit-suppressed 8:17']],
  ])('%s', (_n, steps, want) => {
    expect(scanText(wf(steps))).toEqual(want);
  });

  it.each([
    ['snyk: continue-on-error, SARIF upload, then a step failing on the outcome', '      - uses: snyk/actions/node@master\n        id: snyk\n        continue-on-error: true\n      - uses: github/codeql-action/upload-sarif@v3\n        with:\n          sarif_file: snyk.sarif\n      - if: steps.snyk.outcome == \'failure\'\n        run: exit 1\n'],
    ['the outcome read through env and a failing branch', '      - run: trivy fs --exit-code 1 .\n        id: trivy\n        continue-on-error: true\n      - run: |\n          if [ "$OUTCOME" = failure ]; then echo "::error::trivy found issues"; exit 1; fi\n        env:\n          OUTCOME: ${{ steps.trivy.outcome }}\n'],
    ['github-script core.setFailed on the outcome', "      - run: bandit -r .\n        id: b\n        continue-on-error: true\n      - uses: actions/github-script@v7\n        if: steps.b.outcome != 'success'\n        with:\n          script: core.setFailed('bandit failed')\n"],
    ['if: always() on a scanner', '      - run: bandit -r .\n        if: always()\n'],
    ['continue-on-error on a non-scanner step', '      - run: bandit -r .\n      - run: ./upload.sh\n        continue-on-error: true\n'],
    ['tfsec-action default (blocks)', '      - uses: aquasecurity/tfsec-action@v1.0.3\n'],
    ['checkov-action soft_fail with hard_fail_on', '      - uses: bridgecrewio/checkov-action@v12\n        with:\n          soft_fail: true\n          hard_fail_on: HIGH\n'],
    ['dependency-review with fail-on-severity', '      - uses: actions/dependency-review-action@v4\n        with:\n          fail-on-severity: critical\n'],
    ['codeql analyze is upload only, not a gate', '      - uses: github/codeql-action/analyze@v3\n        continue-on-error: true\n'],
    ['a later step reads the report and fails', '      - run: trivy fs --exit-code 1 --format json -o trivy.json . || true\n      - uses: github/codeql-action/upload-sarif@v3\n        with:\n          sarif_file: trivy.sarif\n      - run: |\n          n=$(jq \'[.Results[]?.Vulnerabilities[]?] | length\' trivy.json)\n          if [ "$n" -gt 0 ]; then echo "::error::$n vulnerabilities"; exit 1; fi\n'],
    ['an action with continue-on-error whose SARIF a later step counts and fails on', "      - uses: aquasecurity/trivy-action@0.28.0\n        continue-on-error: true\n        with:\n          exit-code: '1'\n          format: sarif\n          output: trivy-results.sarif\n      - run: test \"$(jq '.runs[0].results | length' trivy-results.sarif)\" -eq 0 || exit 1\n"],
  ])('true negative: %s', (_n, steps) => {
    expect(scanText(wf(steps))).toEqual([]);
  });

  it.each([
    ['the report is only summarised, nothing fails', '      - run: bandit -r . -f json -o bandit.json || true\n      - run: jq . bandit.json >> "$GITHUB_STEP_SUMMARY"\n', ['exit-suppressed 6:49']],
    ['a later failing step that does not read the report', '      - run: bandit -r . -f json -o bandit.json || true\n      - run: test -f dist/app.tgz || exit 1\n', ['exit-suppressed 6:49']],
  ])('%s', (_n, steps, want) => {
    expect(scanText(wf(steps))).toEqual(want);
  });
});

describe('report, then gate: a lenient run beside a blocking run of the same scanner in the job', () => {
  const wf = (steps: string) => `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  it.each([
    ['trivy: --exit-code 0 for the report, --exit-code 1 on CRITICAL (trivy docs)', '      - run: |\n          trivy image --exit-code 0 --severity LOW,MEDIUM app:1\n          trivy image --exit-code 1 --severity CRITICAL app:1\n'],
    ['trivy-action: SARIF with exit-code 0, then a table with exit-code 1', "      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          format: sarif\n          output: t.sarif\n          exit-code: '0'\n      - uses: github/codeql-action/upload-sarif@v3\n        with:\n          sarif_file: t.sarif\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          exit-code: '1'\n          severity: CRITICAL\n"],
    ['snyk: continue-on-error for SARIF, then snyk test blocking', '      - uses: snyk/actions/node@master\n        continue-on-error: true\n        with:\n          args: --sarif-file-output=snyk.sarif\n      - uses: github/codeql-action/upload-sarif@v3\n        with:\n          sarif_file: snyk.sarif\n      - run: npx snyk test --severity-threshold=high\n'],
  ])('true negative: %s', (_n, steps) => {
    expect(scanText(wf(steps))).toEqual([]);
  });

  it.each([
    ['the other trivy run is a reporter too (no --exit-code)', '      - run: |\n          trivy image --exit-code 0 --severity LOW,MEDIUM app:1\n          trivy image --severity CRITICAL app:1\n', ['exit-suppressed 7:23']],
    ['the other run is itself lenient', "      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          exit-code: '0'\n      - uses: aquasecurity/trivy-action@0.28.0\n        continue-on-error: true\n        with:\n          exit-code: '1'\n", ['exit-suppressed 8:23', 'continue-on-error 10:28']],
    ['a blocking run of a different scanner does not cover it', '      - run: bandit -r . || true\n      - run: trivy fs --exit-code 1 .\n', ['exit-suppressed 6:26']],
  ])('%s', (_n, steps, want) => {
    expect(scanText(wf(steps))).toEqual(want);
  });
});

describe('a scanner\'s reusable workflow called as a job', () => {
  const call = (extra: string) => `on: push\njobs:\n  osv:\n    uses: google/osv-scanner-action/.github/workflows/osv-scanner-reusable.yml@v2.0.0\n${extra}`;
  it('fail-on-vuln: false never blocks; if: false disables it', () => {
    expect(scanText(call('    with:\n      fail-on-vuln: false\n'))).toEqual(['exit-suppressed 6:21']);
    expect(scanText(call('    if: false\n'))).toEqual(['disabled-gate 5:9']);
  });
  it('true negative: the default (fail-on-vuln true) and other inputs', () => {
    expect(scanText(call("    with:\n      scan-args: |-\n        -r\n        ./\n"))).toEqual([]);
  });
});
