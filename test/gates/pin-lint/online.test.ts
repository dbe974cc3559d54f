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

/**
 * A small model of GitHub's view of some repositories: branches and tags with their heads, which commits each
 * head reaches, and commits that exist only in the fork network (GitHub serves those at o/r@sha too, and its
 * compare API answers `diverged` for them). The routes follow the REST API's documented shapes.
 */
interface RepoModel {
  defaultBranch: string;
  branches: Record<string, string>;
  /** lightweight tags: name → commit; annotated: name → {object, commit} */
  tags: Record<string, string | { object: string; commit: string }>;
  /** head commit → the commits it reaches (itself excluded) */
  reach: Record<string, string[]>;
  /** commits in the fork network only */
  network?: string[];
  tagPages?: number; // list tags over this many pages (all with a next link when > listPages)
  brokenCompare?: boolean;
}

const sha = (c: string) => c.repeat(40).slice(0, 40);
// acme/tool: main = M1 → M2; releases/v1 = R1 → R2 (not on main); feature-x = F1;
// tag v1.0.0 = T1 whose parent T0 is on no branch; v2.0.0 annotated (object TO2) at M2; IMP only in a fork
const M1 = sha('a1'), M2 = sha('a2'), R1 = sha('b1'), R2 = sha('b2'), F1 = sha('c1'), T0 = sha('d0'), T1 = sha('d1'), TO2 = sha('e2'), IMP = sha('99'), NOWHERE = sha('98');

const REPOS: Record<string, RepoModel> = {
  'actions/checkout': { defaultBranch: 'main', branches: { main: CHECKOUT_V411 }, tags: { 'v4.1.1': { object: TAG_OBJECT, commit: CHECKOUT_V411 } }, reach: { [CHECKOUT_V411]: [OTHER] } },
  'actions/cache': { defaultBranch: 'main', branches: { main: CACHE_V4 }, tags: { v4: CACHE_V4, 'v4.2.0': CACHE_V4 }, reach: {} },
  'acme/tool': {
    defaultBranch: 'main',
    branches: { 'feature-x': F1, main: M2, 'releases/v1': R2 },
    tags: { 'v2.0.0': { object: TO2, commit: M2 }, 'v1.0.0': T1 },
    reach: { [M2]: [M1], [R2]: [R1, M1], [F1]: [M1], [T1]: [T0, M1] },
    network: [IMP],
  },
  // 12 branches besides main: more heads than the 10 compares a SHA may cost
  'acme/big': {
    defaultBranch: 'trunk',
    branches: Object.fromEntries([['trunk', M2], ...Array.from({ length: 12 }, (_, i) => [`topic-${String(i).padStart(2, '0')}`, sha(`f${i.toString(16)}`)])]),
    tags: {},
    reach: { [M2]: [M1] },
    network: [IMP],
  },
  // 350 tags: more than the 3 pages of 100 read
  'acme/paged': { defaultBranch: 'main', branches: { main: M2 }, tags: Object.fromEntries(Array.from({ length: 350 }, (_, i) => [`v0.0.${i}`, M2])), reach: { [M2]: [M1] }, network: [IMP] },
  'acme/flaky': { defaultBranch: 'main', branches: { main: M2 }, tags: {}, reach: {}, brokenCompare: true },
};

function route(path: string, query: URLSearchParams): [number, unknown, Record<string, string>?] {
  if (path === '/repos/broken/api/git/ref/tags/v1') return [500, {}];
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  const model = m && REPOS[`${m[1]}/${m[2]}`];
  if (!m || !model) return [404, { message: 'Not Found' }];
  const rest = decodeURIComponent(m[3] ?? '');
  const tagCommit = (t: RepoModel['tags'][string]) => (typeof t === 'string' ? t : t.commit);
  const objects = new Map(Object.entries(model.tags).flatMap(([name, t]) => (typeof t === 'string' ? [] : [[t.object, { name, commit: t.commit }] as const])));
  if (rest === '') return [200, { full_name: `${m[1]}/${m[2]}`, default_branch: model.defaultBranch }];
  let r = /^\/git\/ref\/tags\/(.+)$/.exec(rest);
  if (r) {
    const t = model.tags[r[1]];
    if (t === undefined) return [404, { message: 'Not Found' }];
    return [200, { ref: `refs/tags/${r[1]}`, object: typeof t === 'string' ? { type: 'commit', sha: t } : { type: 'tag', sha: t.object } }];
  }
  r = /^\/git\/tags\/([0-9a-f]{40})$/.exec(rest);
  if (r) {
    const o = objects.get(r[1]);
    return o ? [200, { sha: r[1], tag: o.name, object: { type: 'commit', sha: o.commit } }] : [404, { message: 'Not Found' }];
  }
  if (rest === '/tags' || rest === '/branches') {
    const all = rest === '/tags' ? Object.entries(model.tags).map(([name, t]) => ({ name, commit: { sha: tagCommit(t) } })) : Object.entries(model.branches).map(([name, h]) => ({ name, commit: { sha: h } }));
    const per = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    const items = all.slice((page - 1) * per, page * per);
    const more = page * per < all.length;
    return [200, items, more ? { link: `<${server.url}${path}?per_page=${per}&page=${page + 1}>; rel="next"` } : {}];
  }
  r = /^\/compare\/(.+)\.\.\.([0-9a-f]{40})$/.exec(rest);
  if (r) {
    if (model.brokenCompare) return [502, { message: 'Server Error' }];
    const base = r[1].replace(/^refs\/(heads|tags)\//, '');
    const head = model.branches[base] ?? (model.tags[base] !== undefined ? tagCommit(model.tags[base]) : undefined);
    if (!head) return [404, { message: 'Not Found' }];
    if (r[2] === head) return [200, { status: 'identical' }];
    if (model.reach[head]?.includes(r[2])) return [200, { status: 'behind' }];
    const known = Object.values(model.reach).flat().concat(Object.values(model.branches), Object.values(model.tags).map(tagCommit), model.network ?? []);
    return known.includes(r[2]) ? [200, { status: 'diverged' }] : [404, { message: `No common ancestor between ${base} and ${r[2]}.` }];
  }
  return [404, { message: 'Not Found' }];
}

let server: LocalServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const [status, body, headers] = route(u.pathname, u.searchParams);
    json(res, status, body, headers);
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

/** the requests the server saw while `fn` ran, as "path?query" */
async function seen<T>(fn: () => Promise<T>): Promise<[T, string[]]> {
  const before = server.requests.length;
  const out = await fn();
  return [out, server.requests.slice(before).map((r) => r.url)];
}

const rules = (out: Awaited<ReturnType<typeof run>>) => out.result.findings.map((f) => f.rule);

describe('pin-lint online: a SHA that names an annotated tag object', () => {
  it('pinned to the tag object of the tag its comment names: tag-object-pin (low), not a mismatch, and it passes', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${TO2} # v2.0.0\n`) });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(rules(out)).toEqual(['tag-object-pin']);
    const f = out.result.findings[0];
    expect([f.severity, f.line, f.column]).toEqual(['low', 6, 15]);
    expect(f.message).toContain(`${TO2} is the annotated tag object of \`v2.0.0\` in acme/tool, not a commit; it points to commit ${M2}`);
    expect(f.message).toContain(`pin ${M2}`);
    expect(out.result.outcome).toBe('pass');
    // the tag was reached through the repository's own ref: proven in the repository, no impostor search
    expect(urls.filter((u) => /compare|\/tags\?|\/branches/.test(u))).toEqual([]);
  });

  it('fails at fail-on low (it is a finding, not hidden)', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${TO2} # v2.0.0\n`) });
    const out = await run(cwd, { 'fail-on': 'low' });
    expect(out.result.outcome).toBe('fail');
    expect(out.result.reasons).toEqual(['findings']);
  });

  it('a tag object pinned under the comment of another tag: a mismatch that says where the object points', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${TO2} # v1.0.0\n`) });
    const out = await run(cwd, {});
    expect(rules(out)).toEqual(['version-mismatch']);
    expect(out.result.findings[0].message).toBe(`the comment says \`v1.0.0\`, but acme/tool@v1.0.0 is commit ${T1}; ${TO2} is the annotated tag object of \`v2.0.0\`, which points to commit ${M2}`);
    expect(out.result.outcome).toBe('fail');
  });

  it('a tag object pinned without a comment is peeled, reported, and its commit placed', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${TO2}\n`) });
    const out = await run(cwd, {});
    expect(rules(out)).toEqual(['tag-object-pin']);
    expect(out.result.findings[0].properties).toEqual({ commit: M2 });
    expect(out.result.outcome).toBe('pass');
  });

  it('a plain mismatch is still a mismatch (the SHA is no tag object)', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${M1} # v2.0.0\n`) });
    const out = await run(cwd, {});
    expect(rules(out)).toEqual(['version-mismatch']);
    expect(out.result.findings[0].message).toBe(`the comment says \`v2.0.0\`, but acme/tool@v2.0.0 is commit ${M2}, not ${M1}`);
  });
});

describe('pin-lint online: impostor commits', () => {
  it.each([
    ['a commit on the default branch', M1, 2],
    ['the head of the default branch', M2, 2],
    ['the head of a release branch', R2, 4],
    ['an older commit on a release branch only', R1, 5],
    ['a commit reachable only from a tag', T0, 7],
    ['the head of a feature branch', F1, 4],
  ])('%s is in the repository: no finding (%s, %i requests)', async (_name, commit, requests) => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${commit}\n`) });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(out.result.findings).toEqual([]);
    expect(out.result.outcome).toBe('pass');
    expect(urls).toHaveLength(requests);
    expect(out.result.metrics?.impostor_requests).toBe(requests);
    expect(urls[0]).toBe('/repos/acme/tool');
    expect(urls[1]).toBe(`/repos/acme/tool/compare/main...${commit}`);
  });

  it('a commit only in the fork network is an impostor-commit (high): the gate fails', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: actions/checkout@${CHECKOUT_V411} # v4.1.1\n      - uses: acme/tool@${IMP}\n`) });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(rules(out)).toEqual(['impostor-commit']);
    const f = out.result.findings[0];
    expect([f.severity, f.line, f.column, f.isError]).toEqual(['high', 7, 15, undefined]);
    expect(f.message).toContain(`commit ${IMP} is not in acme/tool's own history`);
    expect(f.message).toContain('GitHub serves a commit pushed to any fork at acme/tool@<sha>');
    expect(out.result.outcome).toBe('fail');
    expect(out.result.reasons).toEqual(['impostor-commit']);
    // exhaustive and bounded: repo, default compare, one page of tags and branches, one compare per other distinct head
    expect(urls.filter((u) => u.includes('acme/tool')).sort()).toEqual(
      [
        '/repos/acme/tool',
        `/repos/acme/tool/compare/main...${IMP}`,
        '/repos/acme/tool/tags?per_page=100',
        '/repos/acme/tool/branches?per_page=100',
        `/repos/acme/tool/compare/refs%2Fheads%2Freleases%2Fv1...${IMP}`,
        `/repos/acme/tool/compare/refs%2Fheads%2Ffeature-x...${IMP}`,
        `/repos/acme/tool/compare/refs%2Ftags%2Fv1.0.0...${IMP}`,
        `/repos/acme/tool/git/tags/${IMP}`,
      ].sort(),
    );
  });

  it('a SHA GitHub does not know at all is not in the repository either', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${NOWHERE} # not a version\n`) });
    const out = await run(cwd, {});
    expect(rules(out).sort()).toEqual(['impostor-commit', 'version-comment']);
    expect(out.result.outcome).toBe('fail');
  });

  it('an impostor under a version comment: the mismatch and the impostor are both reported', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${IMP} # v2.0.0\n`) });
    const out = await run(cwd, {});
    expect(rules(out)).toEqual(['version-mismatch', 'impostor-commit']);
    expect(out.result.reasons.sort()).toEqual(['impostor-commit', 'version-mismatch']);
  });

  it('a reusable workflow pinned to an impostor commit is caught too', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    uses: acme/tool/.github/workflows/x.yml@${IMP}\n` });
    const out = await run(cwd, {});
    expect(rules(out)).toEqual(['impostor-commit']);
  });

  it('policy `any` for the repository: not checked, no request', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${IMP}\n`), '.github/chaingate.yml': 'pin-lint:\n  policy:\n    "acme/*": any\n' });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(out.result.findings).toEqual([]);
    expect(urls).toEqual([]);
  });

  it('more branch heads than the compare bound: impostor-unverified, outcome error (not a guess either way)', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/big@${IMP}\n`) });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(rules(out)).toEqual(['impostor-unverified']);
    const f = out.result.findings[0];
    expect(f.isError).toBe(true);
    expect(f.message).toContain('3 branch/tag head(s) were not compared (at most 10 compares per SHA)');
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toEqual(['impostor-unverified']);
    expect(urls.filter((u) => u.includes('/compare/'))).toHaveLength(10);
  });

  it('a commit on the default branch of that large repository is still proven in two requests', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/big@${M1}\n`) });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(out.result.outcome).toBe('pass');
    expect(urls).toEqual(['/repos/acme/big', `/repos/acme/big/compare/trunk...${M1}`]);
  });

  it('more tags than the pages read: impostor-unverified, and the message says so', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/paged@${IMP}\n`) });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(rules(out)).toEqual(['impostor-unverified']);
    expect(out.result.findings[0].message).toContain('tags beyond the first 300 were not read');
    expect(urls.filter((u) => u.includes('/tags?'))).toHaveLength(3);
  });

  it('an unverified pin suppressed inline after a human check: reported as suppressed, the gate passes', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/big@${IMP} # chaingate: ignore[pin-lint]\n`) });
    const out = await run(cwd, {});
    expect(rules(out)).toEqual(['impostor-unverified']);
    expect(out.result.findings[0].suppressed?.kind).toBe('inSource');
    expect(out.result.outcome).toBe('pass');
  });

  it('a repository the token cannot see: impostor-unverified', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: hidden/thing@${M1}\n`) });
    const out = await run(cwd, {});
    expect(rules(out)).toEqual(['impostor-unverified']);
    expect(out.result.findings[0].message).toContain('hidden/thing is not visible to the token (404)');
    expect(out.result.outcome).toBe('error');
  });

  it('a compare that keeps failing is an api-error, never a pass or an impostor', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/flaky@${M1}\n`) });
    const out = await run(cwd, {});
    expect(out.result.findings).toEqual([]);
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toEqual(['api-error']);
    expect(out.result.messages?.join('\n')).toMatch(/cannot tell whether acme\/flaky@a1a1.* is in the repository: .*server error 502/);
  });

  it('request budget: a workflow with many pins costs one /repos call per repository and one compare per distinct SHA', async () => {
    const steps = Array.from({ length: 40 }, (_, i) => `      - uses: acme/tool@${[M1, M2, R2][i % 3]}\n`).join('') + `      - uses: actions/checkout@${CHECKOUT_V411} # v4.1.1\n`.repeat(10);
    const cwd = repo({ '.github/workflows/ci.yml': wf(steps), 'other/action.yml': `runs:\n  using: composite\n  steps:\n    - uses: acme/tool@${M1}\n` });
    const [out, urls] = await seen(() => run(cwd, {}));
    expect(out.result.outcome).toBe('pass');
    expect(urls.filter((u) => u === '/repos/acme/tool')).toHaveLength(1);
    expect(urls.filter((u) => u.includes('/tags?') || u.includes('/branches?'))).toEqual(['/repos/acme/tool/tags?per_page=100', '/repos/acme/tool/branches?per_page=100']);
    // M1 and M2: compare main; R2: compare main, then found at a branch head
    expect(urls.filter((u) => u.includes('/compare/'))).toHaveLength(3);
    // the checkout pins were proven by their tag: one ref + one tag-object lookup, no impostor search
    expect(urls.filter((u) => u.includes('actions/checkout'))).toEqual(['/repos/actions/checkout/git/ref/tags/v4.1.1', `/repos/actions/checkout/git/tags/${TAG_OBJECT}`]);
    expect(urls).toHaveLength(8);
    expect(out.result.metrics).toMatchObject({ api_requests: 8, impostor_requests: 6, placed: 41, resolved: 10 });
  });

  it('the token goes only in the Authorization header: never in a URL, the result, the record or the SARIF', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${IMP}\n      - uses: acme/big@${IMP}\n      - uses: acme/tool@${TO2}\n      - uses: acme/flaky@${M1}\n`) });
    const [out, urls] = await seen(() => run(cwd, { 'sarif-file': join(cwd, 'out.sarif') }));
    expect(out.result.outcome).toBe('error');
    expect(urls.join('\n')).not.toContain(TOKEN);
    const text = [JSON.stringify([out.result, out.record, out.sarif]), readFileSync(join(cwd, '.rec.ndjson'), 'utf8'), readFileSync(join(cwd, 'out.sarif'), 'utf8')].join('\n');
    expect(text).toContain('impostor-commit');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.slice(4));
    expect(server.requests.slice(-urls.length).every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });
});

describe('CommitPlacer bounds', () => {
  it('a run-wide request budget: once spent, later pins are unsettled, not guessed', async () => {
    const { Api, CommitPlacer } = await import('../../../src/gates/pin-lint/online.js');
    const { GitHubClient } = await import('../../../src/core/github.js');
    const placer = new CommitPlacer(new Api(new GitHubClient({ baseUrl: server.url, token: TOKEN })), { listPages: 3, comparesPerSha: 10, runBudget: 3 });
    expect(await placer.place('acme', 'tool', M1)).toEqual({ found: 'the default branch main' });
    expect(await placer.place('acme', 'tool', M2)).toEqual({ found: 'the default branch main' });
    expect(placer.requests).toBe(3);
    expect(await placer.place('acme', 'tool', IMP)).toEqual({ unsettled: expect.stringContaining('budget of 3 requests') });
    expect(placer.requests).toBe(3);
    // cached: asking again costs nothing
    expect(await placer.place('ACME', 'Tool', M1)).toEqual({ found: 'the default branch main' });
    expect(placer.requests).toBe(3);
  });
});

describe('pin-lint --fix and tag objects', () => {
  it('re-pins a tag-object SHA to the commit it points to, keeping the comment; the finding is settled', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/tool@${TO2} # v2.0.0\n      - uses: acme/tool@${TO2}   # chaingate: ignore[pin-lint]\n`) });
    const out = await run(cwd, { fix: 'true', 'fail-on': 'low' });
    expect(readFileSync(join(cwd, '.github/workflows/ci.yml'), 'utf8')).toBe(wf(`      - uses: acme/tool@${M2} # v2.0.0\n      - uses: acme/tool@${TO2}   # chaingate: ignore[pin-lint]\n`));
    expect(out.result.metrics?.fixed).toBe(1);
    // the suppressed one is left alone and still reported as suppressed
    expect(out.result.findings.map((f) => [f.rule, f.line, !!f.suppressed])).toEqual([['tag-object-pin', 7, true]]);
    expect(out.result.outcome).toBe('pass');
  });
});
