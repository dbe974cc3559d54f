// Evidence source 2: the last successful run of a named workflow on a branch, from the GitHub REST API.
// GET /repos/{o}/{r}/actions/workflows/{id|file}/runs is filtered (branch, status, created) and such queries
// stop at 1,000 results: beyond that we narrow the `created` range to the oldest run seen (keyset paging).
import { GitHubApiError, GitHubClient, nextLink, sameOrigin, type ApiResponse } from '../../core/github.js';
import type { Drill } from './policy.js';
import { PR_EVENTS, parseTimestamp, type EvidenceError } from './records.js';

export interface GitHubSourceOptions {
  apiUrl: string;
  token?: string;
  repository: string;
  /** workflow file name (`dr-drill.yml`) or numeric id */
  workflow: string;
  /** empty: the repository's default branch */
  branch?: string;
  /**
   * Names of the job(s) that do the drill. Every job with that name (also matrix `name (a, b)` and reusable
   * workflow `name / inner` jobs) must have concluded `success` in the run's latest attempt.
   */
  drillJobs?: string[];
  nowMs: number;
  skewMs: number;
  /** most API requests one evaluation may make */
  maxRequests: number;
  /** per request, ms (default 30 s) */
  timeoutMs?: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export interface GitHubScan {
  drills: Drill[];
  errors: Array<EvidenceError | { reason: 'api-error' | 'not-found' | 'rate-limited' | 'search-incomplete'; message: string }>;
  branch?: string;
  requests: number;
  runsSeen: number;
  /** runs skipped because their head repository is another (a fork's PR) or unknown (deleted fork) */
  foreignRuns: number;
  /** runs skipped because a pull-request event triggered them (they run proposed code) */
  prRuns: number;
  /** successful runs that were not drills: why, per run (newest first, at most 10) */
  notDrills: string[];
  notDrillCount: number;
}

export interface WorkflowRun {
  id: number;
  name?: string;
  head_branch?: string | null;
  event?: string;
  status?: string | null;
  conclusion?: string | null;
  created_at?: string;
  run_started_at?: string;
  html_url?: string;
  run_attempt?: number;
  head_repository?: { id?: number; full_name?: string } | null;
  repository?: { id?: number; full_name?: string } | null;
}

export interface WorkflowJob {
  name?: string;
  status?: string | null;
  conclusion?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
}



interface RunsPage {
  total_count?: number;
  workflow_runs?: WorkflowRun[];
}

/** Run conclusions that mean the drill ran and did not succeed. cancelled/skipped/neutral/stale are not drills. */
export const FAILED_CONCLUSIONS = new Set(['failure', 'timed_out', 'startup_failure']);
export const PER_PAGE = 100;
/** GitHub returns at most 1,000 results for a filtered workflow-runs query. */
export const RESULT_CAP = 1000;

class SearchError extends Error {
  constructor(
    message: string,
    readonly reason: 'api-error' | 'search-incomplete' | 'bad-timestamp' | 'future-timestamp',
  ) {
    super(message);
  }
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function scanGitHub(opts: GitHubSourceOptions): Promise<GitHubScan> {
  const client = new GitHubClient({ baseUrl: opts.apiUrl, token: opts.token, fetch: opts.fetch, sleep: opts.sleep, now: opts.now, retries: 3, timeoutMs: opts.timeoutMs });
  const scan: GitHubScan = { drills: [], errors: [], requests: 0, runsSeen: 0, foreignRuns: 0, prRuns: 0, notDrills: [], notDrillCount: 0 };
  const [owner, repo] = opts.repository.split('/');
  const wfLabel = `workflow "${opts.workflow}" in ${opts.repository}`;
  const budget = () => {
    if (client.requests >= opts.maxRequests) {
      const why = scan.notDrillCount ? `; ${scan.notDrillCount} successful run(s) without a drill read so far, one jobs request each: raise max-requests, or do not trigger the drill workflow where its drill job is skipped` : '';
      throw new SearchError(`${wfLabel}: gave up after ${client.requests} API requests without an answer (max-requests ${opts.maxRequests})${why}`, 'search-incomplete');
    }
  };
  try {
    let branch = opts.branch;
    if (!branch) {
      const r = await client.get<{ default_branch?: unknown }>(`/repos/${enc(owner)}/${enc(repo)}`).catch((e) => {
        if (e instanceof GitHubApiError && e.kind === 'not-found') throw new GitHubApiError(`repository ${opts.repository} not found (or the token cannot read it): ${e.message}`, 404, 'not-found');
        throw e;
      });
      if (typeof r.data.default_branch !== 'string' || !r.data.default_branch) throw new SearchError(`repository ${opts.repository}: the API response has no default_branch; give the branch explicitly`, 'api-error');
      branch = r.data.default_branch;
    }
    scan.branch = branch;
    const path = `/repos/${enc(owner)}/${enc(repo)}/actions/workflows/${enc(opts.workflow)}/runs`;
    const foreign = new Set<number>();
    const prs = new Set<number>();
    /**
     * A run of this repository's own branch: its head repository must be known and be the run's repository
     * (a deleted fork leaves `head_repository: null`: unknown is not ours), its head branch the branch (a
     * server that ignores the filter must not slip other branches in), and no pull-request event.
     */
    const ours = (run: WorkflowRun) => {
      const head = run.head_repository;
      const base = run.repository;
      const same =
        !!head &&
        (typeof head.id === 'number' && typeof base?.id === 'number'
          ? head.id === base.id
          : typeof head.full_name === 'string' && head.full_name.toLowerCase() === (base?.full_name ?? opts.repository).toLowerCase());
      if (!same) {
        foreign.add(run.id);
        scan.foreignRuns = foreign.size;
        return false;
      }
      if (PR_EVENTS.has(run.event ?? '')) {
        prs.add(run.id);
        scan.prRuns = prs.size;
        return false;
      }
      return run.head_branch === branch && run.status === 'completed';
    };
    const notDrill = (run: WorkflowRun, why: string) => {
      scan.notDrillCount++;
      if (scan.notDrills.length < 10) scan.notDrills.push(`run ${run.id}: ${why}`);
    };

    // 1. the newest successful run on the branch that did the drill (newest first: usually the first result)
    let passAt: number | undefined;
    let greenFailed: WorkflowRun | undefined;
    const pass = await search(
      client,
      path,
      { branch, status: 'success' },
      undefined,
      async (run) => {
        if (!ours(run) || run.conclusion !== 'success') return false;
        const v = await drillOf(client, owner, repo, run, opts.drillJobs, budget, wfLabel);
        if (v.kind === 'failure') {
          // a green run whose drill job failed (continue-on-error): a failed drill, newer than any pass found later
          if (!greenFailed) greenFailed = run;
          notDrill(run, 'a drill job failed (the run is green: continue-on-error?)');
          return false;
        }
        if (v.kind !== 'success') {
          notDrill(run, v.why);
          return false;
        }
        passAt = v.startedMs;
        return true;
      },
      budget,
      scan,
      wfLabel,
    );
    if (pass) scan.drills.push(toDrill(pass, true, opts, wfLabel, passAt));
    if (greenFailed) scan.drills.push(toDrill(greenFailed, false, opts, wfLabel));

    // 2. drills that failed after it: the newest completed run created since the pass (or ever, with no pass).
    // With drill-job, a failed run is a failed drill only when a drill job failed (not when notify did).
    const since = pass ? Date.parse(pass.created_at ?? '') : undefined;
    const failed = await search(
      client,
      path,
      { branch, status: 'completed' },
      since !== undefined && !Number.isNaN(since) ? since : undefined,
      async (run) => {
        if (!ours(run) || !FAILED_CONCLUSIONS.has(run.conclusion ?? '') || run.id === pass?.id) return false;
        if (!opts.drillJobs?.length) return true;
        return (await drillOf(client, owner, repo, run, opts.drillJobs, budget, wfLabel)).kind === 'failure';
      },
      budget,
      scan,
      wfLabel,
    );
    if (failed) scan.drills.push(toDrill(failed, false, opts, wfLabel));
  } catch (e) {
    if (e instanceof SearchError) scan.errors.push({ reason: e.reason, message: e.message });
    else if (e instanceof GitHubApiError) {
      if (e.kind === 'not-found') {
        scan.errors.push({
          reason: 'not-found',
          message: /^repository /.test(e.message)
            ? e.message
            : `${wfLabel} not found (GitHub API 404): give the workflow's file name (e.g. dr-drill.yml) or numeric id, and a token that can read Actions in ${opts.repository}`,
        });
      } else if (e.kind === 'rate-limited') scan.errors.push({ reason: 'rate-limited', message: `${wfLabel}: ${e.message}${e.apiMessage ? ` ("${e.apiMessage}")` : ''}` });
      else if (e.kind === 'auth' && e.status === 403)
        scan.errors.push({
          reason: 'api-error',
          message: `${wfLabel}: ${e.message}${e.apiMessage ? ` ("${e.apiMessage}")` : ''}: the token cannot read Actions in ${opts.repository}; give the job \`permissions: actions: read\` (another repository, private: a token with access to it)`,
        });
      else scan.errors.push({ reason: 'api-error', message: `${wfLabel}: ${e.message}${e.apiMessage ? ` ("${e.apiMessage}")` : ''}` });
    } else throw e;
  }
  scan.requests = client.requests;
  return scan;
}

/**
 * Walk runs newest first and return the first one `match` accepts. `sinceMs` bounds the search with
 * `created>=`. Pages follow `Link: rel="next"` whatever their size (a server may serve fewer than per_page).
 * A query that reaches the 1,000-result cap continues with `created` narrowed to end at the oldest run seen,
 * whether or not `total_count` admits there is more; a full page without a next link while `total_count`
 * says there is more is an error, never "no more runs".
 */
async function search(
  client: GitHubClient,
  path: string,
  base: Record<string, string>,
  sinceMs: number | undefined,
  match: (run: WorkflowRun) => Promise<boolean>,
  budget: () => void,
  scan: GitHubScan,
  label: string,
): Promise<WorkflowRun | undefined> {
  const lower = sinceMs !== undefined ? isoSeconds(sinceMs) : undefined;
  let upper: string | undefined;
  const seenIds = new Set<number>();
  for (;;) {
    const created = lower && upper ? `${lower}..${upper}` : lower ? `>=${lower}` : upper ? `<=${upper}` : undefined;
    let inQuery = 0;
    let total = 0;
    let oldest: number | undefined;
    let next: string | undefined = client.url(path, { ...base, per_page: PER_PAGE, exclude_pull_requests: 'true', created });
    let lastLen = 0;
    while (next && inQuery < RESULT_CAP) {
      budget();
      const page: ApiResponse<RunsPage> = await client.get<RunsPage>(next);
      const runs = page.data?.workflow_runs;
      if (!page.data || typeof page.data !== 'object' || !Array.isArray(runs) || (page.data.total_count !== undefined && typeof page.data.total_count !== 'number')) {
        throw new SearchError(`${label}: unexpected API response (no workflow_runs array)`, 'api-error');
      }
      total = Math.max(total, page.data.total_count ?? 0);
      lastLen = runs.length;
      for (const run of runs) {
        if (!run || typeof run !== 'object' || typeof run.id !== 'number') throw new SearchError(`${label}: unexpected API response (a run without an id)`, 'api-error');
        inQuery++;
        if (seenIds.has(run.id)) continue;
        seenIds.add(run.id);
        scan.runsSeen++;
        const c = Date.parse(run.created_at ?? '');
        if (!Number.isNaN(c)) oldest = oldest === undefined ? c : Math.min(oldest, c);
        if (await match(run)) return run;
      }
      if (!runs.length) break;
      next = nextLink(page.headers.get('link'));
      if (next && !sameOrigin(next, client.baseUrl)) throw new SearchError(`${label}: pagination link leaves ${client.baseUrl}`, 'api-error');
    }
    if (inQuery < RESULT_CAP) {
      // the server says there is more but gives no way to it: we cannot know the drill history
      if (total > inQuery && lastLen > 0) throw new SearchError(`${label}: the API reports ${total} runs but served ${inQuery} with no link to the rest`, 'search-incomplete');
      return undefined;
    }
    // at the cap: narrow `created` to end at the oldest run seen and continue
    if (oldest === undefined) throw new SearchError(`${label}: ${inQuery} runs match but none has a created_at to continue from`, 'search-incomplete');
    const nextUpper = isoSeconds(oldest);
    if (nextUpper === upper) throw new SearchError(`${label}: more than ${RESULT_CAP} runs created at ${nextUpper}; cannot page past the API's result cap`, 'search-incomplete');
    upper = nextUpper;
  }
}

type DrillVerdict = { kind: 'success'; startedMs: number } | { kind: 'failure' } | { kind: 'none'; why: string };

/**
 * What the run's latest attempt did, from its jobs (`GET /actions/runs/{id}/jobs?filter=latest`, paginated).
 * - drill jobs named: every job of that name (`name`, matrix `name (…)`, reusable `name / …`) must be
 *   `success`; one `failure`/`timed_out` makes the run a failed drill; none, or a skipped/cancelled one, no drill.
 * - none named: at least one job must have succeeded (a run whose jobs were all skipped by `if:` says
 *   `success` but did nothing).
 * The drill is dated by the earliest start of the jobs that count: "re-run failed jobs" carries successful
 * jobs over from the old attempt with their old times while `run_started_at` moves to the re-run.
 */
async function drillOf(client: GitHubClient, owner: string, repo: string, run: WorkflowRun, drillJobs: string[] | undefined, budget: () => void, label: string): Promise<DrillVerdict> {
  const jobs: WorkflowJob[] = [];
  let next: string | undefined = client.url(`/repos/${enc(owner)}/${enc(repo)}/actions/runs/${run.id}/jobs`, { filter: 'latest', per_page: PER_PAGE });
  while (next) {
    budget();
    const page: ApiResponse<{ total_count?: unknown; jobs?: unknown }> = await client.get<{ total_count?: unknown; jobs?: unknown }>(next);
    const list = page.data?.jobs;
    if (!Array.isArray(list) || list.some((j) => !j || typeof j !== 'object' || typeof (j as WorkflowJob).name !== 'string')) {
      throw new SearchError(`${label}: unexpected API response for the jobs of run ${run.id} (no jobs array)`, 'api-error');
    }
    jobs.push(...(list as WorkflowJob[]));
    if (!list.length) break;
    next = nextLink(page.headers.get('link'));
    if (next && !sameOrigin(next, client.baseUrl)) throw new SearchError(`${label}: pagination link leaves ${client.baseUrl}`, 'api-error');
  }
  const named = drillJobs?.length
    ? jobs.filter((j) => drillJobs.some((n) => j.name === n || j.name!.startsWith(`${n} (`) || j.name!.startsWith(`${n} / `)))
    : jobs.filter((j) => j.conclusion === 'success');
  if (drillJobs?.length) {
    if (named.some((j) => FAILED_CONCLUSIONS.has(j.conclusion ?? ''))) return { kind: 'failure' };
    const missing = drillJobs.filter((n) => !named.some((j) => j.name === n || j.name!.startsWith(`${n} (`) || j.name!.startsWith(`${n} / `)));
    if (missing.length) return { kind: 'none', why: `no job ${missing.map((n) => `\`${n}\``).join(', ')} in the run (${jobs.length} job(s): ${jobs.slice(0, 5).map((j) => `\`${j.name}\``).join(', ')}${jobs.length > 5 ? ', …' : ''})` };
    const bad = named.find((j) => j.status !== 'completed' || j.conclusion !== 'success');
    if (bad) return { kind: 'none', why: `job \`${bad.name}\` ${bad.conclusion ?? bad.status ?? 'did not finish'}` };
  } else if (!named.length) {
    return { kind: 'none', why: jobs.length ? `no job succeeded (${[...new Set(jobs.map((j) => j.conclusion ?? j.status ?? 'unknown'))].join(', ')})` : 'the run has no jobs' };
  }
  let startedMs = Infinity;
  for (const j of named) {
    const ms = parseTimestamp(j.started_at);
    if (ms === undefined) throw new SearchError(`${label}: run ${run.id}: job \`${j.name}\` has an unparseable started_at ${JSON.stringify(j.started_at ?? null)}`, 'bad-timestamp');
    startedMs = Math.min(startedMs, ms);
  }
  return { kind: 'success', startedMs };
}

function toDrill(run: WorkflowRun, passed: boolean, opts: GitHubSourceOptions, label: string, jobsStartedMs?: number): Drill {
  const when = run.run_started_at ?? run.created_at;
  const runMs = parseTimestamp(when);
  if (runMs === undefined) throw new SearchError(`${label}: run ${run.id} has an unparseable run_started_at/created_at ${JSON.stringify(when ?? null)}`, 'bad-timestamp');
  // the earlier of the run's (latest attempt's) start and its counted jobs' start: never later than the drill ran
  const ms = jobsStartedMs !== undefined ? Math.min(runMs, jobsStartedMs) : runMs;
  if (runMs > opts.nowMs + opts.skewMs) {
    throw new SearchError(`${label}: run ${run.id} started at ${when}, in the future (now ${new Date(opts.nowMs).toISOString()}, allowed clock skew ${Math.round(opts.skewMs / 1000)} s)`, 'future-timestamp');
  }
  const url = typeof run.html_url === 'string' && /^https?:\/\//.test(run.html_url) ? run.html_url : undefined;
  return { source: 'github', at: ms, passed, where: url ?? `run ${run.id}`, url, status: run.conclusion ?? 'unknown' };
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
