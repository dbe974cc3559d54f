// Decision 0971: `make <target>` and package scripts (`npm run`, `npm test`, `yarn`, `pnpm`) are followed into the
// Makefile / package.json (bounded, inside the repository): each recipe line / script is judged as the `sh -c`
// string it is run as, findings point at Makefile:line:column / package.json:line:column and name the step.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, repoFindings, repoScan, stepWorkflow } from './helpers.js';

const repo = (files: Record<string, string>) => makeRepo(files, 'gi-make-');
const findings = repoFindings;
const scan = repoScan;
const wf = stepWorkflow;

const PKG = (scripts: Record<string, string>, extra = '') => `{\n  "name": "app",${extra}\n  "scripts": {\n${Object.entries(scripts).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n  }\n}\n`;

describe('make: true positives', () => {
  it.each([
    ['a scanner followed by another command on one recipe line (sh -c, no -e)', 'make scan', { Makefile: 'scan:\n\tbandit -r . ; echo done\n' }, ['exit-suppressed Makefile:2:14']],
    ['`-` prefix on a scanner line', 'make scan', { Makefile: 'scan:\n\t-trivy fs --exit-code 1 .\n' }, ['exit-suppressed Makefile:2:2']],
    ['`@-` prefixes', 'make scan', { Makefile: 'scan:\n\t@-bandit -r src\n\t@echo done\n' }, ['exit-suppressed Makefile:2:3']],
    ['`-` from a variable (make reads prefixes after expansion)', 'make scan', { Makefile: 'IGN = -\nscan:\n\t$(IGN)bandit -r src\n' }, ['exit-suppressed Makefile:3:2']],
    ['`.IGNORE:` with no prerequisites', 'make scan', { Makefile: '.IGNORE:\nscan:\n\tbandit -r src\n' }, ['exit-suppressed Makefile:1:1']],
    ['`.IGNORE: scan` lists the target', 'make scan', { Makefile: 'scan:\n\tgitleaks detect\n\n.IGNORE: scan\n' }, ['exit-suppressed Makefile:4:1']],
    ['`make -i` (at the flag in the step)', 'make -i scan', { Makefile: 'scan:\n\tbandit -r src\n' }, ['exit-suppressed .github/workflows/ci.yml:7:19']],
    ['`make --ignore-errors`, folded `-ki`', 'make -ki scan', { Makefile: 'scan:\n\tbandit -r src\n' }, ['exit-suppressed .github/workflows/ci.yml:7:19']],
    ['a prerequisite target runs the scanner', 'make ci', { Makefile: 'ci: build scan\n\techo ok\nbuild:\n\tgo build ./...\nscan:\n\t-gosec ./...\n' }, ['exit-suppressed Makefile:6:2']],
    ['no target: the default goal (first target not starting with `.`)', 'make', { Makefile: '.PHONY: all\nall: security\nsecurity:\n\tpip-audit -r requirements.txt || true\n' }, ['exit-suppressed Makefile:4:32']],
    ['`.DEFAULT_GOAL`', 'make', { Makefile: 'build:\n\techo build\nscan:\n\tbandit -r . || true\n.DEFAULT_GOAL := scan\n' }, ['exit-suppressed Makefile:4:14']],
    ['make -C dir', 'make -C tools scan', { 'tools/Makefile': 'scan:\n\tbandit -r . --exit-zero\n' }, ['exit-suppressed tools/Makefile:2:14']],
    ['make -f file', 'make -f ci.mk scan', { 'ci.mk': 'scan:\n\tbandit -r . --exit-zero\n' }, ['exit-suppressed ci.mk:2:14']],
    ['working-directory:', 'make scan\n        working-directory: backend', { 'backend/Makefile': 'scan:\n\tbandit -r . --exit-zero\n' }, ['exit-suppressed backend/Makefile:2:14']],
    ['`cd dir && make`', 'cd backend && make scan', { 'backend/Makefile': 'scan:\n\tbandit -r . --exit-zero\n', Makefile: 'scan:\n\tbandit -r .\n' }, ['exit-suppressed backend/Makefile:2:14']],
    ['GNUmakefile is read before Makefile', 'make scan', { GNUmakefile: 'scan:\n\tbandit -r . || true\n', Makefile: 'scan:\n\tbandit -r .\n' }, ['exit-suppressed GNUmakefile:2:14']],
    ['variables: `=`, `:=`, `?=`, `${}` (at the reference)', 'make scan', { Makefile: 'BANDIT ?= bandit\nSRC = src\nOPTS := -r ${SRC} --exit-zero\nscan:\n\t$(BANDIT) $(OPTS)\n' }, ['exit-suppressed Makefile:5:12']],
    ['`$$` is a literal `$` for the shell', 'make scan', { Makefile: 'scan:\n\tsemgrep ci || echo "semgrep rc=$$?"\n' }, ['exit-suppressed Makefile:2:13']],
    ['a continuation line', 'make scan', { Makefile: 'scan:\n\ttrivy fs --exit-code 1 \\\n\t  --severity HIGH . \\\n\t  || true\n' }, ['exit-suppressed Makefile:4:4']],
    ['`.RECIPEPREFIX`', 'make scan', { Makefile: '.RECIPEPREFIX = >\nscan:\n>bandit -r . || true\n' }, ['exit-suppressed Makefile:3:14']],
    ['SHELL = /bin/bash without pipefail: a pipe loses the status', 'make scan', { Makefile: 'SHELL = /bin/bash\nscan:\n\ttrivy fs --exit-code 1 . | tee trivy.txt\n' }, ['exit-suppressed Makefile:3:27']],
    ['`.ONESHELL`: `set +e` carries to the next lines', 'make scan', { Makefile: '.ONESHELL:\nscan:\n\tset +e\n\tbandit -r .\n\techo "bandit rc=$$?"\n' }, ['errexit-disabled Makefile:4:2']],
    ['`.ONESHELL`: no -e, a scanner not last', 'make scan', { Makefile: '.ONESHELL:\nscan:\n\ttrivy fs --exit-code 1 .\n\t@echo done\n' }, ['exit-suppressed Makefile:3:2']],
    ['an inline recipe `target: ; cmd`', 'make scan', { Makefile: 'scan: ; bandit -r . || true\n' }, ['exit-suppressed Makefile:1:21']],
    ['a clean recipe, `|| true` at the step', 'make scan || true', { Makefile: 'scan:\n\tbandit -r .\n' }, ['exit-suppressed .github/workflows/ci.yml:7:24']],
    ['a clean recipe, continue-on-error on the step', 'make scan\n        continue-on-error: true', { Makefile: 'scan:\n\tbandit -r .\n' }, ['continue-on-error .github/workflows/ci.yml:8:28']],
    ['recursive `$(MAKE) target`', 'make ci', { Makefile: 'ci:\n\t$(MAKE) scan\nscan:\n\tbandit -r . || true\n' }, ['exit-suppressed Makefile:4:14']],
    ['`$(MAKE) -C dir` into a sub-Makefile', 'make ci', { Makefile: 'ci:\n\t$(MAKE) -C svc scan\n', 'svc/Makefile': 'scan:\n\t-bandit -r .\n' }, ['exit-suppressed svc/Makefile:2:2']],
    ['a recipe running a repository script', 'make scan', { Makefile: 'scan:\n\t./scripts/scan.sh\n', 'scripts/scan.sh': '#!/bin/bash\ntrivy fs --exit-code 1 .\necho done\n' }, ['exit-suppressed scripts/scan.sh:2:1']],
    ['a recipe running an npm script', 'make audit', { Makefile: 'audit:\n\tnpm run audit\n', 'package.json': PKG({ audit: 'npm audit --audit-level=high || true' }) }, ['exit-suppressed package.json:4:44']],
    ['a recipe verifying with cosign, no time limit', 'make verify', { Makefile: 'verify:\n\tcosign verify-blob --bundle a.sigstore.json a.tgz\n' }, ['verifier-no-timeout Makefile:2:2']],
  ])('%s', (_n, run, files, want) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), ...files });
    expect(scan(root)).toEqual(want);
  });
});

describe('make: true negatives', () => {
  it.each([
    ['a target with no scanner', 'make build', { Makefile: 'build:\n\tgo build ./... ; echo built\n\t-rm -rf dist\n' }],
    ['`-rm -rf build` (a `-` on a non-scanner line) and a scanner that fails normally', 'make scan', { Makefile: 'scan:\n\t-rm -rf build\n\tbandit -r .\n\techo done\n' }],
    ['make -k (keeps going, still exits non-zero)', 'make -k lint', { Makefile: 'lint:\n\tbandit -r .\n\tsemgrep ci\n' }],
    ['a scanner line that fails normally, with && echo', 'make scan', { Makefile: 'scan:\n\tbandit -r . && echo ok\n' }],
    ['each recipe line is its own shell: `set +e` does not carry', 'make scan', { Makefile: 'scan:\n\tset +e\n\tbandit -r .\n\techo done\n' }],
    ['`.ONESHELL` with `.SHELLFLAGS = -ec`', 'make scan', { Makefile: '.ONESHELL:\n.SHELLFLAGS = -ec\nscan:\n\tbandit -r .\n\techo done\n' }],
    ['`.POSIX` (`.SHELLFLAGS` defaults to -ec)', 'make scan', { Makefile: '.POSIX:\nscan:\n\tbandit -r . ; echo done\n' }],
    ['`.SHELLFLAGS := -eu -o pipefail -c` with SHELL bash', 'make scan', { Makefile: 'SHELL := bash\n.SHELLFLAGS := -eu -o pipefail -c\nscan:\n\ttrivy fs --exit-code 1 . | tee t.txt\n' }],
    ['the `-` line is in a target that does not run', 'make scan', { Makefile: 'scan:\n\tbandit -r .\nreport:\n\t-bandit -r . -f html -o r.html\n' }],
    ['.IGNORE lists another target', 'make scan', { Makefile: '.IGNORE: clean\nscan:\n\tbandit -r .\nclean:\n\trm -rf x\n' }],
    ['the Makefile is missing', 'make scan', {}],
    ['the target is missing', 'make scan', { Makefile: 'build:\n\t-bandit -r .\n' }],
    ['`make -n` runs no recipe', 'make -n scan', { Makefile: 'scan:\n\t-bandit -r .\n' }],
    ['a dynamic variable is not guessed', 'make scan', { Makefile: 'FLAGS = $(shell cat .bandit-flags)\nscan:\n\tbandit -r . $(FLAGS)\n\t$(SCANNER) -r . || true\n' }],
    ['a `!=` variable and a `define` are not guessed', 'make scan', { Makefile: 'X != cat flags\ndefine Y\n--exit-zero\nendef\nscan:\n\tbandit -r . $(X) $(Y)\n' }],
    ['recipe lines inside conditionals are not judged', 'make scan', { Makefile: 'scan:\nifdef CI\n\tbandit -r .\nelse\n\t-bandit -r .\nendif\n' }],
    ['`cd "$DIR"` before make: not followed', 'cd "$DIR" && make scan', { Makefile: 'scan:\n\t-bandit -r .\n' }],
    ['`cd web` before make: the Makefile there is clean', 'cd web && make scan', { Makefile: 'scan:\n\t-bandit -r .\n', 'web/Makefile': 'scan:\n\tbandit -r .\n' }],
    ['a Makefile outside the repository (`-C ../x`)', 'make -C ../x scan', {}],
    ['a Makefile that runs itself forever', 'make loop', { Makefile: 'loop:\n\t$(MAKE) loop\n' }],
    ['prerequisites in a cycle', 'make a', { Makefile: 'a: b\n\techo a\nb: a\n\techo b\n' }],
    ['a pattern rule is not a goal', 'make', { Makefile: '%.o: %.c\n\t-bandit -r .\n' }],
    ['`command -v bandit || pip install bandit` looks the tool up, it does not run it', 'make tools', { Makefile: 'tools:\n\t@command -v bandit >/dev/null || pip install bandit\n\t@command -V trivy || true\n' }],
    ['a target-specific variable line is not a rule', 'make scan', { Makefile: 'scan: FLAGS = -r .\nscan:\n\tbandit $(FLAGS)\n' }],
  ])('%s', (_n, run, files) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), ...files });
    expect(scan(root)).toEqual([]);
  });
});

describe('package scripts: true positives', () => {
  it.each([
    ['npm run: a scanner followed by another command (sh -c)', 'npm run scan', { 'package.json': PKG({ scan: 'bandit -r . ; echo done' }) }, ['exit-suppressed package.json:4:26']],
    ['npm run-script', 'npm run-script scan', { 'package.json': PKG({ scan: 'semgrep ci || true' }) }, ['exit-suppressed package.json:4:25']],
    ['npm test', 'npm test', { 'package.json': PKG({ test: 'vitest run', pretest: 'npm audit || echo audit failed' }) }, ['exit-suppressed package.json:5:27']],
    ['npm posttest', 'npm t', { 'package.json': PKG({ test: 'vitest run', posttest: 'osv-scanner -r . | tee osv.txt' }) }, ['exit-suppressed package.json:5:35']],
    ['yarn classic runs prescan', 'yarn scan', { 'package.json': PKG({ scan: 'echo scan', prescan: 'gitleaks detect --exit-code 0' }) }, ['exit-suppressed package.json:5:33']],
    ['yarn run', 'yarn run scan', { 'package.json': PKG({ scan: 'trivy fs --exit-code 1 . || true' }) }, ['exit-suppressed package.json:4:39']],
    ['pnpm shorthand', 'pnpm scan', { 'package.json': PKG({ scan: 'trivy fs --exit-code 1 . || true' }) }, ['exit-suppressed package.json:4:39']],
    ['pnpm run with enable-pre-post-scripts=true', 'pnpm run scan', { 'package.json': PKG({ scan: 'echo', prescan: 'bandit -r . --exit-zero' }), '.npmrc': 'enable-pre-post-scripts=true\n' }, ['exit-suppressed package.json:5:29']],
    ['npm --prefix dir', 'npm --prefix web run audit', { 'web/package.json': PKG({ audit: 'npm audit || true' }) }, ['exit-suppressed web/package.json:4:25']],
    ['pnpm -C dir', 'pnpm -C web audit:ci', { 'web/package.json': PKG({ 'audit:ci': 'pnpm audit || true' }) }, ['exit-suppressed web/package.json:4:29']],
    ['yarn --cwd dir', 'yarn --cwd web scan', { 'web/package.json': PKG({ scan: 'snyk test || true' }) }, ['exit-suppressed web/package.json:4:24']],
    ['working-directory:', 'npm run scan\n        working-directory: web', { 'web/package.json': PKG({ scan: 'snyk test || true' }) }, ['exit-suppressed web/package.json:4:24']],
    ['a nested `npm run` inside a script', 'npm run ci', { 'package.json': PKG({ ci: 'npm run lint && npm run audit', lint: 'eslint .', audit: 'npm audit ; echo done' }) }, ['exit-suppressed package.json:6:25']],
    ['a clean script, `|| true` at the step', 'npm run audit || true', { 'package.json': PKG({ audit: 'npm audit --audit-level=high' }) }, ['exit-suppressed .github/workflows/ci.yml:7:28']],
    ['a clean script, continue-on-error', 'npm test\n        continue-on-error: true', { 'package.json': PKG({ test: 'npm audit' }) }, ['continue-on-error .github/workflows/ci.yml:8:28']],
    ['a script running a repository shell script (relative to package.json)', 'npm --prefix web run scan', { 'web/package.json': PKG({ scan: './scan.sh' }), 'web/scan.sh': '#!/bin/sh\ntrivy fs --exit-code 1 .\necho done\n' }, ['exit-suppressed web/scan.sh:2:1']],
    ['a script running make', 'npm run scan', { 'package.json': PKG({ scan: 'make -i scan' }), Makefile: 'scan:\n\tbandit -r .\n' }, ['exit-suppressed package.json:4:19']],
  ])('%s', (_n, run, files, want) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), ...files });
    expect(scan(root)).toEqual(want);
  });

  it('escapes in the JSON string: the position is exact', () => {
    // `"scan": "semgrep --config \"p/ci\" --json \u0026\u0026 semgrep ci || true"`
    const pkg = '{\n  "scripts": {\n    "scan": "semgrep --config \\"p/ci\\" . \\u003e out.txt; semgrep ci || true"\n  }\n}\n';
    const root = repo({ '.github/workflows/ci.yml': wf('npm run scan'), 'package.json': pkg });
    const line = pkg.split('\n')[2];
    // the first semgrep (redirected, not last: `;` without -e), then `||` after semgrep ci
    expect(scan(root)).toEqual([`exit-suppressed package.json:3:${line.indexOf(';') + 1}`, `exit-suppressed package.json:3:${line.indexOf('||') + 1}`]);
  });

  it('the finding names the calling step and the script', () => {
    const root = repo({ '.github/workflows/ci.yml': wf('npm run scan'), 'package.json': PKG({ scan: 'bandit -r . || true' }) });
    const [f] = findings(root);
    expect(f.message).toContain('script `scan` in `package.json`');
    expect(f.message).toContain('.github/workflows/ci.yml:7:14');
    expect(f.properties).toEqual({ job: 'scan', step: 'scan/step 2' });
  });
});

describe('package scripts: true negatives', () => {
  it.each([
    ['npm run lint: eslint', 'npm run lint', { 'package.json': PKG({ lint: 'eslint . ; echo linted' }) }],
    ['a scanner that fails normally', 'npm run scan', { 'package.json': PKG({ scan: 'bandit -r .' }) }],
    ['a scanner ending an && list', 'npm run scan', { 'package.json': PKG({ scan: 'pip install bandit && bandit -r .' }) }],
    ['the script is missing', 'npm run scan --if-present', { 'package.json': PKG({ lint: 'eslint .' }) }],
    ['package.json is missing', 'npm test', {}],
    ['package.json is not JSON', 'npm test', { 'package.json': '{ "scripts": { "test": "npm audit || true" ' }],
    ['pnpm does not run prescan by default', 'pnpm run scan', { 'package.json': PKG({ scan: 'echo', prescan: 'bandit -r . --exit-zero' }) }],
    ['yarn berry (packageManager) does not run prescan', 'yarn scan', { 'package.json': PKG({ scan: 'echo', prescan: 'bandit -r . --exit-zero' }, '\n  "packageManager": "yarn@4.1.0",') }],
    ['yarn berry (.yarnrc.yml) does not run prescan', 'yarn scan', { 'package.json': PKG({ scan: 'echo', prescan: 'bandit -r . --exit-zero' }), '.yarnrc.yml': 'nodeLinker: node-modules\n' }],
    ['yarn berry (.yarnrc.yml at the repository root, package.json in a subdirectory)', 'yarn --cwd web scan', { 'web/package.json': PKG({ scan: 'echo', prescan: 'bandit -r . --exit-zero' }), '.yarnrc.yml': 'nodeLinker: node-modules\n' }],
    ['npm --ignore-scripts: no pre/post', 'npm run scan --ignore-scripts', { 'package.json': PKG({ scan: 'echo', prescan: 'bandit -r . --exit-zero' }) }],
    ['a workspace selection is not followed', 'npm run scan -w packages/api', { 'package.json': PKG({ scan: 'bandit -r . || true' }) }],
    ['npm-run-all is not followed', 'npm run ci', { 'package.json': PKG({ ci: 'npm-run-all scan', scan: 'bandit -r . || true' }) }],
    ['yarn audit is the builtin, not a script', 'yarn audit', { 'package.json': PKG({ audit: 'bandit -r . || true' }) }],
    ['a script that runs itself', 'npm run loop', { 'package.json': PKG({ loop: 'npm run loop' }) }],
    ['npm ci runs no named script here', 'npm ci', { 'package.json': PKG({ ci: 'bandit -r . || true' }) }],
  ])('%s', (_n, run, files) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), ...files });
    expect(scan(root)).toEqual([]);
  });
});

describe('arguments passed to a package script', () => {
  it.each([
    ['npm run scan -- --exit-zero', 'npm run scan -- --exit-zero', ['exit-suppressed .github/workflows/ci.yml:7:30']],
    ['yarn scan --exit-zero (yarn passes options after the name)', 'yarn scan --exit-zero', ['exit-suppressed .github/workflows/ci.yml:7:24']],
    ['pnpm run scan --exit-zero', 'pnpm run scan --exit-zero', ['exit-suppressed .github/workflows/ci.yml:7:28']],
  ])('%s', (_n, run, want) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), 'package.json': PKG({ scan: 'bandit -r src' }) });
    expect(scan(root)).toEqual(want);
  });
  it.each([
    ['npm run scan --exit-zero: an npm option, not passed', 'npm run scan --exit-zero'],
    ['npm run scan -- -ll: a severity filter', 'npm run scan -- -ll'],
    ['npm test -- --coverage for a script without a scanner', 'npm test -- --exit-zero'],
  ])('true negative: %s', (_n, run) => {
    const root = repo({ '.github/workflows/ci.yml': wf(run), 'package.json': PKG({ scan: 'bandit -r src', test: 'vitest run' }) });
    expect(scan(root)).toEqual([]);
  });
});

describe('npm lifecycle and robustness', () => {
  it('npm restart without a restart script runs stop then start', () => {
    const root = repo({ '.github/workflows/ci.yml': wf('npm restart'), 'package.json': PKG({ stop: 'echo stop', start: 'npm audit || true' }) });
    expect(scan(root)).toEqual(['exit-suppressed package.json:5:25']);
  });
  it('a Makefile whose variables keep doubling, unbalanced references, long lines: bounded, no crash', () => {
    const vars = Array.from({ length: 40 }, (_, k) => `V${k} = $(V${k + 1})$(V${k + 1})$(V${k + 1})`).join('\n');
    const mk = `${vars}\nV40 = x\nA := $(A)$(A)\nscan:\n\techo $(V0) $(UNCLOSED\n\tbandit -r . $(A) ${'y'.repeat(100_000)} || true\n`;
    const root = repo({ '.github/workflows/ci.yml': wf('make scan'), Makefile: mk });
    const t0 = Date.now();
    expect(scan(root)).toEqual([`exit-suppressed Makefile:45:${mk.split('\n')[44].indexOf('||') + 1}`]);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
  it('a package.json whose scripts is not an object, and a script that is not a string', () => {
    const root = repo({ '.github/workflows/ci.yml': wf('npm test') + '      - run: npm run x\n', 'package.json': '{"scripts": {"x": 1, "test": ["npm audit || true"]}, "y": {"scripts": {"test": "npm audit || true"}}}' });
    expect(scan(root)).toEqual([]);
  });
  it('the gate reports a Makefile finding through the real resolver', async () => {
    const { default: gate } = await import('../../../src/gates/gate-integrity/index.js');
    const root = repo({ '.github/workflows/ci.yml': wf('make scan'), Makefile: 'scan:\n\t-bandit -r .\n' });
    const ctx = { cwd: root, config: { config: {} }, now: () => new Date('2026-11-01T00:00:00Z') } as unknown as Parameters<typeof gate.run>[1];
    const r = await gate.run(await gate.parseInputs({ paths: '', 'fail-on': 'medium' }, ctx), ctx);
    expect(r.outcome).toBe('fail');
    expect(r.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual(['exit-suppressed Makefile:2:2']);
  });
});

it('a step with `command -v trivy || …` is not a scanner run (fix made with decision 0971)', async () => {
  const { run } = await import('./helpers.js');
  expect(run('command -v trivy >/dev/null || curl -sSfL https://example.invalid/install.sh | sh\ncommand -pv bandit || true\ntrivy fs --exit-code 1 . || true')).toEqual(['exit-suppressed 9:36']);
});

it('a Makefile whose every target runs make on every target is bounded (MAX_TASK_UNITS)', () => {
  const names = Array.from({ length: 60 }, (_, k) => `t${k}`);
  const mk = names.map((n) => `${n}:\n\t$(MAKE) ${names.join(' ')}\n`).join('') + 'scan:\n\t-bandit -r .\n';
  const root = repo({ '.github/workflows/ci.yml': wf('make t0') + '      - run: make scan\n', Makefile: mk });
  const t0 = Date.now();
  // the first step's chain is cut by the budget (not claimed); the second step is judged on its own
  expect(scan(root)).toEqual([`exit-suppressed Makefile:${mk.split('\n').length - 1}:2`]);
  expect(Date.now() - t0).toBeLessThan(30_000);
});
