// bandit-gate on a generated Bandit 1.8 report with 100,000 results (a stress size; a realistic one follows): parse + baseline + suppressions +
// budget + SARIF + record, end to end through executeGate. Prints time and peak memory; asserts nothing.
import { mkdirSync, mkdtempSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gate from '../src/gates/bandit-gate/index.js';
import { executeGate } from '../src/core/runner.js';
import { parseBanditReport } from '../src/gates/bandit-gate/report.js';
import { evaluate } from '../src/gates/bandit-gate/evaluate.js';

const N = Number(process.env.BENCH_RESULTS ?? 100_000);
const TESTS = [
  ['B602', 'subprocess_popen_with_shell_equals_true', 'HIGH', 'HIGH', 'subprocess call with shell=True identified, security issue.', 78],
  ['B311', 'blacklist', 'LOW', 'HIGH', 'Standard pseudo-random generators are not suitable for security/cryptographic purposes.', 330],
  ['B608', 'hardcoded_sql_expressions', 'MEDIUM', 'LOW', 'Possible SQL injection vector through string-based query construction.', 89],
  ['B324', 'hashlib', 'HIGH', 'HIGH', 'Use of weak MD5 hash for security. Consider usedforsecurity=False', 327],
  ['B101', 'assert_used', 'LOW', 'HIGH', 'Use of assert detected.', 703],
] as const;

function result(i: number) {
  const [id, name, sev, conf, text, cwe] = TESTS[i % TESTS.length];
  const line = 1 + (i % 400);
  return {
    code: `${line}     value = call_${i % 97}(arg, shell=True)\n${line + 1}     return value\n`,
    col_offset: 4,
    end_col_offset: 30,
    filename: `./src/pkg${i % 50}/module${(i >> 6) % 200}.py`,
    issue_confidence: conf,
    issue_cwe: { id: cwe, link: `https://cwe.mitre.org/data/definitions/${cwe}.html` },
    issue_severity: sev,
    issue_text: text,
    line_number: line,
    line_range: [line],
    more_info: `https://bandit.readthedocs.io/en/1.8.6/plugins/${id.toLowerCase()}_${name}.html`,
    test_id: id,
    test_name: name,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'cg-bench-bandit-'));
const ws = join(dir, 'ws');
mkdirSync(join(ws, '.github'), { recursive: true });
const results = Array.from({ length: N }, (_, i) => result(i));
const report = { errors: [], generated_at: '2026-11-02T09:14:03Z', metrics: { _totals: { loc: N * 3, nosec: 0, skipped_tests: 0 } }, results };
writeFileSync(join(ws, 'bandit.json'), JSON.stringify(report));
// a baseline holding the first half of the results
writeFileSync(join(ws, 'baseline.json'), JSON.stringify({ ...report, results: results.slice(0, N / 2) }));
writeFileSync(
  join(ws, '.github/chaingate.yml'),
  `bandit-gate:\n  suppressions:\n${Array.from({ length: 50 }, (_, k) => `    - file: src/pkg${k}/module1.py\n      test_id: B602\n      justification: bench entry ${k}\n      expires: "2026-12-31"\n`).join('')}`,
);
const sizeMb = (statSync(join(ws, 'bandit.json')).size / 1048576).toFixed(1);

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const timer = setInterval(sample, 5);

(globalThis as { gc?: () => void }).gc?.();
const rssBefore = process.memoryUsage().rss;

let t = performance.now();
const rep = parseBanditReport(JSON.stringify(report), 'r');
const tParse = performance.now() - t;
t = performance.now();
const ev = evaluate({ cwd: ws, reports: [rep], baseline: parseBanditReport(JSON.stringify({ ...report, results: results.slice(0, N / 2) }), 'b'), suppressions: [], scanErrorEntries: [], budget: { maxHigh: 0, maxMedium: null, maxLow: null, minConfidence: 'low' } });
const tEval = performance.now() - t;

t = performance.now();
const out = await executeGate(gate, { report: 'bandit.json', baseline: 'baseline.json', 'sarif-file': join(dir, 'out.sarif') }, {
  cwd: ws,
  env: { PATH: process.env.PATH, CHAINGATE_RECORDS: join(dir, 'records.ndjson'), RUNNER_TEMP: join(dir, 'rt') },
  logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
  now: () => new Date('2026-11-20T00:00:00Z'),
});
const tGate = performance.now() - t;
sample();
clearInterval(timer);

const mb = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
console.log(`results: ${N} (report ${sizeMb} MB on disk), baseline: ${N / 2}, suppressions: 50`);
console.log(`parse report only:              ${tParse.toFixed(0)} ms`);
console.log(`evaluate (baseline, budget):    ${tEval.toFixed(0)} ms  → new HIGH ${ev.counted.HIGH}, baselined ${ev.baselined}`);
console.log(`whole gate (read, parse ×2, evaluate, redact, SARIF ≤25k results, record): ${tGate.toFixed(0)} ms → ${out.result.outcome} (${out.result.reasons.join(',')}), new HIGH ${out.result.outputs?.high}, baselined ${out.result.outputs?.baselined}, suppressed ${out.result.outputs?.suppressed}`);
console.log(`peak RSS: ${mb(peak)} (before: ${mb(rssBefore)}); process maxRSS: ${mb(process.resourceUsage().maxRSS * 1024)}`);
rmSync(dir, { recursive: true, force: true });

// Realistic: what a large project's report looks like (a full `bandit -r .` of pip + setuptools + GitPython +
// PyYAML + 10 stdlib packages, 935 files / 273k lines, gave 947 results; with tests and vendored code a big
// monorepo reaches a few thousand). Here 1,500 workspace files that exist, a report of 5,000 results naming
// them as Bandit does (`./pkg/mod.py`) and quoting their real lines, so placement reads every file to confirm
// it, and columns (1.8 col_offset) are converted on the quoted lines, some of them non-ASCII.
{
  const FILES = Number(process.env.BENCH_FILES ?? 1500);
  const R = Number(process.env.BENCH_REAL_RESULTS ?? 5000);
  const d2 = mkdtempSync(join(tmpdir(), 'cg-bench-bandit-real-'));
  const w2 = join(d2, 'ws');
  const lineOf = (f: number, l: number) => (l % 7 === 0 ? `    log("Grüße ${f}"); value = call_${l}(arg, shell=True)` : `    value = call_${l}(arg, shell=True)`);
  for (let f = 0; f < FILES; f++) {
    mkdirSync(join(w2, `pkg${f % 40}`), { recursive: true });
    writeFileSync(join(w2, `pkg${f % 40}`, `mod${f}.py`), Array.from({ length: 180 }, (_, l) => lineOf(f, l + 1)).join('\n') + '\n');
  }
  const res = Array.from({ length: R }, (_, i) => {
    const f = i % FILES;
    const l = 1 + ((i * 7) % 180);
    const text = lineOf(f, l);
    const col = Buffer.byteLength(text.slice(0, text.indexOf('value')), 'utf8');
    return { ...result(i), filename: `./pkg${f % 40}/mod${f}.py`, line_number: l, line_range: [l], code: `${l} ${text}\n`, col_offset: col, end_col_offset: col + 10 };
  });
  writeFileSync(join(w2, 'bandit.json'), JSON.stringify({ errors: [], generated_at: '2026-11-02T09:14:03Z', metrics: { _totals: { loc: FILES * 180, nosec: 0, skipped_tests: 0 } }, results: res }));
  const t2 = performance.now();
  const o2 = await executeGate(gate, { report: 'bandit.json', 'sarif-file': join(d2, 'out.sarif') }, {
    cwd: w2,
    env: { PATH: process.env.PATH, CHAINGATE_RECORDS: join(d2, 'records.ndjson'), RUNNER_TEMP: join(d2, 'rt') },
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
    now: () => new Date('2026-11-20T00:00:00Z'),
  });
  console.log(`realistic: ${R} results over ${FILES} workspace files (each read to confirm placement): whole gate ${(performance.now() - t2).toFixed(0)} ms → ${o2.result.outcome}, new HIGH ${o2.result.outputs?.high}`);
  rmSync(d2, { recursive: true, force: true });
}
