// One client for the GitHub REST API. Tests point `baseUrl` at a real HTTP server on 127.0.0.1.
// Built on fetch (injected), see docs/decisions/0003-github-client.md.
import { retry } from './retry.js';

export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly kind: 'not-found' | 'auth' | 'rate-limited' | 'server' | 'network' | 'bad-response' | 'client',
    /** GitHub's own `message` from the error body (one line, at most 200 characters), e.g. "Resource not accessible by integration" */
    readonly apiMessage?: string,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

export interface GitHubClientOptions {
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
  /** retries for transient faults (5xx, network errors, rate limits with a wait we accept) */
  retries?: number;
  /** longest Retry-After / rate-limit reset we are willing to wait, ms (default 60 s) */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** per-request timeout, ms (default 30 s) */
  timeoutMs?: number;
  now?: () => number;
  userAgent?: string;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

interface Attempt {
  res?: Response;
  body?: string;
  error?: unknown;
}

export class GitHubClient {
  readonly baseUrl: string;
  private readonly opts: GitHubClientOptions;
  requests = 0;

  constructor(opts: GitHubClientOptions) {
    this.opts = opts;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  }

  /** GET a path (`/repos/o/r/...`) or a full URL on the same host (pagination links). */
  async get<T>(pathOrUrl: string, query?: Record<string, string | number | undefined>): Promise<ApiResponse<T>> {
    const url = this.url(pathOrUrl, query);
    const f = this.opts.fetch ?? globalThis.fetch;
    const maxWait = this.opts.maxWaitMs ?? 60_000;
    const now = this.opts.now ?? Date.now;
    const out = await retry<Attempt>(
      async () => {
        this.requests++;
        const ctl = new AbortController();
        const t = setTimeout(() => ctl.abort(), this.opts.timeoutMs ?? 30_000);
        try {
          const res = await f(url, {
            headers: {
              accept: 'application/vnd.github+json',
              'x-github-api-version': '2022-11-28',
              'user-agent': this.opts.userAgent ?? 'chaingate',
              ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
            },
            signal: ctl.signal,
            redirect: 'follow',
          });
          const body = await res.text();
          return { res, body };
        } catch (error) {
          return { error };
        } finally {
          clearTimeout(t);
        }
      },
      {
        retries: this.opts.retries ?? 3,
        baseDelayMs: 1000,
        // a server-given wait we accept (≤ maxWait) is slept in full, not cut to retry()'s 30 s default cap
        maxDelayMs: maxWait,
        sleep: this.opts.sleep,
        random: this.opts.random,
        isTransientResult: (a) => {
          if (a.error) return true; // network error, timeout
          const s = a.res!.status;
          if (s >= 500) return true;
          if (s === 429 || (s === 403 && isRateLimited(a.res!, a.body))) {
            const wait = rateLimitWait(a.res!, now(), a.body);
            return wait !== undefined && wait <= maxWait;
          }
          return false;
        },
        retryAfterMs: (a) => (a?.res ? rateLimitWait(a.res, now(), a.body) : undefined),
      },
    );
    const a = out.value;
    const where = redactUrl(url);
    if (a.error) {
      throw new GitHubApiError(`GitHub API ${where}: ${(a.error as Error)?.name === 'AbortError' ? 'request timed out' : `network error: ${(a.error as Error)?.message ?? a.error}`}`, 0, 'network');
    }
    const res = a.res!;
    if (res.status === 404) throw new GitHubApiError(`GitHub API ${where}: 404 not found`, 404, 'not-found');
    if (res.status === 401) throw new GitHubApiError(`GitHub API ${where}: 401 bad credentials`, 401, 'auth', apiMessage(a.body));
    if (res.status === 429 || (res.status === 403 && isRateLimited(res, a.body))) {
      throw new GitHubApiError(`GitHub API ${where}: rate limited (${res.status}); gave up after ${out.attempts} attempt(s)`, res.status, 'rate-limited', apiMessage(a.body));
    }
    if (res.status === 403) throw new GitHubApiError(`GitHub API ${where}: 403 forbidden (token lacks access?)`, 403, 'auth', apiMessage(a.body));
    if (res.status >= 500) throw new GitHubApiError(`GitHub API ${where}: server error ${res.status} after ${out.attempts} attempt(s)`, res.status, 'server');
    if (res.status < 200 || res.status >= 300) throw new GitHubApiError(`GitHub API ${where}: unexpected status ${res.status}`, res.status, 'client');
    let data: T;
    try {
      data = JSON.parse(a.body ?? '') as T;
    } catch {
      throw new GitHubApiError(`GitHub API ${where}: response is not JSON`, res.status, 'bad-response');
    }
    return { status: res.status, data, headers: res.headers };
  }

  /** Follow `Link: <…>; rel="next"` until `max` pages or no next link. */
  async *paginate<T>(path: string, query: Record<string, string | number | undefined>, maxPages = 10): AsyncGenerator<ApiResponse<T>> {
    let next: string | undefined = this.url(path, query);
    for (let page = 0; next && page < maxPages; page++) {
      const res: ApiResponse<T> = await this.get<T>(next);
      yield res;
      next = nextLink(res.headers.get('link'));
      if (next && !sameOrigin(next, this.baseUrl)) {
        throw new GitHubApiError(`GitHub API: pagination link leaves ${this.baseUrl}`, 0, 'bad-response');
      }
    }
  }

  /** absolute URL of a path (or same-host URL) with a query */
  url(pathOrUrl: string, query?: Record<string, string | number | undefined>): string {
    const u = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(this.baseUrl + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }
}

/** GitHub's secondary rate limit answers 403 (or 429) whose message says so, often without Retry-After. */
const SECONDARY = /secondary rate limit|abuse detection/i;

function isRateLimited(res: Response, body?: string): boolean {
  return res.headers.get('x-ratelimit-remaining') === '0' || res.headers.has('retry-after') || (body !== undefined && SECONDARY.test(body.slice(0, 2000)));
}

/** `message` of a GitHub error body, one line, at most 200 characters. */
function apiMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const m = (JSON.parse(body) as { message?: unknown })?.message;
    return typeof m === 'string' && m.trim() ? m.replace(/\s+/g, ' ').trim().slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long the server asks us to wait: Retry-After (seconds or HTTP date), else x-ratelimit-reset; a secondary
 * rate limit without either means "wait at least a minute" (GitHub's documented rule).
 */
export function rateLimitWait(res: Response, nowMs: number, body?: string): number | undefined {
  const ra = res.headers.get('retry-after');
  if (ra) {
    if (/^\d+$/.test(ra.trim())) return Number(ra.trim()) * 1000;
    const d = Date.parse(ra);
    if (!Number.isNaN(d)) return Math.max(0, d - nowMs);
  }
  if (res.headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - nowMs);
  }
  return res.status === 429 || (body !== undefined && SECONDARY.test(body.slice(0, 2000))) ? 60_000 : undefined;
}

/**
 * The `rel="next"` target of a Link header (RFC 8288): parameters in any order (`<u>; type="x"; rel="next"`),
 * several relation types in one value (`rel="next last"`), commas inside the URL or a quoted value.
 */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  const re = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,]*))?)*)/g;
  for (let m = re.exec(link); m; m = re.exec(link)) {
    for (const p of m[2].matchAll(/;\s*([^;,=\s]+)\s*(?:=\s*("[^"]*"|[^;,]*))?/g)) {
      if (p[1].toLowerCase() !== 'rel' || p[2] === undefined) continue;
      const rels = p[2].replace(/^"|"$/g, '').trim().toLowerCase().split(/\s+/);
      if (rels.includes('next')) return m[1];
    }
  }
  return undefined;
}

export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    url.username = '';
    url.password = '';
    return `${url.pathname}${url.search}`;
  } catch {
    return '(url)';
  }
}
