import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { NODE, ROOT, readRecordsFile, runComposite, runnerFiles } from '../helpers/runner.js';
import { startFakeGitHubWorker } from '../helpers/fake-github.js';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(() => {
  for (const f of ['dr-freshness', 'record', 'cli']) if (!existsSync(join(ROOT, `dist/${f}.js`))) throw new Error(`dist/${f}.js missing: run npm run build`);
});

describe('dr-freshness and record as the runner runs them', () => {
  it('a drill job records its outcome with actions/record; the release job passes actions/dr-freshness on it', () => {
    const f = runnerFiles();
    const drill = runComposite('record', { gate: 'dr-drill', outcome: 'pass', subject: 'orders-db', details: 'rto_minutes=42\nrestored_rows=1200', 'record-file': 'drills/dr-drill.ndjson' }, f);
    expect(drill.exitCode).toBe(0);
    expect(drill.outputs['record-file']).toBe(join(f.workspace, 'drills/dr-drill.ndjson'));
    expect(drill.outputs['record-id']).toMatch(/^[0-9a-f]{32}$/);
    const drillRecs = readRecordsFile(join(f.workspace, 'drills/dr-drill.ndjson'));
    expect(drillRecs.problems).toEqual([]);
    expect(drillRecs.records[0]).toMatchObject({ gate: 'dr-drill', outcome: 'pass', subject: { name: 'orders-db' }, run: { repository: 'acme/widget', run_id: '4242' } });

    const r = runComposite('dr-freshness', { records: 'drills/*.ndjson', 'max-age': '7d' }, f);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: 'pass', reasons: 'ok', 'evidence-source': 'records', 'evidence-url': 'https://github.com/acme/widget/actions/runs/4242', 'latest-drill-outcome': 'pass' });
    expect(r.outputs['age-hours']).toBe('0.0');
    expect(Date.parse(r.outputs['last-drill-at'])).toBeGreaterThan(Date.now() - 60_000);
    expect(r.summary).toContain('chaingate dr-freshness: pass');
    expect(r.summary).toContain('from **drill records**');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'dr-freshness', outcome: 'pass', details: { evidence_source: 'records' } });
  });

  it('a failed drill after the pass: still passes, with a warning annotation; latest-failed: fail stops the release', () => {
    const f = runnerFiles();
    expect(runComposite('record', { gate: 'dr-drill', outcome: 'pass', 'record-file': 'drills/d.ndjson' }, f).exitCode).toBe(0);
    expect(runComposite('record', { gate: 'dr-drill', outcome: 'fail', 'record-file': 'drills/d.ndjson' }, f).exitCode).toBe(0);
    const r = runComposite('dr-freshness', { records: 'drills/d.ndjson' }, f);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.reasons).toBe('ok,latest-drill-failed');
    expect(r.outputs['latest-drill-outcome']).toBe('fail');
    expect(r.stdout).toContain('::warning title=dr-freshness%3A latest drill failed::');
    const strict = runComposite('dr-freshness', { records: 'drills/d.ndjson', 'latest-failed': 'fail' }, f);
    expect(strict.exitCode).toBe(1);
    expect(strict.outputs.outcome).toBe('fail');
    expect(strict.stdout).toContain('::error title=chaingate dr-freshness::dr-freshness fail: latest-drill-failed');
  });

  it('no drill evidence: the step fails (exit 1, no-evidence) and records it', () => {
    const f = runnerFiles();
    const r = runComposite('dr-freshness', { records: 'drills/*.ndjson' }, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ outcome: 'fail', reasons: 'no-evidence', 'last-drill-at': '', 'age-hours': '' });
    expect(r.stdout).toContain('::error title=dr-freshness%3A no-evidence::');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
  });

  it('an invalid record line: error (exit 2) with an annotation at file:line:col', () => {
    const f = runnerFiles();
    mkdirSync(join(f.workspace, 'drills'));
    writeFileSync(join(f.workspace, 'drills/d.ndjson'), '{"schema":"chaingate.pipeline_run/v1"}\n');
    const r = runComposite('dr-freshness', { records: 'drills/d.ndjson' }, f);
    expect(r.exitCode).toBe(2);
    expect(r.outputs.reasons).toBe('invalid-record');
    expect(r.stdout).toMatch(/::error title=dr-freshness%3A invalid-record,file=drills\/d\.ndjson,line=1,col=1::drills\/d\.ndjson:1:1: record does not match/);
  });

  it('the record action refuses a bad outcome with exit 2 and writes nothing', () => {
    const f = runnerFiles();
    const r = runComposite('record', { gate: 'dr-drill', outcome: 'success', 'record-file': 'drills/d.ndjson' }, f);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain('::error title=chaingate record::outcome: "success" is not one of pass, fail, error, skip');
    expect(existsSync(join(f.workspace, 'drills/d.ndjson'))).toBe(false);
  });

  it('the GitHub source through the composite action (API stand-in on 127.0.0.1, in a worker thread)', async () => {
    const gh = await startFakeGitHubWorker([
      {
        fullName: 'acme/widget',
        workflows: {
          'dr-drill.yml': {
            id: 1,
            runs: [
              { id: 31, head_branch: 'main', conclusion: 'failure', created_at: ago(DAY) },
              { id: 30, head_branch: 'main', conclusion: 'success', created_at: ago(2 * DAY) },
            ],
          },
        },
      },
    ]);
    try {
      const f = runnerFiles();
      const token = 'ghs_e2eTOKENe2eTOKENe2eTOKENe2eTOKEN1234';
      const r = runComposite('dr-freshness', { workflow: 'dr-drill.yml', token, 'api-url': gh.url }, f);
      expect(r.exitCode).toBe(0);
      expect(r.outputs).toMatchObject({ outcome: 'pass', reasons: 'ok,latest-drill-failed', 'evidence-source': 'github', 'evidence-url': 'https://github.com/acme/widget/actions/runs/30', 'age-hours': '48.0' });
      const reqs = await gh.requests();
      expect(reqs[0].path).toBe('/repos/acme/widget');
      expect(reqs.every((q) => q.authorization === `Bearer ${token}`)).toBe(true);
      // not even as an `::add-mask::` line: the raw log stream carries nothing of the token
      expect(r.stdout + r.stderr + r.summary + JSON.stringify(r.records) + JSON.stringify(r.outputs)).not.toContain(token);
    } finally {
      await gh.close();
    }
  });

  it('the CLI bin works as documented: chaingate dr-freshness --records drills/*.ndjson --max-age 7d', () => {
    const f = runnerFiles();
    const cli = join(ROOT, 'dist/cli.js');
    const env = { PATH: process.env.PATH ?? '', HOME: f.dir };
    const rec = spawnSync(NODE, [cli, 'record', '--gate', 'dr-drill', '--outcome', 'pass', '--record-file', 'drills/a.ndjson'], { cwd: f.workspace, env, encoding: 'utf8' });
    expect(rec.status).toBe(0);
    const r = spawnSync(NODE, [cli, 'dr-freshness', '--records', 'drills/*.ndjson', '--max-age', '7d'], { cwd: f.workspace, env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('dr-freshness: PASS (ok)');
    const stale = spawnSync(NODE, [cli, 'dr-freshness', '--records', 'drills/*.ndjson', '--max-age', '7d'], { cwd: f.workspace, env: { ...env }, encoding: 'utf8' });
    expect(stale.status).toBe(0);
  });
});
