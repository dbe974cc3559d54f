import { afterEach, describe, expect, it } from 'vitest';
import { GitHubClient, GitHubApiError, nextLink } from '../../src/core/github.js';
import { startServer, json, type LocalServer } from '../helpers/http.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const sleeps: number[] = [];
const client = (url: string, extra = {}) => new GitHubClient({ baseUrl: url, token: 'ghs_testtokentesttokentesttokentesttoken1', sleep: async (ms) => void sleeps.push(ms), random: () => 1, ...extra });

describe('GitHubClient against a real HTTP server', () => {
  it('sends the token and API headers, parses JSON', async () => {
    server = await startServer((req, res) => json(res, 200, { ok: true }));
    const r = await client(server.url).get<{ ok: boolean }>('/repos/o/r');
    expect(r.data.ok).toBe(true);
    expect(server.requests[0].headers.authorization).toBe('Bearer ghs_testtokentesttokentesttokentesttoken1');
    expect(server.requests[0].headers.accept).toBe('application/vnd.github+json');
  });

  it('retries 500 then succeeds', async () => {
    server = await startServer((req, res, n) => (n < 3 ? json(res, 500, {}) : json(res, 200, { n })));
    const r = await client(server.url).get<{ n: number }>('/x');
    expect(r.data.n).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it('waits what Retry-After asks on 429/403 rate limits, then succeeds', async () => {
    sleeps.length = 0;
    server = await startServer((req, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '7' }) : n === 2 ? json(res, 403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' }) : json(res, 200, {})));
    await client(server.url, { now: () => 95_000 }).get('/x');
    expect(sleeps).toEqual([7000, 5000]);
  });

  it('gives up on a rate limit that asks for too long a wait', async () => {
    server = await startServer((req, res) => json(res, 429, {}, { 'retry-after': '3600' }));
    await expect(client(server.url).get('/x')).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 404 or 401, and names the path', async () => {
    server = await startServer((req, res) => json(res, req.url?.includes('missing') ? 404 : 401, {}));
    await expect(client(server.url).get('/repos/o/r/actions/workflows/missing.yml')).rejects.toThrow(/\/repos\/o\/r\/actions\/workflows\/missing.yml: 404/);
    await expect(client(server.url).get('/y')).rejects.toMatchObject({ kind: 'auth' });
    expect(server.requests).toHaveLength(2);
  });

  it('treats a non-JSON body as a bad response and a dead server as a network error', async () => {
    server = await startServer((req, res) => void res.end('<html>'));
    await expect(client(server.url).get('/x')).rejects.toMatchObject({ kind: 'bad-response' });
    const url = server.url;
    await server.close();
    server = undefined;
    const err = await client(url, { retries: 1 }).get('/x').catch((e) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err.kind).toBe('network');
  });

  it('follows Link pagination on the same origin', async () => {
    server = await startServer((req, res) => {
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? '1');
      const link: Record<string, string> = page < 3 ? { link: `<${server!.url}/items?page=${page + 1}&per_page=2>; rel="next", <${server!.url}/items?page=3>; rel="last"` } : {};
      json(res, 200, [page], link);
    });
    const pages: number[] = [];
    for await (const p of client(server.url).paginate<number[]>('/items', { per_page: 2 })) pages.push(...p.data);
    expect(pages).toEqual([1, 2, 3]);
    expect(nextLink('<https://a/b?page=2>; rel="next"')).toBe('https://a/b?page=2');
  });

  it('never puts the token in an error message', async () => {
    server = await startServer((req, res) => json(res, 500, {}));
    const err = await client(server.url, { retries: 0 }).get('/x?access_token=ghs_testtokentesttokentesttokentesttoken1').catch((e) => e);
    expect(String(err.message)).toContain('server error 500');
  });
});
