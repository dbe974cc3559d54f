import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { validateRecord } from '../../src/core/schema.js';
import { buildExternalRecord } from '../../src/commands/record.js';
import { workspace } from '../gates/dr-freshness/helpers.js';

async function cli(argv: string[], env: Record<string, string> = {}, cwd = workspace()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, env, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n'), cwd };
}

const lines = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('chaingate record', () => {
  it('appends one schema-valid record with subject, reasons, details and the run context', async () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/widget', GITHUB_RUN_ID: '99', GITHUB_SERVER_URL: 'https://github.com', GITHUB_WORKFLOW: 'dr-drill' };
    const r = await cli(['record', '--gate', 'dr-drill', '--outcome', 'pass', '--subject', 'orders-db', '--detail', 'rto_minutes=42', '--detail', 'backup=2026-03-09', '--record-file', 'drills/d.ndjson', '--started-at', '2020-01-01T00:00:00Z'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^recorded dr-drill pass \(ok\) at .* → .*drills\/d\.ndjson/);
    const recs = lines(join(r.cwd, 'drills/d.ndjson'));
    expect(recs).toHaveLength(1);
    expect(validateRecord(recs[0])).toEqual([]);
    expect(recs[0]).toMatchObject({ gate: 'dr-drill', outcome: 'pass', reasons: ['ok'], subject: { name: 'orders-db' }, details: { rto_minutes: '42', backup: '2026-03-09' }, started_at: '2020-01-01T00:00:00.000Z', run: { repository: 'acme/widget', run_id: '99', local: false } });
    // appends, never truncates
    const again = await cli(['record', '--gate', 'dr-drill', '--outcome', 'fail', '--reason', 'restore-timeout', '--record-file', 'drills/d.ndjson', '--format', 'json'], env, r.cwd);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).record.reasons).toEqual(['restore-timeout']);
    expect(lines(join(r.cwd, 'drills/d.ndjson')).map((x) => x.outcome)).toEqual(['pass', 'fail']);
  });

  it('writes to $CHAINGATE_RECORDS by default', async () => {
    const r = await cli(['record', '--gate', 'chaos-trial', '--outcome', 'skip'], { CHAINGATE_RECORDS: 'out/r.ndjson' });
    expect(r.code).toBe(0);
    expect(lines(join(r.cwd, 'out/r.ndjson'))[0]).toMatchObject({ gate: 'chaos-trial', outcome: 'skip', reasons: ['skipped'] });
  });

  it.each([
    [['--outcome', 'pass'], '--gate is required'],
    [['--gate', 'dr-drill'], '--outcome is required'],
    [['--gate', 'DR_drill', '--outcome', 'pass'], 'gate: "DR_drill" is not a valid id'],
    [['--gate', 'dr-freshness', '--outcome', 'pass'], 'is a chaingate gate'],
    [['--gate', 'dr-drill', '--outcome', 'passed'], 'outcome: "passed" is not one of pass, fail, error, skip'],
    [['--gate', 'dr-drill', '--outcome', 'pass', '--reason', 'Bad Reason'], 'reason: "Bad Reason" is not a reason code'],
    [['--gate', 'dr-drill', '--outcome', 'pass', '--detail', 'novalue'], 'detail: "novalue" is not key=value'],
    [['--gate', 'dr-drill', '--outcome', 'pass', '--started-at', 'yesterday'], 'started-at: "yesterday" is not an RFC 3339 date-time'],
    [['--gate', 'dr-drill', '--outcome', 'pass', '--started-at', '2999-01-01T00:00:00Z'], 'is in the future'],
    [['--gate', 'dr-drill', '--outcome', 'pass', '--subject-digest', 'md5:abc'], 'subject-digest:'],
    [['--gate', 'dr-drill', '--outcome', 'pass', '--finished-at', '2020-01-01T00:00:00Z'], 'unknown option --finished-at'],
  ])('refuses %j (exit 2, nothing written)', async (args, msg) => {
    const r = await cli(['record', ...args, '--record-file', 'r.ndjson']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
    expect(existsSync(join(r.cwd, 'r.ndjson'))).toBe(false);
  });

  it('exits 2 when the record cannot be written', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'file'), 'x');
    const r = await cli(['record', '--gate', 'dr-drill', '--outcome', 'pass', '--record-file', 'file/r.ndjson'], {}, cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot write pipeline_run record');
  });

  it('redacts secrets from details and subject', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const rec = buildExternalRecord({ gate: 'dr-drill', outcome: 'pass', subject: `db ${token}`, details: [`note=used ${token}`, 'pw=hunter2-secret-value'] }, { cwd: '/', env: { DB_PASSWORD: 'hunter2-secret-value' } });
    expect(JSON.stringify(rec)).not.toContain(token);
    expect(JSON.stringify(rec)).not.toContain('hunter2-secret-value');
  });

  it('prints help', async () => {
    const r = await cli(['record', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: chaingate record --gate <id> --outcome');
    const top = await cli(['--help']);
    expect(top.out).toMatch(/record\s+append a schema-valid pipeline_run record/);
    expect(top.out).toMatch(/dr-freshness\s+the last successful disaster-recovery drill/);
  });

  it('round trip: a recorded drill is evidence for dr-freshness; a recorded failure after it is reported', async () => {
    const cwd = workspace();
    expect((await cli(['record', '--gate', 'dr-drill', '--outcome', 'pass', '--record-file', 'drills/d.ndjson'], {}, cwd)).code).toBe(0);
    const ok = await cli(['dr-freshness', '--records', 'drills/*.ndjson', '--max-age', '7d', '--record-file', 'gates.ndjson'], {}, cwd);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('dr-freshness: PASS (ok)');
    expect((await cli(['record', '--gate', 'dr-drill', '--outcome', 'fail', '--record-file', 'drills/d.ndjson'], {}, cwd)).code).toBe(0);
    const warn = await cli(['dr-freshness', 'drills/*.ndjson', '--record-file', 'gates.ndjson', '--format', 'github'], {}, cwd);
    expect(warn.code).toBe(0);
    expect(warn.out).toContain('::warning title=dr-freshness%3A latest drill failed::the latest DR drill FAILED');
    const strict = await cli(['dr-freshness', 'drills/*.ndjson', '--latest-failed', 'fail', '--record-file', 'gates.ndjson'], {}, cwd);
    expect(strict.code).toBe(1);
    expect(lines(join(cwd, 'gates.ndjson'))).toHaveLength(3);
  });
});
