// Shared by the gate-integrity test files: scan one workflow text, or one `run: |` step, and list the findings
// as `rule line:column`.
import { expect } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity, type LocalActionResolver } from '../../../src/gates/gate-integrity/analyze.js';

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
