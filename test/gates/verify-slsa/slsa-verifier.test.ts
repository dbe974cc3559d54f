import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { execWithTimeout, type ExecResult } from '../../../src/core/exec.js';
import {
  SLSA_VERIFIER_SHA256,
  SLSA_VERIFIER_VERSION,
  assetName,
  classify,
  installSlsaVerifier,
  parseSlsaVerifierOutput,
  runSlsaVerifier,
  slsaVerifierArgs,
} from '../../../src/gates/verify-slsa/slsa-verifier.js';
import { ROOT } from '../../helpers/runner.js';
import { generatorV02Statement, legacyEnvelope, sha256 } from './shapes.js';

const STANDIN = join(ROOT, 'test/fixtures/verify-slsa/slsa-verifier');

const res = (o: Partial<ExecResult>): ExecResult => ({ status: 'exited', exitCode: 0, signal: null, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, truncated: false, durationMs: 1, ...o });

const PASS_OUT = [
  'Verified signature against tlog entry index 1 at URL: https://rekor.sigstore.dev/api/v1/log/entries/x',
  'Verified build using builder "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0" at commit fa84c9e0c3a4f1b2d5e6f7a8b9c0d1e2f3a4b5c6',
  'Verifying artifact /w/widget: PASSED',
  '',
  'PASSED: SLSA verification passed',
].join('\n');

describe('slsa-verifier output', () => {
  it('parses PASSED, the builder and the commit', () => {
    const p = parseSlsaVerifierOutput('', PASS_OUT);
    expect(p).toMatchObject({ passed: true, artifacts: [{ name: '/w/widget', passed: true }], commit: 'fa84c9e0c3a4f1b2d5e6f7a8b9c0d1e2f3a4b5c6' });
    expect(p.builderId).toContain('generator_generic_slsa3.yml@refs/tags/v2.1.0');
  });
  it('parses FAILED with its reason', () => {
    const p = parseSlsaVerifierOutput('', "Verifying artifact w: FAILED: expected tag 'v1', got 'refs/heads/main': tag used to generate the binary does not match provenance\n\nFAILED: SLSA verification failed: tag used to generate the binary does not match provenance");
    expect(p.failed).toBe('tag used to generate the binary does not match provenance');
    expect(p.artifacts[0]).toMatchObject({ passed: false });
  });
  it('classifies: 0+PASSED pass; 1 fail; 0 without PASSED, other codes, signals, timeouts, spawn errors error', () => {
    expect(classify(res({ stderr: PASS_OUT }), ['/w/widget']).kind).toBe('pass');
    expect(classify(res({ exitCode: 1, stderr: 'FAILED: SLSA verification failed: no' }), ['w'])).toMatchObject({ kind: 'fail', message: 'slsa-verifier: no' });
    expect(classify(res({ stderr: '' }), ['w'])).toMatchObject({ kind: 'error', reason: 'tool-output-invalid' });
    expect(classify(res({ stderr: PASS_OUT }), ['/w/other'])).toMatchObject({ kind: 'error', reason: 'tool-output-invalid' });
    expect(classify(res({ stderr: `${PASS_OUT}\nFAILED: SLSA verification failed: x` }), ['/w/widget'])).toMatchObject({ kind: 'error' });
    expect(classify(res({ exitCode: 2 }), ['w'])).toMatchObject({ kind: 'error', reason: 'tool-error' });
    expect(classify(res({ status: 'killed', exitCode: null, signal: 'SIGSEGV' }), ['w'])).toMatchObject({ kind: 'error', reason: 'tool-error' });
    expect(classify(res({ status: 'timed-out', exitCode: null }), ['w'])).toMatchObject({ kind: 'error', reason: 'tool-timeout' });
    expect(classify(res({ status: 'spawn-failed', exitCode: null, error: 'ENOENT' }), ['w'])).toMatchObject({ kind: 'error', reason: 'tool-error' });
    expect(classify(res({ exitCode: 1, stderr: 'FAILED: SLSA verification failed: dial tcp: lookup rekor.sigstore.dev: no such host' }), ['w'])).toMatchObject({ kind: 'error', reason: 'tool-error' });
  });
  it('builds the command line as slsa-verifier documents it', () => {
    expect(slsaVerifierArgs({ artifacts: [], images: [], provenancePath: 'p', sourceUri: 'github.com/o/r', sourceTag: 'v1', builderId: 'b' }, 'artifact', ['a'])).toEqual([
      'verify-artifact', 'a', '--provenance-path', 'p', '--source-uri', 'github.com/o/r', '--source-tag', 'v1', '--builder-id', 'b',
    ]);
  });
});

describe('the stand-in slsa-verifier through the core exec (timeout, kill, retry)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-sv-'));
  const art = join(dir, 'widget');
  writeFileSync(art, 'widget');
  const prov = join(dir, 'widget.intoto.jsonl');
  writeFileSync(prov, `${JSON.stringify(legacyEnvelope(generatorV02Statement({ subjects: [{ name: 'widget', sha256: sha256('widget') }] })))}\n`);
  const withMode = (mode?: string) => {
    const d = mkdtempSync(join(dir, 'bin-'));
    const bin = join(d, 'slsa-verifier');
    copyFileSync(STANDIN, bin);
    if (mode) writeFileSync(`${bin}.mode`, mode);
    return bin;
  };
  const sleeps: number[] = [];
  const opts = (binary: string, timeoutMs = 20_000) => ({ exec: execWithTimeout, binary, timeoutMs, retries: 2, sleep: async (ms: number) => void sleeps.push(ms), cwd: dir, env: process.env });
  const args = (tag: string) => slsaVerifierArgs({ artifacts: [art], images: [], provenancePath: prov, sourceUri: 'github.com/acme/widget', sourceTag: tag }, 'artifact', [art]);

  it('passes and fails on the evidence', async () => {
    expect((await runSlsaVerifier(args('v1.2.3'), [art], opts(withMode()))).kind).toBe('pass');
    const f = await runSlsaVerifier(args('v9.9.9'), [art], opts(withMode()));
    expect(f).toMatchObject({ kind: 'fail', attempts: 1 });
    expect(f.kind === 'fail' && f.message).toContain('tag used to generate the binary does not match provenance');
  });
  it('a hung slsa-verifier is killed at the timeout: error, not retried', async () => {
    const t0 = Date.now();
    const v = await runSlsaVerifier(args('v1.2.3'), [art], opts(withMode('hang'), 500));
    expect(v).toMatchObject({ kind: 'error', reason: 'tool-timeout', attempts: 1 });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
  it('network failures are retried, then reported as error', async () => {
    sleeps.length = 0;
    const v = await runSlsaVerifier(args('v1.2.3'), [art], opts(withMode('network')));
    expect(v).toMatchObject({ kind: 'error', reason: 'tool-error', attempts: 3 });
    expect(sleeps).toHaveLength(2);
  });
  it.each([
    ['crash', 'tool-error'],
    ['exit3', 'tool-error'],
    ['garbage', 'tool-output-invalid'],
    ['silent-pass', 'tool-output-invalid'],
  ])('%s → error %s', async (mode, reason) => {
    expect(await runSlsaVerifier(args('v1.2.3'), [art], opts(withMode(mode)))).toMatchObject({ kind: 'error', reason, attempts: 1 });
  });
  it('a missing binary is a spawn error', async () => {
    expect(await runSlsaVerifier(args('v1.2.3'), [art], opts(join(dir, 'nope')))).toMatchObject({ kind: 'error', reason: 'tool-error' });
  });
});

describe('installing the pinned slsa-verifier (tool-cache, local HTTP server)', () => {
  let server: Server;
  let base = '';
  const hits: string[] = [];
  const body = readFileSync(STANDIN);
  const good = createHash('sha256').update(body).digest('hex');
  const asset = assetName()!;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === `/${SLSA_VERIFIER_VERSION}/${asset}`) res.writeHead(200).end(body);
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const a = server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const tmp = () => mkdtempSync(join(tmpdir(), 'cg-inst-'));

  it('holds no invented hashes: every value is either a 64-hex SHA-256 or null (not yet recorded)', () => {
    for (const v of Object.values(SLSA_VERIFIER_SHA256)) expect(v === null || /^[0-9a-f]{64}$/.test(v)).toBe(true);
    expect(Object.keys(SLSA_VERIFIER_SHA256)).toContain('slsa-verifier-linux-amd64');
  });
  it('downloads, checks the SHA-256 from the table, and the result runs', async () => {
    const inst = await installSlsaVerifier({ baseUrl: base, table: { [asset]: good }, tempDir: tmp(), useToolCache: false });
    expect(inst.sha256).toBe(good);
    expect(existsSync(inst.path)).toBe(true);
    const r = await execWithTimeout(inst.path, ['version'], { timeoutMs: 10_000 });
    expect(r.stdout).toContain('slsa-verifier version');
  });
  it('refuses a download whose SHA-256 differs, without running it', async () => {
    await expect(installSlsaVerifier({ baseUrl: base, table: { [asset]: 'a'.repeat(64) }, tempDir: tmp(), useToolCache: false })).rejects.toMatchObject({ reason: 'tool-checksum-mismatch' });
  });
  it('with no recorded value it refuses unless the user pins one', async () => {
    await expect(installSlsaVerifier({ baseUrl: base, table: { [asset]: null }, tempDir: tmp(), useToolCache: false })).rejects.toMatchObject({ reason: 'tool-unpinned' });
    const inst = await installSlsaVerifier({ baseUrl: base, table: { [asset]: null }, sha256: `sha256:${good}`, tempDir: tmp(), useToolCache: false });
    expect(inst.sha256).toBe(good);
    await expect(installSlsaVerifier({ baseUrl: base, table: { [asset]: good }, sha256: 'b'.repeat(64), tempDir: tmp(), useToolCache: false })).rejects.toMatchObject({ reason: 'tool-checksum-mismatch' });
  });
  it('a token in a mirror URL never reaches the message (only the mirror\'s origin is shown)', async () => {
    const canary = 'AKCp8canaryMirrorToken0123456789';
    const e = await installSlsaVerifier({ baseUrl: `${base}/nothing/${canary}?X-JFrog-Art-Api=${canary}`, table: { [asset]: good }, tempDir: tmp(), useToolCache: false }).catch((x: Error) => x);
    expect(e).toMatchObject({ reason: 'tool-download-failed' });
    expect((e as Error).message).toContain('127.0.0.1');
    expect((e as Error).message).toContain('slsa-verifier-download-url');
    expect((e as Error).message).not.toContain(canary);
  });
  it('slsa-verifier-download-url: not http(s), or with credentials, is invalid input that does not echo them', async () => {
    const gate = (await import('../../../src/gates/verify-slsa/index.js')).default;
    const ctx = { cwd: tmp(), env: {}, config: { file: null, config: {}, locate: () => undefined }, now: () => new Date() } as never;
    const raw = (url: string) => ({ artifact: 'a.bin', provenance: 'p.json', 'source-uri': 'github.com/acme/widget', 'slsa-verifier-download-url': url });
    for (const url of ['ftp://mirror.example/slsa', 'https://user:s3cretPassw0rd@mirror.example/slsa']) {
      let msg = '';
      try {
        gate.parseInputs(raw(url), ctx);
      } catch (x) {
        msg = (x as Error).message;
      }
      expect(msg).toMatch(/slsa-verifier-download-url must/);
      expect(msg).not.toContain('s3cretPassw0rd');
    }
    expect(() => gate.parseInputs(raw('https://mirror.example/slsa?channel=stable'), ctx)).not.toThrow();
  });
  it('a missing asset is a download failure', async () => {
    await expect(installSlsaVerifier({ baseUrl: `${base}/nothing`, table: { [asset]: good }, tempDir: tmp(), useToolCache: false })).rejects.toMatchObject({ reason: 'tool-download-failed' });
  });
  it('a download host that accepts and never answers is a download failure within the timeout, not a hang', async () => {
    const sockets: import('node:net').Socket[] = [];
    const hung = createServer(() => undefined); // never responds
    hung.on('connection', (s) => sockets.push(s));
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    const a = hung.address();
    const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    try {
      const t0 = Date.now();
      await expect(installSlsaVerifier({ baseUrl: url, table: { [asset]: good }, tempDir: tmp(), useToolCache: false, timeoutMs: 300, sleep: async () => undefined })).rejects.toMatchObject({ reason: 'tool-download-failed' });
      expect(Date.now() - t0).toBeLessThan(4000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => hung.close(() => r()));
    }
  }, 8000);
  it('unsupported platforms are refused', async () => {
    await expect(installSlsaVerifier({ platform: 'aix', table: {}, tempDir: tmp(), useToolCache: false })).rejects.toMatchObject({ reason: 'tool-unsupported-platform' });
  });
});
