import { describe, expect, it, beforeAll } from 'vitest';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runComposite, runDist, runnerFiles, ROOT, workspaceWith } from '../helpers/runner.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';


beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/pin-lint.js'))) throw new Error('dist/pin-lint.js missing: run npm run build');
});

describe('pin-lint as the runner runs it', () => {
  it('fails on a tag ref, with an annotation at the exact position, outputs, summary, SARIF and a valid record', () => {
    const f = workspaceWith({
      '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@${SHA} # v4.0.2\n`,
    });
    const r = runComposite('pin-lint', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error title=pin-lint%3A unpinned-action (high),file=.github/workflows/ci.yml,line=6,col=15');
    expect(r.outputs.outcome).toBe('fail');
    expect(r.outputs.findings).toBe('1');
    expect(r.outputs.reasons).toBe('unpinned');
    expect(r.summary).toContain('chaingate pin-lint: fail');
    expect(r.summary).toContain('`.github/workflows/ci.yml:6:15`');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'pin-lint', outcome: 'fail', reasons: ['unpinned'], findings: { total: 1, high: 1 }, run: { repository: 'acme/widget', run_id: '4242' } });
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region).toMatchObject({ startLine: 6, startColumn: 15 });
    // the upload step is skipped unless asked for
    expect(r.steps.find((s) => s.name === 'Upload SARIF')?.ran).toBe(false);
  });

  it('passes on a fully pinned repository and says so', () => {
    const f = workspaceWith({
      '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container: node:22@sha256:${'c'.repeat(64)}\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.1\n      - uses: ./local-action\n`,
    });
    const r = runDist('pin-lint', {}, f);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.outcome).toBe('pass');
    expect(r.records[0].outcome).toBe('pass');
    expect(r.recordProblems).toEqual([]);
  });

  it('reports invalid YAML as error, never a silent pass', () => {
    const f = workspaceWith({ '.github/workflows/bad.yml': 'on: push\njobs: [\n' });
    const r = runDist('pin-lint', {}, f);
    expect(r.exitCode).toBe(2);
    expect(r.outputs.outcome).toBe('error');
    expect(r.stdout).toContain('.github/workflows/bad.yml');
    expect(r.records[0]).toMatchObject({ outcome: 'error', findings: { errors: 1 } });
  });

  it('errors when the record cannot be written in strict mode, and only warns in best-effort mode', () => {
    const f = workspaceWith({ '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${SHA} # v4\n` });
    writeFileSync(join(f.dir, 'not-a-dir'), 'x');
    const strict = runDist('pin-lint', { 'record-file': join(f.dir, 'not-a-dir', 'r.ndjson') }, f);
    expect(strict.exitCode).toBe(2);
    expect(strict.outputs.outcome).toBe('error');
    expect(strict.outputs.reasons).toContain('record-write-failed');
    const lax = runDist('pin-lint', { 'record-file': join(f.dir, 'not-a-dir', 'r.ndjson'), 'record-mode': 'best-effort' }, f);
    expect(lax.exitCode).toBe(0);
    expect(lax.stdout).toContain('::warning::cannot write pipeline_run record');
  });
});

describe('root action', () => {
  it('runs the static gates by default, one record each, worst outcome wins', () => {
    const f = workspaceWith({ '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n` });
    const r = runComposite('.', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.outcome).toBe('fail');
    expect(JSON.parse(r.outputs.outcomes)['pin-lint']).toBe('fail');
    expect(r.records.map((x) => x.gate)).toContain('pin-lint');
    expect(r.recordProblems).toEqual([]);
  });

  it('refuses an unknown gate name', () => {
    const f = workspaceWith({});
    const r = runComposite('.', { gates: 'pin-lint,no-such-gate' }, f);
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('unknown gate(s) no-such-gate');
    expect(r.outputs.outcome).toBe('error');
  });
});

// The GitHub API stand-in for the online checks, in a worker thread (runComposite's spawnSync blocks this one).
// acme/tool: main = MAIN_OLD → MAIN; tag v1.0.0 is an annotated tag (object TAGOBJ) at MAIN; IMP is only in a fork.
const MAIN_OLD = 'a1'.repeat(20), MAIN = 'a2'.repeat(20), TAGOBJ = 'e2'.repeat(20), IMP = '99'.repeat(20);
const WORKER = `
const { parentPort, workerData: d } = require('node:worker_threads');
const http = require('node:http');
const seen = [];
const send = (res, s, b) => { res.writeHead(s, { 'content-type': 'application/json' }); res.end(JSON.stringify(b)); };
const srv = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  seen.push({ url: req.url, authorization: req.headers.authorization });
  const p = decodeURIComponent(u.pathname);
  if (p === '/repos/acme/tool') return send(res, 200, { default_branch: 'main' });
  if (p === '/repos/acme/tool/git/ref/tags/v1.0.0') return send(res, 200, { object: { type: 'tag', sha: d.TAGOBJ } });
  if (p === '/repos/acme/tool/git/tags/' + d.TAGOBJ) return send(res, 200, { tag: 'v1.0.0', object: { type: 'commit', sha: d.MAIN } });
  if (p === '/repos/acme/tool/tags') return send(res, 200, [{ name: 'v1.0.0', commit: { sha: d.MAIN } }]);
  if (p === '/repos/acme/tool/branches') return send(res, 200, [{ name: 'main', commit: { sha: d.MAIN } }]);
  const m = /^\\/repos\\/acme\\/tool\\/compare\\/(.+)\\.\\.\\.([0-9a-f]{40})$/.exec(p);
  if (m) return send(res, 200, { status: m[2] === d.MAIN ? 'identical' : m[2] === d.MAIN_OLD ? 'behind' : 'diverged' });
  send(res, 404, { message: 'Not Found' });
});
srv.listen(0, '127.0.0.1', () => parentPort.postMessage({ url: 'http://127.0.0.1:' + srv.address().port }));
parentPort.on('message', (m) => {
  if (m === 'requests') parentPort.postMessage({ requests: seen });
  else srv.close(() => parentPort.postMessage({ closed: true }));
});
`;

async function startApiWorker() {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(WORKER, { eval: true, workerData: { MAIN_OLD, MAIN, TAGOBJ, IMP } });
  const next = () => new Promise<any>((resolve, reject) => (w.once('message', resolve), w.once('error', reject)));
  const { url } = await next();
  return {
    url: url as string,
    requests: async () => (w.postMessage('requests'), (await next()).requests as Array<{ url: string; authorization?: string }>),
    close: async () => (w.postMessage('close'), await next(), await w.terminate()),
  };
}

describe('pin-lint online as the runner runs it (API stand-in on 127.0.0.1)', () => {
  it('an impostor commit fails the step with its own rule, annotation, SARIF help and record; the token leaks nowhere', async () => {
    const { CANARY, canaryEnv, collectText, leakedCanaries } = await import('../helpers/canary.js');
    const api = await startApiWorker();
    try {
      const f = workspaceWith({
        '.github/workflows/ci.yml':
          `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n` +
          `      - uses: acme/tool@${MAIN_OLD}\n` +
          `      - uses: acme/tool@${TAGOBJ} # v1.0.0\n` +
          `      - uses: acme/tool@${IMP}\n`,
      });
      const r = runComposite('pin-lint', { token: CANARY.inputToken, 'api-url': api.url }, f, { env: canaryEnv() });
      expect(r.exitCode).toBe(1);
      expect(r.outputs.outcome).toBe('fail');
      expect(r.outputs.reasons).toBe('impostor-commit');
      expect(r.stdout).toContain('::error title=pin-lint%3A impostor-commit (high),file=.github/workflows/ci.yml,line=8,col=15');
      expect(r.records).toHaveLength(1);
      expect(r.recordProblems).toEqual([]);
      expect(r.records[0]).toMatchObject({ outcome: 'fail', reasons: ['impostor-commit'] });
      const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
      const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string; fullDescription?: { text: string } }>;
      expect(rules.find((x) => x.id === 'impostor-commit')?.fullDescription?.text).toMatch(/GitHub serves a commit pushed to any fork/);
      expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(['impostor-commit', 'tag-object-pin']);
      const reqs = await api.requests();
      expect(reqs.length).toBeGreaterThan(3);
      expect(reqs.every((q) => q.authorization === `Bearer ${CANARY.inputToken}` && !q.url.includes(CANARY.inputToken))).toBe(true);
      const all = collectText([r.stdout, r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp]);
      expect(leakedCanaries(all)).toEqual([]);
    } finally {
      await api.close();
    }
  });
});

// Shapes from real repositories (excerpts of /work/shared/corpus/workflows, cited): what the runner would
// see when the action runs on them.
describe('pin-lint on real-world shapes, as the runner runs it', () => {
  const DIG = `sha256:${'c'.repeat(64)}`;
  it('passes $/ references, all-digest matrices and a written-out digest behind an expression', () => {
    const f = workspaceWith({
      // astral-sh/uv ci.yml: reusable workflows of the repository itself, without a checkout
      '.github/workflows/ci.yml': `on: push\njobs:\n  plan:\n    uses: $/.github/workflows/plan.yml\n  lint:\n    needs: plan\n    uses: $/.github/workflows/check-lint.yml\n`,
      // curl/curl linux.yml: matrix.build.container, digests only, some entries without a container
      '.github/workflows/linux.yml': `on: push\njobs:\n  linux:\n    strategy:\n      matrix:\n        build:\n          - name: awslc\n          - name: alpine\n            container: alpine:3.23@${DIG} # 3.23.4\n    runs-on: ubuntu-latest\n    container: \${{ matrix.build.container }}\n    services:\n      reg:\n        image: ghcr.io/\${{ github.repository }}@${DIG}\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.1\n`,
    });
    const r = runDist('pin-lint', {}, f);
    expect(r.stdout + r.stderr).not.toContain('::error');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.outcome).toBe('pass');
    expect(r.recordProblems).toEqual([]);
  });

  it('fails on matrix values it used to call unpinnable, at the line of each value', () => {
    const f = workspaceWith({
      // huggingface/diffusers pr_tests.yml (nested matrix path) and Homebrew/actions setup-homebrew.yml (JSON)
      '.github/workflows/tests.yml': `on: push\njobs:\n  fast:\n    strategy:\n      matrix:\n        config:\n          - name: cpu\n            image: diffusers/diffusers-pytorch-cpu\n    runs-on: x\n    container:\n      image: \${{ matrix.config.image }}\n    steps: []\n  brew:\n    strategy:\n      matrix:\n        include:\n          - os: ubuntu-latest\n            container: '{"image": "ghcr.io/homebrew/brew:main", "options": "--user=root"}'\n    runs-on: \${{ matrix.os }}\n    container: \${{ matrix.container && fromJSON(matrix.container) || '' }}\n    steps: []\n`,
    });
    const r = runDist('pin-lint', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.reasons).toBe('unpinned');
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
    const at = sarif.runs[0].results.map((x: { ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }> }) => `${x.ruleId}@${x.locations[0].physicalLocation.region.startLine}:${x.locations[0].physicalLocation.region.startColumn}`);
    expect(at).toEqual(['unpinned-image@8:20', 'unpinned-image@18:36']);
  });
});
