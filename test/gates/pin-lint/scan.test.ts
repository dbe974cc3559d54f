import { describe, expect, it } from 'vitest';
import { scanText, versionInComment, imageName } from '../../../src/gates/pin-lint/scan.js';
import { buildPolicy, levelFor, patternProblem } from '../../../src/gates/pin-lint/policy.js';
import { ConfigError } from '../../../src/core/types.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const DIG = `sha256:${'c'.repeat(64)}`;
const policy = buildPolicy(undefined);
const scan = (text: string, p = policy) => scanText('w.yml', text, { policy: p });
const where = (text: string, p = policy) => scan(text, p).findings.map((f) => `${f.rule}@${f.line}:${f.column}${f.suppressed ? ':suppressed' : ''}`);

const wf = (steps: string, extra = '') => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`;

describe('pin-lint: what must be flagged, exactly where', () => {
  it('tags, branches, short, long and upper-case SHAs on steps', () => {
    const text = wf(
      `      - uses: actions/checkout@v4\n      - uses: actions/cache@main\n      - uses: "actions/setup-node@${SHA.slice(0, 7)}"\n      - uses: 'o/r@${SHA}aa'\n      - uses: o/r/sub/dir@${SHA.toUpperCase()}\n`,
    );
    expect(where(text)).toEqual(['unpinned-action@6:15', 'unpinned-action@7:15', 'unpinned-action@8:16', 'unpinned-action@9:16', 'unpinned-action@10:15']);
    const msgs = scan(text).findings.map((f) => f.message);
    expect(msgs[0]).toContain('`v4` is a tag or branch');
    expect(msgs[2]).toContain('abbreviated SHA (7 characters)');
    expect(msgs[3]).toContain('longer than a commit SHA');
    expect(msgs[4]).toContain('lowercase');
  });

  it('reusable workflows, docker:// steps, containers and services', () => {
    const text = `on: push\njobs:\n  call:\n    uses: org/wf/.github/workflows/release.yml@v1\n  run:\n    runs-on: x\n    container:\n      image: node:22\n    services:\n      db:\n        image: postgres:16\n      cache: redis\n    steps:\n      - uses: docker://alpine:3.20\n  short:\n    runs-on: x\n    container: ubuntu:24.04\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-action@4:11', 'unpinned-image@8:14', 'unpinned-image@11:16', 'unpinned-image@12:14', 'unpinned-image@14:15', 'unpinned-image@17:16']);
    expect(scan(text).findings[0].message).toContain('reusable workflow');
  });

  it('a ref without @ and a ref from an expression', () => {
    const text = wf(`      - uses: actions/checkout\n      - uses: \${{ inputs.action }}\n`);
    expect(where(text)).toEqual(['unpinned-action@6:15', 'unpinnable-ref@7:15']);
  });

  it('composite and docker actions in action.yml', () => {
    const text = `name: x\nruns:\n  using: composite\n  steps:\n    - uses: actions/github-script@v7\n    - run: echo\n      shell: bash\n`;
    expect(where(text)).toEqual(['unpinned-action@5:13']);
    const docker = `name: x\nruns:\n  using: docker\n  image: docker://ghcr.io/o/i:1.0\n`;
    expect(where(docker)).toEqual(['unpinned-image@4:10']);
    expect(where(`name: x\nruns:\n  using: docker\n  image: Dockerfile\n`)).toEqual([]);
  });

  it('CRLF line ends, a BOM, flow style and anchors keep exact positions', () => {
    expect(where(`\uFEFFon: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n    steps:\r\n      - uses: actions/checkout@v4\r\n`)).toEqual(['unpinned-action@6:15']);
    expect(where(`on: push\njobs: {a: {runs-on: x, steps: [{uses: actions/checkout@v4}, {run: echo}]}}\n`)).toEqual(['unpinned-action@2:39']);
    const anchors = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - &co\n        uses: actions/checkout@v4\n  b:\n    runs-on: x\n    steps:\n      - *co\n`;
    // the alias is the same text: both jobs use it; it is one offending token, reported once where it is written
    expect(where(anchors)).toEqual(['unpinned-action@7:15']);
  });

  it('every document of a multi-document file', () => {
    expect(where(`on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n---\nname: act\nruns:\n  using: composite\n  steps:\n    - uses: o/r@v1\n`)).toEqual(['unpinned-action@11:13']);
  });
});

describe('pin-lint: what must not be flagged', () => {
  it('full SHAs, local actions, digest-pinned images, empty or missing containers', () => {
    const text = `on: push\njobs:\n  call:\n    uses: ./.github/workflows/reuse.yml\n  call2:\n    uses: org/wf/.github/workflows/release.yml@${SHA}\n  run:\n    runs-on: x\n    container:\n      image: node:22@${DIG}\n    services:\n      db:\n        image: postgres:16@${DIG}\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.1\n      - uses: ./my-action\n      - uses: docker://alpine@${DIG}\n      - run: 'echo "uses: actions/checkout@v4"'\n      - name: uses actions/x@v1\n        run: true\n`;
    expect(where(text)).toEqual([]);
  });

  it('does not mistake a matrix entry named image for a container', () => {
    const text = `on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        include:\n          - image: ubuntu-24.04-arm\n    runs-on: \${{ matrix.image }}\n    steps: []\n`;
    expect(where(text)).toEqual([]);
  });

  it('resolves ${{ matrix.x }} images from a written-out matrix: flags only the unpinned values, at their own lines', () => {
    const text = `on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        img: ["node:22@${DIG}", "node:20"]\n        include:\n          - img: python:3.13\n    runs-on: x\n    container: \${{ matrix.img }}\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-image@6:99', 'unpinned-image@8:18']);
    const allPinned = text.replace('"node:20"', `"node:20@${DIG}"`).replace('python:3.13', `python@${DIG}`);
    expect(where(allPinned)).toEqual([]);
    const fromJson = `on: push\njobs:\n  a:\n    strategy:\n      matrix: \${{ fromJSON(inputs.m) }}\n    runs-on: x\n    container: \${{ matrix.img }}\n    steps: []\n`;
    expect(where(fromJson)).toEqual(['unpinnable-ref@7:16']);
  });

  it('ignores files that are neither workflows nor actions', () => {
    const r = scan('version: 2\nupdates:\n  - package-ecosystem: github-actions\n');
    expect(r.kind).toBe('other');
    expect(r.findings).toEqual([]);
  });
});

describe('inline ignore', () => {
  it('suppresses only on the offending line, and only for this gate', () => {
    const text = wf(`      - uses: actions/checkout@v4 # chaingate: ignore[pin-lint]\n      - uses: actions/cache@v4 # chaingate: ignore[prt-guard]\n      # chaingate: ignore[pin-lint]\n      - uses: actions/setup-go@v5\n`);
    expect(where(text)).toEqual(['unpinned-action@6:15:suppressed', 'unpinned-action@7:15', 'unpinned-action@9:15']);
  });
});

describe('version comments (offline)', () => {
  it.each([
    ['v4.1.1', 'v4.1.1'],
    ['tag=v4.1.1', 'v4.1.1'],
    ['pin@v1.2.3', 'v1.2.3'],
    ['4.2.0', '4.2.0'],
    ['v 4.2.0', 'v4.2.0'],
    ['release/v2', 'v2'],
    ['v4.1.1 (source v4)', 'v4.1.1'],
    ['zizmor: ignore[cache-poisoning] v4.2.0', 'v4.2.0'],
    ['v1.0.0-rc.1', 'v1.0.0-rc.1'],
  ])('%s names %s', (c, v) => expect(versionInComment(c)).toBe(v));

  it.each(['main', 'master', 'latest', 'ubuntu-24 support', 'pinned for security'])('%s names no version', (c) => expect(versionInComment(c)).toBeUndefined());

  it("another tool's directive beside a SHA is not a version comment; a comment that does not start with one is still checked", () => {
    const text = wf(`      - uses: a/b@${SHA} # zizmor: ignore[unpinned-uses]\n      - uses: a/b@${SHA} # ratchet:exclude\n      - uses: a/b@${SHA} # noqa\n      - uses: a/b@${SHA} # main  zizmor: ignore[x]\n`);
    expect(where(text)).toEqual(['version-comment@9:15']);
  });

  it('flags a comment that names no version (low: a note, not a failure) and accepts none at all', () => {
    const text = wf(`      - uses: actions/checkout@${SHA} # main\n      - uses: actions/cache@${SHA}\n      - uses: actions/setup-go@${SHA} # v5.0.0\n`);
    const r = scan(text);
    expect(r.findings.map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([['version-comment', 'low', 6, 15]]);
  });
});

describe('policy', () => {
  it('most specific pattern wins whatever the order', () => {
    const p = buildPolicy({ '*': 'any', 'actions/*': 'ref-pin', 'actions/checkout': 'hash-pin', 'o/r/deep/path': 'any', 'o/r': 'hash-pin' });
    expect(levelFor(p, 'actions/checkout')).toBe('hash-pin');
    expect(levelFor(p, 'Actions/Cache')).toBe('ref-pin');
    expect(levelFor(p, 'other/thing')).toBe('any');
    expect(levelFor(p, 'o/r/deep/path')).toBe('any');
    expect(levelFor(p, 'o/r/other')).toBe('hash-pin');
    const reversed = buildPolicy({ 'actions/checkout': 'hash-pin', 'actions/*': 'ref-pin', '*': 'any' });
    expect(levelFor(reversed, 'actions/checkout')).toBe('hash-pin');
  });

  it('applies levels: ref-pin accepts tags, any accepts everything, default is hash-pin', () => {
    const text = wf(`      - uses: actions/checkout@v4\n      - uses: trusted/thing@main\n      - uses: other/x@v1\n`);
    const p = buildPolicy({ 'actions/*': 'ref-pin', 'trusted/*': 'any' });
    expect(where(text, p)).toEqual(['unpinned-action@8:15']);
  });

  it.each(['actions', 'act*/x', '*/x', 'a/*/b', 'a b/c', 'a/b*'])('rejects invalid pattern %j', (pat) => {
    expect(patternProblem(pat)).toBeDefined();
    expect(() => buildPolicy({ [pat]: 'any' })).toThrow(ConfigError);
  });

  it('rejects an unknown level', () => {
    expect(() => buildPolicy({ '*': 'pinned' })).toThrow(/"pinned" is not one of hash-pin, ref-pin, any/);
  });

  it('image names without tag or digest', () => {
    expect(imageName('ghcr.io/o/i:1@sha256:abc')).toBe('ghcr.io/o/i');
    expect(imageName('localhost:5000/i:2')).toBe('localhost:5000/i');
    expect(imageName('node')).toBe('node');
  });
});

describe('pin-lint on files that are not what their place says', () => {
  it('a YAML file in .github/workflows without jobs is an error, not a silent skip', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { executeGate } = await import('../../../src/core/runner.js');
    const gate = (await import('../../../src/gates/pin-lint/index.js')).default;
    const dir = mkdtempSync(join(tmpdir(), 'cg-pl-'));
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/ci.yml'), 'on: push\njbos:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n');
    const out = await executeGate(gate, { 'record-file': join(dir, 'r.ndjson') }, { cwd: dir, env: {}, logger: { info() {}, warn() {}, debug() {} } });
    expect(out.result.outcome).toBe('error');
    expect(out.result.findings[0]).toMatchObject({ rule: 'parse-error', file: '.github/workflows/ci.yml', message: 'not a workflow: no `jobs:` mapping' });
  });

  it('an empty or comment-only file in .github/workflows runs nothing: skipped, not an error', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { executeGate } = await import('../../../src/core/runner.js');
    const gate = (await import('../../../src/gates/pin-lint/index.js')).default;
    const dir = mkdtempSync(join(tmpdir(), 'cg-pl-'));
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/empty.yml'), '');
    writeFileSync(join(dir, '.github/workflows/disabled.yml'), '# disabled for now\n# on: push\n---\n');
    writeFileSync(join(dir, '.github/workflows/ci.yml'), `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.1\n`);
    const out = await executeGate(gate, { 'record-file': join(dir, 'r.ndjson') }, { cwd: dir, env: {}, logger: { info() {}, warn() {}, debug() {} } });
    expect(out.result.findings).toEqual([]);
    expect(out.result.outcome).toBe('pass');
    expect(out.result.metrics).toMatchObject({ files: 3, scanned: 1, skipped: 2 });
  });
});

// Cases from real repositories (shapes taken from /work/shared/corpus/workflows, cited per test) and from the
// semantics GitHub gives them. Each failed before the fix named in its title.
describe('pin-lint on real-world shapes', () => {
  it('nested matrix paths (${{ matrix.config.image }}, huggingface/diffusers pr_tests.yml): each value at its own line', () => {
    const text = `on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        config:\n          - name: cpu\n            image: diffusers/diffusers-pytorch-cpu\n          - name: pinned\n            image: "diffusers/x@${DIG}"\n    runs-on: x\n    container:\n      image: \${{ matrix.config.image }}\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-image@8:20']);
    // all pinned (curl/curl linux.yml: matrix.build.container, digests only, some entries with no container)
    const pinned = `on: push\njobs:\n  linux:\n    strategy:\n      matrix:\n        build:\n          - name: a\n          - name: b\n            container: alpine:3.23@${DIG} # 3.23.4\n    runs-on: x\n    container: \${{ matrix.build.container }}\n    steps: []\n`;
    expect(where(pinned)).toEqual([]);
  });

  it('a matrix value that is a whole container mapping, or empty (Homebrew/actions setup-commit-signing.yml)', () => {
    const text = `on: push\njobs:\n  s:\n    strategy:\n      matrix:\n        container:\n          - ''\n          - image: ghcr.io/homebrew/brew:main\n            options: --user=root\n    runs-on: x\n    container: \${{ matrix.container }}\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-image@8:20']);
    expect(where(text.replace('ghcr.io/homebrew/brew:main', `ghcr.io/homebrew/brew@${DIG}`))).toEqual([]);
    // Homebrew/brew tap-new-tests.yml writes it through fromJSON(toJSON(…))
    const viaJson = text.replace('${{ matrix.container }}', '${{ fromJSON(toJSON(matrix.container)) }}');
    expect(where(viaJson)).toEqual(['unpinned-image@8:20']);
  });

  it('an image with a matrix value inside it (postgres:${{ matrix.pg }}) is checked for every value', () => {
    const text = `on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        pg: [15, 16]\n    runs-on: x\n    services:\n      db:\n        image: postgres:\${{ matrix.pg }}\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-image@10:16']);
    expect(scan(text).findings[0].message).toContain('postgres:15');
    const digests = text.replace('[15, 16]', `["16@${DIG}", "17@${DIG}"]`);
    expect(where(digests)).toEqual([]);
    // a value the matrix does not write out, in the tag's place: still a tag reference
    expect(where(text.replace('matrix.pg', 'inputs.pg'))).toEqual(['unpinned-image@10:16']);
    // …and where the matrix writes a digest into that place, the written-out values decide
    expect(where(text.replace('[15, 16]', `["16@${DIG}"]`))).toEqual([]);
  });

  it('a digest written out after an expression is pinned: the content is fixed whatever the name', () => {
    const text = `on: push\njobs:\n  t:\n    runs-on: x\n    container:\n      image: ghcr.io/\${{ github.repository }}@${DIG}\n    services:\n      a:\n        image: ghcr.io/o/i@\${{ inputs.digest }}\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinnable-ref@9:16']);
  });

  it('merge keys (<<: *defaults) are followed for containers, services and steps', () => {
    const text = `on: push\nx: &defaults\n  image: node:20\n  options: --user 1001\njobs:\n  a:\n    runs-on: x\n    container:\n      <<: *defaults\n    services:\n      <<: {db: {image: "postgres@${DIG}"}}\n      cache:\n        <<: *defaults\n        image: "redis@${DIG}"\n    steps:\n      - <<: {uses: actions/cache@v4}\n        with: {path: x}\n`;
    expect(where(text)).toEqual(['unpinned-image@3:10', 'unpinned-action@16:20']);
  });

  it('a block scalar points at the value on its own line, and --fix data never puts a comment inside it', () => {
    const text = wf(`      - uses: >-\n          actions/setup-go@v5\n      - uses: |\n          actions/cache@${SHA}\n        with: {}\n`);
    expect(where(text)).toEqual(['unpinned-action@7:11']);
    const refs = scan(text).refs;
    expect(refs.map((r) => [r.line, r.column, r.ref, r.blockScalar, r.comment])).toEqual([
      [7, 11, 'v5', true, undefined],
      [9, 11, SHA, true, undefined],
    ]);
  });

  it('steps grouped under parallel: (vuejs/core size-report.yml) are checked', () => {
    const text = wf(`      - parallel:\n          - name: a\n            uses: juliangruber/read-file-action@v1\n          - uses: actions/cache@${SHA} # v4.2.0\n`);
    expect(where(text)).toEqual(['unpinned-action@8:19']);
    expect(scan(text).refs.length).toBe(2);
  });

  it('an aliased step is one reference: one finding, one ref (--fix edits it once)', () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - &co\n        uses: actions/checkout@v4\n  b:\n    runs-on: x\n    steps:\n      - *co\n`;
    expect(scan(text).refs.length).toBe(1);
  });
});

describe('pin-lint: references to the repository itself', () => {
  it('$/ (the workflow\'s own repository and commit, no checkout: astral-sh/uv ci.yml, vitejs/vite bot.yml) is local, like ./', () => {
    const text = `on: push\njobs:\n  plan:\n    uses: $/.github/workflows/plan.yml\n  b:\n    runs-on: x\n    steps:\n      - uses: $/.github/actions/issues-helper\n        with: {actions: close-issues}\n      - uses: ./.github/actions/x\n      - uses: $owner/repo@v1\n`;
    // `$owner/repo@v1` is not the `$/` form: an ordinary (odd) name with a tag
    expect(where(text)).toEqual(['unpinned-action@11:15']);
    expect(scan(text).refs.length).toBe(1);
  });
});

describe('pin-lint: containers written as JSON in the matrix', () => {
  it('${{ matrix.c && fromJSON(matrix.c) || \'\' }} (Homebrew/actions setup-homebrew.yml): each JSON string checked at its line', () => {
    const text = `on: push\njobs:\n  s:\n    strategy:\n      matrix:\n        include:\n          - os: macos-15\n          - os: ubuntu-latest\n            container: '{"image": "ghcr.io/homebrew/brew:main", "options": "--user=root"}'\n          - os: ubuntu-latest\n            container: '{"image": "ghcr.io/homebrew/brew@${DIG}"}'\n    runs-on: \${{ matrix.os }}\n    container: \${{ matrix.container && fromJSON(matrix.container) || '' }}\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-image@9:36']);
    expect(where(text.replace('brew:main', `brew@${DIG}`))).toEqual([]);
    expect(where(text.replace("matrix.container && fromJSON(matrix.container) || ''", 'fromJSON(matrix.container)'))).toEqual(['unpinned-image@9:36']);
    // another key in the guard: not the idiom, not resolved
    expect(where(text.replace('matrix.container &&', 'matrix.os &&'))).toEqual(['unpinnable-ref@13:16']);
  });
});

describe('pin-lint: images with an expression that leaves the form visible', () => {
  it('name:${{ … }} and ${{ … }}/name:tag are tag references (matrix-org/synapse tests.yml); a registry port is not a tag', () => {
    const text = `on: push\njobs:\n  t:\n    runs-on: x\n    container:\n      image: matrixdotorg/sytest-synapse:\${{ matrix.job.sytest-tag }}\n    services:\n      a:\n        image: \${{ env.REGISTRY }}/app:1.2\n      b:\n        image: localhost:5000/\${{ inputs.name }}\n      c:\n        image: ghcr.io/o/i@\${{ needs.build.outputs.digest }}\n      d:\n        image: \${{ inputs.image }}\n    steps: []\n`;
    expect(where(text)).toEqual(['unpinned-image@6:14', 'unpinned-image@9:16', 'unpinnable-ref@11:16', 'unpinnable-ref@13:16', 'unpinnable-ref@15:16']);
  });
});
