import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gate from '../../../src/gates/pin-lint/index.js';
import { executeGate } from '../../../src/core/runner.js';
import { startServer, json, type LocalServer } from '../../helpers/http.js';

const CHECKOUT_V411 = '1'.repeat(40);
const TAG_OBJECT = 'f'.repeat(40);
const CACHE_V4 = '2'.repeat(40);
const OTHER = '3'.repeat(40);
const TOKEN = 'ghs_pinlintTESTtokenPINLINTtesttoken01';

let server: LocalServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const routes: Record<string, unknown> = {
      // annotated tag: ref → tag object → commit
      '/repos/actions/checkout/git/ref/tags/v4.1.1': { object: { type: 'tag', sha: TAG_OBJECT } },
      [`/repos/actions/checkout/git/tags/${TAG_OBJECT}`]: { object: { type: 'commit', sha: CHECKOUT_V411 } },
      // lightweight tag
      '/repos/actions/cache/git/ref/tags/v4': { object: { type: 'commit', sha: CACHE_V4 } },
      '/repos/actions/cache/git/ref/tags/v4.2.0': { object: { type: 'commit', sha: CACHE_V4 } },
    };
    if (u.pathname === '/repos/broken/api/git/ref/tags/v1') return json(res, 500, {});
    const body = routes[u.pathname];
    if (body) json(res, 200, body);
    else json(res, 404, { message: 'Not Found' });
  });
});
afterAll(() => server.close());

function repo(files: Record<string, string | Buffer>) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-pl-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const run = (cwd: string, raw: Record<string, string>) =>
  executeGate(gate, { 'record-file': join(cwd, '.rec.ndjson'), token: TOKEN, 'api-url': server.url, ...raw }, { cwd, env: {}, logger: { info() {}, warn() {}, debug() {} }, sleep: async () => undefined });

const wf = (steps: string) => `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n${steps}`;

describe('pin-lint online: version comments resolved through the GitHub API', () => {
  it('peels annotated tags; a matching comment passes', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: actions/checkout@${CHECKOUT_V411} # v4.1.1\n      - uses: actions/cache@${CACHE_V4} # 4.2.0\n`) });
    const out = await run(cwd, {});
    expect(out.result.findings).toEqual([]);
    expect(out.result.outcome).toBe('pass');
    expect(server.requests.some((r) => r.url === `/repos/actions/checkout/git/tags/${TAG_OBJECT}`)).toBe(true);
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('reports a mismatch (the comment says one release, the SHA is another) and an unknown tag', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: actions/checkout@${OTHER} # v4.1.1\n      - uses: actions/cache@${CACHE_V4} # v9.9.9\n`) });
    const out = await run(cwd, {});
    expect(out.result.outcome).toBe('fail');
    expect(out.result.reasons).toContain('version-mismatch');
    expect(out.result.findings.map((f) => [f.rule, f.line, f.column])).toEqual([
      ['version-mismatch', 6, 15],
      ['version-unresolved', 7, 15],
    ]);
    expect(out.result.findings[0].message).toContain(`is commit ${CHECKOUT_V411}, not ${OTHER}`);
  });

  it('an API that keeps failing makes the gate error, not pass', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: broken/api@${OTHER} # v1\n`) });
    const out = await run(cwd, {});
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toContain('api-error');
    expect(JSON.stringify(out.result)).not.toContain(TOKEN);
  });
});

describe('pin-lint --fix', () => {
  it('rewrites tags to SHAs with a # tag comment and changes no other byte', async () => {
    const before =
      '\uFEFFon: push\r\njobs:\r\n  a:\r\n    runs-on: x   # keep me\r\n    steps:\r\n' +
      '      - uses: actions/checkout@v4.1.1\r\n' +
      '      - uses: "actions/cache@v4"\r\n' +
      "      - {uses: 'actions/cache@v4', with: {x: 1}}\r\n" +
      '      - uses: actions/cache@v4 # existing note\r\n' +
      '      - uses: actions/cache@main\r\n' +
      '      - uses: ./local\r\n';
    const cwd = repo({ '.github/workflows/ci.yml': Buffer.from(before, 'utf8') });
    const out = await run(cwd, { fix: 'true' });
    const after = readFileSync(join(cwd, '.github/workflows/ci.yml'), 'utf8');
    const expected =
      '\uFEFFon: push\r\njobs:\r\n  a:\r\n    runs-on: x   # keep me\r\n    steps:\r\n' +
      `      - uses: actions/checkout@${CHECKOUT_V411} # v4.1.1\r\n` +
      `      - uses: "actions/cache@${CACHE_V4}" # v4\r\n` +
      `      - {uses: 'actions/cache@${CACHE_V4}', with: {x: 1}} # v4\r\n` +
      `      - uses: actions/cache@${CACHE_V4} # existing note\r\n` +
      '      - uses: actions/cache@main\r\n' +
      '      - uses: ./local\r\n';
    expect(after).toBe(expected);
    expect(out.result.metrics?.fixed).toBe(4);
    // main is a branch, not a tag: left alone, said so, and still failing
    expect(out.result.messages?.join('\n')).toMatch(/actions\/cache@main is not a tag/);
    expect(out.result.outcome).toBe('fail');
    expect(out.result.findings.filter((f) => f.rule === 'unpinned-action').map((f) => f.line)).toEqual([10]);
  });

  it('a version-mismatch found before the fix still fails the gate after the fix re-lints', async () => {
    // OTHER is pinned with a comment naming v4.1.1, which is CHECKOUT_V411: a mismatch; the cache tag gets fixed
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: actions/checkout@${OTHER} # v4.1.1\n      - uses: actions/cache@v4\n`) });
    const out = await run(cwd, { fix: 'true' });
    expect(out.result.metrics?.fixed).toBe(1);
    expect(out.result.findings.map((f) => f.rule)).toContain('version-mismatch');
    expect(out.result.outcome).toBe('fail');
    expect(out.result.reasons).toContain('version-mismatch');
    expect(out.result.reasons).not.toContain('ok');
  });

  it('an API error before the fix still makes the gate error after the fix re-lints', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: broken/api@${OTHER} # v1\n      - uses: actions/cache@v4\n`) });
    const out = await run(cwd, { fix: 'true' });
    expect(out.result.metrics?.fixed).toBe(1);
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toContain('api-error');
    expect(out.result.reasons).not.toContain('ok');
  });

  it('needs a token', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf('      - uses: actions/checkout@v4\n') });
    const out = await executeGate(gate, { fix: 'true', 'record-file': join(cwd, 'r.ndjson') }, { cwd, env: {}, logger: { info() {}, warn() {}, debug() {} } });
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toEqual(['invalid-input']);
    expect(out.result.messages?.[0]).toMatch(/needs the GitHub API: give a token/);
  });
});
