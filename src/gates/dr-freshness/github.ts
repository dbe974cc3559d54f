// Evidence source 2: the last successful run of a named workflow on a branch, from the GitHub REST API.
// GET /repos/{o}/{r}/actions/workflows/{id|file}/runs is filtered (branch, status, created) and such queries
// stop at 1,000 results: beyond that we narrow the `created` range to the oldest run seen (keyset paging).
import { GitHubApiError, GitHubClient } from '../../core/github.js';
import type { Drill } from './policy.js';
import { parseTimestamp, type EvidenceError } from './records.js';

export interface GitHubSourceOptions {
  apiUrl: string;
  token?: string;
  repository: string;
  /** workflow file name (`dr-drill.yml`) or numeric id */
  workflow: string;
  /** empty: the repository's default branch */
  branch?: string;
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
  /** runs skipped because their head repository is another (a fork's PR) */
  foreignRuns: number;
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
  head_repository?: { full_name?: string } | null;
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
  const scan: GitHubScan = { drills: [], errors: [], requests: 0, runsSeen: 0, foreignRuns: 0 };
  const [owner, repo] = opts.repository.split('/');
  const wfLabel = `workflow "${opts.workflow}" in ${opts.repository}`;
  const budget = () => {
    if (client.requests >= opts.maxRequests) throw new SearchError(`${wfLabel}: gave up after ${client.requests} API requests without an answer (max-requests ${opts.maxRequests})`, 'search-incomplete');
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
    const ours = (run: WorkflowRun) => {
      const full = run.head_repository?.full_name;
      if (full && full.toLowerCase() !== opts.repository.toLowerCase()) {
        foreign.add(run.id);
        scan.foreignRuns = foreign.size;
        return false;
      }
      return true;
    };

    // 1. the newest successful run on the branch (newest first: usually the first result)
    const pass = await search(client, path, { branch, status: 'success' }, undefined, (run) => ours(run) && run.conclusion === 'success', budget, scan, wfLabel);
    if (pass) scan.drills.push(toDrill(pass, true, opts, wfLabel));

    // 2. drills that failed after it: the newest completed run created since the pass (or ever, with no pass)
    const since = pass ? Date.parse(pass.created_at ?? '') : undefined;
    const failed = await search(
      client,
      path,
      { branch, status: 'completed' },
      since !== undefined && !Number.isNaN(since) ? since : undefined,
      (run) => ours(run) && FAILED_CONCLUSIONS.has(run.conclusion ?? '') && run.id !== pass?.id,
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
      } else if (e.kind === 'rate-limited') scan.errors.push({ reason: 'rate-limited', message: `${wfLabel}: ${e.message}` });
      else scan.errors.push({ reason: 'api-error', message: `${wfLabel}: ${e.message}` });
    } else throw e;
  }
  scan.requests = client.requests;
  return scan;
}

/**
 * Walk runs newest first and return the first one `match` accepts. `sinceMs` bounds the search with
 * `created>=`. Each query is paginated (100 per page); when a query reaches the 1,000-result cap, the next
 * query narrows `created` to end at the oldest run seen, so nothing beyond the cap is silently skipped.
 */
async function search(
  client: GitHubClient,
  path: string,
  base: Record<string, string>,
  sinceMs: number | undefined,
  match: (run: WorkflowRun) => boolean,
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
    let pages = 0;
    budget();
    for await (const page of client.paginate<RunsPage>(path, { ...base, per_page: PER_PAGE, exclude_pull_requests: 'true', created }, RESULT_CAP / PER_PAGE)) {
      pages++;
      const runs = page.data?.workflow_runs;
      if (!Array.isArray(runs) || (page.data.total_count !== undefined && typeof page.data.total_count !== 'number')) {
        throw new SearchError(`${label}: unexpected API response (no workflow_runs array)`, 'api-error');
      }
      total = Math.max(total, page.data.total_count ?? 0);
      for (const run of runs) {
        if (!run || typeof run !== 'object' || typeof run.id !== 'number') throw new SearchError(`${label}: unexpected API response (a run without an id)`, 'api-error');
        inQuery++;
        if (seenIds.has(run.id)) continue;
        seenIds.add(run.id);
        scan.runsSeen++;
        const c = Date.parse(run.created_at ?? '');
        if (!Number.isNaN(c)) oldest = oldest === undefined ? c : Math.min(oldest, c);
        if (match(run)) return run;
      }
      if (runs.length < PER_PAGE) break;
      budget();
    }
    // Exhausted this query. Only continue when it stopped at the cap and GitHub says there is more.
    const capped = pages >= RESULT_CAP / PER_PAGE && inQuery >= RESULT_CAP && total > inQuery;
    if (!capped) return undefined;
    if (oldest === undefined) throw new SearchError(`${label}: ${total} runs match but none has a created_at to continue from`, 'search-incomplete');
    const next = isoSeconds(oldest);
    if (next === upper) throw new SearchError(`${label}: more than ${RESULT_CAP} runs created at ${next}; cannot page past the API's result cap`, 'search-incomplete');
    upper = next;
  }
}

function toDrill(run: WorkflowRun, passed: boolean, opts: GitHubSourceOptions, label: string): Drill {
  const when = run.run_started_at ?? run.created_at;
  const ms = parseTimestamp(when);
  if (ms === undefined) throw new SearchError(`${label}: run ${run.id} has an unparseable run_started_at/created_at ${JSON.stringify(when ?? null)}`, 'bad-timestamp');
  if (ms > opts.nowMs + opts.skewMs) {
    throw new SearchError(`${label}: run ${run.id} started at ${when}, in the future (now ${new Date(opts.nowMs).toISOString()}, allowed clock skew ${Math.round(opts.skewMs / 1000)} s)`, 'future-timestamp');
  }
  const url = typeof run.html_url === 'string' && /^https?:\/\//.test(run.html_url) ? run.html_url : undefined;
  return { source: 'github', at: ms, passed, where: url ?? `run ${run.id}`, url, status: run.conclusion ?? 'unknown' };
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
