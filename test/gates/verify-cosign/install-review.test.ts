// Review of the signature-checked cosign install: fail-open and hang paths around the tool cache, the mirror
// (redirects, huge or stalled bodies, secrets in its URL), Windows asset names and bundles that sign something
// else than a SHA-256 message digest. Real HTTP server on 127.0.0.1, real mock-Sigstore cryptography.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstallError, RELEASE_SIGNER, assetName, bundleName, installCosign, type CosignRelease } from '../../../src/gates/verify-cosign/install.js';
import { trustFromBytes, type LoadedTrust } from '../../../src/core/sigstore/index.js';
import type { GateContext } from '../../../src/core/gate.js';
import { Redactor } from '../../../src/core/redact.js';
import { MockSigstore, cloneBundle, sha256Hex, statement } from '../../helpers/sigstore.js';
import { CANARY, collectText, leakedCanaries } from '../../helpers/canary.js';
import { runGate } from './helpers.js';

const LINUX = 'linux-amd64' as const;
const WIN = 'windows-amd64' as const;
const BINARY = Buffer.from('#!/bin/sh\necho "GitVersion: v3.0.2"\n');
const OTHER = Buffer.from('#!/bin/sh\necho "Verified OK"\n');

let ss: MockSigstore;
let trust: LoadedTrust;
let server: Server;
let base = '';
const hits: string[] = [];
const files = new Map<string, Buffer | string>();

const sign = async (data: Buffer) => JSON.stringify(await ss.signBlob(data, { identity: RELEASE_SIGNER.identity, issuer: RELEASE_SIGNER.issuer }));

beforeAll(async () => {
  ss = await MockSigstore.start();
  trust = trustFromBytes(JSON.stringify(ss.trustedRootJSON()), 'file', 'file');
  const good = await sign(BINARY);
  for (const p of [LINUX, WIN]) {
    files.set(`/good/${assetName(p)}`, BINARY);
    files.set(`/good/${bundleName(assetName(p))}`, good);
  }
  // the same signature, but the bundle claims the digest under SHA2_512 / SHA2_384
  for (const [alg, name] of [['SHA2_512', 'sha512'], ['SHA2_384', 'sha384']] as const) {
    const b = cloneBundle(JSON.parse(good));
    b.messageSignature!.messageDigest.algorithm = alg;
    b.messageSignature!.messageDigest.digest = createHash(name).update(BINARY).digest('base64');
    files.set(`/${name}/${assetName(LINUX)}`, BINARY);
    files.set(`/${name}/${bundleName(assetName(LINUX))}`, JSON.stringify(b));
  }
  // a DSSE attestation by the release signer naming the binary as subject: not the release's blob signature
  const dsse = await ss.signStatement(statement([{ name: assetName(LINUX), digest: { sha256: sha256Hex(BINARY) } }]), {
    identity: RELEASE_SIGNER.identity,
    issuer: RELEASE_SIGNER.issuer,
  });
  files.set(`/dsse/${assetName(LINUX)}`, BINARY);
  files.set(`/dsse/${bundleName(assetName(LINUX))}`, JSON.stringify(dsse));
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits.push(url);
    const path = url.split('?')[0];
    if (path.startsWith('/redirect/')) {
      res.writeHead(302, { Location: `/good/${path.slice('/redirect/'.length)}` }).end();
      return;
    }
    if (path.startsWith('/loop/')) {
      res.writeHead(302, { Location: path }).end();
      return;
    }
    if (path.startsWith('/huge/')) {
      // a bundle that never ends (no Content-Length): the cap must cut it
      if (path.endsWith('.sigstore.json')) {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const push = () => {
          while (sent < 64 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', push);
          }
          res.end();
        };
        res.on('close', () => (sent = Number.MAX_SAFE_INTEGER));
        push();
        return;
      }
      res.writeHead(200).end(BINARY);
      return;
    }
    if (path.startsWith('/stall/')) {
      // headers, then nothing: the per-download timeout must apply to the body of BOTH downloads
      if (path.endsWith('.sigstore.json') || path.includes('stall-binary')) {
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('{');
        return;
      }
      res.writeHead(200).end(BINARY);
      return;
    }
    const m = /^\/(?:[^/]+\/)*?(good|sha512|sha384|dsse|secret-[^/]+)\/([^/]+)$/.exec(path);
    const body = m ? files.get(`/${m[1].startsWith('secret-') ? 'good' : m[1]}/${m[2]}`) : undefined;
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await ss.close();
});

function ctx(toolCache?: string, redactor?: Redactor): GateContext {
  const dir = mkdtempSync(join(tmpdir(), 'cg-inst-rv-'));
  return {
    cwd: dir,
    env: { RUNNER_TOOL_CACHE: toolCache ?? join(dir, 'toolcache') },
    now: () => new Date(),
    exec: async () => {
      throw new Error('no exec in install tests');
    },
    fetch: globalThis.fetch,
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
    redactor: redactor ?? new Redactor(),
    config: { file: null, config: {}, locate: () => undefined },
    sleep: async () => undefined,
    tempDir: dir,
  };
}

const release = (url: string): CosignRelease => ({ version: '3.0.2', baseUrl: url, sha256: { [LINUX]: null, [WIN]: null }, signer: RELEASE_SIGNER });

const install = (c: GateContext, url: string, platform: typeof LINUX | typeof WIN = LINUX, timeoutMs = 5000) =>
  installCosign(c, { release: release(url), platform, timeoutMs, retries: 0, trust: () => trust });

async function failure(p: Promise<unknown>): Promise<InstallError> {
  const e = await p.then(
    () => new Error('installed, but should not have been'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InstallError);
  return e as InstallError;
}

const cacheDirOf = (c: GateContext) => join(c.env.RUNNER_TOOL_CACHE as string, 'cosign', '3.0.2', 'amd64');

describe('the tool cache', () => {
  it('a cached binary replaced after the check does not change what runs (the run uses its own checked copy)', async () => {
    const c = ctx();
    await install(c, `${base}/good`);
    const hit = await install(c, `${base}/good`);
    expect(hit.fromCache).toBe(true);
    // another job on the same self-hosted runner swaps the shared cache right after our check
    writeFileSync(join(cacheDirOf(c), assetName(LINUX)), OTHER);
    expect(readFileSync(hit.path)).toEqual(BINARY);
    expect(hit.path.startsWith(c.env.RUNNER_TOOL_CACHE as string)).toBe(false);
  });

  it('a fresh install also runs its own checked copy, not the shared cache file', async () => {
    const c = ctx();
    const a = await install(c, `${base}/good`);
    writeFileSync(join(cacheDirOf(c), assetName(LINUX)), OTHER);
    expect(readFileSync(a.path)).toEqual(BINARY);
  });

  it('dispose() removes the private copy', async () => {
    const c = ctx();
    const a = await install(c, `${base}/good`);
    expect(existsSync(a.path)).toBe(true);
    a.dispose();
    expect(existsSync(a.path)).toBe(false);
  });

  it('a cache entry from an earlier SHA-256 install (binary only, no bundle) is not trusted: downloaded and signature-checked', async () => {
    const c = ctx();
    mkdirSync(cacheDirOf(c), { recursive: true });
    writeFileSync(join(cacheDirOf(c), assetName(LINUX)), OTHER, { mode: 0o755 });
    writeFileSync(`${cacheDirOf(c)}.complete`, '');
    const a = await install(c, `${base}/good`);
    expect(a).toMatchObject({ fromCache: false, checkedBy: 'signature', sha256: sha256Hex(BINARY) });
    expect(readFileSync(a.path)).toEqual(BINARY);
  });

  it('a partially written cache (no .complete marker) is not used', async () => {
    const c = ctx();
    mkdirSync(cacheDirOf(c), { recursive: true });
    writeFileSync(join(cacheDirOf(c), assetName(LINUX)), OTHER);
    writeFileSync(join(cacheDirOf(c), bundleName(assetName(LINUX))), '{');
    const a = await install(c, `${base}/good`);
    expect(a.fromCache).toBe(false);
    expect(readFileSync(a.path)).toEqual(BINARY);
  });

  it('a cached binary that is a FIFO does not hang the gate', { timeout: 15_000 }, async () => {
    const c = ctx();
    await install(c, `${base}/good`);
    const p = join(cacheDirOf(c), assetName(LINUX));
    execFileSync('rm', ['-f', p]);
    execFileSync('mkfifo', [p]);
    const r = await Promise.race([
      install(c, `${base}/good`).then(
        (x) => ({ ok: true as const, x }),
        (e: unknown) => ({ ok: false as const, e }),
      ),
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5000)),
    ]);
    expect(r).not.toBe('hung');
    if (r !== 'hung' && r.ok) expect(readFileSync(r.x.path)).toEqual(BINARY);
  });

  it('a cached binary that is a symlink to another file is not followed', async () => {
    const c = ctx();
    await install(c, `${base}/good`);
    const elsewhere = join(c.tempDir, 'evil');
    writeFileSync(elsewhere, OTHER, { mode: 0o755 });
    const p = join(cacheDirOf(c), assetName(LINUX));
    execFileSync('rm', ['-f', p]);
    execFileSync('ln', ['-s', elsewhere, p]);
    const r = await install(c, `${base}/good`).then(
      (x) => readFileSync(x.path),
      (e: unknown) => e,
    );
    if (Buffer.isBuffer(r)) expect(r).toEqual(BINARY);
    else expect(r).toBeInstanceOf(InstallError);
  });

  it('two jobs installing at once into one tool cache both get the checked binary, and the cache stays valid', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'cg-shared-tc-'));
    const runs = await Promise.allSettled([0, 1, 2, 3].map(() => install(ctx(shared), `${base}/good`)));
    for (const r of runs) {
      expect(r.status).toBe('fulfilled');
      if (r.status === 'fulfilled') expect(readFileSync(r.value.path)).toEqual(BINARY);
    }
    const again = await install(ctx(shared), `${base}/good`);
    expect(readFileSync(again.path)).toEqual(BINARY);
  });
});

describe('the mirror', () => {
  it('a redirect is followed and the signature still decides', async () => {
    const a = await install(ctx(), `${base}/redirect`);
    expect(a.checkedBy).toBe('signature');
  });

  it('a redirect loop is cosign-download-failed', async () => {
    const e = await failure(install(ctx(), `${base}/loop`));
    expect(e.reason).toBe('cosign-download-failed');
  });

  it('a bundle that never ends is cut at the cap: cosign-download-failed, nothing cached', { timeout: 30_000 }, async () => {
    const c = ctx();
    const e = await failure(install(c, `${base}/huge`));
    expect(e.reason).toBe('cosign-download-failed');
    expect(e.message).toMatch(/larger than/);
    expect(existsSync(`${cacheDirOf(c)}.complete`)).toBe(false);
  });

  it.each([
    ['the binary', 'stall-binary'],
    ['the bundle', 'stall-bundle'],
  ])('a stalled body of %s times out (cosign-download-failed)', { timeout: 15_000 }, async (_n, which) => {
    const t0 = Date.now();
    const url = which === 'stall-binary' ? `${base}/stall/stall-binary` : `${base}/stall/x`;
    const p = installCosign(ctx(), {
      release: release(url),
      platform: LINUX,
      timeoutMs: 500,
      retries: 0,
      trust: () => trust,
    });
    const e = await failure(p);
    expect(e.reason).toBe('cosign-download-failed');
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it('a mirror URL with a query keeps it on each asset (the asset name goes in the path)', async () => {
    const n0 = hits.length;
    await install(ctx(), `${base}/good?channel=stable`);
    expect(hits.slice(n0)).toEqual([`/good/${assetName(LINUX)}?channel=stable`, `/good/${bundleName(assetName(LINUX))}?channel=stable`]);
  });
});

describe('what the signature covers', () => {
  it.each([['sha512'], ['sha384']])('a bundle whose message digest is %s is refused (cosign-signature-invalid)', async (alg) => {
    const e = await failure(install(ctx(), `${base}/${alg}`));
    expect(e.reason).toBe('cosign-signature-invalid');
  });

  it('a DSSE attestation by the release signer naming the binary is not the release signature', async () => {
    const e = await failure(install(ctx(), `${base}/dsse`));
    expect(e.reason).toBe('cosign-signature-invalid');
  });
});

describe('Windows', () => {
  it('downloads cosign-windows-amd64.exe and its .exe.sigstore.json, caches and returns the .exe', async () => {
    const c = ctx();
    const n0 = hits.length;
    const a = await install(c, `${base}/good`, WIN);
    expect(hits.slice(n0)).toEqual(['/good/cosign-windows-amd64.exe', '/good/cosign-windows-amd64.exe.sigstore.json']);
    expect(a.path.endsWith('cosign-windows-amd64.exe')).toBe(true);
    expect(readdirSync(cacheDirOf(c)).sort()).toEqual(['cosign-windows-amd64.exe', 'cosign-windows-amd64.exe.sigstore.json']);
    const b = await install(c, `${base}/good`, WIN);
    expect(b.fromCache).toBe(true);
  });
});

describe('secrets in the mirror URL', () => {
  const gateInputs = (url: string) => ({
    mode: 'cosign',
    image: `ghcr.io/acme/widget@sha256:${'a'.repeat(64)}`,
    'certificate-identity': 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
    'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com',
    'cosign-download-url': url,
    timeout: '5s',
    retries: '0',
  });

  it.each([
    ['a query parameter the redactor has no pattern for', () => `${base}/missing?apikey=${CANARY.plain}`],
    ['a path segment (a mirror shows only its origin in messages)', () => `${base}/secret-${CANARY.plain}/missing`],
    ['a query parameter, served (signature check fails on the real root)', () => `${base}/good?X-JFrog-Art-Api=${CANARY.plain}`],
  ])('%s never reaches messages, outputs or records', async (_n, url) => {
    const r = await runGate(gateInputs(url()));
    expect(r.result.outcome).toBe('error');
    expect(r.records).toHaveLength(1);
    const text = collectText([JSON.stringify(r.result), JSON.stringify(r.records), ...r.logs], [r.dir]);
    expect(leakedCanaries(text)).toEqual([]);
  });

  it('credentials in the URL (user:password@) are an input error that does not echo them', async () => {
    const r = await runGate(gateInputs(`http://mirror-user:${CANARY.plain}@127.0.0.1:1/cosign`));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(leakedCanaries(JSON.stringify([r.result, r.records]))).toEqual([]);
  });
});
