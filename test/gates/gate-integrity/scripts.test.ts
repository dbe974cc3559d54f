// Decision 0970, gap 3: shell scripts of the repository that a step runs (`./scripts/scan.sh`, `bash scan.sh`,
// `source env.sh`, `${{ github.action_path }}/scan.sh`) are opened (bounded, inside the repository, symlinks
// resolved) and judged by their own shell's rules; findings point into the script (file:line:column), and the
// wrapper command is a scanner for the step's rules (`./scan.sh || true`, continue-on-error). A script that
// cannot be seen gives no finding.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity } from '../../../src/gates/gate-integrity/analyze.js';
import gate, { MAX_SCRIPT_BYTES, scriptResolver } from '../../../src/gates/gate-integrity/index.js';

/** a repository in a temp dir: files (path → text); returns its root */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gi-scripts-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text, { mode: 0o755 });
  }
  return root;
}

/** findings of one workflow (or action) file of the repo, as `rule file:line:column` */
function scan(root: string, file = '.github/workflows/ci.yml'): string[] {
  const m = Object.assign(buildModel(file, readText(join(root, file))), { abs: join(root, file) });
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter(), undefined, scriptResolver(root)).map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);
}
function readText(p: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:fs').readFileSync(p, 'utf8') as string;
}

/** a workflow with one step running `run` (line 7, column 14 for a one-line `run:`) */
function wf(run: string, extra = ''): string {
  return `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n${extra}`;
}

const NO_ERREXIT = '#!/usr/bin/env bash\ntrivy fs --exit-code 1 .\necho "scan done"\n';
const STRICT = '#!/usr/bin/env bash\nset -euo pipefail\ntrivy fs --exit-code 1 .\necho "scan done"\n';

describe('gap 3: scripts in repository files', () => {
  it.each([
    ['./script without errexit: the scanner is followed by other commands', './scripts/security-scan.sh', { 'scripts/security-scan.sh': NO_ERREXIT }, ['exit-suppressed scripts/security-scan.sh:2:1']],
    ['bash script.sh: bash without -e', 'bash scripts/scan.sh', { 'scripts/scan.sh': STRICT.replace('set -euo pipefail\n', '') }, ['exit-suppressed scripts/scan.sh:2:1']],
    ['|| true inside the script', './scan.sh', { 'scan.sh': '#!/bin/bash\nset -e\nbandit -r src || true\n' }, ['exit-suppressed scan.sh:3:15']],
    ['a pipe without pipefail inside (set -e only)', './ci/scan.sh', { 'ci/scan.sh': '#!/bin/bash\nset -e\ntrivy fs --exit-code 1 . | tee trivy.txt\n' }, ['exit-suppressed ci/scan.sh:3:26']],
    ['a never-fail flag inside', 'sh ./ci/scan.sh', { 'ci/scan.sh': '#!/bin/sh\nset -e\ncheckov -d . --soft-fail\n' }, ['exit-suppressed ci/scan.sh:3:14']],
    ['set +e and rc=$? only printed, inside the script', './scan.sh', { 'scan.sh': '#!/bin/bash\nset -e\nset +e\nsemgrep scan --error\nrc=$?\necho "semgrep rc=$rc"\n' }, ['errexit-disabled scan.sh:4:1']],
    ['the script is strict, the step adds || true', './scripts/scan.sh || true', { 'scripts/scan.sh': STRICT }, ['exit-suppressed .github/workflows/ci.yml:7:32']],
    ['the script is strict, continue-on-error on the step', './scripts/scan.sh\n        continue-on-error: true', { 'scripts/scan.sh': STRICT }, ['continue-on-error .github/workflows/ci.yml:8:28']],
    ['a verifier in a script with no time limit', './verify.sh', { 'verify.sh': '#!/bin/bash\nset -euo pipefail\ncosign verify-blob --bundle a.sigstore.json a.tgz\n' }, ['verifier-no-timeout verify.sh:3:1']],
    ['`#!/bin/bash -e` shebang: errexit, but || true', './scan.sh', { 'scan.sh': '#!/bin/bash -e\ngitleaks detect || echo "leaks found"\necho ok\n' }, ['exit-suppressed scan.sh:2:17']],
    ['working-directory', './scan.sh\n        working-directory: tools', { 'tools/scan.sh': NO_ERREXIT }, ['exit-suppressed tools/scan.sh:2:1']],
    ['$GITHUB_WORKSPACE/ path', '"$GITHUB_WORKSPACE/scripts/scan.sh"', { 'scripts/scan.sh': NO_ERREXIT }, ['exit-suppressed scripts/scan.sh:2:1']],
    ['a script calling another through $(dirname "$0")', './ci/run.sh', { 'ci/run.sh': '#!/bin/bash\nset -euo pipefail\n"$(dirname "$0")/scan.sh" || true\n', 'ci/scan.sh': STRICT }, ['exit-suppressed ci/run.sh:3:27']],
    ['source: the step shell (bash -e) runs it, a scanner in an && list not last', 'source ./env.sh\n        shell: bash', { 'env.sh': 'pip-audit && echo audited\necho more\n' }, ['exit-suppressed env.sh:1:1']],
    ['a sourced library seen, without set -e', './ci/scan.sh', { 'ci/scan.sh': '#!/bin/bash\n. "$(dirname "$0")/lib.sh"\ntrivy fs --exit-code 1 .\necho done\n', 'ci/lib.sh': 'export TRIVY_CACHE_DIR=/tmp/trivy\n' }, ['exit-suppressed ci/scan.sh:3:1']],
    ['a loop without errexit: earlier iterations are lost', './scan.sh', { 'scan.sh': '#!/bin/bash\nfor img in api web; do\n  trivy image --exit-code 1 "$img"\n  echo "scanned $img"\ndone\n' }, ['exit-suppressed scan.sh:3:3']],
    ['case branch: the scanner ends the branch, commands after esac', './scan.sh', { 'scan.sh': '#!/bin/bash\ncase "${1:-all}" in\n  all) trivy fs --exit-code 1 . ;;\n  *) echo skip ;;\nesac\necho done\n' }, ['exit-suppressed scan.sh:3:34']],
  ])('%s', (_n, run, files, want) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), ...files });
    expect(scan(root)).toEqual(want);
  });

  it.each([
    ['a strict script (set -euo pipefail)', './scripts/scan.sh', { 'scripts/scan.sh': STRICT }],
    ['no errexit, the scanner is the last command', './scan.sh', { 'scan.sh': '#!/bin/bash\necho start\ntrivy fs --exit-code 1 .\n' }],
    ['no errexit, the status handed on', './scan.sh', { 'scan.sh': '#!/bin/bash\ntrivy fs --exit-code 1 .\nrc=$?\necho "rc=$rc"\nexit $rc\n' }],
    ['bash -e script.sh', 'bash -e scripts/scan.sh', { 'scripts/scan.sh': NO_ERREXIT }],
    ['`#!/usr/bin/env -S bash -e`', './scan.sh', { 'scan.sh': '#!/usr/bin/env -S bash -e\ntrivy fs --exit-code 1 .\necho done\n' }],
    ['the script is missing (cannot be seen: no finding)', './scripts/missing.sh', {}],
    ['a Python script is not judged as shell', './scan.py', { 'scan.py': '#!/usr/bin/env python3\nimport subprocess\nsubprocess.run(["bandit", "-r", "."])\nprint("done")\n' }],
    ['a scanner in a function body, the function called last', './scan.sh', { 'scan.sh': '#!/bin/bash\nscan() {\n  trivy fs --exit-code 1 .\n}\necho start\nscan\n' }],
    ['a case branch ending the script', './scan.sh', { 'scan.sh': '#!/bin/bash\ncase "$1" in\n  fs) trivy fs --exit-code 1 . ;;\n  *) grype dir:. --fail-on high ;;\nesac\n' }],
    ['no errexit, the scanner last in an if block that ends the script', './scan.sh', { 'scan.sh': '#!/bin/bash\nif [ -f requirements.txt ]; then\n  pip-audit -r requirements.txt\nelse\n  echo "no requirements"\nfi\n' }],
    ["trap 'exit 1' ERR instead of set -e", './scan.sh', { 'scan.sh': "#!/bin/bash\ntrap 'echo failed; exit 1' ERR\ntrivy fs --exit-code 1 .\necho done\n" }],
    ['a sourced library that cannot be seen may set -e', './scan.sh', { 'scan.sh': '#!/bin/bash\nsource "$(dirname "$0")/lib/common.sh"\ntrivy fs --exit-code 1 .\necho done\n' }],
    ['a sourced library that sets -euo pipefail', './ci/scan.sh', { 'ci/scan.sh': '#!/bin/bash\n. "$(dirname "$0")/lib.sh"\ntrivy fs --exit-code 1 . | tee t.txt\necho done\n', 'ci/lib.sh': 'set -euo pipefail\n' }],
    ['a path with an unknown variable', '"$TOOLS/scan.sh"', { 'scan.sh': NO_ERREXIT }],
    ['a script with no scanner', './build.sh', { 'build.sh': '#!/bin/bash\nmake\necho built\n' }],
    ['a strict script, the step has continue-on-error, the outcome is gated later', './scan.sh\n        id: scan\n        continue-on-error: true\n      - run: exit 1\n        if: steps.scan.outcome == \'failure\'', { 'scan.sh': STRICT }],
  ])('true negative: %s', (_n, run, files) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), ...files });
    expect(scan(root)).toEqual([]);
  });

  it('the finding names the workflow step that runs the script', () => {
    const root = repo({ '.github/workflows/ci.yml': wf('./scripts/security-scan.sh'), 'scripts/security-scan.sh': NO_ERREXIT });
    const m = Object.assign(buildModel('.github/workflows/ci.yml', readText(join(root, '.github/workflows/ci.yml'))), { abs: join(root, '.github/workflows/ci.yml') });
    const [f] = analyzeIntegrity(m, new Fingerprinter(), undefined, scriptResolver(root));
    expect(f.message).toContain('scripts/security-scan.sh');
    expect(f.message).toContain('.github/workflows/ci.yml:7:14');
    expect(f.properties).toEqual({ job: 'scan', step: 'scan/step 2' });
  });

  it('a script run by two steps is reported once', () => {
    const root = repo({ '.github/workflows/ci.yml': wf('./scan.sh', '      - run: ./scan.sh\n'), 'scan.sh': NO_ERREXIT });
    expect(scan(root)).toEqual(['exit-suppressed scan.sh:2:1']);
  });

  it('a composite action runs ${{ github.action_path }}/scan.sh', () => {
    const root = repo({
      'actions/scan/action.yml': 'name: scan\nruns:\n  using: composite\n  steps:\n    - run: ${{ github.action_path }}/scan.sh\n      shell: bash\n',
      'actions/scan/scan.sh': '#!/bin/bash\nset -e\nbandit -r . --exit-zero\n',
    });
    expect(scan(root, 'actions/scan/action.yml')).toEqual(['exit-suppressed actions/scan/scan.sh:3:13']);
  });

  describe('the resolver stays inside the repository', () => {
    it('a symlink to a script outside the repository is not followed', () => {
      const outside = repo({ 'evil.sh': NO_ERREXIT });
      const root = repo({ '.github/workflows/ci.yml': wf('./scan.sh') });
      symlinkSync(join(outside, 'evil.sh'), join(root, 'scan.sh'));
      expect(scan(root)).toEqual([]);
    });
    it('a symlink inside the repository is followed', () => {
      const root = repo({ '.github/workflows/ci.yml': wf('./scan.sh'), 'real/scan.sh': NO_ERREXIT });
      symlinkSync(join(root, 'real/scan.sh'), join(root, 'scan.sh'));
      expect(scan(root)).toEqual(['exit-suppressed scan.sh:2:1']);
    });
    it('../ out of the repository is refused', () => {
      const parent = repo({ 'scan.sh': NO_ERREXIT });
      const root = join(parent, 'repo');
      mkdirSync(join(root, '.github/workflows'), { recursive: true });
      writeFileSync(join(root, '.github/workflows/ci.yml'), wf('../scan.sh'));
      expect(scan(root)).toEqual([]);
    });
    it('a directory, an oversized file and a binary file are not read', () => {
      const root = repo({ '.github/workflows/ci.yml': wf('./big.sh') + '      - run: ./bin.sh\n      - run: ./dir\n', 'big.sh': NO_ERREXIT + `# ${'x'.repeat(MAX_SCRIPT_BYTES)}\n`, 'bin.sh': NO_ERREXIT + '\0', 'dir/x': '' });
      expect(scan(root)).toEqual([]);
    });
    it('a script that runs itself is not followed forever', () => {
      const root = repo({ '.github/workflows/ci.yml': wf('./loop.sh'), 'loop.sh': '#!/bin/bash\nset -e\n./loop.sh\nbandit -r . || true\n' });
      expect(scan(root)).toEqual(['exit-suppressed loop.sh:4:13']);
    });
  });

  it('the gate reports script findings at the script file, through the real resolver', async () => {
    const root = repo({ '.github/workflows/ci.yml': wf('./scripts/security-scan.sh'), 'scripts/security-scan.sh': NO_ERREXIT });
    const ctx = { cwd: root, config: { config: {} }, now: () => new Date('2026-11-01T00:00:00Z') } as unknown as Parameters<typeof gate.run>[1];
    const inputs = gate.parseInputs({ paths: '', 'fail-on': 'medium' }, ctx);
    const r = await gate.run(await inputs, ctx);
    expect(r.outcome).toBe('fail');
    expect(r.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual(['exit-suppressed scripts/security-scan.sh:2:1']);
  });
});
