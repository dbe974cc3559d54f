// bandit-gate on a generated Bandit 1.8 report with 100,000 results: parse + baseline + suppressions +
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
