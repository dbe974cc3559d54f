// Installing cosign: a pinned version, downloaded from the release assets and checked BEFORE anything is
// cached, then cached with @actions/tool-cache. Two ways to check, in this order:
//   1. a SHA-256 held here for the platform's asset (COSIGN_SHA256): the download must hash to it;
//   2. while no SHA-256 is held: the release's own Sigstore bundle `<asset>.sigstore.json`, verified
//      in-process (src/core/sigstore) against the Sigstore public-good trusted root with the release signer's
//      exact identity (keyless@projectsigstore.iam.gserviceaccount.com, issuer https://accounts.google.com):
//      the signed digest must equal the download's SHA-256.
// A cached binary is checked again on every use (re-hashed; with way 2 its kept bundle is verified again),
// so a tampered cache on a self-hosted runner is caught. Neither way available → no install (fail closed).
// What runs is never the shared cache file: the bytes that were checked are copied to a private directory of
// this run (created 0700) and that copy runs, so a cache swapped after the check (another job on the same
// runner, or two jobs caching at once) cannot change what runs. Caching is best effort: a cache that cannot be
// written (a concurrent job replacing it) leaves the checked private copy in use.
import { chmodSync, closeSync, constants as FS, createWriteStream, fstatSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { GateContext } from '../../core/gate.js';
import { sha256File } from '../../core/digest.js';
import { retry } from '../../core/retry.js';
import { buildIdentityPolicy, publicGoodTrust, verifyBundle, type LoadedTrust } from '../../core/sigstore/index.js';

export const COSIGN_VERSION = '3.0.2';
export const COSIGN_RELEASE_BASE = `https://github.com/sigstore/cosign/releases/download/v${COSIGN_VERSION}`;

export type CosignPlatform = `${'linux' | 'darwin' | 'windows'}-${'amd64' | 'arm64'}`;

/**
 * SHA-256 of each release asset of cosign v{COSIGN_VERSION}, from the release's cosign_checksums.txt.
 *
 * NOT YET FILLED IN: the machine this was written on cannot reach GitHub, and a checksum must never be
 * guessed. Until a value is filled in, the download is checked by its Sigstore signature instead (way 2
 * above, RELEASE_SIGNER).
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

/** Who signs cosign's release assets (REFERENCE: `<asset>.sigstore.json`, keyless, Google service account). */
export interface ReleaseSigner {
  /** exact certificate SAN */
  identity: string;
  /** exact OIDC issuer */
  issuer: string;
}

export const RELEASE_SIGNER: ReleaseSigner = {
  identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
  issuer: 'https://accounts.google.com',
};

export interface CosignRelease {
  version: string;
  /** base URL the asset names are appended to */
  baseUrl: string;
  sha256: Readonly<Record<string, string | null>>;
  /** check by `<asset>.sigstore.json` when no SHA-256 is held; absent → no signature check (fail closed) */
  signer?: ReleaseSigner;
}

export const PINNED_RELEASE: CosignRelease = { version: COSIGN_VERSION, baseUrl: COSIGN_RELEASE_BASE, sha256: COSIGN_SHA256, signer: RELEASE_SIGNER };

export type InstallReason =
  | 'cosign-checksum-unknown'
  | 'cosign-checksum-mismatch'
  | 'cosign-signature-invalid'
  | 'cosign-download-failed'
  | 'cosign-unsupported-platform';

/** Name of the bundle kept beside a signature-checked binary in the tool cache. */
export const bundleName = (asset: string): string => `${asset}.sigstore.json`;
const MAX_BUNDLE_BYTES = 1024 * 1024;

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
  /** trust for the release signature (default: the embedded Sigstore public-good trusted root) */
  trust?: () => LoadedTrust | Promise<LoadedTrust>;
}

export interface Installed {
  path: string;
  version: string;
  sha256: string;
  fromCache: boolean;
  attempts: number;
  /** how the binary was checked */
  checkedBy: 'sha256' | 'signature';
  /** with `signature`: the trusted root used (e.g. `@sigstore/tuf 4.0.0 seeds (TUF root v14)`) */
  trustVersion?: string;
  /** remove this run's private copy of the binary (call when cosign has run) */
  dispose(): void;
}

/** `base`/`name` keeping a query of the base URL (a mirror's `?channel=…`) on the asset URL. */
export function assetUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${name}`;
  return u.toString();
}

/**
 * How a download URL appears in messages and logs: the pinned GitHub release in full; a mirror only as its
 * origin and the asset name, so a token in its path or query never reaches a message, log or record.
 */
export function displayUrl(base: string, name: string): string {
  if (base.replace(/\/+$/, '') === COSIGN_RELEASE_BASE) return `${COSIGN_RELEASE_BASE}/${name}`;
  try {
    return `${new URL(base).origin}/…/${name} (cosign-download-url)`;
  } catch {
    return `${name} (cosign-download-url)`;
  }
}

class TransientDownload extends Error {}

/** Download (or find in the tool cache) the pinned cosign and return its path. Throws InstallError. */
export async function installCosign(ctx: GateContext, opts: InstallOptions): Promise<Installed> {
  const release = opts.release ?? PINNED_RELEASE;
  const platform = opts.platform ?? currentPlatform();
  const asset = assetName(platform);
  const pinned = release.sha256[platform];
  const want = pinned && /^[0-9a-f]{64}$/.test(pinned) ? pinned : null;
  if (!want && !release.signer) {
    throw new InstallError(
      'cosign-checksum-unknown',
      `no SHA-256 is pinned for ${asset} v${release.version} and no release signer is set: refusing to install an unchecked binary (use cosign: path, or mode: in-process)`,
    );
  }
  // @actions/tool-cache reads these from process.env; give it a home outside a runner (CLI use).
  const toolCache = ctx.env.RUNNER_TOOL_CACHE || process.env.RUNNER_TOOL_CACHE || join(homedir(), '.cache', 'chaingate', 'tool-cache');
  process.env.RUNNER_TOOL_CACHE = toolCache;
  if (!process.env.RUNNER_TEMP) process.env.RUNNER_TEMP = ctx.tempDir;
  const tc = await import('@actions/tool-cache');
  const arch = platform.split('-')[1];

  // this run's private directory: what runs is the copy made here from the bytes that were checked
  const own = mkdtempSync(join(ctx.tempDir, 'cosign-'));
  const dispose = () => rmSync(own, { recursive: true, force: true });
  try {
    const cachedDir = tc.find('cosign', release.version, arch);
    if (cachedDir) {
      const p = join(cachedDir, asset);
      const b = join(cachedDir, bundleName(asset));
      // a missing, non-regular (FIFO, device, directory) or symlinked entry is no usable cache: download again
      const bundle = want ? undefined : copyRegular(b, undefined, MAX_BUNDLE_BYTES);
      const copied = want || bundle ? copyRegular(p, join(own, asset), 1024 * 1024 * 1024) : undefined;
      if (copied && (want || bundle)) {
        const got = copied.sha256;
        if (want) {
          if (got !== want) {
            throw new InstallError('cosign-checksum-mismatch', `the cached ${asset} has sha256 ${got}, expected ${want}: the tool cache was altered`);
          }
          chmodSync(join(own, asset), 0o755);
          return { path: join(own, asset), version: release.version, sha256: got, fromCache: true, attempts: 0, checkedBy: 'sha256', dispose };
        }
        const trustVersion = await checkSignature(opts, release, asset, (bundle as { bytes: Buffer }).bytes, got, 'the cached ');
        chmodSync(join(own, asset), 0o755);
        return { path: join(own, asset), version: release.version, sha256: got, fromCache: true, attempts: 0, checkedBy: 'signature', trustVersion, dispose };
      }
      rmSync(join(own, asset), { force: true });
    }
  } catch (e) {
    dispose();
    throw e;
  }

  const url = assetUrl(release.baseUrl, asset);
  const shown = displayUrl(release.baseUrl, asset);
  const dir = mkdtempSync(join(ctx.tempDir, 'cosign-dl-'));
  const file = join(dir, asset);
  const get = <T>(what: string, fn: () => Promise<T>) =>
    retry(fn, {
      retries: opts.retries,
      isTransientError: (e) => e instanceof TransientDownload,
      sleep: (ms) => ctx.sleep(ms),
      onRetry: (n, ms, why) => ctx.logger.warn(`${what} download attempt ${n} failed (${why}); retrying in ${ms} ms`),
    }).catch((e: unknown) => {
      throw e instanceof InstallError ? e : new InstallError('cosign-download-failed', `cannot download ${what}: ${(e as Error).message}`);
    });
  try {
    const { value: got, attempts } = await get(shown, async () => download(ctx, url, shown, file, opts.timeoutMs, opts.maxBytes ?? 512 * 1024 * 1024));
    let checkedBy: Installed['checkedBy'] = 'sha256';
    let trustVersion: string | undefined;
    if (want) {
      if (got !== want) {
        throw new InstallError('cosign-checksum-mismatch', `${asset} from ${shown} has sha256 ${got}, expected ${want}: not installed, nothing cached`);
      }
    } else {
      const bundleUrl = assetUrl(release.baseUrl, bundleName(asset));
      const bundleShown = displayUrl(release.baseUrl, bundleName(asset));
      const bundleFile = join(dir, bundleName(asset));
      await get(bundleShown, async () => download(ctx, bundleUrl, bundleShown, bundleFile, opts.timeoutMs, MAX_BUNDLE_BYTES));
      const bundle = copyRegular(bundleFile, undefined, MAX_BUNDLE_BYTES);
      if (!bundle) throw new InstallError('cosign-signature-invalid', `${bundleName(asset)} is not a Sigstore bundle file of at most ${MAX_BUNDLE_BYTES} bytes`);
      trustVersion = await checkSignature(opts, release, asset, bundle.bytes, got, '');
      checkedBy = 'signature';
    }
    // the checked bytes, copied privately (and re-hashed while copying): this copy is what runs
    const mine = copyRegular(file, join(own, asset), 1024 * 1024 * 1024);
    if (!mine || mine.sha256 !== got) throw new InstallError('cosign-download-failed', `${asset} changed after it was checked: not installed`);
    chmodSync(join(own, asset), 0o755);
    chmodSync(file, 0o755);
    try {
      if (checkedBy === 'sha256') await tc.cacheFile(file, asset, 'cosign', release.version, arch);
      else await tc.cacheDir(dir, 'cosign', release.version, arch);
    } catch (e) {
      // another job caching at the same moment, a full disk: the checked private copy still runs
      ctx.logger.warn(`could not cache cosign in the tool cache (${(e as Error).message}); using this run's checked copy`);
    }
    return { path: join(own, asset), version: release.version, sha256: got, fromCache: false, attempts, checkedBy, trustVersion, dispose };
  } catch (e) {
    dispose();
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Read `src` if it is a regular file (not a symlink, FIFO, device or directory) of at most `max` bytes, hashing
 * it, and copy it to `dest` (created exclusively, 0600) when given. Returns undefined when it is not such a file.
 * Opened with O_NOFOLLOW|O_NONBLOCK and checked with fstat, so a FIFO never blocks and a symlink is never followed.
 */
function copyRegular(src: string, dest: string | undefined, max: number): { sha256: string; bytes: Buffer } | undefined {
  let fd: number;
  try {
    fd = openSync(src, FS.O_RDONLY | (FS.O_NOFOLLOW ?? 0) | (FS.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  let out: number | undefined;
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > max) return undefined;
    if (dest) out = openSync(dest, FS.O_WRONLY | FS.O_CREAT | FS.O_EXCL | (FS.O_NOFOLLOW ?? 0), 0o600);
    const h = createHash('sha256');
    const keep: Buffer[] = [];
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > max) return undefined;
      const chunk = buf.subarray(0, n);
      h.update(chunk);
      if (out !== undefined) {
        let off = 0;
        while (off < n) off += writeSync(out, chunk, off, n - off);
      } else keep.push(Buffer.from(chunk));
    }
    return { sha256: h.digest('hex'), bytes: Buffer.concat(keep) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
    if (out !== undefined) closeSync(out);
  }
}

/** Verify `<asset>.sigstore.json` over the SHA-256 `got`; returns the trust version. Throws InstallError. */
async function checkSignature(opts: InstallOptions, release: CosignRelease, asset: string, bundle: Buffer, got: string, which: string): Promise<string> {
  const signer = release.signer as ReleaseSigner;
  let trust: LoadedTrust;
  try {
    trust = await (opts.trust ?? publicGoodTrust)();
  } catch (e) {
    throw new InstallError('cosign-signature-invalid', `cannot load the trusted root to check ${bundleName(asset)}: ${(e as Error).message}`);
  }
  const policy = buildIdentityPolicy({ certificateIdentity: signer.identity, certificateOidcIssuer: signer.issuer });
  // cosign's release signature is a blob signature (`cosign sign-blob`): a DSSE attestation naming the binary
  // as a subject says something else about it, and is not accepted as the release signature
  const r = verifyBundle({ bundle, artifact: { kind: 'digest', digest: `sha256:${got}` }, policy, trust, expect: { content: 'message-signature' } });
  if (!r.ok) {
    throw new InstallError(
      'cosign-signature-invalid',
      `${which}${asset} v${release.version} (sha256 ${got}) is not signed by ${signer.identity} (${signer.issuer}) under the ${trust.info.version} trusted root: ${r.reason}: ${r.message}; not installed, nothing cached` +
        (trust.info.source === 'public-good' ? ' (if the embedded root is older than the release signature, try tuf-refresh: true)' : ''),
    );
  }
  return trust.info.version;
}

/** `shown` is how the URL appears in messages (a mirror's path and query may hold a token). */
async function download(ctx: GateContext, url: string, shown: string, file: string, timeoutMs: number, maxBytes: number): Promise<string> {
  let res: Response;
  try {
    res = await ctx.fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new TransientDownload(`network error: ${(e as Error).message}`);
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) throw new TransientDownload(`HTTP ${res.status}`);
  if (res.status !== 200 || !res.body) throw new InstallError('cosign-download-failed', `cannot download ${shown}: HTTP ${res.status}`);
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
        throw new InstallError('cosign-download-failed', `${shown} is larger than ${maxBytes} bytes`);
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
