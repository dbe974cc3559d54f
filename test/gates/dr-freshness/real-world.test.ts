// Real-world shapes of GitHub's answers and of real drill workflows: each case here was a way for a run that
// did not do a drill (or did it long ago) to pass the gate, or for a real answer to be misread.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, runSeries, type FakeGitHub, type FakeOptions, type FakeRepo, type FakeRun } from '../../helpers/fake-github.js';
import { DAY, HOUR, NOW, iso, recordLine, runGate, workspace } from './helpers.js';

const TOKEN = 'ghs_dRfReShNeSsReAlWoRlD0123456789abcdef';
const t = (agoMs: number) => iso(NOW - agoMs).replace(/\.\d{3}Z$/, 'Z');

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function serve(runs: FakeRun[], opts: FakeOptions = {}, extra: Partial<FakeRepo> = {}) {
  await gh?.close();
  gh = await startFakeGitHub([{ fullName: 'acme/widget', defaultBranch: 'main', workflows: { 'dr-drill.yml': { id: 4711, runs } }, ...extra }], opts);
  return gh;
}
const inputs = (g: FakeGitHub, extra: Record<string, string> = {}) => ({ workflow: 'dr-drill.yml', repository: 'acme/widget', branch: 'main', token: TOKEN, 'api-url': g.url, ...extra });
const jobsRequests = (g: FakeGitHub) => g.requests.filter((q) => /\/actions\/runs\/\d+\/jobs$/.test(q.path));

describe('a successful run is not always a drill (jobs of the run)', () => {
  it('a run whose every job was skipped (`if:` false) is not a drill, even though the run says success', async () => {
    const g = await serve([
      { id: 20, head_branch: 'main', event: 'push', conclusion: 'success', created_at: t(HOUR), jobs: [{ name: 'drill', conclusion: 'skipped', started_at: null, completed_at: null }] },
      { id: 10, head_branch: 'main', conclusion: 'success', created_at: t(9 * DAY) },
    ]);
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['stale']);
    expect(r.result.outputs?.['evidence-url']).toBe('https://github.com/acme/widget/actions/runs/10');
    expect(jobsRequests(g)[0].query.get('filter')).toBe('latest');
    expect(r.result.summary?.join('\n')).toContain('1 successful run(s) without a drill');
  });

  it('drill-job: a run where only the notify job ran (drill skipped by `if: github.event_name == schedule`) is not a drill', async () => {
    const g = await serve([
      {
        id: 21,
        head_branch: 'main',
        event: 'workflow_dispatch',
        conclusion: 'success',
        created_at: t(HOUR),
        jobs: [
          { name: 'setup', conclusion: 'success' },
          { name: 'drill', conclusion: 'skipped', started_at: null, completed_at: null },
          { name: 'notify', conclusion: 'success' },
        ],
      },
      { id: 11, head_branch: 'main', event: 'schedule', conclusion: 'success', created_at: t(3 * DAY), jobs: [{ name: 'setup', conclusion: 'success' }, { name: 'drill', conclusion: 'success' }, { name: 'notify', conclusion: 'success' }] },
    ]);
    // without drill-job the notify job makes run 21 look like a drill
    expect((await runGate(inputs(g))).result.outputs?.['evidence-url']).toBe('https://github.com/acme/widget/actions/runs/21');
    const r = await runGate(inputs(g, { 'drill-job': 'drill' }));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs).toMatchObject({ 'evidence-url': 'https://github.com/acme/widget/actions/runs/11', 'age-hours': '72.0' });
    expect(r.records[0].policy).toMatchObject({ 'drill-job': 'drill' });
    expect(r.result.messages?.join('\n')).toContain('run 21: job `drill` skipped');
  });

  it('drill-job matches matrix jobs `drill (a, b)` and reusable-workflow jobs `drill / restore`; every one must succeed', async () => {
    const matrix = (c2: string) => [
      { name: 'drill (orders, 16)', conclusion: 'success' },
      { name: 'drill (billing, 16)', conclusion: c2 },
      { name: 'drilling-notes', conclusion: 'success' },
    ];
    const g = await serve([
      { id: 31, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), jobs: matrix('failure') }, // continue-on-error: the run is green
      { id: 30, head_branch: 'main', conclusion: 'success', created_at: t(2 * DAY), jobs: matrix('success') },
    ]);
    const r = await runGate(inputs(g, { 'drill-job': 'drill' }));
    expect(r.result.outputs?.['evidence-url']).toBe('https://github.com/acme/widget/actions/runs/30');
    // the green run whose matrix instance failed is a failed drill after the pass
    expect(r.result.reasons).toEqual(['ok', 'latest-drill-failed']);
    expect(r.result.outputs?.['latest-drill-outcome']).toBe('fail');
    const g2 = await serve([{ id: 40, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), jobs: [{ name: 'drill / restore', conclusion: 'success' }, { name: 'drill / verify', conclusion: 'success' }] }]);
    expect((await runGate(inputs(g2, { 'drill-job': 'drill' }))).result.outcome).toBe('pass');
    // a job whose name only starts with the drill job's name is not it
    const g3 = await serve([{ id: 50, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), jobs: [{ name: 'drilling-notes', conclusion: 'success' }] }]);
    const r3 = await runGate(inputs(g3, { 'drill-job': 'drill' }));
    expect(r3.result.reasons).toEqual(['no-evidence']);
    expect(r3.result.messages?.join('\n')).toContain('run 50: no job `drill`');
  });

  it('drill-job: the jobs list is paginated (a big matrix) and a failed instance on page 2 is found', async () => {
    const jobs = [...Array.from({ length: 120 }, (_, i) => ({ name: `drill (shard-${i})`, conclusion: 'success' })), { name: 'drill (shard-last)', conclusion: 'cancelled' }];
    const g = await serve([{ id: 60, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), jobs }]);
    const r = await runGate(inputs(g, { 'drill-job': 'drill' }));
    expect(r.result.reasons).toEqual(['no-evidence']);
    expect(jobsRequests(g).map((q) => q.query.get('page'))).toEqual([null, '2']);
  });

  it('drill-job: a failed run whose drill job succeeded (notify failed) is not a failed drill; a failed drill job is', async () => {
    const g = await serve([
      { id: 72, head_branch: 'main', conclusion: 'failure', created_at: t(HOUR), jobs: [{ name: 'drill', conclusion: 'success' }, { name: 'notify', conclusion: 'failure' }] },
      { id: 71, head_branch: 'main', conclusion: 'failure', created_at: t(2 * HOUR), jobs: [{ name: 'drill', conclusion: 'failure' }, { name: 'notify', conclusion: 'skipped' }] },
      { id: 70, head_branch: 'main', conclusion: 'success', created_at: t(DAY) },
    ]);
    const r = await runGate(inputs(g, { 'drill-job': 'drill', 'latest-failed': 'fail' }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['latest-drill-failed']);
    expect(r.result.messages?.join('\n')).toContain('https://github.com/acme/widget/actions/runs/71');
  });

  it('the jobs endpoint failing is an error, never a pass', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    g.faults.push({ status: 200, body: '{"total_count":1}', match: /\/jobs/ });
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['api-error']);
  });

  it('drill-job from .github/chaingate.yml; drill-job without workflow is an input error', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), jobs: [{ name: 'notify', conclusion: 'success' }] }]);
    const cwd = workspace({ '.github/chaingate.yml': 'version: 1\ndr-freshness:\n  drill-job: [restore, verify]\n' });
    const r = await runGate(inputs(g), { cwd });
    expect(r.result.reasons).toEqual(['no-evidence']);
    expect(r.records[0].policy).toMatchObject({ 'drill-job': 'restore,verify' });
    expect(r.result.messages?.join('\n')).toContain('no job `restore`, `verify` in the run');
    const noWf = await runGate({ records: 'x.ndjson', 'drill-job': 'drill' });
    expect(noWf.result.reasons).toEqual(['invalid-input']);
  });

  it('a search that spends max-requests on green non-drill runs errors and says why', async () => {
    const g = await serve(runSeries(30, NOW - HOUR, HOUR, 'success', { firstId: 900 }).map((r) => ({ ...r, event: 'push', jobs: [{ name: 'drill', conclusion: 'skipped' }] })));
    const r = await runGate(inputs(g, { 'drill-job': 'drill', 'max-requests': '10' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['search-incomplete']);
    expect(r.result.messages?.[0]).toContain('successful run(s) without a drill read so far');
  });

  it('rejects a bad drill-job name', async () => {
    const g = await serve([]);
    const r = await runGate(inputs(g, { 'drill-job': 'a\nb\nc\n' + 'x'.repeat(300) }));
    expect(r.result.reasons).toEqual(['invalid-input']);
  });
});

describe('re-runs: a drill is dated by when its jobs actually ran', () => {
  it('"re-run failed jobs" of a 30-day-old run: the drill job is carried over with its old time, so it is stale', async () => {
    const g = await serve([
      {
        id: 80,
        head_branch: 'main',
        conclusion: 'success',
        created_at: t(30 * DAY),
        run_started_at: t(HOUR), // moves to the re-run
        run_attempt: 2,
        jobs: [
          { name: 'drill', conclusion: 'success', started_at: t(30 * DAY), completed_at: t(30 * DAY - HOUR), run_attempt: 1 },
          { name: 'notify', conclusion: 'success', started_at: t(HOUR), completed_at: t(HOUR - 60_000), run_attempt: 2 },
        ],
      },
    ]);
    for (const extra of [{}, { 'drill-job': 'drill' }] as Array<Record<string, string>>) {
      const r = await runGate(inputs(g, extra));
      expect(r.result.outcome).toBe('fail');
      expect(r.result.reasons).toEqual(['stale']);
      expect(r.result.outputs?.['last-drill-at']).toBe(iso(NOW - 30 * DAY));
    }
  });

  it('a full re-run (all jobs) re-executes the drill now: it counts from the re-run', async () => {
    const g = await serve([
      { id: 81, head_branch: 'main', conclusion: 'success', created_at: t(30 * DAY), run_started_at: t(HOUR), run_attempt: 2, jobs: [{ name: 'drill', conclusion: 'success', started_at: t(HOUR - 30_000), run_attempt: 2 }] },
    ]);
    const r = await runGate(inputs(g, { 'drill-job': 'drill' }));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs?.['last-drill-at']).toBe(iso(NOW - HOUR));
  });

  it('a drill job with an unparseable or missing started_at is an error', async () => {
    const g = await serve([{ id: 82, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), jobs: [{ name: 'drill', conclusion: 'success', started_at: 'soon' }] }]);
    const r = await runGate(inputs(g, { 'drill-job': 'drill' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bad-timestamp']);
  });
});

describe('runs that are not the branch’s drill', () => {
  it('a pull_request run (same repository, head branch called main) is not evidence', async () => {
    const g = await serve([
      { id: 90, head_branch: 'main', event: 'pull_request', conclusion: 'success', created_at: t(HOUR) },
      { id: 91, head_branch: 'main', event: 'pull_request_target', conclusion: 'success', created_at: t(2 * HOUR) },
      { id: 89, head_branch: 'main', event: 'schedule', conclusion: 'success', created_at: t(8 * DAY) },
    ]);
    const r = await runGate(inputs(g));
    expect(r.result.reasons).toEqual(['stale']);
    expect(r.result.summary?.join('\n')).toContain('2 pull-request run(s) ignored');
  });

  it('a run whose head repository is gone (`head_repository: null`, deleted fork) is not evidence', async () => {
    const g = await serve([
      { id: 92, head_branch: 'main', conclusion: 'success', created_at: t(HOUR), head_repository: null },
      { id: 88, head_branch: 'main', conclusion: 'success', created_at: t(8 * DAY) },
    ]);
    const r = await runGate(inputs(g));
    expect(r.result.reasons).toEqual(['stale']);
  });

  it('a server that ignores the branch/status filters: runs of other branches, in progress or not successful are not evidence', async () => {
    const g = await serve(
      [
        { id: 95, head_branch: 'feature/x', conclusion: 'success', created_at: t(HOUR) },
        { id: 94, head_branch: 'main', status: 'in_progress', conclusion: null, created_at: t(2 * HOUR) },
        { id: 93, head_branch: 'main', conclusion: 'action_required', created_at: t(3 * HOUR) },
        { id: 92, head_branch: 'main', conclusion: 'stale', created_at: t(4 * HOUR) },
        { id: 87, head_branch: 'main', conclusion: 'success', created_at: t(8 * DAY) },
      ],
      { ignoreFilters: true },
    );
    const r = await runGate(inputs(g));
    expect(r.result.reasons).toEqual(['stale']);
    expect(r.result.outputs?.['evidence-url']).toBe('https://github.com/acme/widget/actions/runs/87');
  });

  it('branch given as refs/heads/main is asked for as main', async () => {
    const g = await serve([{ id: 97, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    const r = await runGate(inputs(g, { branch: 'refs/heads/main' }));
    expect(r.result.outcome).toBe('pass');
    expect(g.requests[0].query.get('branch')).toBe('main');
  });

  it('an old run with `run_started_at: null` is dated by created_at', async () => {
    const g = await serve([{ id: 96, head_branch: 'main', conclusion: 'success', created_at: t(2 * DAY), run_started_at: null }]);
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs?.['last-drill-at']).toBe(iso(NOW - 2 * DAY));
  });
});

describe('real API answers', () => {
  it('a server that serves 30 per page (ignores per_page=100): a failure on page 3 is still found', async () => {
    const g = await serve(
      [...runSeries(70, NOW - HOUR, 60_000, 'cancelled', { firstId: 5000 }), { id: 3, head_branch: 'main', conclusion: 'failure', created_at: t(3 * HOUR) }, { id: 2, head_branch: 'main', conclusion: 'success', created_at: t(DAY) }],
      { maxPerPage: 30 },
    );
    const r = await runGate(inputs(g, { 'latest-failed': 'fail' }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['latest-drill-failed']);
  });

  it('Link headers with extra parameters before rel="next" are followed (a failure on page 2 is found)', async () => {
    const g = await serve(
      [...runSeries(150, NOW - HOUR, 60_000, 'cancelled', { firstId: 5000 }), { id: 3, head_branch: 'main', conclusion: 'failure', created_at: t(4 * HOUR) }, { id: 2, head_branch: 'main', conclusion: 'success', created_at: t(DAY) }],
      { linkExtraParams: true },
    );
    const r = await runGate(inputs(g, { 'latest-failed': 'fail' }));
    expect(r.result.reasons).toEqual(['latest-drill-failed']);
  });

  it('past the 1,000-result cap even when total_count is capped at 1,000 too', async () => {
    const cancelled = runSeries(1100, NOW - HOUR, 60_000, 'cancelled', { firstId: 50_000 });
    const g = await serve([...cancelled, { id: 3, head_branch: 'main', conclusion: 'failure', created_at: t(2 * DAY) }, { id: 2, head_branch: 'main', conclusion: 'success', created_at: t(3 * DAY) }], { capTotalCount: true });
    const r = await runGate(inputs(g, { 'latest-failed': 'fail', 'max-requests': '40' }));
    expect(r.result.reasons).toEqual(['latest-drill-failed']);
  });

  it('GitHub Enterprise Server: an api-url with a base path (/api/v3) keeps it on every request and page', async () => {
    const g = await serve([...runSeries(120, NOW - HOUR, 60_000, 'cancelled', { firstId: 5000 }), { id: 2, head_branch: 'main', conclusion: 'success', created_at: t(DAY) }], { prefix: '/api/v3' });
    const r = await runGate(inputs(g, { 'api-url': `${g.url}/api/v3/`, branch: '' }));
    expect(r.result.outcome).toBe('pass');
    expect(g.requests.every((q) => q.path.startsWith('/api/v3/repos/acme/widget'))).toBe(true);
    expect(g.requests.some((q) => q.query.get('page') === '2')).toBe(true);
    // from $GITHUB_API_URL as the runner sets it on GHES
    const e = await runGate(inputs(g, { 'api-url': '' }), { env: { GITHUB_API_URL: `${g.url}/api/v3` } });
    expect(e.result.outcome).toBe('pass');
  });

  it('a workflow given as the path `.github/workflows/dr-drill.yml` is asked for by file name', async () => {
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    for (const wf of ['.github/workflows/dr-drill.yml', './.github/workflows/dr-drill.yml']) {
      const r = await runGate(inputs(g, { workflow: wf }));
      expect(r.result.outcome, wf).toBe('pass');
    }
    expect(g.requests.filter((q) => q.path.includes('/workflows/')).every((q) => q.path === '/repos/acme/widget/actions/workflows/dr-drill.yml/runs')).toBe(true);
    const bad = await runGate(inputs(g, { workflow: 'ci/.github/workflows/dr-drill.yml' }));
    expect(bad.result.reasons).toEqual(['invalid-input']);
  });

  it('403 "Resource not accessible by integration" (no actions: read) is an error that says what to grant', async () => {
    const g = await serve([]);
    g.faults.push({ status: 403, body: JSON.stringify({ message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' }) });
    const r = await runGate(inputs(g));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['api-error']);
    expect(r.result.messages?.[0]).toContain('Resource not accessible by integration');
    expect(r.result.messages?.[0]).toContain('actions: read');
  });

  it('secondary rate limit: 403 with retry-after is waited out; without retry-after GitHub asks for a minute', async () => {
    const secondary = JSON.stringify({ message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' });
    const g = await serve([{ id: 5, head_branch: 'main', conclusion: 'success', created_at: t(HOUR) }]);
    g.faults.push({ status: 403, body: secondary, headers: { 'retry-after': '20' } });
    const a = await runGate(inputs(g));
    expect(a.result.outcome).toBe('pass');
    expect(a.sleeps).toEqual([20_000]);
    g.faults.push({ status: 403, body: secondary, headers: { 'x-ratelimit-remaining': '4000' } });
    const b = await runGate(inputs(g));
    expect(b.result.outcome).toBe('pass');
    expect(b.sleeps).toEqual([60_000]);
    for (let i = 0; i < 6; i++) g.faults.push({ status: 403, body: secondary });
    const c = await runGate(inputs(g));
    expect(c.result.outcome).toBe('error');
    expect(c.result.reasons).toEqual(['rate-limited']);
  });
});

describe('Link header parsing (RFC 8288)', () => {
  it.each([
    ['<https://a/x?page=2>; rel="next", <https://a/x?page=5>; rel="last"', 'https://a/x?page=2'],
    ['<https://a/x?page=2>; type="application/json"; rel="next", <https://a/x?page=5>; rel="last"', 'https://a/x?page=2'],
    ['<https://a/x?page=1>; rel="prev", <https://a/x?a=1,2&page=3>; rel=next', 'https://a/x?a=1,2&page=3'],
    ['<https://a/x?page=3>; rel="next last"', 'https://a/x?page=3'],
    ['<https://a/x?page=3>; title="a, b; c"; rel="next"', 'https://a/x?page=3'],
    ['<https://a/x?page=5>; rel="last", <https://a/x?page=1>; rel="first"', undefined],
    ['', undefined],
  ])('%s', async (header, next) => {
    const { nextLink } = await import('../../../src/core/github.js');
    expect(nextLink(header)).toBe(next);
  });
});

describe('drill records from real drills', () => {
  const env = (repository: string, runId = '77') => ({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId, GITHUB_ACTIONS: 'true' });
  const withTimes = (line: string, started: string, finished: string) => JSON.stringify({ ...JSON.parse(line), started_at: started, finished_at: finished });

  it('timestamps with an offset are the same instant in UTC (+02:00, -05:00, +05:30)', async () => {
    const base = recordLine('dr-drill', 'pass', NOW - DAY);
    const lines = [
      withTimes(base, '2026-03-09T13:00:00+02:00', '2026-03-09T13:30:00+02:00'), // 11:30Z
      withTimes(recordLine('dr-drill', 'pass', NOW - DAY), '2026-03-09T06:00:00-05:00', '2026-03-09T06:45:00-05:00'), // 11:45Z
      withTimes(recordLine('dr-drill', 'pass', NOW - DAY), '2026-03-09T16:30:00+05:30', '2026-03-09T16:40:00+05:30'), // 11:10Z
    ];
    const cwd = workspace({ 'r.ndjson': lines.join('\n') });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs?.['last-drill-at']).toBe('2026-03-09T11:45:00.000Z');
    expect(r.result.outputs?.['evidence-url']).toBe('r.ndjson:2');
  });

  it('a finished_at in the future beyond clock-skew is an error even with an offset that hides it; clock-skew is at most 1h', async () => {
    const line = withTimes(recordLine('dr-drill', 'pass', NOW), '2026-03-10T13:50:00+02:00', '2026-03-10T14:10:00+02:00'); // 12:10Z, now 12:00Z
    const cwd = workspace({ 'r.ndjson': line });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.reasons).toEqual(['future-timestamp']);
    const wide = await runGate({ records: 'r.ndjson', 'clock-skew': '30d' }, { cwd });
    expect(wide.result.reasons).toEqual(['invalid-input']);
    expect(wide.result.messages?.[0]).toContain('clock-skew: "30d" is more than 1h');
    expect((await runGate({ records: 'r.ndjson', 'clock-skew': '1h' }, { cwd })).result.outcome).toBe('pass');
  });

  it('a record whose started_at is after its finished_at is an error (bad-timestamp)', async () => {
    const cwd = workspace({ 'r.ndjson': withTimes(recordLine('dr-drill', 'pass', NOW - DAY), '2026-03-09T12:00:00Z', '2026-03-09T11:00:00Z') });
    const r = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bad-timestamp']);
    expect(r.result.messages?.[0]).toContain('is after finished_at');
  });

  it('records of another repository in the same file are not evidence for this one', async () => {
    const cwd = workspace({
      'r.ndjson': [recordLine('dr-drill', 'pass', NOW - HOUR, { env: env('acme/other-service') }), recordLine('dr-drill', 'pass', NOW - 9 * DAY, { env: env('acme/widget') })].join('\n'),
    });
    const r = await runGate({ records: 'r.ndjson' }, { cwd, env: { GITHUB_REPOSITORY: 'acme/widget' } });
    expect(r.result.reasons).toEqual(['stale']);
    expect(r.result.metrics).toMatchObject({ foreign_records: 1, drill_records: 1 });
    expect(r.result.summary?.join('\n')).toContain('1 of other repositories ignored');
    // the repository input names where the drills run (an ops repository), case-insensitively
    const ops = await runGate({ records: 'r.ndjson', repository: 'ACME/Other-Service' }, { cwd, env: { GITHUB_REPOSITORY: 'acme/widget' } });
    expect(ops.result.outcome).toBe('pass');
    // a record written outside Actions names no repository: it still counts (subject tells drills apart)
    const local = workspace({ 'r.ndjson': recordLine('dr-drill', 'pass', NOW - HOUR) });
    expect((await runGate({ records: 'r.ndjson' }, { cwd: local, env: { GITHUB_REPOSITORY: 'acme/widget' } })).result.outcome).toBe('pass');
  });

  it('duplicate record ids: the same record twice counts once; one id with two contents is an error', async () => {
    const pass = recordLine('dr-drill', 'pass', NOW - 2 * DAY);
    const cwd = workspace({ 'a.ndjson': pass, 'b.ndjson': pass });
    const same = await runGate({ records: 'a.ndjson\nb.ndjson' }, { cwd });
    expect(same.result.outcome).toBe('pass');
    expect(same.result.metrics).toMatchObject({ drill_records: 1, duplicate_records: 1 });
    // a forged copy: same id, newer finished_at
    const forged = JSON.stringify({ ...JSON.parse(pass), finished_at: iso(NOW - HOUR) });
    const cwd2 = workspace({ 'r.ndjson': `${pass}\n${forged}\n` });
    const r = await runGate({ records: 'r.ndjson' }, { cwd: cwd2 });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-record']);
    expect(r.result.messages?.[0]).toMatch(/^r\.ndjson:2:\d+: record_id [0-9a-f]{32} was already used by a different record at r\.ndjson:1/);
  });

  it('records of a pull-request run never count; with `branch`, records of runs on other refs do not either', async () => {
    const run = (ref: string, event: string) => ({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/widget', GITHUB_RUN_ID: '9', GITHUB_ACTIONS: 'true', GITHUB_REF: ref, GITHUB_EVENT_NAME: event });
    const cwd = workspace({
      'r.ndjson': [
        recordLine('dr-drill', 'pass', NOW - HOUR, { env: run('refs/pull/7/merge', 'pull_request') }),
        recordLine('dr-drill', 'pass', NOW - 2 * HOUR, { env: run('refs/heads/feature/fake-drill', 'workflow_dispatch') }),
        recordLine('dr-drill', 'pass', NOW - 9 * DAY, { env: run('refs/heads/main', 'schedule') }),
      ].join('\n'),
    });
    const noBranch = await runGate({ records: 'r.ndjson' }, { cwd });
    expect(noBranch.result.outputs?.['age-hours']).toBe('2.0'); // the PR record is out; without branch the dispatch counts
    for (const branch of ['main', 'refs/heads/main']) {
      const r = await runGate({ records: 'r.ndjson', branch }, { cwd });
      expect(r.result.reasons, branch).toEqual(['stale']);
      expect(r.result.metrics).toMatchObject({ off_branch_records: 2, drill_records: 1 });
      expect(r.records.at(-1).policy.branch).toBe('main');
    }
  });
});
