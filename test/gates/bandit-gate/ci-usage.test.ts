// How people really run Bandit in CI, judged by the gate: reports written by real Bandit 1.6.2 with the usual
// flags (-ll, -iii, -b, --skip, # nosec), and the documented 1.7–1.9 shapes for what 1.6 cannot do
// (--severity-level, --exit-zero, `# nosec B602` → skipped_tests, SARIF from bandit-sarif-formatter).
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate, workspace } from './helpers.js';
import { parseBanditReport } from '../../../src/gates/bandit-gate/report.js';
import { omittedFindings } from '../../../src/gates/bandit-gate/index.js';

beforeAll(() => {
  const v = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('these tests need the real Bandit on PATH (apt-get install bandit; .ci/run does it)');
});

// B602 HIGH/HIGH at line 6, B201 (flask debug) HIGH/MEDIUM at line 10, B404 LOW/HIGH at line 1
const APP = [
  'import subprocess',
  'from flask import Flask',
  'app = Flask(__name__)',
  '',
  'def run(cmd):',
  '    return subprocess.call(cmd, shell=True)',
  '',
  '',
  'if __name__ == "__main__":',
  '    app.run(debug=True)',
  '',
].join('\n');

/** Run real Bandit in `ws` the way a CI step does, writing `out`; returns its exit code. */
function bandit(ws: string, out: string, ...flags: string[]): number {
  const r = spawnSync('bandit', ['-r', '.', '-f', 'json', '-o', out, ...flags], { cwd: ws, encoding: 'utf8' });
  return r.status ?? -1;
}

const json = (ws: string, f: string) => JSON.parse(readFileSync(join(ws, f), 'utf8'));

describe('reports written by real Bandit with the usual CI flags', () => {
  it('`bandit -r . -f json -o report.json` (exit 1): the gate reads ./ paths as workspace files and fails on the HIGH findings', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP });
    expect(bandit(ws, 'report.json')).toBe(1);
    const r = await runGate(ws, { report: 'report.json' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.outputs).toMatchObject({ high: '2', low: '1' });
    expect(r.result.findings.find((f) => f.rule === 'B201')).toMatchObject({ file: 'src/app.py', line: 10 });
    expect(r.result.findings.every((f) => f.properties?.placement === undefined)).toBe(true);
  });

  it('-iii (HIGH confidence only) hides a HIGH/MEDIUM-confidence finding: report-incomplete, never a pass', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP.replace('    return subprocess.call(cmd, shell=True)\n', '    return cmd\n') });
    bandit(ws, 'report.json', '-iii');
    // what a gate that trusted results[] would pass: no HIGH finding listed
    expect(json(ws, 'report.json').results.map((x: { test_id: string }) => x.test_id)).toEqual(['B404']);
    const r = await runGate(ws, { report: 'report.json' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('report-incomplete');
    expect(r.result.messages!.join('\n')).toMatch(/lists 1 finding\(s\) fewer than Bandit counted \(missing by severity: HIGH 1; by confidence: MEDIUM 1; in \.\/src\/app\.py\)/);
  });

  it('-iii when the gate itself only counts HIGH confidence: nothing that could count is missing, so it passes (true negative)', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP.replace('    return subprocess.call(cmd, shell=True)\n', '    return cmd\n').replace('import subprocess\n', 'import os\n') });
    bandit(ws, 'report.json', '-iii');
    const r = await runGate(ws, { report: 'report.json', 'min-confidence': 'high' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.messages!.join('\n')).toMatch(/omits 1 finding\(s\).*none of them could count/);
  });

  it('-ll (MEDIUM severity and up) drops LOW findings: fine without a LOW budget, report-incomplete with max-low', async () => {
    const ws = workspace(undefined, { 'src/app.py': 'import subprocess\n\ndef f():\n    return 1\n' });
    bandit(ws, 'report.json', '-ll');
    expect(json(ws, 'report.json').results).toEqual([]);
    const ok = await runGate(ws, { report: 'report.json' });
    expect(ok.result.outcome).toBe('pass');
    const budgeted = await runGate(ws, { report: 'report.json', 'max-low': '0' });
    expect(budgeted.result.outcome).toBe('error');
    expect(budgeted.result.reasons).toContain('report-incomplete');
  });

  it('-b baseline.json: Bandit hides a NEW copy of a baselined HIGH finding; the gate says the report is incomplete instead of passing', async () => {
    const one = 'import subprocess\n\ndef a(cmd):\n    return subprocess.call(cmd, shell=True)\n';
    const ws = workspace(undefined, { 'src/app.py': one });
    bandit(ws, 'baseline.json');
    writeFileSync(join(ws, 'src/app.py'), `${one}\n\ndef b(cmd):\n    return subprocess.call(cmd, shell=True)\n`);
    bandit(ws, 'report.json', '-b', 'baseline.json');
    expect(json(ws, 'report.json').results.filter((x: { issue_severity: string }) => x.issue_severity === 'HIGH')).toEqual([]);
    const r = await runGate(ws, { report: 'report.json' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('report-incomplete');
    expect(r.result.messages!.join('\n')).toMatch(/Bandit's own baseline \(-b.*give the baseline to the gate's `baseline` input/);
    // what to do instead: a full report + the gate's count-aware baseline → the new copy fails
    bandit(ws, 'full.json');
    const right = await runGate(ws, { report: 'full.json', baseline: 'baseline.json' });
    expect(right.result.outcome).toBe('fail');
    expect(right.result.outputs).toMatchObject({ high: '1', baselined: '2' });
  });

  it('--skip B602 (`-s`): the skipped test is gone from results and metrics alike (a pass), and the run records the skips', async () => {
    const ws = workspace(undefined, { 'src/app.py': 'import os\n\ndef a(cmd):\n    return subprocess.call(cmd, shell=True)\n' });
    const r = await runGate(ws, { skips: 'B602,B404' });
    expect(r.result.outcome).toBe('pass');
    expect(r.records[0].policy).toMatchObject({ skips: 'B602,B404' });
    const none = await runGate(ws);
    expect(none.result.outcome).toBe('fail');
    expect(none.records[0].policy).toMatchObject({ skips: null });
  });

  it('# nosec and # nosec B602 (1.6 treats both as plain nosec): hidden HIGH findings are not counted but are said so; ignore-nosec counts them', async () => {
    const src = 'import os\nimport subprocess\n\ndef a(cmd):\n    subprocess.call(cmd, shell=True)  # nosec\n    return subprocess.call(cmd, shell=True)  # nosec B602\n';
    const ws = workspace(undefined, { 'src/app.py': src });
    const r = await runGate(ws);
    expect(r.result.outcome).toBe('pass');
    expect(r.records[0].details).toMatchObject({ nosec: 2, new_high: 0 });
    expect(r.result.summary!.join('\n')).toMatch(/`# nosec` lines skipped by Bandit: 2 \(not counted: the report does not say their severity; `ignore-nosec: true` counts them\)/);
    const strict = await runGate(ws, { 'ignore-nosec': 'true' });
    expect(strict.result.outcome).toBe('fail');
    expect(strict.result.outputs).toMatchObject({ high: '2' });
  });

  it('a report with errors[] for a file that failed to parse and no findings: an error, never a silent pass', async () => {
    const ws = workspace(undefined, { 'src/ok.py': 'x = 1\n', 'src/broken.py': 'def f(:\n    pass\n' });
    expect(bandit(ws, 'report.json')).toBe(0); // Bandit itself says "all good"
    const r = await runGate(ws, { report: 'report.json' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('scan-errors');
    expect(r.result.findings.find((f) => f.rule === 'scan-error')).toMatchObject({ file: 'src/broken.py' });
  });

  it('a real report with nothing filtered has metrics equal to its results: no report-incomplete (true negative)', () => {
    const ws = workspace(undefined, { 'src/app.py': APP });
    bandit(ws, 'report.json');
    const rep = parseBanditReport(readFileSync(join(ws, 'report.json'), 'utf8'), 'r');
    expect(omittedFindings(rep, { maxHigh: 0, maxMedium: 0, maxLow: 0, minConfidence: 'low' }).total).toBe(0);
  });
});

/** A Bandit 1.8/1.9-shaped report (fields as those versions write them). */
function modern(results: object[], totals: Record<string, number>) {
  const base: Record<string, number> = { loc: 10, nosec: 0, skipped_tests: 0 };
  for (const l of ['HIGH', 'MEDIUM', 'LOW', 'UNDEFINED']) base[`SEVERITY.${l}`] = base[`CONFIDENCE.${l}`] = 0;
  return JSON.stringify({ errors: [], generated_at: '2026-11-19T10:00:00Z', metrics: { _totals: { ...base, ...totals } }, results });
}
const R = (sev: string, conf: string, line: number) => ({
  code: `${line} x = run()\n`, col_offset: 4, end_col_offset: 12, filename: 'src/app.py', issue_confidence: conf,
  issue_cwe: { id: 78, link: 'https://cwe.mitre.org/data/definitions/78.html' }, issue_severity: sev,
  issue_text: 'subprocess call with shell=True identified, security issue.', line_number: line, line_range: [line],
  more_info: 'https://bandit.readthedocs.io/en/1.8.6/plugins/b602_subprocess_popen_with_shell_equals_true.html',
  test_id: 'B602', test_name: 'subprocess_popen_with_shell_equals_true',
});

describe('documented Bandit 1.7–1.9 shapes', () => {
  const src = { 'src/app.py': Array.from({ length: 10 }, () => 'x = run()').join('\n') + '\n' };

  it('--severity-level high (1.7.4+): MEDIUM findings left out; fine without a MEDIUM budget, report-incomplete with max-medium', async () => {
    const ws = workspace(undefined, { ...src, 'r.json': modern([R('HIGH', 'HIGH', 2)], { 'SEVERITY.HIGH': 1, 'SEVERITY.MEDIUM': 2, 'CONFIDENCE.HIGH': 3 }) });
    const noBudget = await runGate(ws, { report: 'r.json', 'max-high': '1' });
    expect(noBudget.result.outcome).toBe('pass');
    const budget = await runGate(ws, { report: 'r.json', 'max-high': '1', 'max-medium': '5' });
    expect(budget.result.outcome).toBe('error');
    expect(budget.result.reasons).toEqual(expect.arrayContaining(['report-incomplete']));
  });

  it('--exit-zero (1.7.5+) changes only the exit code: the report still decides (a HIGH finding fails)', async () => {
    const ws = workspace(undefined, { ...src, 'r.json': modern([R('HIGH', 'HIGH', 3)], { 'SEVERITY.HIGH': 1, 'CONFIDENCE.HIGH': 1 }) });
    const r = await runGate(ws, { report: 'r.json' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings[0]).toMatchObject({ file: 'src/app.py', line: 3, column: 5, endColumn: 13 });
  });

  it('`# nosec B602` on 1.7.5+ (metrics.skipped_tests): surfaced in the summary, the record and metrics', async () => {
    const ws = workspace(undefined, { ...src, 'r.json': modern([], { nosec: 1, skipped_tests: 2 }) });
    const r = await runGate(ws, { report: 'r.json' });
    expect(r.result.outcome).toBe('pass');
    expect(r.records[0].details).toMatchObject({ nosec: 1, skipped_tests: 2 });
    expect(r.result.summary!.join('\n')).toMatch(/findings skipped by `# nosec <test id>`: 2 \(not counted/);
  });

  it('SARIF from bandit-sarif-formatter (`-f sarif`) is not a Bandit JSON report: report-invalid, saying why', async () => {
    const sarif = {
      $schema: 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json',
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'Bandit', rules: [] } }, results: [], invocations: [{ executionSuccessful: true }] }],
    };
    const ws = workspace(undefined, { ...src, 'bandit.sarif': JSON.stringify(sarif) });
    const r = await runGate(ws, { report: 'bandit.sarif' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['report-invalid']);
    expect(r.result.messages!.join('\n')).toMatch(/SARIF log .*no lines-scanned count and no errors\[\].*-f json/);
  });

  it('metrics without SEVERITY/CONFIDENCE totals (older or trimmed): no completeness claim either way (the results are judged)', async () => {
    const ws = workspace(undefined, { ...src, 'r.json': JSON.stringify({ errors: [], metrics: { _totals: { loc: 10, nosec: 0 } }, results: [R('HIGH', 'HIGH', 2)] }) });
    const r = await runGate(ws, { report: 'r.json' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).not.toContain('report-incomplete');
  });
});
