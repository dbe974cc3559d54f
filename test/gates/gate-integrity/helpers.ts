// Shared by the gate-integrity test files: scan one workflow text, or one `run: |` step, and list the findings
// as `rule line:column`.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity, type LocalActionResolver } from '../../../src/gates/gate-integrity/analyze.js';
import { scriptResolver } from '../../../src/gates/gate-integrity/index.js';

export function scanText(text: string, file = '.github/workflows/w.yml', resolve?: LocalActionResolver): string[] {
  const m = buildModel(file, text);
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter(), resolve).map((f) => `${f.rule} ${f.line}:${f.column}`);
}

/** one `run: |` step; script lines start at line 7, column 11 */
export function run(script: string, shell = ''): string[] {
  const body = script.split('\n').map((l) => `          ${l}`).join('\n');
  return scanText(`on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${body}\n${shell ? `        shell: ${shell}\n` : ''}`);
}

/** a repository in a fresh temporary directory: path → text (files are executable, as scripts in a checkout) */
export function makeRepo(files: Record<string, string>, prefix = 'gi-repo-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text, { mode: 0o755 });
  }
  return root;
}

/** the findings of one workflow file of a repository made by makeRepo, with its scripts, Makefiles and package.json followed */
export function repoFindings(root: string, file = '.github/workflows/ci.yml') {
  const m = Object.assign(buildModel(file, readFileSync(join(root, file), 'utf8')), { abs: join(root, file) });
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter(), undefined, scriptResolver(root));
}

/** repoFindings as `rule file:line:column` */
export const repoScan = (root: string) => repoFindings(root).map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);

/** a workflow with one step running `run` (line 7, column 14 for a one-line `run:`) */
export const stepWorkflow = (run: string, extra = '') => `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n${extra}`;
