// Reading existing reports: Bandit 1.8 JSON (issue_cwe, col_offset) written by hand from the documented shape,
// count-aware baselines, config suppressions with an injected clock.
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIX, runGate, workspace } from './helpers.js';
import { parseBanditReport, ReportError } from '../../../src/gates/bandit-gate/report.js';
import { evaluate } from '../../../src/gates/bandit-gate/evaluate.js';

const REPORTS = join(FIX, 'reports');
const r18 = () => JSON.parse(readFileSync(join(REPORTS, 'bandit-1.8.json'), 'utf8'));

function wsWithReports(files: Record<string, unknown> = {}, extra: Record<string, string> = {}) {
  const ws = workspace(undefined, extra);
  cpSync(REPORTS, join(ws, 'reports'), { recursive: true });
  for (const [p, v] of Object.entries(files)) writeFileSync(join(ws, p), typeof v === 'string' ? v : JSON.stringify(v));
  return ws;
}

const NOW = () => new Date('2026-11-20T12:00:00Z');

describe('Bandit 1.8 reports', () => {
  it('reads issue_cwe and col_offset: 1-based columns, CWE in the message and properties', async () => {
    const r = await runGate(wsWithReports(), { report: 'reports/bandit-1.8.json' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.outputs).toMatchObject({ high: '2', medium: '1', low: '1', 'lines-scanned': '42' });
    const b602 = r.result.findings.find((f) => f.rule === 'B602')!;
    expect(b602).toMatchObject({ file: 'app/run.py', line: 6, column: 12, endColumn: 44 });
    expect(b602.message).toContain('CWE-78');
    expect(b602.properties).toMatchObject({ cwe: 'CWE-78', confidence: 'HIGH' });
    expect(r.result.tool).toBeUndefined();
    expect(r.records[0].policy).toMatchObject({ mode: 'report' });
  });

  it('reads 1.6 results without the newer fields (column 1)', () => {
    const doc = r18();
    for (const x of doc.results) {
      delete x.issue_cwe;
      delete x.col_offset;
      delete x.end_col_offset;
    }
    const rep = parseBanditReport(JSON.stringify(doc), 'r');
    const ev = evaluate({ cwd: '/ws', reports: [rep], suppressions: [], scanErrorEntries: [], budget: { maxHigh: 0, maxMedium: null, maxLow: null, minConfidence: 'low' } });
    expect(ev.findings.every((f) => f.column === 1 && f.endColumn === undefined)).toBe(true);
    expect(ev.counted).toMatchObject({ HIGH: 2, MEDIUM: 1, LOW: 1 });
  });

  it('several reports (globs) are merged; min-confidence medium drops the LOW-confidence B608', async () => {
    const other = r18();
    other.results = [other.results[3]];
    other.results[0].filename = 'lib/digest.py';
    // its metrics count what it lists (a HIGH/HIGH finding); a report whose metrics count more is filtered
    for (const k of Object.keys(other.metrics._totals)) if (/^(SEVERITY|CONFIDENCE)\./.test(k)) other.metrics._totals[k] = /HIGH$/.test(k) ? 1 : 0;
    const r = await runGate(wsWithReports({ 'reports/part2.bandit.json': other }), { report: 'reports/bandit-1.8.json\nreports/*.bandit.json', 'min-confidence': 'medium', 'max-high': '3' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs).toMatchObject({ high: '3', medium: '0' });
    expect(r.records[0].details).toMatchObject({ reports: 2, below_confidence: 1, lines_scanned: 84 });
  });

  it.each([
    ['truncated.json', /not valid JSON/],
    ['not-bandit.json', /this is a SARIF log .*not a Bandit JSON report/],
    ['bad-severity.json', /results\[0\]\.issue_severity: expected one of UNDEFINED, LOW, MEDIUM, HIGH, got "CRITICAL"/],
    ['missing.json', /cannot read: no such file or directory \(ENOENT\)/],
  ])('a report %s is an error (report-invalid)', async (file, msg) => {
    const r = await runGate(wsWithReports(), { report: `reports/${file}` });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['report-invalid']);
    expect(r.result.messages!.join('\n')).toMatch(msg);
    expect(r.records).toHaveLength(1);
  });

  it('errors[] in a report is an error; a report that scanned 0 lines is an error', async () => {
    const e = await runGate(wsWithReports(), { report: 'reports/with-errors.json' });
    expect(e.result.outcome).toBe('error');
    expect(e.result.findings[0]).toMatchObject({ rule: 'scan-error', file: 'app/legacy.py' });
    const z = await runGate(wsWithReports(), { report: 'reports/empty-scan.json' });
    expect(z.result.outcome).toBe('error');
    expect(z.result.reasons).toEqual(['nothing-scanned']);
  });

  it('several reports: one that scanned 0 lines is an error even when another scanned code', async () => {
    const both = await runGate(wsWithReports(), { report: 'reports/bandit-1.8.json\nreports/empty-scan.json' });
    expect(both.result.outcome).toBe('error');
    expect(both.result.reasons).toContain('nothing-scanned');
    expect(both.result.messages!.join('\n')).toContain('empty-scan.json');
    // true negative: the non-empty report alone is judged on its findings
    const one = await runGate(wsWithReports(), { report: 'reports/bandit-1.8.json' });
    expect(one.result.reasons).not.toContain('nothing-scanned');
  });

  it.each([
    ['a result without test_id', (d: any) => delete d.results[0].test_id, /results\[0\]\.test_id: expected a string/],
    ['a string line number', (d: any) => (d.results[0].line_number = '6'), /line_number: expected a non-negative integer/],
    ['a fractional col_offset', (d: any) => (d.results[0].col_offset = 1.5), /col_offset: expected an integer/],
    ['a loc that is not a number', (d: any) => (d.metrics._totals.loc = '42'), /metrics\._totals\.loc/],
    ['errors not an array', (d: any) => (d.errors = {}), /"errors" is missing/],
    ['an issue_cwe that is a string', (d: any) => (d.results[0].issue_cwe = 'CWE-78'), /issue_cwe: expected an object/],
  ])('rejects %s', (_n, mutate, msg) => {
    const d = r18();
    mutate(d);
    expect(() => parseBanditReport(JSON.stringify(d), 'r')).toThrow(ReportError);
    expect(() => parseBanditReport(JSON.stringify(d), 'r')).toThrow(msg);
  });
});

describe('count-aware baseline', () => {
  const budget = { maxHigh: 0, maxMedium: null, maxLow: null, minConfidence: 'low' as const };
  const one = () => {
    const d = r18();
    d.results = [d.results[0]];
    return d;
  };

  it('one baselined copy + two new identical copies → two new (Bandit\'s own baseline would hide all three)', () => {
    const base = parseBanditReport(JSON.stringify(one()), 'baseline');
    const cur = one();
    const copy = (line: number) => ({ ...cur.results[0], line_number: line, line_range: [line], code: `${line}     return subprocess.call(cmd, shell=True)\n` });
    cur.results.push(copy(20), copy(30));
    const ev = evaluate({ cwd: '/ws', reports: [parseBanditReport(JSON.stringify(cur), 'r')], baseline: base, suppressions: [], scanErrorEntries: [], budget });
    expect(ev.baselined).toBe(1);
    expect(ev.counted.HIGH).toBe(2);
    expect(ev.over).toEqual([{ severity: 'HIGH', count: 2, max: 0 }]);
    expect(ev.findings.filter((f) => !f.suppressed).map((f) => f.line)).toEqual([20, 30]);
  });

  it('line numbers are ignored: the same finding moved down is still baselined; a changed text is new', () => {
    const base = parseBanditReport(JSON.stringify(one()), 'baseline');
    const moved = one();
    moved.results[0].line_number = 60;
    moved.results[0].code = '60     return subprocess.call(cmd, shell=True)\n';
    let ev = evaluate({ cwd: '/ws', reports: [parseBanditReport(JSON.stringify(moved), 'r')], baseline: base, suppressions: [], scanErrorEntries: [], budget });
    expect(ev).toMatchObject({ baselined: 1, counted: { HIGH: 0 } });
    const other = one();
    other.results[0].filename = 'app/other.py';
    ev = evaluate({ cwd: '/ws', reports: [parseBanditReport(JSON.stringify(other), 'r')], baseline: base, suppressions: [], scanErrorEntries: [], budget });
    expect(ev).toMatchObject({ baselined: 0, counted: { HIGH: 1 } });
  });

  it('prefers the copy on the same source line text when several identical findings exist', () => {
    const base = one();
    base.results[0].code = '6     return subprocess.call(user_cmd, shell=True)\n';
    const cur = one();
    cur.results.push({ ...cur.results[0], line_number: 3, line_range: [3], code: '3     subprocess.call(cmd, shell=True)\n' });
    cur.results[0].code = '6     return subprocess.call(user_cmd, shell=True)\n';
    const ev = evaluate({ cwd: '/ws', reports: [parseBanditReport(JSON.stringify(cur), 'r')], baseline: parseBanditReport(JSON.stringify(base), 'b'), suppressions: [], scanErrorEntries: [], budget });
    expect(ev.findings.find((f) => f.line === 6)?.suppressed).toBeDefined();
    expect(ev.findings.find((f) => f.line === 3)?.suppressed).toBeUndefined();
  });

  it('through the gate: baseline input, summary table, invalid baseline is an error', async () => {
    const ws = wsWithReports({ 'base.json': one() });
    const r = await runGate(ws, { report: 'reports/bandit-1.8.json', baseline: 'base.json' });
    expect(r.result.outputs).toMatchObject({ high: '1', baselined: '1' });
    expect(r.result.summary!.join('\n')).toContain('| HIGH | 1 / 1 / 0 |');
    expect(r.result.summary!.join('\n')).toContain('Baseline: `base.json` (1 entries, 1 finding(s) absorbed)');
    const bad = await runGate(ws, { report: 'reports/bandit-1.8.json', baseline: 'reports/truncated.json' });
    expect(bad.result.outcome).toBe('error');
    expect(bad.result.reasons).toEqual(['baseline-invalid']);
  });
});

describe('config suppressions', () => {
  const cfg = (entries: string) => `version: 1\nbandit-gate:\n  suppressions:\n${entries}`;
  const byFile = (expires: string) => `    - file: app/digest.py\n      test_id: B324\n      justification: md5 names cache files, not a security use\n      expires: "${expires}"\n`;

  it('a (file, test_id) entry suppresses the finding until it expires; then it counts again with a warning naming the entry', async () => {
    const live = await runGate(wsWithReports({}, { '.github/chaingate.yml': cfg(byFile('2026-12-15')) }), { report: 'reports/bandit-1.8.json', 'max-high': '1' }, { now: NOW });
    expect(live.result.outcome).toBe('pass');
    expect(live.result.outputs).toMatchObject({ high: '1', suppressed: '1' });
    expect(live.result.reasons).toEqual(expect.arrayContaining(['ok', 'findings-suppressed']));
    expect(live.result.findings.find((f) => f.rule === 'B324')?.suppressed).toMatchObject({ kind: 'external', expires: '2026-12-15' });

    const later = () => new Date('2026-12-16T00:00:00Z');
    const exp = await runGate(wsWithReports({}, { '.github/chaingate.yml': cfg(byFile('2026-12-15')) }), { report: 'reports/bandit-1.8.json', 'max-high': '1' }, { now: later });
    expect(exp.result.outcome).toBe('fail');
    expect(exp.result.reasons).toEqual(expect.arrayContaining(['budget-exceeded', 'suppression-expired']));
    expect(exp.warnings).toEqual([expect.stringMatching(/^suppression bandit-gate\.suppressions\[0\] at \.github\/chaingate\.yml:4 expired on 2026-12-15/)]);
    expect(exp.result.findings.find((f) => f.rule === 'B324')?.suppressed).toBeUndefined();
  });

  it('the expiry day itself still counts as valid (YYYY-MM-DD means the end of that day, UTC)', async () => {
    const r = await runGate(wsWithReports({}, { '.github/chaingate.yml': cfg(byFile('2026-11-20')) }), { report: 'reports/bandit-1.8.json', 'max-high': '1' }, { now: NOW });
    expect(r.result.outcome).toBe('pass');
  });

  it('lists suppressions that matched nothing', async () => {
    const entry = `    - file: app/gone.py\n      test_id: B101\n      justification: was a test helper\n      expires: "2026-12-01"\n`;
    const r = await runGate(wsWithReports({}, { '.github/chaingate.yml': cfg(entry) }), { report: 'reports/bandit-1.8.json', 'max-high': '9' }, { now: NOW });
    expect(r.result.summary!.join('\n')).toContain('Suppressions that matched nothing (remove them): bandit-gate.suppressions[0] (.github/chaingate.yml:4)');
  });

  it.each([
    ['no justification', `    - file: a.py\n      test_id: B101\n      expires: "2026-12-01"\n`, /\.github\/chaingate\.yml:4:\d+: bandit-gate\.suppressions\.0\.justification: missing required key "justification"/],
    ['no expires', `    - fingerprint: ${'a'.repeat(32)}\n      justification: reviewed by security\n`, /\.github\/chaingate\.yml:4:\d+: bandit-gate\.suppressions\.0\.expires: missing required key "expires"/],
    ['a bad date', `    - file: a.py\n      test_id: B101\n      justification: reviewed\n      expires: next week\n`, /\.github\/chaingate\.yml:7:7: bandit-gate\.suppressions\[0\]\.expires: "next week" is not a date/],
    ['a date beyond the 90-day horizon', `    - file: a.py\n      test_id: B101\n      justification: reviewed\n      expires: "2027-06-01"\n`, /\.github\/chaingate\.yml:7:\d+: .*2027-06-01 is more than 90 days away/],
    ['both fingerprint and file', `    - fingerprint: ${'a'.repeat(32)}\n      file: a.py\n      test_id: B101\n      justification: reviewed\n      expires: "2026-12-01"\n`, /chaingate\.yml:4:\d+: bandit-gate\.suppressions\[0\]: give either "fingerprint" or "file" \+ "test_id", not both/],
    ['nothing to match', `    - justification: reviewed\n      expires: "2026-12-01"\n`, /chaingate\.yml:4:\d+: bandit-gate\.suppressions\[0\]: says nothing to match/],
    ['file without test_id', `    - file: a.py\n      justification: reviewed\n      expires: "2026-12-01"\n`, /"test_id" \(e\.g\. B602\) is required with "file"/],
    ['a malformed test id', `    - file: a.py\n      test_id: shell\n      justification: reviewed\n      expires: "2026-12-01"\n`, /chaingate\.yml:5:\d+: bandit-gate\.suppressions\[0\]\.test_id: "shell" is not a Bandit test id/],
    ['a malformed fingerprint', `    - fingerprint: abc\n      justification: reviewed\n      expires: "2026-12-01"\n`, /chaingate\.yml:4:\d+: .*fingerprint: "abc" is not a bandit-gate fingerprint/],
    ['an empty justification', `    - file: a.py\n      test_id: B101\n      justification: ""\n      expires: "2026-12-01"\n`, /chaingate\.yml:6:\d+: bandit-gate\.suppressions\[0\]\.justification: say why/],
    ['an unknown key', `    - file: a.py\n      test_id: B101\n      reason: reviewed\n      justification: reviewed\n      expires: "2026-12-01"\n`, /chaingate\.yml:6:\d+: bandit-gate\.suppressions\.0\.reason: unknown key "reason"/],
  ])('a suppression with %s is a config error with file:line', async (_n, entry, msg) => {
    const r = await runGate(wsWithReports({}, { '.github/chaingate.yml': cfg(entry) }), { report: 'reports/bandit-1.8.json' }, { now: NOW });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['config-error']);
    expect(r.result.messages!.join('\n')).toMatch(msg);
    expect(r.records).toHaveLength(1);
  });

  it('the longest horizon is configurable', async () => {
    const entry = `    - file: app/digest.py\n      test_id: B324\n      justification: reviewed\n      expires: "2027-06-01"\n`;
    const text = `bandit-gate:\n  max-suppression-days: 365\n  suppressions:\n${entry}`;
    const r = await runGate(wsWithReports({}, { '.github/chaingate.yml': text }), { report: 'reports/bandit-1.8.json', 'max-high': '1' }, { now: NOW });
    expect(r.result.outcome).toBe('pass');
    expect(r.records[0].policy).toMatchObject({ 'max-suppression-days': 365, suppressions: 1 });
  });

  it('bad budget inputs are input errors', async () => {
    for (const raw of <Array<Record<string, string>>>[{ 'max-high': '-1' }, { 'max-high': 'none' }, { 'max-medium': '1.5' }, { 'min-confidence': 'certain' }, { timeout: 'soon' }]) {
      const r = await runGate(wsWithReports(), { report: 'reports/bandit-1.8.json', ...raw });
      expect(r.result.reasons, JSON.stringify(raw)).toEqual(['invalid-input']);
    }
  });
});
