import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { appendRecord, buildRecord, readRecords, defaultRecordPath } from '../../src/core/record.js';
import { validateRecord } from '../../src/core/schema.js';
import { Redactor } from '../../src/core/redact.js';
import { CANARY } from '../helpers/canary.js';

const t0 = new Date('2026-11-01T10:00:00Z');
const t1 = new Date('2026-11-01T10:00:01.250Z');

describe('pipeline_run records', () => {
  it('builds a schema-valid record with counts, subject and bounded details', () => {
    const rec = buildRecord(
      'pin-lint',
      {
        outcome: 'fail',
        reasons: ['unpinned', 'unpinned'],
        findings: [
          { rule: 'r', severity: 'high', message: 'm', file: 'f', line: 1, column: 1, fingerprint: 'x' },
          { rule: 'r', severity: 'low', message: 'm', file: 'f', line: 2, column: 1, fingerprint: 'y', suppressed: { kind: 'inSource', justification: 'j' } },
        ],
        subject: { digest: 'AB'.repeat(32), name: 'img' },
        details: { note: 'x'.repeat(2000) },
      },
      t0,
      t1,
      { GITHUB_REPOSITORY: 'o/r', GITHUB_ACTIONS: 'true' },
      new Redactor(),
    );
    expect(validateRecord(rec)).toEqual([]);
    expect(rec).toMatchObject({ duration_ms: 1250, reasons: ['unpinned'], subject: { digest: `sha256:${'ab'.repeat(32)}` }, findings: { total: 1, high: 1, suppressed: 1 } });
    expect((rec.details!.note as string).length).toBe(500);
    expect(rec.run.local).toBe(false);
  });

  it('redacts secrets inside the record itself', () => {
    const r = new Redactor();
    r.add(CANARY.plain);
    const rec = buildRecord('x-gate', { outcome: 'error', reasons: ['internal-error'], findings: [], details: { msg: `token ${CANARY.plain} and ${CANARY.githubToken}` } }, t0, t1, {}, r);
    expect(JSON.stringify(rec)).not.toContain(CANARY.plain);
    expect(JSON.stringify(rec)).not.toContain(CANARY.githubToken);
  });

  it('rejects records the schema does not allow', () => {
    const rec: any = buildRecord('pin-lint', { outcome: 'pass', reasons: ['ok'], findings: [] }, t0, t1, {}, new Redactor());
    expect(validateRecord({ ...rec, outcome: 'maybe' }).length).toBeGreaterThan(0);
    expect(validateRecord({ ...rec, reasons: ['Not A Code'] }).length).toBeGreaterThan(0);
    expect(validateRecord({ ...rec, secret: 'x' }).length).toBeGreaterThan(0);
  });

  it('concurrent appends from parallel processes never interleave', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-rec-'));
    const file = join(dir, 'r.ndjson');
    const big = 'y'.repeat(400);
    const script = `
      import { appendFileSync, openSync, writeSync, closeSync } from 'node:fs';
      const line = Buffer.from(JSON.stringify({ schema: 'chaingate.pipeline_run/v1', who: process.argv[1], pad: '${big}'.repeat(20) }) + '\\n');
      for (let i = 0; i < 200; i++) { const fd = openSync(${JSON.stringify(file)}, 'a'); let o = 0; while (o < line.length) o += writeSync(fd, line, o); closeSync(fd); }
    `;
    // the child uses the same single-write O_APPEND technique as appendRecord
    writeFileSync(join(dir, 'w.mjs'), script);
    await Promise.all(
      [1, 2, 3, 4].map(
        (n) => new Promise<void>((res, rej) => spawn(process.execPath, [join(dir, 'w.mjs'), String(n)], { stdio: 'inherit' }).on('exit', (c) => (c === 0 ? res() : rej(new Error(`exit ${c}`))))),
      ),
    );
    appendRecord(file, buildRecord('pin-lint', { outcome: 'pass', reasons: ['ok'], findings: [] }, t0, t1, {}, new Redactor()));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(801);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('reads NDJSON and names each bad line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-rec-'));
    const file = join(dir, 'r.ndjson');
    const good = JSON.stringify(buildRecord('dr-drill', { outcome: 'pass', reasons: ['ok'], findings: [] }, t0, t1, {}, new Redactor()));
    writeFileSync(file, `${good}\n\n{oops\n{"schema":"other"}\n${good}\r\n`);
    const out = readRecords(file);
    expect(out.map((o) => [o.line, !!o.record, o.error?.slice(0, 12)])).toEqual([
      [1, true, undefined],
      [3, false, 'invalid JSON'],
      [4, false, 'not a chaing'],
      [5, true, undefined],
    ]);
  });

  it('chooses the record path: CHAINGATE_RECORDS, RUNNER_TEMP, then ./.chaingate', () => {
    expect(defaultRecordPath({ CHAINGATE_RECORDS: 'x/r.ndjson', RUNNER_TEMP: '/t' }, '/w')).toBe('/w/x/r.ndjson');
    expect(defaultRecordPath({ RUNNER_TEMP: '/t' }, '/w')).toBe('/t/chaingate/pipeline_run.ndjson');
    expect(defaultRecordPath({}, '/w')).toBe('/w/.chaingate/pipeline_run.ndjson');
  });
});
