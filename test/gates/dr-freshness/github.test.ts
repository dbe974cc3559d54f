import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, runSeries, type FakeGitHub, type FakeRepo, type FakeRun } from '../../helpers/fake-github.js';
import { DAY, HOUR, NOW, iso, recordLine, runGate, workspace } from './helpers.js';

const TOKEN = 'ghs_dRfReShNeSsTeStToKeN0123456789abcdef';
const t = (agoMs: number) => iso(NOW - agoMs).replace(/\.\d{3}Z$/, 'Z');

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function serve(runs: FakeRun[], extra: Partial<FakeRepo> = {}) {
  gh = await startFakeGitHub([{ fullName: 'acme/widget', defaultBranch: 'main', workflows: { 'dr-drill.yml': { id: 4711, runs } }, ...extra }]);
  return gh;
}

const inputs = (g: FakeGitHub, extra: Record<string, string> = {}) => ({ workflow: 'dr-drill.yml', repository: 'acme/widget', branch: 'main', token: TOKEN, 'api-url': g.url, ...extra });

describe('dr-freshness with the GitHub API (real HTTP server on 127.0.0.1)', () => {
  it('passes on a recent successful run: time from run_started_at, link to the run, token sent as Bearer', async () => {
    const g = await serve([
      { id: 12, head_branch: 'main', conclusion: 'success', created_at: t(2 * DAY), run_started_at: t(2 * DAY - 60_000) },
      { id: 11, head_branch: 'main', conclusion: 'success', created_at: t(9 * DAY) },
    ]);
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs).toMatchObject({
      'evidence-source': 'github',
      'evidence-url': 'https://github.com/acme/widget/actions/runs/12',
      'last-drill-at': iso(NOW - 2 * DAY + 60_000),
      'latest-drill-outcome': 'pass',
    });
    expect(r.result.summary?.join('\n')).toContain('from **GitHub Actions**');
    expect(g.requests[0].path).toBe('/repos/acme/widget/actions/workflows/dr-drill.yml/runs');
    expect(Object.fromEntries(g.requests[0].query)).toMatchObject({ branch: 'main', status: 'success', per_page: '100' });
    expect(g.requests[0].authorization).toBe(`Bearer ${TOKEN}`);
    // then the run's jobs (did the drill job run?), then failures since the pass, with the created filter
    expect(g.requests[1].path).toBe('/repos/acme/widget/actions/runs/12/jobs');
    expect(g.requests[2].query.get('status')).toBe('completed');
    expect(g.requests[2].query.get('created')).toBe(`>=${t(2 * DAY)}`);
    expect(JSON.stringify(r.records)).not.toContain(TOKEN);
    expect(r.recordProblems).toEqual([]);
  });

  it('accepts a numeric workflow id', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    const r = await runGate(inputs(g, { workflow: '4711' }));
    expect(r.result.outcome).toBe('pass');
    expect(g.requests[0].path).toBe('/repos/acme/widget/actions/workflows/4711/runs');
  });

  it('uses the repository default branch when none is given; runs on other branches do not count', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }], { defaultBranch: 'trunk' });
    const r = await runGate(inputs(g, { branch: '' }));
    expect(g.requests[0].path).toBe('/repos/acme/widget');
    expect(g.requests[1].query.get('branch')).toBe('trunk');
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['no-evidence']);
    expect(r.records[0].policy.branch).toBe('trunk');
  });

  it('empty results: fail no-evidence, never "now" and never the current commit', async () => {
    const g = await serve([]);
    const r = await runGate(inputs(g), { env: { GITHUB_SHA: 'c'.repeat(40) } });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['no-evidence']);
    expect(r.result.outputs?.['last-drill-at']).toBe('');
    expect(r.result.outputs?.['evidence-url']).toBe('');
    expect(JSON.stringify(r.result)).not.toContain(iso(NOW));
  });

  it('stale: reports the real age of the last success', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(10 * DAY) }]);
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['stale']);
    expect(r.result.outputs?.['age-hours']).toBe('240.0');
  });

  it('paginates (Link rel=next) past fork runs to our own success, and past cancelled runs to the newest failure', async () => {
    const forks = runSeries(150, NOW - HOUR, 60_000, 'success', { firstId: 9000 }).map((r) => ({ ...r, head_repository: { full_name: 'mallory/widget' } }));
    const ours: FakeRun = { id: 100, head_branch: 'main', conclusion: 'success', created_at: t(4 * DAY) };
    const cancelled = runSeries(130, NOW - 2 * HOUR, 60_000, 'cancelled', { firstId: 8000 });
    const failure: FakeRun = { id: 200, head_branch: 'main', conclusion: 'failure', created_at: t(3 * DAY) };
    const g = await serve([...forks, ours, ...cancelled, failure]);
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.reasons).toEqual(['ok', 'latest-drill-failed']);
    expect(r.result.outputs).toMatchObject({ 'evidence-url': 'https://github.com/acme/widget/actions/runs/100', 'latest-drill-outcome': 'fail', 'age-hours': '96.0' });
    // step 1 (status=success): 150 fork runs then ours → 2 pages, + ours' jobs; step 2 (status=completed since
    // ours): 150 fork + 130 cancelled + the failure → 3 pages
    expect(g.requests.filter((q) => q.query.get('page') === '2')).toHaveLength(2);
    expect(g.requests.filter((q) => q.query.get('page') === '3')).toHaveLength(1);
    expect(r.result.metrics).toMatchObject({ api_requests: 6 });
    expect(r.result.summary?.join('\n')).toContain('150 from forks ignored');
  });

  it('walks past the 1,000-result cap by narrowing the created range', async () => {
    const forks = runSeries(1200, NOW - HOUR, 60_000, 'success', { firstId: 50_000 }).map((r) => ({ ...r, head_repository: { full_name: 'mallory/widget' } }));
    const ours: FakeRun = { id: 7, head_branch: 'main', conclusion: 'success', created_at: t(2 * DAY) };
    const g = await serve([...forks, ours]);
    const r = await runGate(inputs(g, { 'max-requests': '40' }));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs?.['evidence-url']).toBe('https://github.com/acme/widget/actions/runs/7');
    const narrowed = g.requests.find((q) => q.query.get('status') === 'success' && (q.query.get('created') ?? '').startsWith('<='));
    expect(narrowed).toBeDefined();
    expect(g.requests.some((q) => q.query.get('page') === '11')).toBe(false);
  });

  it('errors (search-incomplete) when the request budget runs out before an answer', async () => {
    const forks = runSeries(600, NOW - HOUR, 60_000, 'success').map((r) => ({ ...r, head_repository: { full_name: 'mallory/widget' } }));
    const g = await serve(forks);
    const r = await runGate(inputs(g, { 'max-requests': '3' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['search-incomplete']);
    expect(g.requests).toHaveLength(3);
  });

  it('waits out a 429 with Retry-After (injected sleep) and then succeeds', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    g.faults.push({ status: 429, headers: { 'retry-after': '7' } });
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('pass');
    expect(r.sleeps).toEqual([7000]);
  });

  it('waits for x-ratelimit-reset on a 403 rate limit, measured on the injected clock', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    g.faults.push({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) } });
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('pass');
    expect(r.sleeps).toEqual([30_000]);
  });

  it('errors (rate-limited) when the server asks for a longer wait than we accept', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    g.faults.push({ status: 429, headers: { 'retry-after': '3600' } });
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['rate-limited']);
    expect(r.sleeps).toEqual([]);
  });

  it('retries a 500 and then succeeds', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    g.faults.push({ status: 500 }, { status: 502 });
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('pass');
    expect(r.sleeps).toHaveLength(2);
  });

  it('errors (api-error) when 5xx persists, never pass', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    for (let i = 0; i < 10; i++) g.faults.push({ status: 503 });
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['api-error']);
    expect(r.result.messages?.[0]).toContain('server error 503 after 4 attempt(s)');
  });

  it('404 on the workflow: error naming the workflow', async () => {
    const g = await serve([]);
    const r = await runGate(inputs(g, { workflow: 'dr-drll.yml' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['not-found']);
    expect(r.result.messages?.[0]).toContain('workflow "dr-drll.yml" in acme/widget not found');
  });

  it('404 on the repository (default-branch lookup): error naming the repository', async () => {
    const g = await serve([]);
    const r = await runGate(inputs(g, { repository: 'acme/nope', branch: '' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['not-found']);
    expect(r.result.messages?.[0]).toContain('repository acme/nope not found');
  });

  it('errors on a malformed response and on a 401', async () => {
    const g = await serve([]);
    g.faults.push({ status: 200, body: '{"workflow_runs": "nope"}' });
    const r = await runGate(inputs(g));
    expect(r.result.reasons).toEqual(['api-error']);
    g.faults.push({ status: 200, body: '<html>' });
    expect((await runGate(inputs(g))).result.reasons).toEqual(['api-error']);
    g.faults.push({ status: 401 });
    const auth = await runGate(inputs(g));
    expect(auth.result.outcome).toBe('error');
    expect(auth.result.messages?.[0]).toContain('401');
  });

  it('errors on an unparseable run time and on a run in the future beyond the skew', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), run_started_at: 'yesterday' }]);
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bad-timestamp']);
    await gh!.close();
    const g2 = await serve([{ id: 6, head_branch: 'main', conclusion: 'success', created_at: t(-HOUR) }]);
    const f = await runGate(inputs(g2));
    expect(f.result.outcome).toBe('error');
    expect(f.result.reasons).toEqual(['future-timestamp']);
    expect(f.result.messages?.[0]).toContain('run 6 started at');
  });

  it('latest-failed counts failure, timed_out and startup_failure, not cancelled or skipped', async () => {
    for (const [conclusion, failed] of [['failure', true], ['timed_out', true], ['startup_failure', true], ['cancelled', false], ['skipped', false]] as const) {
      const g = await serve([
        { id: 2, head_branch: 'main', conclusion, created_at: t(HOUR) },
        { id: 1, head_branch: 'main', conclusion: 'success', created_at: t(DAY) },
      ]);
      const r = await runGate(inputs(g, { 'latest-failed': 'fail' }));
      expect(r.result.outcome, conclusion).toBe(failed ? 'fail' : 'pass');
      await g.close();
      gh = undefined;
    }
  });

  it('both sources: the newest evidence wins and the summary says which source', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(3 * DAY) }]);
    const newerRecord = workspace({ 'drills/a.ndjson': recordLine('dr-drill', 'pass', NOW - DAY) });
    const a = await runGate({ ...inputs(g), records: 'drills/*.ndjson' }, { cwd: newerRecord });
    expect(a.result.outputs).toMatchObject({ 'evidence-source': 'records', 'age-hours': '24.0' });
    expect(a.result.summary?.join('\n')).toContain('from **drill records**');
    expect(a.result.summary?.join('\n')).toMatch(/searched \| records: 1 file\(s\).*GitHub: `dr-drill.yml` in acme\/widget on `main`/);
    const olderRecord = workspace({ 'drills/a.ndjson': recordLine('dr-drill', 'pass', NOW - 5 * DAY) });
    const b = await runGate({ ...inputs(g), records: 'drills/*.ndjson' }, { cwd: olderRecord });
    expect(b.result.outputs).toMatchObject({ 'evidence-source': 'github', 'age-hours': '72.0' });
    expect(b.records[0].details).toMatchObject({ evidence_source: 'github' });
  });

  it('both sources: an error in one source is an error even when the other is fresh (fail closed)', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    const cwd = workspace({ 'drills/a.ndjson': 'garbage\n' });
    const r = await runGate({ ...inputs(g), records: 'drills/*.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-record']);
  });

  it('takes the token from $GITHUB_TOKEN when no input is given, and never prints it', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    g.faults.push({ status: 404, body: JSON.stringify({ message: `bad ${TOKEN}` }) });
    const r = await runGate(inputs(g, { token: '' }), { env: { GITHUB_TOKEN: TOKEN } });
    expect(g.requests[0].authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(r.result) + JSON.stringify(r.records)).not.toContain(TOKEN);
  });
});
