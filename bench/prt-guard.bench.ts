// prt-guard and gate-integrity over the shared corpus, next to a raw YAML parse of the same files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Fingerprinter } from '../src/core/fingerprint.js';
import { discoverWorkflowFiles } from '../src/core/files.js';
import { buildModel } from '../src/gates/prt-guard/model.js';
import { analyzeWorkflow } from '../src/gates/prt-guard/analyze.js';
import { makeLookup } from '../src/gates/prt-guard/load.js';
import { analyzeIntegrity } from '../src/gates/gate-integrity/analyze.js';

const corpus = process.env.CHAINGATE_CORPUS ?? '/work/shared/corpus/workflows';
const files = discoverWorkflowFiles(corpus, [corpus]).map((f) => ({ rel: f.rel, abs: f.abs, text: readFileSync(f.abs, 'utf8') }));
const bytes = files.reduce((n, f) => n + f.text.length, 0);

function time(label: string, fn: () => number, rounds = 5): number {
  fn(); // warm-up
  const ms: number[] = [];
  let out = 0;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    out = fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const med = ms[Math.floor(ms.length / 2)];
  console.log(`${label.padEnd(34)} median ${med.toFixed(1)} ms  (${((files.length / med) * 1000).toFixed(0)} files/s, result ${out})`);
  return med;
}

console.log(`corpus: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MiB (${join(corpus)})`);
const raw = time('raw YAML parse (yaml)', () => files.reduce((n, f) => n + parseAllDocuments(f.text).length, 0));
const prt = time('prt-guard (parse + analyse)', () => {
  const models = files.map((f) => Object.assign(buildModel(f.rel, f.text), { abs: f.abs }));
  const lookup = makeLookup(models);
  const fp = new Fingerprinter();
  return models.reduce((n, m) => n + analyzeWorkflow(m, { fingerprinter: fp, lookup }).length, 0);
});
const gi = time('gate-integrity (parse + analyse)', () => {
  const fp = new Fingerprinter();
  return files.reduce((n, f) => n + analyzeIntegrity(buildModel(f.rel, f.text), fp).length, 0);
});
console.log(`ratio to raw parse: prt-guard ${(prt / raw).toFixed(2)}x, gate-integrity ${(gi / raw).toFixed(2)}x`);
