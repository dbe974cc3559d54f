// A real HTTP server on 127.0.0.1 standing in for the GitHub REST API's workflow-runs endpoints.
// It implements what dr-freshness relies on: branch/status/created filters, newest-first order, per_page/page
// pagination with Link headers, total_count, the 1,000-result cap of filtered queries, and scripted faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRun {
  id: number;
  head_branch: string;
  conclusion: string | null;
  status?: string;
  created_at: string;
  run_started_at?: string | null;
  event?: string;
  head_repository?: { full_name: string } | null;
  html_url?: string;
  run_attempt?: number;
  /** the run's jobs (latest attempt). Default: one job `drill` with the run's conclusion, started at run_started_at */
  jobs?: FakeJob[];
}

export interface FakeJob {
  name: string;
  conclusion: string | null;
  status?: string;
  started_at?: string | null;
  completed_at?: string | null;
  run_attempt?: number;
}

/** Ways real servers (GHES, proxies, API versions) differ from the happy path. */
export interface FakeOptions {
  /** path prefix of the API, e.g. `/api/v3` for GitHub Enterprise Server */
  prefix?: string;
  /** largest per_page the server honours (GitHub: 100) */
  maxPerPage?: number;
  /** total_count never exceeds the 1,000-result cap (as if GitHub counted only what it serves) */
  capTotalCount?: boolean;
  /** Link header with extra parameters before rel (RFC 8288 allows any order) */
  linkExtraParams?: boolean;
  /** server ignores the branch/status filters (returns every run) */
  ignoreFilters?: boolean;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
}

export interface FakeGitHub {
  url: string;
  requests: SeenRequest[];
  /** faults served (in order) before normal answers, for requests whose path matches */
  faults: Array<Fault & { match?: RegExp }>;
  close(): Promise<void>;
}

export interface FakeRepo {
  fullName: string;
  defaultBranch?: string;
  /** workflow file name and id → runs */
  workflows: Record<string, { id: number; runs: FakeRun[] }>;
}

export const CAP = 1000;

function created(q: string | null): (ms: number) => boolean {
  if (!q) return () => true;
  const range = /^(.+)\.\.(.+)$/.exec(q);
  const at = (s: string) => (s === '*' ? undefined : Date.parse(s));
  if (range) {
    const lo = at(range[1]);
    const hi = at(range[2]);
    return (ms) => (lo === undefined || ms >= lo) && (hi === undefined || ms <= hi);
  }
  const m = /^(>=|<=|>|<)(.+)$/.exec(q);
  if (!m) throw new Error(`fake-github: unsupported created filter ${q}`);
  const t = Date.parse(m[2]);
  if (Number.isNaN(t)) throw new Error(`fake-github: bad date in created filter ${q}`);
  return { '>=': (ms: number) => ms >= t, '<=': (ms: number) => ms <= t, '>': (ms: number) => ms > t, '<': (ms: number) => ms < t }[m[1] as '>=']!;
}

export async function startFakeGitHub(repos: FakeRepo[], opts: FakeOptions = {}): Promise<FakeGitHub> {
  const requests: SeenRequest[] = [];
  const faults: FakeGitHub['faults'] = [];
  let base = '';
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', base);
    requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, authorization: req.headers.authorization });
    const fi = faults.findIndex((f) => !f.match || f.match.test(u.pathname + u.search));
    if (fi >= 0) {
      const [f] = faults.splice(fi, 1);
      return send(res, f.status, f.body ?? JSON.stringify({ message: `fault ${f.status}` }), f.headers);
    }
    const prefix = opts.prefix ?? '';
    if (!u.pathname.startsWith(`${prefix}/`)) return send(res, 404, { message: 'Not Found' });
    const path = u.pathname.slice(prefix.length);
    const repoM = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    const repo = repoM && repos.find((r) => r.fullName.toLowerCase() === `${decodeURIComponent(repoM[1])}/${decodeURIComponent(repoM[2])}`.toLowerCase());
    if (!repoM || !repo) return send(res, 404, { message: 'Not Found' });
    if (!repoM[3]) return send(res, 200, { full_name: repo.fullName, default_branch: repo.defaultBranch ?? 'main' });
    const link = (page: number, total: number, perPage: number): Record<string, string> => {
      if (page * perPage >= total) return {};
      const next = new URL(u.toString());
      next.searchParams.set('page', String(page + 1));
      const last = new URL(u.toString());
      last.searchParams.set('page', String(Math.ceil(total / perPage)));
      return { link: opts.linkExtraParams ? `<${next.toString()}>; type="application/json"; rel="next", <${last.toString()}>; rel="last"` : `<${next.toString()}>; rel="next", <${last.toString()}>; rel="last"` };
    };
    const jobsM = /^\/actions\/runs\/(\d+)\/jobs$/.exec(repoM[3]);
    if (jobsM) {
      const run = Object.values(repo.workflows).flatMap((w) => w.runs).find((r) => r.id === Number(jobsM[1]));
      if (!run) return send(res, 404, { message: 'Not Found' });
      const jobs = (run.jobs ?? [{ name: 'drill', conclusion: run.conclusion, started_at: run.run_started_at ?? run.created_at, completed_at: run.run_started_at ?? run.created_at }]).map((j, i) => ({
        id: run.id * 1000 + i,
        run_id: run.id,
        run_attempt: j.run_attempt ?? run.run_attempt ?? 1,
        name: j.name,
        status: j.status ?? (j.conclusion === null ? 'in_progress' : 'completed'),
        conclusion: j.conclusion,
        started_at: j.started_at === undefined ? (run.run_started_at ?? run.created_at) : j.started_at,
        completed_at: j.completed_at === undefined ? (run.run_started_at ?? run.created_at) : j.completed_at,
        html_url: `https://github.com/${repo.fullName}/actions/runs/${run.id}/job/${run.id * 1000 + i}`,
      }));
      const perPage = Math.min(opts.maxPerPage ?? 100, Number(u.searchParams.get('per_page') ?? 30));
      const page = Number(u.searchParams.get('page') ?? 1);
      return send(res, 200, { total_count: jobs.length, jobs: jobs.slice((page - 1) * perPage, page * perPage) }, link(page, jobs.length, perPage));
    }
    const wfM = /^\/actions\/workflows\/([^/]+)\/runs$/.exec(repoM[3]);
    if (!wfM) return send(res, 404, { message: 'Not Found' });
    const key = decodeURIComponent(wfM[1]);
    const wf = repo.workflows[key] ?? Object.values(repo.workflows).find((w) => String(w.id) === key);
    if (!wf) return send(res, 404, { message: 'Not Found' });
    const q = u.searchParams;
    const inCreated = created(q.get('created'));
    const status = q.get('status');
    let runs = wf.runs.filter((r) => {
      if (opts.ignoreFilters) return true;
      if (q.get('branch') && r.head_branch !== q.get('branch')) return false;
      const st = r.status ?? 'completed';
      if (status === 'completed' && st !== 'completed') return false;
      if (status && !['completed', 'in_progress', 'queued'].includes(status) && r.conclusion !== status) return false;
      return inCreated(Date.parse(r.created_at));
    });
    runs = runs.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
    const filtered = ['branch', 'status', 'created', 'event', 'actor', 'head_sha'].some((k) => q.has(k));
    let total = runs.length;
    if (filtered) runs = runs.slice(0, CAP);
    if (opts.capTotalCount) total = Math.min(total, CAP);
    const perPage = Math.min(opts.maxPerPage ?? 100, Number(q.get('per_page') ?? 30));
    const page = Number(q.get('page') ?? 1);
    const slice = runs.slice((page - 1) * perPage, page * perPage);
    const headers = link(page, runs.length, perPage);
    return send(
      res,
      200,
      {
        total_count: total,
        workflow_runs: slice.map((r) => ({
          id: r.id,
          name: 'dr-drill',
          head_branch: r.head_branch,
          event: r.event ?? 'schedule',
          status: r.status ?? 'completed',
          conclusion: r.conclusion,
          created_at: r.created_at,
          run_started_at: r.run_started_at === undefined ? r.created_at : r.run_started_at,
          run_attempt: r.run_attempt ?? 1,
          repository: { id: 1, full_name: repo.fullName },
          updated_at: r.created_at,
          html_url: r.html_url ?? `https://github.com/${repo.fullName}/actions/runs/${r.id}`,
          head_repository: r.head_repository === undefined ? { full_name: repo.fullName } : r.head_repository,
        })),
      },
      headers,
    );
  };
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    faults,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** `n` runs, one every `everyMs`, newest at `newest`, ids descending from `firstId`. */
export function runSeries(n: number, newest: number, everyMs: number, conclusion: string | null, opts: Partial<FakeRun> & { firstId?: number } = {}): FakeRun[] {
  const out: FakeRun[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Date(newest - i * everyMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    out.push({ id: (opts.firstId ?? 100_000) - i, head_branch: opts.head_branch ?? 'main', conclusion, created_at: t, ...(opts.event ? { event: opts.event } : {}) });
  }
  return out;
}

export interface WorkerFakeGitHub {
  url: string;
  requests(): Promise<Array<{ method: string; path: string; search: string; authorization?: string }>>;
  close(): Promise<void>;
}

/** The same fake in a worker thread: for runDist/runComposite, whose spawnSync blocks this thread. */
export async function startFakeGitHubWorker(repos: FakeRepo[], faults: FakeGitHub['faults'] = [], opts: FakeOptions = {}): Promise<WorkerFakeGitHub> {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(new URL('./fake-github-worker.ts', import.meta.url), { workerData: { repos, faults, opts } });
  const next = () => new Promise<any>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  const { url } = await next();
  return {
    url,
    async requests() {
      const p = next();
      w.postMessage('requests');
      return (await p).requests;
    },
    async close() {
      const p = next();
      w.postMessage('close');
      await p;
      await w.terminate();
    },
  };
}
