// Second-eyes review of decision 0971 (make targets and package scripts): each case below failed before its fix;
// semantics checked against GNU Make 4.3 and npm 11 here. True negatives sit beside the positives.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, repoFindings, repoScan, stepWorkflow } from './helpers.js';
import { packageScripts } from '../../../src/gates/gate-integrity/make-npm.js';

const repo = (files: Record<string, string>) => makeRepo(files, 'gi-rvmake-');
const findings = repoFindings;
const scan = repoScan;
const wf = stepWorkflow;
const check = (run: string, files: Record<string, string>) => scan(repo({ '.github/workflows/ci.yml': wf(run), ...files }));

describe('the default goal is not guessed', () => {
  it.each([
    // make runs `all` (either branch), never `scan`
    ['the first target is inside a conditional', { Makefile: 'ifeq ($(OS),Windows_NT)\nall: build\nelse\nall: build\nendif\nscan:\n\t-bandit -r .\nbuild:\n\techo build\n' }],
    // GitHub sets CI=true: make runs `ci`
    ['`.DEFAULT_GOAL` set inside a conditional', { Makefile: 'ifdef CI\n.DEFAULT_GOAL := ci\nendif\nscan:\n\t-bandit -r .\nci:\n\techo ci\n' }],
    // make runs `all` from common.mk
    ['an included file defines the first target', { Makefile: 'include common.mk\nscan:\n\t-bandit -r .\n', 'common.mk': 'all:\n\techo all\n' }],
    ['an include whose name is not known comes first', { Makefile: 'include $(shell ls *.mk)\nscan:\n\t-bandit -r .\n' }],
  ])('true negative: %s', (_n, files) => {
    expect(check('make', files)).toEqual([]);
  });
  it.each([
    ['an include after the first target', { Makefile: 'scan:\n\t-bandit -r .\ninclude common.mk\n', 'common.mk': 'all:\n\techo all\n' }, ['exit-suppressed Makefile:2:2']],
    ['an included file with variables only', { Makefile: 'include vars.mk\nscan:\n\t-bandit -r .\n', 'vars.mk': 'SRC = src\n' }, ['exit-suppressed Makefile:3:2']],
    ['`-include .env` missing from the checkout reads nothing', { Makefile: '-include .env\nscan:\n\t-bandit -r .\n' }, ['exit-suppressed Makefile:3:2']],
    ['`.DEFAULT_GOAL` set plainly after a conditional block', { Makefile: 'ifdef CI\nX = 1\nendif\nbuild:\n\techo\nscan:\n\t-bandit -r .\n.DEFAULT_GOAL := scan\n' }, ['exit-suppressed Makefile:7:2']],
    ['conditionals after the first target', { Makefile: 'scan:\n\t-bandit -r .\nifdef CI\nci:\n\techo ci\nendif\n' }, ['exit-suppressed Makefile:2:2']],
  ])('true positive: %s', (_n, files, want) => {
    expect(check('make', files)).toEqual(want);
  });
});

describe('an included Makefile may set the shell, its flags or the variables', () => {
  it.each([
    // make aborts at `false | cat` (checked): common.mk sets bash with -eu -o pipefail
    ['SHELL/.SHELLFLAGS in an included file', 'make scan', { Makefile: 'include common.mk\nscan:\n\ttrivy fs --exit-code 1 . | tee t.txt\n\tbandit -r . ; echo done\n', 'common.mk': 'SHELL := bash\n.SHELLFLAGS := -eu -o pipefail -c\n' }],
    ['an include that cannot be seen (a variable name)', 'make scan', { Makefile: 'include $(ROOT)/tools/make/common.mk\nscan:\n\tbandit -r . ; echo done\n' }],
    ['an included file redefines a variable the Makefile set before', 'make scan', { Makefile: 'BANDIT_FLAGS = --exit-zero\ninclude ci.mk\nscan:\n\tbandit -r . $(BANDIT_FLAGS)\n', 'ci.mk': 'BANDIT_FLAGS = -ll\n' }],
    ['`?=` after an include that sets the variable', 'make scan', { Makefile: 'include ci.mk\nBANDIT_FLAGS ?= --exit-zero\nscan:\n\tbandit -r . $(BANDIT_FLAGS)\n', 'ci.mk': 'BANDIT_FLAGS = -ll\n' }],
  ])('true negative: %s', (_n, run, files) => {
    expect(check(run, files)).toEqual([]);
  });
  it.each([
    ['a `-` prefix does not depend on the shell flags', 'make scan', { Makefile: 'include $(ROOT)/common.mk\nscan:\n\t-bandit -r .\n' }, ['exit-suppressed Makefile:3:2']],
    ['`|| true` does not either', 'make scan', { Makefile: 'include common.mk\nscan:\n\tbandit -r . || true\n', 'common.mk': 'SHELL := bash\n.SHELLFLAGS := -eu -o pipefail -c\n' }, ['exit-suppressed Makefile:3:14']],
    ['an included file that sets other variables: the `;` still loses the status', 'make scan', { Makefile: 'include vars.mk\nscan:\n\tbandit -r $(SRC) ; echo done\n', 'vars.mk': 'SRC = src\n' }, ['exit-suppressed Makefile:3:19']],
    ['a variable set after the include is still known', 'make scan', { Makefile: 'include vars.mk\nBANDIT_FLAGS = --exit-zero\nscan:\n\tbandit -r . $(BANDIT_FLAGS)\n', 'vars.mk': 'BANDIT_FLAGS = -ll\n' }, ['exit-suppressed Makefile:4:14']],
  ])('true positive: %s', (_n, run, files, want) => {
    expect(check(run, files)).toEqual(want);
  });
});

describe('which Makefile: the first that exists, as make does', () => {
  // make stops at an existing GNUmakefile it cannot read (a directory, a dangling symlink): it does not fall back
  it.each([
    ['GNUmakefile is a directory', (root: string) => mkdirSync(join(root, 'GNUmakefile'))],
    ['GNUmakefile is a dangling symlink', (root: string) => symlinkSync('/nonexistent/x.mk', join(root, 'GNUmakefile'))],
    ['GNUmakefile is a symlink out of the repository', (root: string) => {
      const out = mkdtempSync(join(tmpdir(), 'gi-rvmake-out-'));
      writeFileSync(join(out, 'x.mk'), 'scan:\n\tbandit -r .\n');
      symlinkSync(join(out, 'x.mk'), join(root, 'GNUmakefile'));
    }],
    ['GNUmakefile is a FIFO', (root: string) => execFileSync('mkfifo', [join(root, 'GNUmakefile')])],
  ])('true negative: %s (Makefile is not read instead)', (_n, setup) => {
    const root = repo({ '.github/workflows/ci.yml': wf('make scan'), Makefile: 'scan:\n\t-bandit -r .\n' });
    setup(root);
    expect(scan(root)).toEqual([]);
  });
  it('true positive: no GNUmakefile, no makefile: Makefile', () => {
    expect(check('make scan', { Makefile: 'scan:\n\t-bandit -r .\n' })).toEqual(['exit-suppressed Makefile:2:2']);
  });
});

describe('MAKEFLAGS set in the Makefile', () => {
  // checked: `MAKEFLAGS += -i` / `--ignore-errors` in the Makefile makes `false` exit 0 for make
  it.each([
    ['MAKEFLAGS += -i', 'MAKEFLAGS += -i\nscan:\n\tbandit -r .\n', ['exit-suppressed Makefile:1:1']],
    ['MAKEFLAGS += --ignore-errors', 'export MAKEFLAGS += --ignore-errors\nscan:\n\tbandit -r .\n', ['exit-suppressed Makefile:1:8']],
    ['MAKEFLAGS := -ki', 'MAKEFLAGS := -ki --no-print-directory\nscan:\n\tbandit -r .\n', ['exit-suppressed Makefile:1:1']],
  ])('true positive: %s', (_n, mk, want) => {
    expect(check('make scan', { Makefile: mk })).toEqual(want);
  });
  it.each([
    ['MAKEFLAGS += --no-print-directory -s', 'MAKEFLAGS += --no-print-directory -s\nscan:\n\tbandit -r .\n'],
    ['MAKEFLAGS += -k (still exits non-zero)', 'MAKEFLAGS += -k\nscan:\n\tbandit -r .\n'],
    ['MAKEFLAGS += -i on a target without a scanner', 'MAKEFLAGS += -i\nscan:\n\tbandit -r .\nbuild:\n\techo\n'],
    ['MAKEFLAGS += -i inside a conditional', 'ifdef LOCAL\nMAKEFLAGS += -i\nendif\nscan:\n\tbandit -r .\n'],
  ])('true negative: %s', (_n, mk) => {
    expect(check(_n.endsWith('scanner') ? 'make build' : 'make scan', { Makefile: mk })).toEqual([]);
  });
});

describe('package.json: the scripts JSON.parse sees', () => {
  it.each([
    ['a later `scripts` that is not an object', '{"scripts":{"scan":"npm audit || true"},"scripts":1}'],
    ['a later `scripts` object without the script', '{"scripts":{"scan":"npm audit || true"},"scripts":{"lint":"eslint ."}}'],
    ['a script that is not a string', '{"scripts":{"scan":["npm audit || true"]}}'],
  ])('true negative: %s', (_n, pkg) => {
    expect(check('npm run scan', { 'package.json': pkg })).toEqual([]);
  });
  it('true positive: a duplicate script name, the last (suppressed) wins', () => {
    expect(check('npm run scan', { 'package.json': '{"scripts":{"scan":"npm audit","scan":"npm audit || true"}}' })).toEqual(['exit-suppressed package.json:1:50']);
  });
  it('packageScripts keeps only string scripts JSON.parse would return', () => {
    expect([...packageScripts('{"scripts":{"a":"x","b":1},"scripts":{"c":"y","d":{"e":"f"}}}')!.scripts.keys()]).toEqual(['c']);
  });
});

describe('cross-env in package scripts', () => {
  // cross-env sets the variables and exits with the command's status
  it.each([
    ['cross-env VAR=x scanner || true', '{"scripts":{"scan":"cross-env CI=1 bandit -r . || true"}}', ['exit-suppressed package.json:1:48']],
    ['cross-env with --exit-zero', '{"scripts":{"scan":"cross-env NODE_ENV=test FORCE_COLOR=0 bandit -r . --exit-zero"}}', ['exit-suppressed package.json:1:71']],
  ])('true positive: %s', (_n, pkg, want) => {
    expect(check('npm run scan', { 'package.json': pkg })).toEqual(want);
  });
  it.each([
    ['cross-env running a scanner that fails normally', '{"scripts":{"scan":"cross-env CI=1 bandit -r ."}}'],
    ['cross-env running a non-scanner with || true', '{"scripts":{"build":"cross-env NODE_ENV=production webpack || true"}}'],
  ])('true negative: %s', (_n, pkg) => {
    expect(check(pkg.includes('"build"') ? 'npm run build' : 'npm run scan', { 'package.json': pkg })).toEqual([]);
  });
});

describe('expansion limits: hostile Makefiles are bounded and not claimed', () => {
  it('variables that keep doubling on thousands of recipe lines: not followed, fast', () => {
    const vars = Array.from({ length: 40 }, (_, k) => `V${k} = $(V${k + 1})$(V${k + 1})$(V${k + 1})`).join('\n') + '\nV40 = x\n';
    let mk = `${vars}scan:\n`;
    while (mk.length < 250_000) mk += '\techo $(V0) ; bandit -r . || true\n';
    const t0 = Date.now();
    expect(check('make scan', { Makefile: mk })).toEqual([]);
    // a bench prints numbers; this only guards against the 25 s this took before (2000 lines × 64 KiB)
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
  it('a line cut short by the expansion limit is left out (its end is missing); the other lines are judged', () => {
    const vars = Array.from({ length: 20 }, (_, k) => `V${k} = $(V${k + 1})$(V${k + 1})`).join('\n') + '\nV20 = x\n';
    const mk = `SHELL = bash\n${vars}scan:\n\tset +e; trivy fs --exit-code 1 . > $(V0).log; rc=$$?; cat $(V0).log; exit $$rc\nlint:\n\t-bandit -r .\n`;
    expect(check('make scan', { Makefile: mk })).toEqual([]);
    expect(check('make scan', { Makefile: mk.replace(/\$\(V0\)/g, 'trivy') })).toEqual([]); // judged whole: no finding either
    expect(check('make scan lint', { Makefile: mk })).toEqual([`exit-suppressed Makefile:${mk.split('\n').length - 1}:2`]);
  });
  it('a line whose expansion stays under the limit is still judged', () => {
    expect(check('make scan', { Makefile: `FILES = ${'a '.repeat(2000)}\nscan:\n\tbandit $(FILES) || true\n` })).toEqual(['exit-suppressed Makefile:3:18']);
  });
});

describe('a variable that only silences, set in conditionals (`$(Q)`)', () => {
  // `make V=1` shows commands: `Q` is empty or `@` in every branch, so the line's meaning does not depend on it
  it('true positive: `$(Q)bandit -r . || true` with Q empty or @', () => {
    expect(check('make scan', { Makefile: 'ifeq ($(V),1)\nQ =\nelse\nQ = @\nendif\nscan:\n\t$(Q)bandit -r . || true\n' })).toEqual(['exit-suppressed Makefile:7:18']);
  });
  it.each([
    ['a branch sets `-` (the failure may be ignored or not)', 'ifdef LAX\nQ = -\nelse\nQ = @\nendif\nscan:\n\t$(Q)bandit -r .\n'],
    ['a branch sets a command', 'ifdef CI\nQ = @\nelse\nQ = echo\nendif\nscan:\n\t$(Q) bandit -r . || true\n'],
  ])('true negative: %s', (_n, mk) => {
    expect(check('make scan', { Makefile: mk })).toEqual([]);
  });
});
