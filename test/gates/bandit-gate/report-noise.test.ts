// Leading "noise" lines are skipped only when they hold no report data: a run whose line starts with a
// whitespace character JSON does not allow (NBSP), or a compact report behind a log prefix, was dropped as noise
// with its findings and errors while the next appended run was checked alone.
import { describe, expect, it } from 'vitest';
import { parseBanditReports, ReportError } from '../../../src/gates/bandit-gate/report.js';

const HIGH = { filename: 'a.py', test_id: 'B602', test_name: 'subprocess_popen_with_shell_equals_true', issue_severity: 'HIGH', issue_confidence: 'HIGH', issue_text: 'shell=True', line_number: 3 };
const bad = JSON.stringify({ results: [HIGH], errors: [{ filename: 'b.py', reason: 'syntax error' }], metrics: { _totals: { loc: 10, nosec: 0 } } });
const clean = JSON.stringify({ results: [], errors: [], metrics: { _totals: { loc: 10, nosec: 0 } } });

describe('bandit report: leading lines that hold report data are not noise', () => {
  it.each([
    ['NBSP before the first run', `\u00a0${bad}\n${clean}\n`],
    ['a compact run behind a log prefix', `[bandit] ${bad}\n${clean}\n`],
    ['form feed before the first run', `\f${bad}\n${clean}\n`],
  ])('%s: refused, not parsed as the clean run alone', (_n, text) => {
    expect(() => parseBanditReports(text, 'r')).toThrow(ReportError);
  });

  it('true negative: progress and log lines before the report are still skipped', () => {
    const { reports, notes } = parseBanditReports(`[main]\tINFO\tprofile include tests: None\nRun started:2026-01-01\n${clean}\n`, 'r');
    expect(reports).toHaveLength(1);
    expect(notes.join(' ')).toMatch(/skipped 2 line/);
  });
});
