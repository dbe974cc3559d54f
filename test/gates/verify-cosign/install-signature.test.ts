// cosign installation checked by the release's own Sigstore bundle (`<asset>.sigstore.json`) while no SHA-256
// is held in the source: real Sigstore cryptography (mock Fulcio/Rekor/TSA from @sigstore/mock, verified by
// src/core/sigstore), a real HTTP server on 127.0.0.1 serving the release assets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InstallError,
  RELEASE_SIGNER,
  assetName,
  bundleName,
  installCosign,
  type CosignRelease,
} from '../../../src/gates/verify-cosign/install.js';
import { trustFromBytes, type LoadedTrust } from '../../../src/core/sigstore/index.js';
import type { GateContext } from '../../../src/core/gate.js';
import { MockSigstore, sha256Hex } from '../../helpers/sigstore.js';
import { runGate } from './helpers.js';

const PLATFORM = 'linux-amd64' as const;
const ASSET = assetName(PLATFORM);
const BINARY = Buffer.from('#!/bin/sh\necho "GitVersion: v3.0.2"\n');
const OTHER = Buffer.from('#!/bin/sh\necho evil\n');

let ss: MockSigstore;
let trust: LoadedTrust;
let server: Server;
let base = '';
const hits: string[] = [];
/** path prefix → files served under it */
const releases = new Map<string, Map<string, Buffer | string>>();

beforeAll(async () => {
  ss = await MockSigstore.start();
  trust = trustFromBytes(JSON.stringify(ss.trustedRootJSON()), 'file', 'file');
  const sign = async (data: Buffer, identity = RELEASE_SIGNER.identity, issuer = RELEASE_SIGNER.issuer) =>
    JSON.stringify(await ss.signBlob(data, { identity, issuer }));
  const good = await sign(BINARY);
  releases.set('good', new Map<string, Buffer | string>([[ASSET, BINARY], [bundleName(ASSET), good]]));
  // the binary was swapped after signing
  releases.set('swapped', new Map<string, Buffer | string>([[ASSET, OTHER], [bundleName(ASSET), good]]));
  releases.set('other-signer', new Map<string, Buffer | string>([[ASSET, BINARY], [bundleName(ASSET), await sign(BINARY, 'keyless@evil-project.iam.gserviceaccount.com')]]));
  releases.set('look-alike', new Map<string, Buffer | string>([[ASSET, BINARY], [bundleName(ASSET), await sign(BINARY, `x${RELEASE_SIGNER.identity}`)]]));
  releases.set('other-issuer', new Map<string, Buffer | string>([[ASSET, BINARY], [bundleName(ASSET), await sign(BINARY, RELEASE_SIGNER.identity, 'https://token.actions.githubusercontent.com')]]));
  releases.set('no-bundle', new Map<string, Buffer | string>([[ASSET, BINARY]]));
  releases.set('garbage-bundle', new Map<string, Buffer | string>([[ASSET, BINARY], [bundleName(ASSET), '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "truncated']]));
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const [, rel, file] = (req.url ?? '').split('/');
    const body = releases.get(rel)?.get(file);
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await ss.close();
});

function ctx(): GateContext {
  const dir = mkdtempSync(join(tmpdir(), 'cg-inst-sig-'));
  return {
    cwd: dir,
    env: { RUNNER_TOOL_CACHE: join(dir, 'toolcache') },
    now: () => new Date(),
    exec: async () => {
      throw new Error('no exec in install tests');
    },
    fetch: globalThis.fetch,
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
    redactor: undefined as never,
    config: { file: null, config: {}, locate: () => undefined },
    sleep: async () => undefined,
    tempDir: dir,
  };
}

const release = (rel: string, sha: string | null = null): CosignRelease => ({
  version: '3.0.2',
  baseUrl: `${base}/${rel}`,
  sha256: { [PLATFORM]: sha },
  signer: RELEASE_SIGNER,
});

const install = (c: GateContext, rel: string, extra: { sha?: string | null; trust?: LoadedTrust | null } = {}) =>
  installCosign(c, {
    release: release(rel, extra.sha ?? null),
    platform: PLATFORM,
    timeoutMs: 5000,
    retries: 0,
    trust: extra.trust === null ? undefined : () => extra.trust ?? trust,
  });

const cacheDirOf = (c: GateContext) => join(c.env.RUNNER_TOOL_CACHE as string, 'cosign', '3.0.2', 'amd64');

function cachedFiles(c: GateContext): string[] {
  const root = join(c.env.RUNNER_TOOL_CACHE as string, 'cosign');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(root);
  return out;
}

async function failure(p: Promise<unknown>): Promise<InstallError> {
  const e = await p.then(
    () => new Error('installed, but should not have been'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InstallError);
  return e as InstallError;
}

describe('cosign install checked by the release signature (no SHA-256 held)', () => {
  it('a binary signed by the release identity installs; the next run re-checks the cache without downloading', async () => {
    const c = ctx();
    const n0 = hits.length;
    const a = await install(c, 'good');
    expect(a.checkedBy).toBe('signature');
    expect(a.sha256).toBe(sha256Hex(BINARY));
    expect(a.fromCache).toBe(false);
    expect(hits.slice(n0)).toEqual([`/good/${ASSET}`, `/good/${bundleName(ASSET)}`]);
    expect(cachedFiles(c).map((f) => f.split('/').pop()).filter((f) => !f?.endsWith('.complete')).sort()).toEqual([ASSET, bundleName(ASSET)]);
    const b = await install(c, 'good');
    expect(b).toMatchObject({ fromCache: true, checkedBy: 'signature', sha256: a.sha256 });
    expect(hits.length).toBe(n0 + 2);
  });

  it.each([
    ['the binary was swapped after signing', 'swapped'],
    ['signed by another identity', 'other-signer'],
    ['signed by a look-alike identity (exact match, not a substring)', 'look-alike'],
    ['signed by the identity under another OIDC issuer', 'other-issuer'],
    ['the bundle is malformed', 'garbage-bundle'],
  ])('%s: error cosign-signature-invalid, nothing cached', async (_n, rel) => {
    const c = ctx();
    const e = await failure(install(c, rel));
    expect(e.reason).toBe('cosign-signature-invalid');
    expect(e.message).toContain('nothing cached');
    expect(cachedFiles(c)).toEqual([]);
  });

  it('the release has no bundle: error cosign-download-failed, nothing cached', async () => {
    const c = ctx();
    const e = await failure(install(c, 'no-bundle'));
    expect(e.reason).toBe('cosign-download-failed');
    expect(e.message).toContain(bundleName(ASSET));
    expect(cachedFiles(c)).toEqual([]);
  });

  it('a bundle from another Sigstore instance fails under the embedded public-good root (the default trust)', async () => {
    const c = ctx();
    const e = await failure(install(c, 'good', { trust: null }));
    expect(e.reason).toBe('cosign-signature-invalid');
    expect(e.message).toMatch(/public-good|tuf/i);
    expect(e.message).toContain('tuf-refresh');
    expect(cachedFiles(c)).toEqual([]);
  });

  it('a tampered cached binary is caught on the next use', async () => {
    const c = ctx();
    await install(c, 'good');
    writeFileSync(join(cacheDirOf(c), ASSET), OTHER);
    const e = await failure(install(c, 'good'));
    expect(e.reason).toBe('cosign-signature-invalid');
    expect(e.message).toContain('the cached');
  });

  it('a cached bundle replaced by one for other bytes is caught on the next use', async () => {
    const c = ctx();
    await install(c, 'good');
    writeFileSync(join(cacheDirOf(c), bundleName(ASSET)), JSON.stringify(await ss.signBlob(OTHER, { identity: RELEASE_SIGNER.identity, issuer: RELEASE_SIGNER.issuer })));
    const e = await failure(install(c, 'good'));
    expect(e.reason).toBe('cosign-signature-invalid');
  });

  it('a SHA-256 held in the source wins: the bundle is not fetched, and a mismatch is an error even with a good signature', async () => {
    const c = ctx();
    const n0 = hits.length;
    const a = await install(c, 'good', { sha: sha256Hex(BINARY) });
    expect(a.checkedBy).toBe('sha256');
    expect(hits.slice(n0)).toEqual([`/good/${ASSET}`]);
    const e = await failure(install(ctx(), 'good', { sha: '0'.repeat(64) }));
    expect(e.reason).toBe('cosign-checksum-mismatch');
  });

  it('no SHA-256 and no signer: refuses without downloading (cosign-checksum-unknown)', async () => {
    const c = ctx();
    const n0 = hits.length;
    const e = await failure(installCosign(c, { release: { ...release('good'), signer: undefined }, platform: PLATFORM, timeoutMs: 5000, retries: 0 }));
    expect(e.reason).toBe('cosign-checksum-unknown');
    expect(hits.length).toBe(n0);
  });
});

describe('verify-cosign gate, cosign: install (the default)', () => {
  const image = `ghcr.io/acme/widget@sha256:${'a'.repeat(64)}`;
  const inputs = (rel: string) => ({
    mode: 'cosign',
    image,
    'certificate-identity': 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
    'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com',
    'cosign-download-url': `${base}/${rel}`,
    timeout: '5s',
    retries: '0',
  });

  it('a release whose signature does not verify under the public-good root: error, cosign never runs, the record says why', async () => {
    const r = await runGate(inputs('good'));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['cosign-signature-invalid']);
    expect(r.records).toHaveLength(1);
    expect(JSON.stringify(r.records[0])).toContain('cosign-signature-invalid');
  });

  it('a swapped binary: error cosign-signature-invalid', async () => {
    const r = await runGate(inputs('swapped'));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['cosign-signature-invalid']);
  });

  it('no network: error cosign-download-failed (fail closed)', async () => {
    const r = await runGate(inputs('good'), {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['cosign-download-failed']);
  });
});
