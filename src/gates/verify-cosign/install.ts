// Installing cosign: a pinned version, downloaded from the release assets, checked against a SHA-256 held
// here BEFORE anything is cached, then cached with @actions/tool-cache. A cached binary is re-hashed on
// every use (a tampered cache on a self-hosted runner is caught). No checksum → no install (fail closed).
import { chmodSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { GateContext } from '../../core/gate.js';
import { sha256File } from '../../core/digest.js';
import { retry } from '../../core/retry.js';

export const COSIGN_VERSION = '3.0.2';
export const COSIGN_RELEASE_BASE = `https://github.com/sigstore/cosign/releases/download/v${COSIGN_VERSION}`;

export type CosignPlatform = `${'linux' | 'darwin' | 'windows'}-${'amd64' | 'arm64'}`;

/**
 * SHA-256 of each release asset of cosign v{COSIGN_VERSION}, from the release's cosign_checksums.txt.
 *
 * NOT YET FILLED IN: the machine this was written on cannot reach GitHub, and a checksum must never be
 * guessed. Until a value is filled in, installing cosign on that platform fails with
 * `cosign-checksum-unknown` (use `cosign: path` with a cosign you installed, or mode `in-process`).
 * To fill it: download cosign_checksums.txt and cosign_checksums.txt.sigstore.json from the release, verify
 * them with `npx chaingate verify-cosign --bundle cosign_checksums.txt.sigstore.json --artifact
 * cosign_checksums.txt --certificate-identity keyless@projectsigstore.iam.gserviceaccount.com
 * --certificate-oidc-issuer https://accounts.google.com`, then copy the six lines below.
 */
export const COSIGN_SHA256: Readonly<Record<CosignPlatform, string | null>> = {
  'linux-amd64': null, // cosign-linux-amd64
  'linux-arm64': null, // cosign-linux-arm64
  'darwin-amd64': null, // cosign-darwin-amd64
  'darwin-arm64': null, // cosign-darwin-arm64
  'windows-amd64': null, // cosign-windows-amd64.exe
  'windows-arm64': null, // cosign-windows-arm64.exe
};

export interface CosignRelease {
  version: string;
  /** base URL the asset names are appended to */
  baseUrl: string;
  sha256: Readonly<Record<string, string | null>>;
}

export const PINNED_RELEASE: CosignRelease = { version: COSIGN_VERSION, baseUrl: COSIGN_RELEASE_BASE, sha256: COSIGN_SHA256 };

export type InstallReason = 'cosign-checksum-unknown' | 'cosign-checksum-mismatch' | 'cosign-download-failed' | 'cosign-unsupported-platform';

export class InstallError extends Error {
  override name = 'InstallError';
  constructor(
    readonly reason: InstallReason,
    message: string,
  ) {
    super(message);
  }
}

export function currentPlatform(platform: string = process.platform, arch: string = process.arch): CosignPlatform {
  const os = platform === 'win32' ? 'windows' : platform;
  const a = arch === 'x64' ? 'amd64' : arch;
  if (!['linux', 'darwin', 'windows'].includes(os) || !['amd64', 'arm64'].includes(a)) {
    throw new InstallError('cosign-unsupported-platform', `cosign is not published for ${platform}/${arch}`);
  }
  return `${os}-${a}` as CosignPlatform;
}

export function assetName(p: CosignPlatform): string {
  return `cosign-${p}${p.startsWith('windows') ? '.exe' : ''}`;
}

export interface InstallOptions {
  release?: CosignRelease;
  platform?: CosignPlatform;
  /** per-download timeout */
  timeoutMs: number;
  retries: number;
  /** cap on the download size */
  maxBytes?: number;
}

export interface Installed {
  path: string;
  version: string;
  sha256: string;
  fromCache: boolean;
  attempts: number;
}

class TransientDownload extends Error {}

/** Download (or find in the tool cache) the pinned cosign and return its path. Throws InstallError. */
export async function installCosign(ctx: GateContext, opts: InstallOptions): Promise<Installed> {
  const release = opts.release ?? PINNED_RELEASE;
  const platform = opts.platform ?? currentPlatform();
  const asset = assetName(platform);
  const want = release.sha256[platform];
  if (!want || !/^[0-9a-f]{64}$/.test(want)) {
    throw new InstallError(
      'cosign-checksum-unknown',
      `no SHA-256 is pinned for ${asset} v${release.version}: refusing to install an unchecked binary (use cosign: path, or mode: in-process)`,
    );
  }
  // @actions/tool-cache reads these from process.env; give it a home outside a runner (CLI use).
  const toolCache = ctx.env.RUNNER_TOOL_CACHE || process.env.RUNNER_TOOL_CACHE || join(homedir(), '.cache', 'chaingate', 'tool-cache');
  process.env.RUNNER_TOOL_CACHE = toolCache;
  if (!process.env.RUNNER_TEMP) process.env.RUNNER_TEMP = ctx.tempDir;
  const tc = await import('@actions/tool-cache');
  const arch = platform.split('-')[1];

  const cachedDir = tc.find('cosign', release.version, arch);
  if (cachedDir) {
    const p = join(cachedDir, asset);
    if (existsSync(p)) {
      const got = (await sha256File(p)).slice(7);
      if (got !== want) {
        throw new InstallError('cosign-checksum-mismatch', `the cached ${asset} has sha256 ${got}, expected ${want}: the tool cache was altered`);
      }
      return { path: p, version: release.version, sha256: got, fromCache: true, attempts: 0 };
    }
  }

  const url = `${release.baseUrl.replace(/\/+$/, '')}/${asset}`;
  const dir = mkdtempSync(join(ctx.tempDir, 'cosign-dl-'));
  const file = join(dir, asset);
  try {
    const { value: got, attempts } = await retry(
      async () => download(ctx, url, file, opts.timeoutMs, opts.maxBytes ?? 512 * 1024 * 1024),
      {
        retries: opts.retries,
        isTransientError: (e) => e instanceof TransientDownload,
        sleep: (ms) => ctx.sleep(ms),
        onRetry: (n, ms, why) => ctx.logger.warn(`cosign download attempt ${n} failed (${why}); retrying in ${ms} ms`),
      },
    ).catch((e: unknown) => {
      throw e instanceof InstallError ? e : new InstallError('cosign-download-failed', `cannot download ${url}: ${(e as Error).message}`);
    });
    if (got !== want) {
      throw new InstallError('cosign-checksum-mismatch', `${asset} from ${url} has sha256 ${got}, expected ${want}: not installed, nothing cached`);
    }
    chmodSync(file, 0o755);
    const cached = await tc.cacheFile(file, asset, 'cosign', release.version, arch);
    const path = join(cached, asset);
    chmodSync(path, 0o755);
    return { path, version: release.version, sha256: got, fromCache: false, attempts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function download(ctx: GateContext, url: string, file: string, timeoutMs: number, maxBytes: number): Promise<string> {
  let res: Response;
  try {
    res = await ctx.fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new TransientDownload(`network error: ${(e as Error).message}`);
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) throw new TransientDownload(`HTTP ${res.status}`);
  if (res.status !== 200 || !res.body) throw new InstallError('cosign-download-failed', `cannot download ${url}: HTTP ${res.status}`);
  mkdirSync(join(file, '..'), { recursive: true });
  const h = createHash('sha256');
  const out = createWriteStream(file, { mode: 0o600 });
  let size = 0;
  try {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new InstallError('cosign-download-failed', `${url} is larger than ${maxBytes} bytes`);
      }
      h.update(value);
      if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } catch (e) {
    out.destroy();
    if (e instanceof InstallError) throw e;
    throw new TransientDownload(`download interrupted: ${(e as Error).message}`);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return h.digest('hex');
}
