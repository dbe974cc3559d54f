// pin-lint over ../shared/corpus: files per second, ratio to merely parsing the same files with `yaml`,
// and cold start of `node dist/pin-lint.js` on a small repository against `node -e 0` (wall-clock, and
// instructions executed when valgrind is installed).
import { readFileSync, readdirSync, statSync, mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments, LineCounter } from 'yaml';
import { scanText } from '../src/gates/pin-lint/scan.js';
import { buildPolicy } from '../src/gates/pin-lint/policy.js';

const root = process.env.CHAINGATE_ROOT ?? process.cwd();
const corpus = join(root, '..', 'shared', 'corpus', 'workflows');
if (!existsSync(corpus)) {
  console.log(`corpus not found at ${corpus}: skipped`);
  process.exit(0);
}
const files: Array<{ name: string; text: string }> = [];
for (const d of readdirSync(corpus)) {
  for (const f of readdirSync(join(corpus, d))) {
    const p = join(corpus, d, f);
    if (statSync(p).isFile() && /\.ya?ml$/.test(f)) files.push({ name: `${d}/${f}`, text: readFileSync(p, 'utf8') });
  }
}
const bytes = files.reduce((n, f) => n + f.text.length, 0);
const policy = buildPolicy(undefined);

function best(label: string, fn: () => void, rounds = 7): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(34)} median ${med.toFixed(1)} ms  min ${times[0].toFixed(1)} ms`);
  return med;
}

console.log(`corpus: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
const parse = best('parse only (yaml, positions)', () => {
  for (const f of files) parseAllDocuments(f.text, { lineCounter: new LineCounter() });
});
let findings = 0;
const lint = best('pin-lint (parse + analysis)', () => {
  findings = 0;
  for (const f of files) findings += scanText(f.name, f.text, { policy }).findings.length;
});
console.log(`pin-lint: ${(files.length / (lint / 1000)).toFixed(0)} files/s, ${findings} findings; ratio to parse: ${(lint / parse).toFixed(2)}× (target ≤ 1.5×)`);

// cold start
const dist = join(root, 'dist', 'pin-lint.js');
if (existsSync(dist)) {
  const repo = mkdtempSync(join(tmpdir(), 'cg-bench-'));
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(repo, '.github', 'workflows', 'ci.yml'), `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${'a'.repeat(40)} # v4\n`);
  const env = { PATH: process.env.PATH, RUNNER_TEMP: repo, GITHUB_WORKSPACE: repo };
  const time = (args: string[]) => {
    const ts: number[] = [];
    for (let i = 0; i < 11; i++) {
      const t = process.hrtime.bigint();
      spawnSync(process.execPath, args, { cwd: repo, env, stdio: 'ignore' });
      ts.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    ts.sort((a, b) => a - b);
    return ts[5];
  };
  const base = time(['-e', '0']);
  const gate = time([dist]);
  console.log(`cold start: node -e 0 ${base.toFixed(0)} ms, node dist/pin-lint.js ${gate.toFixed(0)} ms: +${(gate - base).toFixed(0)} ms (target ≤ +60 ms)`);
  // Wall-clock is noisy on a shared machine; instructions executed (valgrind callgrind, all threads) are
  // repeatable to a few per cent. Median of 3 runs each.
  const hasValgrind = spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
  if (hasValgrind && process.env.CHAINGATE_BENCH_IR !== '0') {
    const ir = (args: string[]) => {
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...args], { cwd: repo, env, encoding: 'utf8' });
        const m = /Collected : (\d+)/.exec(r.stderr ?? '');
        if (m) counts.push(Number(m[1]) / 1e6);
      }
      counts.sort((a, b) => a - b);
      return counts[Math.floor(counts.length / 2)];
    };
    const irBase = ir(['-e', '0']);
    const irGate = ir([dist]);
    if (irBase && irGate) console.log(`instructions (callgrind Ir): node -e 0 ${irBase.toFixed(0)} M, node dist/pin-lint.js ${irGate.toFixed(0)} M: +${(irGate - irBase).toFixed(0)} M`);
  } else console.log('instructions: valgrind not found (or CHAINGATE_BENCH_IR=0): skipped');
} else console.log('dist/pin-lint.js missing: run npm run build for the cold-start number');
