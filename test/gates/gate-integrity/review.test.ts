import { mkdirSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity } from '../../../src/gates/gate-integrity/analyze.js';
import { scriptResolver, localActionResolver } from '../../../src/gates/gate-integrity/index.js';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gi-probe-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text, { mode: 0o755 });
  }
  return root;
}
function scan(root: string, file = '.github/workflows/ci.yml'): string[] {
  const m = Object.assign(buildModel(file, readFileSync(join(root, file), 'utf8')), { abs: join(root, file) });
  return analyzeIntegrity(m, new Fingerprinter(), localActionResolver(root), scriptResolver(root)).map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);
}
function wf(run: string, extra = ''): string {
  return `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n${extra}`;
}
function wfBlock(run: string, extra = ''): string {
  return `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - ${extra}run: |\n${run.split('\n').map((l) => '          ' + l).join('\n')}\n`;
}
const S = (body: string) => '#!/usr/bin/env bash\n' + body;

// Review of decision 0970 (second pair of eyes): ordinary CI scripts that must not be flagged, and shapes that must be.
describe('gate-integrity review: ordinary CI scripts are not flagged', () => {
  it.each([
    ['strict then scanner then echo', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -euo pipefail\nbandit -r src -ll\necho done\n') }],
    ['status check in a function', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('check() {\n  if [ "$1" -ne 0 ]; then\n    echo "failed"\n    exit 1\n  fi\n}\nbandit -r src\ncheck $?\necho done\n') }],
    ['rc captured and exit rc at end of long script', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set +e\nbandit -r src -f json -o report.json\nrc=$?\nset -e\npython tools/summarize.py report.json\necho "::group::report"\ncat report.json\necho "::endgroup::"\nif [ -n "$GITHUB_STEP_SUMMARY" ]; then\n  echo "## bandit" >> "$GITHUB_STEP_SUMMARY"\nfi\nexit "$rc"\n') }],
    ['|| exit 1', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('bandit -r src || exit 1\necho done\n') }],
    ['|| return 1 in function (was wrong before review)', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src || return 1\n  echo ok\n}\nscan\n') }],
    ['|| { echo; exit 1; }', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('bandit -r src || { echo "bandit failed"; exit 1; }\necho done\n') }],
    ['trap ERR with exit', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S("trap 'echo \"error at $LINENO\"; exit 1' ERR\nbandit -r src\necho done\n") }],
    ['set -eE trap ERR no exit', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S("set -eEuo pipefail\ntrap 'echo failed at $LINENO' ERR\nbandit -r src\necho done\n") }],
    ['if ! bandit; then exit 1; fi', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('if ! bandit -r src; then\n  echo "bandit found issues"\n  exit 1\nfi\necho done\n') }],
    ['pipe to tee under pipefail', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -o pipefail\nset -e\nbandit -r src | tee bandit.txt\necho done\n') }],
    ['set -eo pipefail combined; tee', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -eo pipefail\nbandit -r src | tee bandit.txt\necho done\n') }],
    ['set -Eeuxo pipefail; tee', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -Eeuxo pipefail\nbandit -r src | tee bandit.txt\necho done\n') }],
    ['set -o errexit -o nounset -o pipefail', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -o errexit -o nounset -o pipefail\nbandit -r src | tee bandit.txt\necho done\n') }],
    ['set -o errexit\\nset -o pipefail; tee', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -o errexit\nset -o nounset\nset -o pipefail\nbandit -r src | tee bandit.txt\necho done\n') }],
    ['xargs -r', { '.github/workflows/ci.yml': wfBlock('git ls-files "*.py" | xargs -r bandit -ll\necho done', 'shell: bash\n        ') }],
    ['xargs -0', { '.github/workflows/ci.yml': wfBlock('set -o pipefail\nfind . -name "*.py" -print0 | xargs -0 bandit -ll\necho done') }],
    ['parallel', { '.github/workflows/ci.yml': wfBlock('ls images.txt | parallel trivy image --exit-code 1 {}\necho done', 'shell: bash\n        ') }],
    ['docker exec -it', { '.github/workflows/ci.yml': wfBlock('docker exec -it app bandit -r /app\necho done') }],
    ['docker exec -i -e X=1 -w /src', { '.github/workflows/ci.yml': wfBlock('docker exec -i -e X=1 -w /src app bandit -r /app\necho done') }],
    ['find -exec +', { '.github/workflows/ci.yml': wfBlock('find . -name "*.tf" -exec tfsec {} +\necho done') }],
    ['CRLF script', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': '#!/usr/bin/env bash\r\nset -euo pipefail\r\nbandit -r src | tee b.txt\r\necho done\r\n' }],
    ['no shebang, strict', { '.github/workflows/ci.yml': wf('bash ci/scan.sh'), 'ci/scan.sh': 'set -euo pipefail\nbandit -r src | tee b.txt\necho done\n' }],
    ['github.workspace path strict', { '.github/workflows/ci.yml': wf('${{ github.workspace }}/ci/scan.sh'), 'ci/scan.sh': S('set -euo pipefail\nbandit -r src\necho done\n') }],
    // decision 0971: make targets are followed now; `bandit -r src || true` in the recipe is a finding (make-npm.test.ts)
    ['make lint-security', { '.github/workflows/ci.yml': wfBlock('make lint-security\necho done'), 'Makefile': 'lint-security:\n\tbandit -r src\n' }],
    ['scanner in echo', { '.github/workflows/ci.yml': wfBlock('echo "run bandit -r src to check"\necho "trivy fs ." || true\nBANDIT=bandit\n# bandit -r src || true\necho done') }],
    ['scanner in heredoc', { '.github/workflows/ci.yml': wfBlock('cat <<EOF > run.sh\nbandit -r src || true\ntrivy fs . ; echo\nEOF\necho done') }],
    ['scanner in heredoc in script', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('cat <<\'EOF\' > "$GITHUB_STEP_SUMMARY"\nRun `bandit -r src` locally || true\nEOF\nset -e\nbandit -r src\n') }],
    ['variable assignment', { '.github/workflows/ci.yml': wfBlock('SCANNER="trivy fs --exit-code 0 ."\nTOOLS=(bandit semgrep)\necho "$SCANNER"') }],
    ['set +e in a subshell (was wrong before review)', { '.github/workflows/ci.yml': wfBlock('( set +e; ls missing; echo "$?" )\nbandit -r src\necho done') }],
    ['set +e in subshell in script (was wrong before review)', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\n(\n  set +e\n  git describe --tags\n)\nbandit -r src\necho done\n') }],
    ['composite action GITHUB_ACTION_PATH strict', { 'action.yml': 'name: x\nruns:\n  using: composite\n  steps:\n    - run: $GITHUB_ACTION_PATH/scan.sh\n      shell: bash\n', 'scan.sh': S('set -euo pipefail\nbandit -r "$INPUT_PATH" | tee out.txt\necho done\n') }],
    ['set +e then set -e before scanner', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set +e\nsource venv/bin/activate\nset -e\nbandit -r src\necho done\n') }],
    ['scanner; rc=$?; ...; exit $rc under set +e in step', { '.github/workflows/ci.yml': wfBlock('set +e\ntrivy fs --exit-code 1 . > out.txt\nrc=$?\ncat out.txt\nexit $rc') }],
    ['if [ $rc -ne 0 ] then exit in function (was wrong before review)', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set +e\nfail() { echo "$1"; exit 1; }\nbandit -r src\nrc=$?\n[ "$rc" -eq 0 ] || fail "bandit failed"\necho done\n') }],
    ['status into array, exit if any failed', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('failed=0\nbandit -r src || failed=1\nsemgrep --error || failed=1\nexit $failed\n') }],
    ['|| FAILED=true then check', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('FAILED=false\nbandit -r src || FAILED=true\necho "bandit done"\nif [ "$FAILED" = true ]; then exit 1; fi\n') }],
    ['|| errors=$((errors+1))', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('errors=0\nbandit -r src || errors=$((errors+1))\nsemgrep --error || ((errors++))\nexit $errors\n') }],
    ['semgrep || die (was wrong before review)', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('die() { echo "$*" >&2; exit 1; }\nbandit -r src || die "bandit failed"\necho done\n') }],
    ['step: die defined (was wrong before review)', { '.github/workflows/ci.yml': wfBlock('die() { echo "::error::$*"; exit 1; }\nbandit -r src || die "bandit failed"\necho done') }],
    ['step: set +e in subshell then scanner', { '.github/workflows/ci.yml': wfBlock('VERSION=$(set +e; git describe --tags 2>/dev/null || echo dev)\nbandit -r src\necho done') }],
    ['step: if ! then Write-Error pwsh', { '.github/workflows/ci.yml': 'on: push\njobs:\n  scan:\n    runs-on: windows-latest\n    steps:\n      - run: |\n          bandit -r src\n          if ($LASTEXITCODE -ne 0) { Write-Error "bandit failed" }\n          echo done\n' }],
    ['script: function with rc check', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -euo pipefail\nrun_bandit() {\n  bandit -r src -f json -o bandit.json\n}\nrun_bandit\npython summarize.py bandit.json\n') }],
    ['script: function called in if with exit', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('scan() {\n  bandit -r src\n}\nif ! scan; then\n  echo "bandit failed"\n  exit 1\nfi\necho done\n') }],
  ] as Array<[string, Record<string, string>]>)('%s', (_n, files) => {
    expect(scan(repo(files), files['action.yml'] ? 'action.yml' : '.github/workflows/ci.yml')).toEqual([]);
  });
});

describe('gate-integrity review: scanners that can never block are flagged', () => {
  it.each([
    ['set +e at top, scanner, echo', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set +e\nbandit -r src\necho done\n') }, ['errexit-disabled ci/scan.sh:3:1']],
    ['scanner || echo failed in script', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nbandit -r src || echo "failed"\n') }, ['exit-suppressed ci/scan.sh:3:15']],
    ['scanner; true last', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('bandit -r src; true\n') }, ['exit-suppressed ci/scan.sh:2:14']],
    ['scanner then exit 0 in strict-less script', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('bandit -r src\necho done\nexit 0\n') }, ['exit-suppressed ci/scan.sh:2:1']],
    ['scanner; exit 0 with set +e', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set +e\nbandit -r src\nexit 0\n') }, ['errexit-disabled ci/scan.sh:3:1']],
    ['scanner ; true in step', { '.github/workflows/ci.yml': wfBlock('set +e\nbandit -r src; true') }, ['errexit-disabled .github/workflows/ci.yml:9:11']],
    ['|| die where die does not exit', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('warn() { echo "$*" >&2; }\nbandit -r src || warn "bandit failed"\necho done\n') }, ['exit-suppressed ci/scan.sh:3:15']],
    ['scanner in function, function || true (was wrong before review)', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src\n}\nscan || true\necho done\n') }, ['exit-suppressed ci/scan.sh:6:6']],
    ['set +e then scanner then last command echo', { '.github/workflows/ci.yml': wfBlock('set +e\nbandit -r src\necho "exit=$?"') }, ['errexit-disabled .github/workflows/ci.yml:9:11']],
    ['exit 0 at the end after set +e rc unused', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set +e\nbandit -r src -f json -o b.json\nrc=$?\necho "bandit exited $rc"\nexit 0\n') }, ['errexit-disabled ci/scan.sh:3:1']],
    ['bash -c in script ||true', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nbandit -r src --exit-zero\n') }, ['exit-suppressed ci/scan.sh:3:15']],
    ['script via sh (no -e) with strict shebang ignored', { '.github/workflows/ci.yml': wf('sh ci/scan.sh'), 'ci/scan.sh': '#!/bin/bash -e\nbandit -r src\necho done\n' }, ['exit-suppressed ci/scan.sh:2:1']],
    ['step: || echo ::error (was wrong before review)', { '.github/workflows/ci.yml': wfBlock('bandit -r src || echo "::error::Bandit found issues"\necho done') }, ['exit-suppressed .github/workflows/ci.yml:8:25']],
    ['step: if ! bandit then ::error (was wrong before review)', { '.github/workflows/ci.yml': wfBlock('if ! bandit -r src; then\n  echo "::error::Bandit found issues"\nfi') }, ['exit-suppressed .github/workflows/ci.yml:8:11']],
    ['step: function || true (was wrong before review)', { '.github/workflows/ci.yml': wfBlock('scan() {\n  bandit -r src\n}\nscan || true') }, ['exit-suppressed .github/workflows/ci.yml:11:16']],
    ['script: fail defined as echo', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('fail() { echo "FAIL: $*"; }\nbandit -r src || fail "bandit"\necho done\n') }, ['exit-suppressed ci/scan.sh:3:15']],
    ['script: echo "scan fail" not a call', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nbandit -r src || echo "scan fail"\n') }, ['exit-suppressed ci/scan.sh:3:15']],
    ['script: set -e in subshell only (was wrong before review)', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('(set -e; echo hi)\nbandit -r src\necho done\n') }, ['exit-suppressed ci/scan.sh:3:1']],
    ['script: set +e in { } group persists', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\n{ set +e; }\nbandit -r src\necho done\n') }, ['errexit-disabled ci/scan.sh:4:1']],
    ['script: scanner inside subshell with set +e', { '.github/workflows/ci.yml': wf('./ci/scan.sh'), 'ci/scan.sh': S('set -e\n(\n  set +e\n  bandit -r src\n  echo "done"\n)\necho after\n') }, ['errexit-disabled ci/scan.sh:5:3']],
  ] as Array<[string, Record<string, string>, string[]]>)('%s', (_n, files, want) => {
    expect(scan(repo(files), files['action.yml'] ? 'action.yml' : '.github/workflows/ci.yml')).toEqual(want);
  });
});

describe('gate-integrity review: functions, PIPESTATUS and wrappers in scripts', () => {
  const W = (run: string) => ({ '.github/workflows/ci.yml': wf(run) });
  it.each([
    ['script: a pipe to tee, then exit ${PIPESTATUS[0]} (was a false positive)', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('bandit -r src | tee out.txt\nexit ${PIPESTATUS[0]}\n') }],
    ['script: rc=0; bandit || rc=$?; exit $rc', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('rc=0\nbandit -r src || rc=$?\necho "bandit rc=$rc"\nexit $rc\n') }],
    ['script: failures counted in a loop, exit $status', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('status=0\nfor d in svc1 svc2; do\n  bandit -r "$d" || status=1\ndone\nexit $status\n') }],
    ['script: two scanners in the background, each waited for', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -euo pipefail\nbandit -r src &\np1=$!\nsemgrep --error &\np2=$!\nwait $p1\nwait $p2\n') }],
    ['script: if bandit; then echo; else exit 1; fi', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('if bandit -r src; then\n  echo "clean"\nelse\n  echo "issues"\n  exit 1\nfi\n') }],
    ['script: trap cleanup EXIT under set -e', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -e\ncleanup() { rm -rf tmp; }\ntrap cleanup EXIT\nbandit -r src\necho done\n') }],
    ['script: a strict function called plainly', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src\n  echo ok\n}\nscan\necho done\n') }],
    ['script: a function that hands its status on, called in if', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src\n  rc=$?\n  echo "rc=$rc"\n  return $rc\n}\nif ! scan; then\n  exit 1\nfi\n') }],
    ['script: a strict function as the last command of an || list', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src\n  echo ok\n}\n[ -n "$SKIP" ] || scan\necho done\n') }],
    ['script: set -euo pipefail, a ( cd …; scanner ) subshell', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -euo pipefail\n(\n  cd backend\n  bandit -r .\n)\necho done\n') }],
    ['bash -x script.sh', { ...W('bash -x ./ci/scan.sh'), 'ci/scan.sh': S('set -euo pipefail\nbandit -r src\necho ok\n') }],
  ] as Array<[string, Record<string, string>]>)('true negative: %s', (_n, files) => {
    expect(scan(repo(files))).toEqual([]);
  });
  it.each([
    // bash ignores errexit inside a function called as a condition (`if f`, `! f`, `f || …`, `f && …`): checked with bash 5
    ['a function whose scanner relies on set -e, called as `f || true`', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src\n  echo "scan ok"\n}\nscan || true\necho done\n') }, ['exit-suppressed ci/scan.sh:7:1']],
    ['… called as `if ! f; then exit 1; fi`', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src\n  echo ok\n}\nif ! scan; then\n  exit 1\nfi\n') }, ['exit-suppressed ci/scan.sh:7:6']],
    ['… called as `f || exit 1`', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('set -e\nscan() {\n  bandit -r src\n  echo ok\n}\nscan || exit 1\n') }, ['exit-suppressed ci/scan.sh:7:1']],
    ['a ( cd …; scanner ) subshell without errexit, followed by more commands', { ...W('./ci/scan.sh'), 'ci/scan.sh': S('(\n  cd backend\n  bandit -r .\n)\necho done\n') }, ['exit-suppressed ci/scan.sh:4:3']],
    ['a strict script piped to tee in the default shell (no pipefail)', { ...W('./ci/scan.sh 2>&1 | tee scan.log'), 'ci/scan.sh': S('set -euo pipefail\nbandit -r src\n') }, ['exit-suppressed .github/workflows/ci.yml:7:32']],
  ] as Array<[string, Record<string, string>, string[]]>)('%s', (_n, files, want) => {
    expect(scan(repo(files))).toEqual(want);
  });
});
