import { describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, HOUR, NOW, iso, recordLine, runGate, workspace } from './helpers.js';

const RUN_ENV = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/widget', GITHUB_RUN_ID: '777', GITHUB_ACTIONS: 'true' };

describe('dr-freshness with record files', () => {
  it('passes on a fresh drill record; outputs the time, age, source and the run link; one valid record', async () => {
    const cwd = workspace({ 'drills/2026.ndjson': `${recordLine('dr-drill', 'pass', NOW - 2 * DAY, { env: RUN_ENV })}\n` });
    const r = await runGate({ records: 'drills/*.ndjson', 'max-age': '7d' }, { cwd });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.reasons).toEqual(['ok']);
    expect(r.result.outputs).toMatchObject({
      'last-drill-at': iso(NOW - 2 * DAY),
      'age-hours': '48.0',
      'evidence-source': 'records',
      'evidence-url': 'https://github.com/acme/widget/actions/runs/777',
      'latest-drill-outcome': 'pass',
    });
    expect(r.result.summary?.join('\n')).toContain('from **drill records**');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'dr-freshness', outcome: 'pass', details: { evidence_source: 'records', age_hours: 48, last_drill_at: iso(NOW - 2 * DAY) } });
  });

  it('names file:line as the evidence when the record has no run link', async () => {
    const cwd = workspace({ 'd.ndjson': `\n${recordLine('dr-drill', 'pass', NOW - HOUR)}\n` });
    const r = await runGate({ records: 'd.ndjson' }, { cwd });
    expect(r.result.outputs?.['evidence-url']).toBe('d.ndjson:2');
  });

  it('reads only the drill gate: a fresh record of another gate does not count (mixed gates)', async () => {
    const cwd = workspace({
      'drills/a.ndjson': [recordLine('pin-lint', 'pass', NOW - HOUR), recordLine('dr-drill', 'pass', NOW - 10 * DAY), recordLine('chaos-trial', 'pass', NOW - HOUR)].join('\n'),
    });
    const r = await runGate({ records: 'drills/*.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['stale']);
    expect(r.result.outputs?.['age-hours']).toBe('240.0');
    expect(r.result.metrics).toMatchObject({ drill_records: 1, other_records: 2 });
    // the record-gate input selects another id
    const r2 = await runGate({ records: 'drills/*.ndjson', 'record-gate': 'chaos-trial' }, { cwd });
    expect(r2.result.outcome).toBe('pass');
  });

  it('takes the newest pass across several files', async () => {
    const cwd = workspace({
      'drills/a.ndjson': recordLine('dr-drill', 'pass', NOW - 9 * DAY),
      'drills/b.ndjson': recordLine('dr-drill', 'pass', NOW - 3 * DAY),
    });
    const r = await runGate({ records: 'drills/a.ndjson\ndrills/b.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs?.['evidence-url']).toBe('drills/b.ndjson:1');
  });

  it('errors on an invalid JSON line, naming file:line:column', async () => {
    const cwd = workspace({ 'drills/a.ndjson': `${recordLine('dr-drill', 'pass', NOW - HOUR)}\n{"schema": oops}\n` });
    const r = await runGate({ records: 'drills/*.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-record']);
    expect(r.result.messages?.[0]).toMatch(/^drills\/a\.ndjson:2:12: invalid JSON/);
    expect(r.result.annotations?.[0]).toMatchObject({ level: 'error', file: 'drills/a.ndjson', line: 2, column: 12 });
    expect(r.records).toHaveLength(1);
    expect(r.records[0].outcome).toBe('error');
  });

  it('errors on a JSON line that is not a valid pipeline_run record (schema), even of another gate', async () => {
    const bad = JSON.parse(recordLine('other-gate', 'pass', NOW - HOUR));
    delete bad.findings;
    const cwd = workspace({ 'r.ndjson': `${recordLine('dr-drill', 'pass', NOW - HOUR)}\n${JSON.stringify(bad)}\n{"hello":"world"}\n` });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('error');
    expect(r.result.messages).toEqual([
      expect.stringMatching(/^r\.ndjson:2:1: record does not match chaingate\.pipeline_run\/v1: \/findings missing required key "findings"/),
      'r.ndjson:3:1: not a chaingate.pipeline_run/v1 record',
    ]);
  });

  it('errors on an unparseable timestamp (bad-timestamp), pointing at the key', async () => {
    const rec = JSON.parse(recordLine('dr-drill', 'pass', NOW - HOUR));
    rec.finished_at = '2026-02-30T10:00:00Z';
    const line = JSON.stringify(rec);
    const cwd = workspace({ 'r.ndjson': `${line}\n` });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bad-timestamp']);
    expect(r.result.annotations?.[0]).toMatchObject({ line: 1, column: line.indexOf('"finished_at"') + 1 });
  });

  it('errors on a drill timestamp in the future beyond the skew, accepts one within it', async () => {
    const cwd = workspace({ 'f.ndjson': recordLine('dr-drill', 'pass', NOW + 10 * 60_000), 'ok.ndjson': recordLine('dr-drill', 'pass', NOW + 2 * 60_000) });
    const r = await runGate({ records: 'f.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['future-timestamp']);
    expect(r.result.messages?.[0]).toContain('in the future');
    const ok = await runGate({ records: 'ok.ndjson' }, { cwd });
    expect(ok.result.outcome).toBe('pass');
    expect(ok.result.outputs?.['age-hours']).toBe('0.0');
    const wider = await runGate({ records: 'f.ndjson', 'clock-skew': '15m' }, { cwd });
    expect(wider.result.outcome).toBe('pass');
  });

  it('fails with no-evidence when the glob matches nothing, and never reports a time', async () => {
    const r = await runGate({ records: 'drills/*.ndjson' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['no-evidence']);
    expect(r.result.outputs?.['last-drill-at']).toBe('');
    expect(r.result.outputs?.['age-hours']).toBe('');
    expect(r.result.messages?.join('\n')).toContain('no file matched `drills/*.ndjson`');
    expect(r.records[0].details).toMatchObject({ last_drill_at: null, age_hours: null });
  });

  it('fails with no-evidence when only failed drills exist, and says the latest failed', async () => {
    const cwd = workspace({ 'r.ndjson': [recordLine('dr-drill', 'fail', NOW - HOUR), recordLine('dr-drill', 'error', NOW - 2 * HOUR)].join('\n') });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['no-evidence', 'latest-drill-failed']);
    expect(r.result.outputs?.['latest-drill-outcome']).toBe('fail');
  });

  it('errors when a file named literally is missing', async () => {
    const r = await runGate({ records: 'drills/latest.ndjson' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['unreadable-file']);
    expect(r.result.messages?.[0]).toBe('drills/latest.ndjson: cannot read record file: no such file');
  });

  it('errors on an unreadable file, a binary file and a non-UTF-8 file', async () => {
    const cwd = workspace({ 'bin.ndjson': 'a\u0000b', 'locked.ndjson': recordLine('dr-drill', 'pass', NOW) });
    writeFileSync(join(cwd, 'latin1.ndjson'), Buffer.from([0x7b, 0xe9, 0x7d, 0x0a]));
    for (const [f, reason] of [['bin.ndjson', 'invalid-record'], ['latin1.ndjson', 'invalid-record']] as const) {
      const r = await runGate({ records: f }, { cwd });
      expect(r.result.outcome, f).toBe('error');
      expect(r.result.reasons, f).toEqual([reason]);
    }
    if (process.getuid?.() !== 0) {
      chmodSync(join(cwd, 'locked.ndjson'), 0o000);
      const r = await runGate({ records: 'locked.ndjson' }, { cwd });
      expect(r.result.outcome).toBe('error');
      expect(r.result.reasons).toEqual(['unreadable-file']);
    }
  });

  it('ignores skipped drills and filters by subject', async () => {
    const cwd = workspace({
      'r.ndjson': [
        recordLine('dr-drill', 'skip', NOW - HOUR),
        recordLine('dr-drill', 'pass', NOW - 2 * DAY, { subject: 'orders-db' }),
        recordLine('dr-drill', 'pass', NOW - 10 * DAY, { subject: 'billing-db' }),
      ].join('\n'),
    });
    const all = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(all.result.outputs?.['age-hours']).toBe('48.0');
    expect(all.result.outputs?.['latest-drill-outcome']).toBe('pass');
    const billing = await runGate({ records: 'r.ndjson', subject: 'billing-db' }, { cwd });
    expect(billing.result.outcome).toBe('fail');
    expect(billing.result.reasons).toEqual(['stale']);
    const none = await runGate({ records: 'r.ndjson', subject: 'search-db' }, { cwd });
    expect(none.result.reasons).toEqual(['no-evidence']);
  });

  it('a failed drill after an older pass: the pass counts, summary/record/annotation say the latest failed', async () => {
    const cwd = workspace({ 'r.ndjson': [recordLine('dr-drill', 'pass', NOW - 3 * DAY), recordLine('dr-drill', 'fail', NOW - DAY)].join('\n') });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.reasons).toEqual(['ok', 'latest-drill-failed']);
    expect(r.result.outputs).toMatchObject({ 'age-hours': '72.0', 'latest-drill-outcome': 'fail' });
    expect(r.result.annotations).toEqual([expect.objectContaining({ level: 'warning', title: 'dr-freshness: latest drill failed' })]);
    expect(r.result.summary?.join('\n')).toContain('| latest drill | **failed**');
    expect(r.records[0]).toMatchObject({ outcome: 'pass', reasons: ['ok', 'latest-drill-failed'], details: { latest_drill_failed: true, latest_drill_outcome: 'fail' } });
    const strict = await runGate({ records: 'r.ndjson', 'latest-failed': 'fail' }, { cwd });
    expect(strict.result.outcome).toBe('fail');
    expect(strict.result.reasons).toEqual(['latest-drill-failed']);
  });

  it('warns between warn-age (default 80 %) and max-age', async () => {
    const cwd = workspace({ 'r.ndjson': recordLine('dr-drill', 'pass', NOW - 6 * DAY) });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.reasons).toEqual(['ok', 'aging']);
    expect(r.result.annotations?.[0]).toMatchObject({ level: 'warning', title: 'dr-freshness: aging' });
    const later = await runGate({ records: 'r.ndjson', 'warn-age': '6d12h'.replace('6d12h', '156h') }, { cwd });
    expect(later.result.reasons).toEqual(['ok']);
  });

  it('accepts 7d, 168h and P7D alike', async () => {
    const cwd = workspace({ 'r.ndjson': recordLine('dr-drill', 'pass', NOW - 7 * DAY - 1000) });
    for (const maxAge of ['7d', '168h', 'P7D', 'P1W']) {
      const r = await runGate({ records: 'r.ndjson', 'max-age': maxAge }, { cwd });
      expect(r.result.reasons, maxAge).toEqual(['stale']);
    }
    const r = await runGate({ records: 'r.ndjson', 'max-age': 'P8D' }, { cwd });
    expect(r.result.outcome).toBe('pass');
  });

  it.each([
    [{ 'max-age': 'a week' }, 'max-age: "a week" is not a duration'],
    [{ 'max-age': '1d', 'warn-age': '2d' }, 'warn-age: "2d" is longer than max-age "1d"'],
    [{ 'latest-failed': 'ignore' }, 'latest-failed: "ignore" is not one of warn, fail'],
    [{ 'record-gate': 'DR Drill' }, 'record-gate: "DR Drill" is not a gate id'],
    [{ workflow: 'dr drill' }, 'workflow: "dr drill" is neither a workflow file name'],
    [{ workflow: 'dr.yml', repository: 'not-a-repo' }, 'repository: "not-a-repo" is not owner/repo'],
    [{ 'max-requests': '0' }, 'max-requests: "0" is not a whole number'],
  ])('rejects bad input %j', async (extra, msg) => {
    const r = await runGate({ records: 'r.ndjson', ...extra });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(r.result.messages?.[0]).toContain(msg);
    expect(r.records).toHaveLength(1);
  });

  it('errors with invalid-input when no evidence source is given', async () => {
    const r = await runGate({});
    expect(r.result.outcome).toBe('error');
    expect(r.result.messages?.[0]).toContain('no evidence source');
  });

  it('reads its settings from .github/chaingate.yml; inputs override; bad values name file:line:col', async () => {
    const cwd = workspace({
      '.github/chaingate.yml': 'version: 1\ndr-freshness:\n  records: ["drills/*.ndjson"]\n  max-age: 2d\n  latest-failed: fail\n',
      'drills/a.ndjson': [recordLine('dr-drill', 'pass', NOW - 3 * DAY)].join('\n'),
    });
    const r = await runGate({}, { cwd });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['stale']);
    expect(r.records[0].policy).toMatchObject({ 'max-age': '2d', 'latest-failed': 'fail' });
    const over = await runGate({ 'max-age': '4d' }, { cwd });
    expect(over.result.outcome).toBe('pass');
    // the CLI/action pass the default (7d) when nothing is given: that must not override the file
    const dflt = await runGate({ 'max-age': '7d' }, { cwd });
    expect(dflt.result.outcome).toBe('fail');

    const bad = workspace({ '.github/chaingate.yml': 'dr-freshness:\n  records: ["x"]\n  max-age: soon\n' });
    const b = await runGate({}, { cwd: bad });
    expect(b.result.outcome).toBe('error');
    expect(b.result.reasons).toEqual(['config-error']);
    expect(b.result.messages?.[0]).toContain('.github/chaingate.yml:3:3: dr-freshness.max-age: "soon" is not a duration');
    const unknown = workspace({ '.github/chaingate.yml': 'dr-freshness:\n  max_age: 7d\n' });
    const u = await runGate({ records: 'x' }, { cwd: unknown });
    expect(u.result.reasons).toEqual(['config-error']);
    expect(u.result.messages?.[0]).toContain('.github/chaingate.yml:2:3: dr-freshness.max_age: unknown key "max_age"');
  });
});
