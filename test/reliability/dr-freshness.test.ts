// Faults dr-freshness must survive without ever passing: each row ends in `error` (or `fail` where the evidence
// says non-compliant), a non-zero exit code, and exactly one schema-valid pipeline_run record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { ROOT, runComposite, runDist, runnerFiles, type RunnerFiles } from '../helpers/runner.js';
import { startFakeGitHubWorker, type Fault, type FakeRun, type WorkerFakeGitHub } from '../helpers/fake-github.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../helpers/canary.js';
import { recordLine } from '../gates/dr-freshness/helpers.js';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const many = (f: Fault, n = 8, match?: RegExp) => Array.from({ length: n }, () => ({ ...f, ...(match ? { match } : {}) }));

const servers: WorkerFakeGitHub[] = [];
async function api(runs: Array<Partial<FakeRun> & { id: number; conclusion: string; created_at: string }>, faults: Array<Fault & { match?: RegExp }> = []) {
  const gh = await startFakeGitHubWorker([{ fullName: 'acme/widget', workflows: { 'dr-drill.yml': { id: 1, runs: runs.map((r) => ({ head_branch: 'main', ...r })) } } }], faults);
  servers.push(gh);
  return gh;
}
const hung: Array<{ server: Server; sockets: Socket[] }> = [];
/** a server that accepts connections and reads requests but never answers */
async function hungServer(): Promise<string> {
  const sockets: Socket[] = [];
  const server = createServer(() => undefined);
  server.on('connection', (s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hung.push({ server, sockets });
  const a = server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const h of hung) {
    for (const s of h.sockets) s.destroy();
    await new Promise<void>((r) => h.server.close(() => r()));
  }
});

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/dr-freshness.js'))) throw new Error('dist/dr-freshness.js missing: run npm run build');
});

function put(f: RunnerFiles, rel: string, content: string | Buffer) {
  mkdirSync(join(f.workspace, rel, '..'), { recursive: true });
  writeFileSync(join(f.workspace, rel), content);
}

type Row = [name: string, expected: 'error' | 'fail', reason: string, setup: (f: RunnerFiles) => Promise<Record<string, string>> | Record<string, string>];

const FRESH = () => recordLine('dr-drill', 'pass', Date.now() - DAY);

const rows: Row[] = [
  ['records: a named file is missing', 'error', 'unreadable-file', () => ({ records: 'drills/latest.ndjson' })],
  ['records: the glob matches nothing', 'fail', 'no-evidence', () => ({ records: 'drills/*.ndjson' })],
  ['records: empty file', 'fail', 'no-evidence', (f) => (put(f, 'drills/a.ndjson', ''), { records: 'drills/*.ndjson' })],
  ['records: malformed JSON line after a fresh pass', 'error', 'invalid-record', (f) => (put(f, 'drills/a.ndjson', `${FRESH()}\n{"truncated":\n`), { records: 'drills/*.ndjson' })],
  ['records: JSON that is not a record', 'error', 'invalid-record', (f) => (put(f, 'drills/a.ndjson', '[1,2,3]\n'), { records: 'drills/*.ndjson' })],
  ['records: binary file', 'error', 'invalid-record', (f) => (put(f, 'drills/a.ndjson', Buffer.from([0x1f, 0x8b, 0, 0, 1])), { records: 'drills/*.ndjson' })],
  ['records: a directory where a file was named', 'error', 'unreadable-file', (f) => (mkdirSync(join(f.workspace, 'drills.ndjson')), { records: 'drills.ndjson' })],
  [
    'records: unparseable timestamp',
    'error',
    'bad-timestamp',
    (f) => {
      const r = JSON.parse(FRESH());
      r.finished_at = 'last tuesday';
      put(f, 'drills/a.ndjson', `${JSON.stringify(r)}\n`);
      return { records: 'drills/*.ndjson' };
    },
  ],
  ['records: drill dated in the future', 'error', 'future-timestamp', (f) => (put(f, 'drills/a.ndjson', recordLine('dr-drill', 'pass', Date.now() + DAY)), { records: 'drills/*.ndjson' })],
  ['records: only a stale pass', 'fail', 'stale', (f) => (put(f, 'drills/a.ndjson', recordLine('dr-drill', 'pass', Date.now() - 8 * DAY)), { records: 'drills/*.ndjson' })],
  ['records: only failed drills', 'fail', 'no-evidence', (f) => (put(f, 'drills/a.ndjson', recordLine('dr-drill', 'fail', Date.now() - DAY)), { records: 'drills/*.ndjson' })],
  ['records: only another gate is fresh', 'fail', 'no-evidence', (f) => (put(f, 'drills/a.ndjson', recordLine('pin-lint', 'pass', Date.now() - DAY)), { records: 'drills/*.ndjson' })],
  ['input: unparseable max-age', 'error', 'invalid-input', () => ({ records: 'x.ndjson', 'max-age': 'weekly' })],
  ['input: no evidence source', 'error', 'invalid-input', () => ({})],
  ['input: bad config file', 'error', 'config-error', (f) => (put(f, '.github/chaingate.yml', 'dr-freshness:\n  max-age: [7d]\n'), { records: 'x.ndjson' })],
  ['api: no runs at all', 'fail', 'no-evidence', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([])).url })],
  ['api: only failed runs', 'fail', 'no-evidence', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'failure', created_at: ago(DAY) }])).url })],
  ['api: 404 workflow', 'error', 'not-found', async () => ({ workflow: 'missing.yml', 'api-url': (await api([])).url })],
  ['api: 404 repository', 'error', 'not-found', async () => ({ workflow: 'dr-drill.yml', repository: 'acme/gone', branch: '', 'api-url': (await api([])).url })],
  ['api: 500 on every attempt', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 500 }))).url })],
  ['api: 429 asking for an hour', 'error', 'rate-limited', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 429, headers: { 'retry-after': '3600' } }))).url })],
  ['api: 403 rate limit resetting in an hour', 'error', 'rate-limited', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) } }))).url })],
  ['api: 401 bad credentials', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 401 }))).url })],
  ['api: body is not JSON', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 200, body: '<html>oops' }))).url })],
  ['api: JSON of the wrong shape', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 200, body: '{"total_count":1}' }))).url })],
  ['api: connection refused', 'error', 'api-error', () => ({ workflow: 'dr-drill.yml', 'api-url': 'http://127.0.0.1:9' })],
  ['api: server accepts and never answers', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': await hungServer(), 'api-timeout': '0.3s' })],
  ['input: unparseable api-timeout', 'error', 'invalid-input', () => ({ workflow: 'dr-drill.yml', 'api-timeout': 'soon' })],
  ['api: run dated in the future', 'error', 'future-timestamp', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(-DAY) }])).url })],
  ['api: unparseable run time', 'error', 'bad-timestamp', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(DAY), run_started_at: 'soon' }])).url })],
  ['api: the only green run skipped its drill job', 'fail', 'no-evidence', async () => ({ workflow: 'dr-drill.yml', 'drill-job': 'drill', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(DAY), jobs: [{ name: 'drill', conclusion: 'skipped' }, { name: 'notify', conclusion: 'success' }] }])).url })],
  ['api: the only green run had every job skipped', 'fail', 'no-evidence', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(DAY), jobs: [{ name: 'drill', conclusion: 'skipped' }] }])).url })],
  ['api: the only green run is a pull request', 'fail', 'no-evidence', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(DAY), event: 'pull_request' }])).url })],
  ['api: re-run of a 30-day-old drill that only re-ran notify', 'fail', 'stale', async () => ({ workflow: 'dr-drill.yml', 'drill-job': 'drill', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(30 * DAY), run_started_at: ago(DAY), run_attempt: 2, jobs: [{ name: 'drill', conclusion: 'success', started_at: ago(30 * DAY) }, { name: 'notify', conclusion: 'success', started_at: ago(DAY) }] }])).url })],
  ['api: jobs endpoint 500 on every attempt', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(DAY) }], many({ status: 500 }, 8, /\/jobs/))).url })],
  ['api: jobs endpoint answers garbage', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(DAY) }], many({ status: 200, body: '{"jobs":"x"}' }, 8, /\/jobs/))).url })],
  ['api: 403 Resource not accessible by integration', 'error', 'api-error', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 403, body: '{"message":"Resource not accessible by integration"}' }))).url })],
  ['api: secondary rate limit asking for an hour', 'error', 'rate-limited', async () => ({ workflow: 'dr-drill.yml', 'api-url': (await api([], many({ status: 403, headers: { 'retry-after': '3600' }, body: '{"message":"You have exceeded a secondary rate limit."}' }))).url })],
  ['records: a forged copy of a record (same record_id, newer time)', 'error', 'invalid-record', (f) => {
    const old = recordLine('dr-drill', 'pass', Date.now() - 9 * DAY);
    put(f, 'drills/a.ndjson', `${old}\n${JSON.stringify({ ...JSON.parse(old), finished_at: ago(DAY) })}\n`);
    return { records: 'drills/*.ndjson' };
  }],
  ['records: only another repository is fresh', 'fail', 'stale', (f) => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '1', GITHUB_ACTIONS: 'true' };
    put(f, 'drills/a.ndjson', [recordLine('dr-drill', 'pass', Date.now() - DAY, { env: { ...env, GITHUB_REPOSITORY: 'acme/other' } }), recordLine('dr-drill', 'pass', Date.now() - 9 * DAY, { env: { ...env, GITHUB_REPOSITORY: 'acme/widget' } })].join('\n'));
    return { records: 'drills/*.ndjson' };
  }],
  ['input: clock-skew wider than 1h', 'error', 'invalid-input', () => ({ records: 'x.ndjson', 'clock-skew': '2d' })],
  ['both: fresh API run but a corrupt record file', 'error', 'invalid-record', async (f) => (put(f, 'drills/a.ndjson', 'nope\n'), { records: 'drills/*.ndjson', workflow: 'dr-drill.yml', 'api-url': (await api([{ id: 1, conclusion: 'success', created_at: ago(DAY) }])).url })],
];

describe('dr-freshness reliability (dist, as the runner runs it)', () => {
  it.each(rows)('%s → %s (%s)', async (_name, expected, reason, setup) => {
    const f = runnerFiles();
    const inputs = { repository: 'acme/widget', branch: 'main', ...(await setup(f)) };
    const r = runDist('dr-freshness', inputs, f, {}, 120_000);
    expect(r.outputs.outcome).toBe(expected);
    expect(r.exitCode).toBe(expected === 'fail' ? 1 : 2);
    expect(r.outputs.reasons.split(',')).toContain(reason);
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0].outcome).toBe(expected);
  });

  it('unwritable record path in strict mode → error, record-write-failed; best-effort only warns', () => {
    const f = runnerFiles();
    put(f, 'drills/a.ndjson', FRESH());
    writeFileSync(join(f.dir, 'blocker'), 'x');
    const strict = runDist('dr-freshness', { records: 'drills/*.ndjson', 'record-file': join(f.dir, 'blocker', 'r.ndjson') }, f);
    expect(strict.exitCode).toBe(2);
    expect(strict.outputs.outcome).toBe('error');
    expect(strict.outputs.reasons).toContain('record-write-failed');
    const lax = runDist('dr-freshness', { records: 'drills/*.ndjson', 'record-file': join(f.dir, 'blocker', 'r.ndjson'), 'record-mode': 'best-effort' }, f);
    expect(lax.exitCode).toBe(0);
    expect(lax.stdout).toContain('::warning::cannot write pipeline_run record');
  });
});

describe('dr-freshness and record never leak a secret', () => {
  const shown = (s: string) => s.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');

  it('canaries in env and in the token input appear nowhere (API source answering with errors and data)', async () => {
    const gh = await api([{ id: 1, conclusion: 'success', created_at: ago(DAY) }], [{ status: 500, body: JSON.stringify({ message: CANARY.inputToken }) }]);
    const f = runnerFiles();
    put(f, 'drills/a.ndjson', recordLine('dr-drill', 'pass', Date.now() - 2 * DAY));
    const r = runComposite('dr-freshness', { records: 'drills/*.ndjson', workflow: 'dr-drill.yml', token: CANARY.inputToken, 'api-url': gh.url, repository: 'acme/widget' }, f, { env: canaryEnv() });
    expect(r.outputs.outcome).toBe('pass');
    const reqs = await gh.requests();
    expect(reqs.every((q) => q.authorization === `Bearer ${CANARY.inputToken}`)).toBe(true);
    const text = collectText([shown(r.stdout), r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp, f.workspace]);
    expect(leakedCanaries(text)).toEqual([]);
  });

  it('the jobs path with canaries in GitHub answers (403 message, job names) leaks nothing', async () => {
    const gh = await api(
      [{ id: 1, conclusion: 'success', created_at: ago(DAY), jobs: [{ name: `notify ${CANARY.inputToken}`, conclusion: 'success' }, { name: 'drill', conclusion: 'skipped' }] }],
      [{ status: 403, body: JSON.stringify({ message: `Resource not accessible by integration ${CANARY.inputToken} ${CANARY.githubToken}` }), match: /\/jobs/ }],
    );
    const f = runnerFiles();
    const r = runComposite('dr-freshness', { workflow: 'dr-drill.yml', 'drill-job': 'drill', token: CANARY.inputToken, 'api-url': gh.url, repository: 'acme/widget' }, f, { env: canaryEnv() });
    expect(r.outputs.outcome).toBe('error');
    expect(r.stdout).toContain('Resource not accessible by integration');
    const again = runComposite('dr-freshness', { workflow: 'dr-drill.yml', 'drill-job': 'drill', token: CANARY.inputToken, 'api-url': gh.url, repository: 'acme/widget' }, f, { env: canaryEnv() });
    expect(again.outputs.outcome).toBe('fail');
    expect(again.stdout).toContain('job `drill` skipped');
    const text = collectText([shown(r.stdout), r.stderr, JSON.stringify(r.outputs), r.summary, shown(again.stdout), again.stderr, JSON.stringify(again.outputs), again.summary], [f.runnerTemp, f.workspace]);
    expect(leakedCanaries(text)).toEqual([]);
  });

  it('an error path (404) with canaries leaks nothing', async () => {
    const gh = await api([]);
    const f = runnerFiles();
    const r = runComposite('dr-freshness', { workflow: 'nope.yml', token: CANARY.inputToken, 'api-url': gh.url }, f, { env: canaryEnv() });
    expect(r.outputs.outcome).toBe('error');
    const text = collectText([shown(r.stdout), r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp, f.workspace]);
    expect(leakedCanaries(text)).toEqual([]);
  });

  it('the record action redacts a canary passed in a detail or subject', () => {
    const f = runnerFiles();
    const r = runComposite('record', { gate: 'dr-drill', outcome: 'pass', subject: `db ${CANARY.aws}`, details: `note=${CANARY.plain}\ntoken=${CANARY.githubToken}`, 'record-file': 'drills/d.ndjson' }, f, { env: canaryEnv() });
    expect(r.exitCode).toBe(0);
    const text = collectText([shown(r.stdout), r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp, f.workspace]);
    expect(leakedCanaries(text)).toEqual([]);
  });
});
