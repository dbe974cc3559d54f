// pin-lint on real-world shapes found in a fresh-eyes review (docs/decisions/0801-pin-lint-real-world-precision.md):
// each defect has a test that failed before its fix, with true negatives beside the true positives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import gate from '../../../src/gates/pin-lint/index.js';
import { structureChanged } from '../../../src/gates/pin-lint/online.js';
import { executeGate } from '../../../src/core/runner.js';
import { scanText, versionInComment, tagInComment, literalChoices } from '../../../src/gates/pin-lint/scan.js';
import { buildPolicy } from '../../../src/gates/pin-lint/policy.js';
import { startServer, json, type LocalServer } from '../../helpers/http.js';

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const DIG = `sha256:${'a'.repeat(64)}`;
const policy = buildPolicy(undefined);
const scan = (text: string) => scanText('w.yml', text, { policy });
const where = (text: string) => scan(text).findings.map((f) => `${f.rule}@${f.line}:${f.column}`);
const wf = (steps: string, extra = '') => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`;

describe('version comments: what a comment beside a SHA names (offline)', () => {
  it.each([
    ['pinned to v4.2.2.', 'v4.2.2'], // a sentence's full stop is not part of the version (was: no version)
    ['v4.2.2 (2024-10-23)', 'v4.2.2'],
    ['v4.2.2', 'v4.2.2'],
    ['renovate: tag=v4.2.2', 'v4.2.2'],
    ['pin @v4.2.2', 'v4.2.2'],
    ['ratchet:actions/checkout@v4', 'v4'],
    ['2026.08.14.1', '2026.08.14.1'], // Homebrew/actions calendar tags
    ['v1.0.0-rc.1.', 'v1.0.0-rc.1'],
  ])('%s names %s', (c, v) => expect(versionInComment(c)).toBe(v));

  it.each(['2024-10-23', 'pinned 2024-10-23', 'main (2024-01-01)'])('a bare date is not a version: %s (was: resolved online as a tag, version-unresolved)', (c) =>
    expect(versionInComment(c)).toBeUndefined(),
  );

  it.each([
    ['create-github-app-token/v0.3.1', 'create-github-app-token/v0.3.1'], // grafana/shared-workflows
    ['azure-trusted-signing/v1.0.3', 'azure-trusted-signing/v1.0.3'],
    ['release/v1', 'release/v1'], // pypa/gh-action-pypi-publish, re-actors/alls-green: a branch
    ['deploy-v1.2.3', 'deploy-v1.2.3'], // release-please component tags
    ['v4.2.2', undefined],
    ['tag=v1.1.3', undefined],
    ['https://github.com/oven-sh/setup-bun/releases/tag/v2.2.0', undefined],
    ['ubuntu-24-04 support', undefined],
    ['ratchet:actions/checkout@v4', undefined],
  ])('%s names the whole tag %s', (c, t) => expect(tagInComment(c)).toBe(t));

  it('prefixed tags and a sentence-final version are version comments; a bare `#` claims nothing; a date alone is no version', () => {
    const text = wf(
      `      - uses: a/b@${SHA} # deploy-v1.2.3\n` +
        `      - uses: a/b@${SHA} # pinned to v4.2.2.\n` +
        `      - uses: a/b@${SHA} #\n` +
        `      - uses: a/b@${SHA} # 2024-10-23\n` +
        `      - uses: a/b@${SHA} # main\n`,
    );
    // before: version-comment on lines 6, 7, 8 as well (three false findings); the date passed as a "version"
    expect(where(text)).toEqual(['version-comment@9:15', 'version-comment@10:15']);
    const refs = scan(text).refs;
    expect(refs.map((r) => [r.commentVersion, r.commentTag])).toEqual([
      ['v1.2.3', 'deploy-v1.2.3'],
      ['v4.2.2', undefined],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });
});

describe('images: what is and is not a digest pin', () => {
  it('an upper-case or short digest is not a pin, and the message says why (docker refuses to pull it)', () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    container: postgres:16@sha256:${'B'.repeat(64)}\n    steps:\n      - uses: docker://alpine@sha256:abc\n      - uses: docker://alpine@${DIG}\n`;
    const r = scan(text);
    expect(r.findings.map((f) => `${f.rule}@${f.line}`)).toEqual(['unpinned-image@5', 'unpinned-image@7']);
    expect(r.findings[0].message).toContain('is not a valid digest');
    expect(r.findings[1].message).toContain('`sha256:abc` is not a valid digest');
  });

  it('a sha512 digest is a pin too (OCI registered algorithm); a tag with a digest is pinned', () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    container: postgres@sha512:${'a'.repeat(128)}\n    services:\n      r: {image: "redis:7.4.1@${DIG}"}\n    steps:\n      - uses: docker://ghcr.io/o/i:v1@${DIG}\n`;
    // before: unpinned-image at line 5
    expect(where(text)).toEqual([]);
  });

  it("`${{ cond && 'img:a' || 'img:b' }}`: each literal is checked (was: unpinnable-ref even when every literal has a digest)", () => {
    const pinned = `on: push\njobs:\n  a:\n    runs-on: x\n    container:\n      image: \${{ matrix.arch == 'arm64' && 'ghcr.io/o/arm@${DIG}' || 'ghcr.io/o/amd@${DIG}' }}\n    services:\n      db:\n        image: \${{ inputs.use-db && 'postgres@${DIG}' || '' }}\n    steps: []\n`;
    expect(where(pinned)).toEqual([]);
    const unpinned = `on: push\njobs:\n  a:\n    runs-on: x\n    container:\n      image: \${{ github.event_name == 'pull_request' && 'node:20' || 'node:22@${DIG}' }}\n    steps: []\n`;
    const r = scan(unpinned);
    expect(r.findings.map((f) => `${f.rule}@${f.line}:${f.column}`)).toEqual(['unpinned-image@6:14']);
    expect(r.findings[0].message).toContain('`node:20`');
    // an expression that can yield something not written in it stays unpinnable
    expect(where(unpinned.replace(`'node:22@${DIG}'`, 'inputs.image'))).toEqual(['unpinnable-ref@6:14']);
  });

  it.each([
    ["${{ a && 'x' || 'y' }}", ['x', 'y']],
    ["${{ a == 'p' && 'x:1' || b && 'y:2' || '' }}", ['x:1', 'y:2', '']],
    ["${{ (a || b) && 'x' || 'y' }}", ['x', 'y']],
    ["${{ a && 'it''s' || 'y' }}", ["it's", 'y']],
    ["${{ a && 'x' }}", undefined],
    ["${{ 'x' || 'y' }}", undefined],
    ["${{ a && 'x' || b }}", undefined],
    ["${{ a && b || 'y' }}", undefined],
    ["pre-${{ a && 'x' || 'y' }}", undefined],
  ])('literalChoices(%s)', (v, out) => expect(literalChoices(v)).toEqual(out));
});

describe('shapes that were already right (kept right)', () => {
  it('composite action: nested uses, docker:// with tag and digest, local and Dockerfile actions', () => {
    const action = `name: setup\nruns:\n  using: "composite"\n  steps:\n    - uses: actions/setup-node@v4\n    - uses: actions/cache@${SHA} # v4.2.0\n    - uses: docker://ghcr.io/hadolint/hadolint:v2.12.0\n    - uses: docker://ghcr.io/hadolint/hadolint:v2.12.0@${DIG}\n    - uses: ./.github/actions/inner\n    - run: echo\n      shell: bash\n`;
    expect(where(action)).toEqual(['unpinned-action@5:13', 'unpinned-image@7:13']);
    expect(where(`name: d\nruns:\n  using: 'docker'\n  image: 'Dockerfile'\n`)).toEqual([]);
    // not docker://: the runner builds it as a Dockerfile path, nothing pulled by tag
    expect(where(`name: d\nruns:\n  using: docker\n  image: 'alpine:3.20'\n`)).toEqual([]);
    expect(where(`name: d\nruns:\n  using: docker\n  image: 'docker://koalaman/shellcheck:stable'\n`)).toEqual(['unpinned-image@4:11']);
  });

  it('quoted keys, flow maps, complex keys, tabs before comments, commented-out steps, multi-line plain scalars', () => {
    const text = `"on": push\n"jobs":\n  "a":\n    "runs-on": x\n    "steps":\n      - "uses": actions/checkout@v4\n      - {"uses": "actions/setup-go@v5"}\n      - ? uses\n        : actions/cache@v4\n      # - uses: actions/upload-artifact@v4\n      - uses: actions/checkout@${SHA}\t# v4.2.2\n      - uses:\n          actions/setup-node@v4\n`;
    expect(where(text)).toEqual(['unpinned-action@6:17', 'unpinned-action@7:19', 'unpinned-action@9:11', 'unpinned-action@13:11']);
  });

  it('registry ports, no tag, docker.io names, case-insensitive owners, local Windows paths', () => {
    const text = wf(
      `      - uses: docker://localhost:5000/tools/lint\n      - uses: docker://localhost:5000/tools/lint@${DIG}\n      - uses: docker://alpine\n      - uses: Actions/Checkout@${SHA} # v4.2.2\n      - uses: .\\\\.github\\\\actions\\\\x\n`,
    );
    expect(where(text)).toEqual(['unpinned-image@6:15', 'unpinned-image@8:15']);
  });

  it("services with image: '' (GitHub skips them) and matrix entries without a container are not findings", () => {
    const text = `on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        include:\n          - os: ubuntu-latest\n            container: rockylinux:9\n          - os: macos-latest\n          - os: windows-latest\n            container: ''\n    runs-on: \${{ matrix.os }}\n    container: \${{ matrix.container }}\n    services:\n      redis:\n        image: ''\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-image@8:24']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// online: a model of GitHub's view of a few public repositories (routes as documented by the REST API)

const sha = (c: string) => c.repeat(40).slice(0, 40);
const C422 = sha('42'), C421 = sha('41'), C411 = sha('11'), TO411 = sha('e1'), C3 = sha('30'), IMP = sha('99');
const P1 = sha('p1'.replace('p', 'a')), P0 = sha('a0');
const G1 = sha('c1'), G2 = sha('c2'), GV = sha('c3');
const X1 = sha('d1'), X2 = sha('d2');

interface RepoModel {
  defaultBranch: string;
  branches: Record<string, string>;
  tags: Record<string, string | { object: string; commit: string }>;
  reach: Record<string, string[]>;
  network?: string[];
}

const REPOS: Record<string, RepoModel> = {
  // the major tag v4 has moved on to v4.2.2; v4.1.1 is annotated; v3.0.0 is another series
  'actions/checkout': {
    defaultBranch: 'main',
    branches: { main: C422 },
    tags: { v4: C422, 'v4.2.2': C422, 'v4.2.1': C421, 'v4.1.1': { object: TO411, commit: C411 }, 'v3.0.0': C3 },
    reach: { [C422]: [C421, C411, C3] },
    network: [IMP],
  },
  // no v1 tag: the README says `@release/v1`, a branch
  'pypa/gh-action-pypi-publish': { defaultBranch: 'unstable/v1', branches: { 'unstable/v1': P1, 'release/v1': P1 }, tags: { 'v1.12.4': P1, 'v1.12.3': P0 }, reach: { [P1]: [P0] } },
  // monorepo tags per component; a bare v1.3.2 tag belongs to something else
  'grafana/shared-workflows': {
    defaultBranch: 'main',
    branches: { main: G2 },
    tags: { 'create-github-app-token/v0.3.1': G1, 'get-vault-secrets/v1.3.2': G2, 'v1.3.2': GV },
    reach: { [G2]: [G1, GV] },
  },
  // only full versions are tagged
  'acme/fulltags': { defaultBranch: 'main', branches: { main: X2 }, tags: { 'v1.0.0': X1, 'v1.1.0': X2 }, reach: { [X2]: [X1] } },
};

function route(path: string, query: URLSearchParams, base: string): [number, unknown, Record<string, string>?] {
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  const model = m && REPOS[`${m[1]}/${m[2]}`.toLowerCase()];
  if (!m || !model) return [404, { message: 'Not Found' }];
  const rest = decodeURIComponent(m[3] ?? '');
  const tagCommit = (t: RepoModel['tags'][string]) => (typeof t === 'string' ? t : t.commit);
  if (rest === '') return [200, { default_branch: model.defaultBranch }];
  let r = /^\/git\/ref\/tags\/(.+)$/.exec(rest);
  if (r) {
    const t = model.tags[r[1]];
    if (t === undefined) return [404, { message: 'Not Found' }];
    return [200, { ref: `refs/tags/${r[1]}`, object: typeof t === 'string' ? { type: 'commit', sha: t } : { type: 'tag', sha: t.object } }];
  }
  r = /^\/git\/ref\/heads\/(.+)$/.exec(rest);
  if (r) return model.branches[r[1]] ? [200, { ref: `refs/heads/${r[1]}`, object: { type: 'commit', sha: model.branches[r[1]] } }] : [404, { message: 'Not Found' }];
  r = /^\/git\/tags\/([0-9a-f]{40})$/.exec(rest);
  if (r) {
    const hit = Object.entries(model.tags).find(([, t]) => typeof t !== 'string' && t.object === r![1]);
    return hit ? [200, { sha: r[1], tag: hit[0], object: { type: 'commit', sha: tagCommit(hit[1]) } }] : [404, { message: 'Not Found' }];
  }
  if (rest === '/tags' || rest === '/branches') {
    const all = rest === '/tags' ? Object.entries(model.tags).map(([name, t]) => ({ name, commit: { sha: tagCommit(t) } })) : Object.entries(model.branches).map(([name, h]) => ({ name, commit: { sha: h } }));
    const per = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    const more = page * per < all.length;
    return [200, all.slice((page - 1) * per, page * per), more ? { link: `<${base}${path}?per_page=${per}&page=${page + 1}>; rel="next"` } : {}];
  }
  r = /^\/compare\/(.+)\.\.\.([0-9a-f]{40})$/.exec(rest);
  if (r) {
    const b = r[1].replace(/^refs\/(heads|tags)\//, '');
    const head = model.branches[b] ?? (model.tags[b] !== undefined ? tagCommit(model.tags[b]) : undefined);
    if (!head) return [404, { message: 'Not Found' }];
    if (r[2] === head) return [200, { status: 'identical' }];
    if (model.reach[head]?.includes(r[2])) return [200, { status: 'behind' }];
    return (model.network ?? []).includes(r[2]) ? [200, { status: 'diverged' }] : [404, { message: 'No common ancestor' }];
  }
  return [404, { message: 'Not Found' }];
}

let server: LocalServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const [status, body, headers] = route(u.pathname, u.searchParams, server.url);
    json(res, status, body, headers);
  });
});
afterAll(() => server.close());

function repo(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-pl2-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}
const run = (cwd: string, raw: Record<string, string> = {}) =>
  executeGate(gate, { 'record-file': join(cwd, '.rec.ndjson'), token: 'ghs_pinlintTESTtokenPINLINTtesttoken02', 'api-url': server.url, ...raw }, { cwd, env: {}, logger: { info() {}, warn() {}, debug() {} }, sleep: async () => undefined });
const found = (out: Awaited<ReturnType<typeof run>>) => out.result.findings.map((f) => `${f.rule}@${f.line}`);

describe('online: a major-only comment names a release series (Renovate `# v4`, ratchet)', () => {
  it('`# v4` on the commit of v4.2.1 after v4 moved to v4.2.2: no mismatch (was: version-mismatch, high)', async () => {
    const cwd = repo({
      '.github/workflows/ci.yml': wf(
        `      - uses: actions/checkout@${C421} # v4\n` +
          `      - uses: actions/checkout@${C421} # ratchet:actions/checkout@v4\n` +
          `      - uses: actions/checkout@${C422} # v4\n` +
          `      - uses: actions/checkout@${C411} # v4.1\n`,
      ),
    });
    const out = await run(cwd);
    expect(found(out)).toEqual([]);
    expect(out.result.outcome).toBe('pass');
  });

  it('`# v4` on a commit that is no v4.* release: still a mismatch, and the message says what was searched', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: actions/checkout@${C3} # v4\n      - uses: actions/checkout@${C421} # v4.2.2\n`) });
    const out = await run(cwd);
    expect(found(out)).toEqual(['version-mismatch@6', 'version-mismatch@7']);
    expect(out.result.findings[0].message).toMatch(/no v4\.\* tag of the 5 the repository has names/);
    expect(out.result.outcome).toBe('fail');
  });

  it('`# v4` on a commit only in the fork network: mismatch and impostor', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: actions/checkout@${IMP} # v4\n`) });
    expect(found(await run(cwd))).toEqual(['version-mismatch@6', 'impostor-commit@6']);
  });

  it('`# v1` where the repository tags only full versions: the series names the commit (was: version-unresolved, medium)', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: acme/fulltags@${X1} # v1\n      - uses: acme/fulltags@${X1} # v2\n`) });
    const out = await run(cwd);
    expect(found(out)).toEqual(['version-unresolved@7']);
    expect(out.result.findings[0].message).toMatch(/has no tag `v2`.*no v2\.\* tag/);
  });
});

describe('online: comments that name a whole tag or a branch', () => {
  it('grafana/shared-workflows monorepo tags are resolved whole (was: `v0.3.1` unresolved, `v1.3.2` another component\'s mismatch)', async () => {
    const cwd = repo({
      '.github/workflows/ci.yml': wf(
        `      - uses: grafana/shared-workflows/actions/create-github-app-token@${G1} # create-github-app-token/v0.3.1\n` +
          `      - uses: grafana/shared-workflows/actions/get-vault-secrets@${G2} # get-vault-secrets/v1.3.2\n` +
          `      - uses: grafana/shared-workflows/actions/get-vault-secrets@${G1} # get-vault-secrets/v1.3.2\n`,
      ),
    });
    const out = await run(cwd);
    expect(found(out)).toEqual(['version-mismatch@8']);
    expect(out.result.findings[0].message).toContain('the comment says `get-vault-secrets/v1.3.2`');
  });

  it('`# release/v1` names a branch (pypa/gh-action-pypi-publish): no version finding (was: version-unresolved, medium); the commit is still searched for', async () => {
    const cwd = repo({ '.github/workflows/ci.yml': wf(`      - uses: pypa/gh-action-pypi-publish@${P0} # release/v1\n      - uses: pypa/gh-action-pypi-publish@${IMP} # release/v1\n      - uses: pypa/gh-action-pypi-publish@${P1} # release/v2\n`) });
    const out = await run(cwd);
    expect(found(out)).toEqual(['impostor-commit@7', 'version-unresolved@8']);
  });
});

describe('--fix on hard shapes: the file parses to the same structure apart from the refs, comments kept', () => {
  const parsed = (t: string) => JSON.stringify(parseAllDocuments(t).map((d) => (d as { toJS(): unknown }).toJS()));

  it('two refs on one line of flow style are both pinned, with one comment (was: offsets shifted, the file left unchanged as unparseable)', async () => {
    const before = `on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{uses: actions/checkout@v4.2.2}, {uses: "actions/checkout@v4.2.1", with: {x: 1}}]   \n`;
    const cwd = repo({ '.github/workflows/ci.yml': before });
    const out = await run(cwd, { fix: 'true' });
    const after = readFileSync(join(cwd, '.github/workflows/ci.yml'), 'utf8');
    expect(after).toBe(`on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{uses: actions/checkout@${C422}}, {uses: "actions/checkout@${C421}", with: {x: 1}}]    # actions/checkout@v4.2.2, actions/checkout@v4.2.1\n`);
    expect(parsed(after)).toBe(parsed(before).replace('@v4.2.2', `@${C422}`).replace('@v4.2.1', `@${C421}`));
    expect(out.result.metrics?.fixed).toBe(2);
    expect(out.result.outcome).toBe('pass');
  });

  it('a line that ends inside a quoted string: the comment would become part of the string, so the ref is pinned without it (was: written into the step name)', async () => {
    const before = `on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{uses: actions/checkout@v4.2.2, name: "check\n      out"}]\n`;
    const cwd = repo({ '.github/workflows/ci.yml': before });
    const out = await run(cwd, { fix: 'true' });
    const after = readFileSync(join(cwd, '.github/workflows/ci.yml'), 'utf8');
    expect(after).toBe(before.replace('@v4.2.2', `@${C422}`));
    expect(parsed(after)).toBe(parsed(before).replace('@v4.2.2', `@${C422}`));
    expect(out.result.messages?.join('\n')).toMatch(/comments were not added/);
    expect(out.result.outcome).toBe('pass');
  });

  it('block style with anchors, comments in odd places, a multi-line flow mapping and a block scalar: every comment kept', async () => {
    const before =
      'on: push # trigger\n' +
      'jobs:\n' +
      '  a:\n' +
      '    runs-on: x\n' +
      '    steps:\n' +
      '      # - uses: actions/checkout@v3\n' +
      '      - &co\n' +
      '        uses: actions/checkout@v4.2.2 # already noted\n' +
      '      - {uses: actions/checkout@v4.2.1,\n' +
      '         with: {fetch-depth: 0}}\n' +
      '      - uses: >-\n' +
      '          actions/checkout@v4.1.1\n' +
      '      - uses:\n' +
      '          actions/checkout@v4\n' +
      '  b:\n' +
      '    runs-on: x\n' +
      '    steps: [*co]\n';
    const cwd = repo({ '.github/workflows/ci.yml': before });
    const out = await run(cwd, { fix: 'true', 'fail-on': 'high' });
    const after = readFileSync(join(cwd, '.github/workflows/ci.yml'), 'utf8');
    expect(after).toBe(
      'on: push # trigger\n' +
        'jobs:\n' +
        '  a:\n' +
        '    runs-on: x\n' +
        '    steps:\n' +
        '      # - uses: actions/checkout@v3\n' +
        '      - &co\n' +
        `        uses: actions/checkout@${C422} # already noted\n` +
        `      - {uses: actions/checkout@${C421}, # v4.2.1\n` +
        '         with: {fetch-depth: 0}}\n' +
        '      - uses: >-\n' +
        `          actions/checkout@${C411}\n` +
        '      - uses:\n' +
        `          actions/checkout@${C422} # v4\n` +
        '  b:\n' +
        '    runs-on: x\n' +
        '    steps: [*co]\n',
    );
    expect(parsed(after)).toBe(parsed(before).replaceAll('@v4.2.2', `@${C422}`).replace('@v4.2.1', `@${C421}`).replace('@v4.1.1', `@${C411}`).replace('@v4"', `@${C422}"`));
    expect(out.result.metrics?.fixed).toBe(4);
  });

  it('a ref written with an escape is not edited blindly (was: the bytes at a guessed offset replaced): left as it is, said so', async () => {
    const before = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: "actions/checkout@v4\\u002e2.2"\n      - uses: actions/checkout@v4.2.1\n`;
    const cwd = repo({ '.github/workflows/ci.yml': before });
    const out = await run(cwd, { fix: 'true' });
    expect(readFileSync(join(cwd, '.github/workflows/ci.yml'), 'utf8')).toBe(before.replace('@v4.2.1', `@${C421} # v4.2.1`));
    expect(out.result.messages?.join('\n')).toMatch(/not written out plainly.*pin it by hand/);
    expect(found(out)).toEqual(['unpinned-action@6']);
  });

  it('the structure guard: only the swapped refs may differ', () => {
    const before = 'a:\n  - uses: o/r@v1\n    name: "x\n      y"\n';
    const at = before.indexOf('v1');
    const pinned = before.replace('@v1', `@${C422}`);
    expect(structureChanged(before, pinned, [{ start: at, end: at + 2, insert: C422 }])).toBeUndefined();
    // a comment inside the quoted string changes the name
    expect(structureChanged(before, pinned.replace('"x', '"x # v1'), [{ start: at, end: at + 2, insert: C422 }])).toMatch(/another structure/);
    // a ref swapped that was not declared
    expect(structureChanged(before, pinned, [])).toMatch(/another structure/);
    expect(structureChanged(before, 'a: [', [])).toMatch(/would not parse/);
  });
});
