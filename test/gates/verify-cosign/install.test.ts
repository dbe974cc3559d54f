import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstallError, assetName, installCosign, currentPlatform, COSIGN_SHA256, type CosignRelease } from '../../../src/gates/verify-cosign/install.js';
import type { GateContext } from '../../../src/core/gate.js';

const BINARY = Buffer.from('#!/bin/sh\necho "GitVersion: v3.0.2"\n');
const GOOD = createHash('sha256').update(BINARY).digest('hex');
const PLATFORM = 'linux-amd64' as const;

let server: Server;
let base = '';
const hits: string[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.startsWith('/flaky/') && failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(503).end('busy');
      return;
    }
    if (!req.url?.startsWith('/missing/') && req.url?.endsWith(`/${assetName(PLATFORM)}`)) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(BINARY);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

function ctx(): GateContext & { warnings: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cg-inst-'));
  const warnings: string[] = [];
  return {
    cwd: dir,
    env: { RUNNER_TOOL_CACHE: join(dir, 'toolcache') },
    now: () => new Date(),
    exec: async () => {
      throw new Error('no exec in install tests');
    },
    fetch: globalThis.fetch,
    logger: { info: () => undefined, warn: (m: string) => warnings.push(m), debug: () => undefined },
    redactor: undefined as never,
    config: { file: null, config: {}, locate: () => undefined },
    sleep: async () => undefined,
    tempDir: dir,
    warnings,
  };
}

const release = (sha: string | null, path = 'rel'): CosignRelease => ({
  version: '3.0.2',
  baseUrl: `${base}/${path}`,
  sha256: { [PLATFORM]: sha },
});

function cachedFiles(c: GateContext): string[] {
  const root = c.env.RUNNER_TOOL_CACHE as string;
  if (!existsSync(join(root, 'cosign'))) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(join(root, 'cosign'));
  return out;
}

describe('cosign installation (local HTTP server)', () => {
  it('good checksum: downloads, caches, and the next run uses the cache without downloading', async () => {
    const c = ctx();
    const n0 = hits.length;
    const a = await installCosign(c, { release: release(GOOD), platform: PLATFORM, timeoutMs: 5000, retries: 0 });
    expect(a.fromCache).toBe(false);
    expect(a.sha256).toBe(GOOD);
    expect(existsSync(a.path)).toBe(true);
    expect(hits.length).toBe(n0 + 1);
    const b = await installCosign(c, { release: release(GOOD), platform: PLATFORM, timeoutMs: 5000, retries: 0 });
    expect(b.fromCache).toBe(true);
    // each run executes its own checked copy, never the shared cache file
    expect(b.path).not.toBe(a.path);
    expect(readFileSync(b.path)).toEqual(readFileSync(a.path));
    expect(hits.length).toBe(n0 + 1);
  });

  it('bad checksum: error, and nothing is cached', async () => {
    const c = ctx();
    const err = await installCosign(c, { release: release('0'.repeat(64)), platform: PLATFORM, timeoutMs: 5000, retries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect((err as InstallError).reason).toBe('cosign-checksum-mismatch');
    expect(cachedFiles(c)).toEqual([]);
  });

  it('a tampered cache is detected on use', async () => {
    const c = ctx();
    await installCosign(c, { release: release(GOOD), platform: PLATFORM, timeoutMs: 5000, retries: 0 });
    writeFileSync(join(c.env.RUNNER_TOOL_CACHE as string, 'cosign', '3.0.2', 'amd64', 'cosign-linux-amd64'), 'evil');
    const err = await installCosign(c, { release: release(GOOD), platform: PLATFORM, timeoutMs: 5000, retries: 0 }).catch((e) => e);
    expect((err as InstallError).reason).toBe('cosign-checksum-mismatch');
  });

  it('no checksum pinned: refuses without downloading', async () => {
    const c = ctx();
    const n0 = hits.length;
    const err = await installCosign(c, { release: release(null), platform: PLATFORM, timeoutMs: 5000, retries: 0 }).catch((e) => e);
    expect((err as InstallError).reason).toBe('cosign-checksum-unknown');
    expect(hits.length).toBe(n0);
  });

  it('5xx is retried (transient), then succeeds', async () => {
    const c = ctx();
    failuresLeft = 2;
    const a = await installCosign(c, { release: release(GOOD, 'flaky'), platform: PLATFORM, timeoutMs: 5000, retries: 2 });
    expect(a.attempts).toBe(3);
    expect(c.warnings).toHaveLength(2);
  });

  it('404 is not retried and fails closed', async () => {
    const c = ctx();
    const n0 = hits.length;
    const err = await installCosign(c, { release: { ...release(GOOD), baseUrl: `${base}/missing/x` }, platform: PLATFORM, timeoutMs: 5000, retries: 3 }).catch((e) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect((err as InstallError).reason).toBe('cosign-download-failed');
    expect(hits.length).toBe(n0 + 1);
    expect(cachedFiles(c)).toEqual([]);
  });

  it('no network (connection refused): error after the retries, nothing cached', async () => {
    const c = ctx();
    const err = await installCosign(c, { release: { ...release(GOOD), baseUrl: 'http://127.0.0.1:9' }, platform: PLATFORM, timeoutMs: 2000, retries: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect((err as InstallError).reason).toBe('cosign-download-failed');
    expect(c.warnings).toHaveLength(1);
    expect(cachedFiles(c)).toEqual([]);
  });

  it('the pinned table covers linux/darwin/windows × amd64/arm64 and holds no invented values', () => {
    expect(Object.keys(COSIGN_SHA256).sort()).toEqual(['darwin-amd64', 'darwin-arm64', 'linux-amd64', 'linux-arm64', 'windows-amd64', 'windows-arm64']);
    for (const v of Object.values(COSIGN_SHA256)) expect(v === null || /^[0-9a-f]{64}$/.test(v)).toBe(true);
    expect(assetName('windows-arm64')).toBe('cosign-windows-arm64.exe');
    expect(currentPlatform('linux', 'x64')).toBe('linux-amd64');
    expect(currentPlatform('win32', 'arm64')).toBe('windows-arm64');
    expect(() => currentPlatform('freebsd', 'x64')).toThrow(InstallError);
  });
});
