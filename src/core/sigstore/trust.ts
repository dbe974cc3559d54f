// Trust material: which Fulcio CAs, Rekor logs, CT logs and timestamp authorities are believed.
//   public-good: the Sigstore public-good trusted_root.json embedded in @sigstore/tuf's seeds.json (offline);
//   file:        a user-supplied trusted_root.json (e.g. `cosign trusted-root create`, a private instance);
//   github:      GitHub's own instance (private-repo attestations) from a file: no Rekor, no CT log,
//                one signed timestamp required (thresholds tlog 0 / ctlog 0 / timestamp 1).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fsErrorText } from '../files.js';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { sealTrustMaterial } from './accel.js';
import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' };
import tufPkg from '@sigstore/tuf/package.json' with { type: 'json' };

export type TrustSource = 'public-good' | 'file' | 'github';

export interface Thresholds {
  /** transparency log entries required */
  tlog: number;
  /** signed certificate timestamps (CT log) required */
  ctlog: number;
  /** verified timestamps (RFC 3161 or tlog integrated time with inclusion promise) required */
  timestamp: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { tlog: 1, ctlog: 1, timestamp: 1 };
export const GITHUB_THRESHOLDS: Readonly<Thresholds> = { tlog: 0, ctlog: 0, timestamp: 1 };
/** key-pair signatures: keys do not expire and need no CT log; entries present are still verified */
export const KEY_THRESHOLDS: Readonly<Thresholds> = { tlog: 0, ctlog: 0, timestamp: 0 };

export interface TrustInfo {
  source: TrustSource;
  /** e.g. `@sigstore/tuf 5.0.1 seeds (TUF root v16)` or `file` */
  version: string;
  /** sha256 of the trusted_root.json bytes in use */
  sha256: string;
  /** the file it came from, when it came from one */
  path?: string;
}

export interface LoadedTrust {
  info: TrustInfo;
  root: TrustedRoot;
  material: TrustMaterial;
  thresholds: Thresholds;
}

/** The trust root could not be loaded: a gate reports `error` (never `fail`, never `pass`). */
export class TrustRootError extends Error {
  override name = 'TrustRootError';
  constructor(
    readonly reason: 'trust-root-invalid' | 'trust-root-unreadable' | 'trust-root-refresh-failed',
    message: string,
  ) {
    super(message);
  }
}

const TRUSTED_ROOT_MEDIA_PREFIX = 'application/vnd.dev.sigstore.trustedroot';

/** Build trust from trusted_root.json bytes. Throws TrustRootError when they are not a usable trusted root. */
export function trustFromBytes(bytes: Buffer | string, source: TrustSource, version: string, path?: string): LoadedTrust {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const sha256 = `sha256:${createHash('sha256').update(buf).digest('hex')}`;
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    const multi = buf.toString('utf8').trim().includes('\n{');
    throw new TrustRootError(
      'trust-root-invalid',
      multi
        ? 'the trusted root file holds several JSON documents (JSON Lines, as `gh attestation trusted-root` prints): keep the one line for the instance you trust'
        : `the trusted root is not JSON: ${(e as Error).message}`,
    );
  }
  const o = json as Record<string, unknown>;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new TrustRootError('trust-root-invalid', 'the trusted root is not a JSON object');
  if (typeof o.mediaType !== 'string' || !o.mediaType.startsWith(TRUSTED_ROOT_MEDIA_PREFIX)) {
    throw new TrustRootError('trust-root-invalid', `the trusted root has no ${TRUSTED_ROOT_MEDIA_PREFIX}… mediaType`);
  }
  for (const k of ['certificateAuthorities', 'tlogs', 'ctlogs', 'timestampAuthorities']) {
    if (o[k] !== undefined && !Array.isArray(o[k])) throw new TrustRootError('trust-root-invalid', `trusted root: "${k}" must be an array`);
  }
  let root: TrustedRoot;
  let material: TrustMaterial;
  try {
    root = TrustedRoot.fromJSON(o);
    material = toTrustMaterial(root);
  } catch (e) {
    throw new TrustRootError('trust-root-invalid', `the trusted root cannot be used: ${(e as Error).message}`);
  }
  if (material.certificateAuthorities.length === 0 && material.tlogs.length === 0 && material.timestampAuthorities.length === 0) {
    throw new TrustRootError('trust-root-invalid', 'the trusted root names no certificate authority, log or timestamp authority');
  }
  // freeze the trust material's certificates: their parse and trust-anchor signature checks are then done
  // once per loaded trust (accel.ts)
  sealTrustMaterial(material);
  const thresholds = { ...(source === 'github' ? GITHUB_THRESHOLDS : DEFAULT_THRESHOLDS) };
  return { info: { source, version, sha256, path }, root, material, thresholds };
}

interface Seeds {
  [mirror: string]: { 'root.json': string; targets: Record<string, string> };
}

let publicGood: LoadedTrust | undefined;

/** Version of the embedded public-good root: the @sigstore/tuf release and the TUF root version it seeds. */
export function publicGoodVersion(): string {
  const s = (seeds as unknown as Seeds)['https://tuf-repo-cdn.sigstore.dev'];
  let rootVersion = '?';
  try {
    rootVersion = String((JSON.parse(Buffer.from(s['root.json'], 'base64').toString('utf8')) as { signed: { version: number } }).signed.version);
  } catch {
    /* reported as ? */
  }
  return `@sigstore/tuf ${(tufPkg as { version: string }).version} seeds (TUF root v${rootVersion})`;
}

/** The Sigstore public-good trusted root embedded in @sigstore/tuf (no network). Cached per process. */
export function publicGoodTrust(): LoadedTrust {
  if (publicGood) return publicGood;
  const s = (seeds as unknown as Seeds)['https://tuf-repo-cdn.sigstore.dev'];
  const b64 = s?.targets?.['trusted_root.json'];
  if (!b64) throw new TrustRootError('trust-root-invalid', '@sigstore/tuf seeds.json has no trusted_root.json');
  publicGood = trustFromBytes(Buffer.from(b64, 'base64'), 'public-good', publicGoodVersion());
  return publicGood;
}

/** Load trust from a trusted_root.json file (`file`) or GitHub's instance root (`github`). */
export function trustFromFile(path: string, source: 'file' | 'github' = 'file'): LoadedTrust {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TrustRootError('trust-root-unreadable', `cannot read the trusted root ${path}: ${fsErrorText(e)}`);
  }
  return trustFromBytes(bytes, source, source === 'github' ? 'github (file)' : 'file', path);
}

export interface RefreshOptions {
  /** hard limit for the whole TUF refresh (default 30 s) */
  timeoutMs?: number;
  /** TUF metadata cache directory (a fresh temp dir is fine) */
  cachePath: string;
  /** TUF mirror (default: the public-good CDN) */
  mirrorURL?: string;
}

/**
 * Online TUF refresh of the public-good trusted root. Fails closed: any error or the timeout throws
 * TrustRootError('trust-root-refresh-failed'); there is no silent fallback to the embedded root.
 */
export async function refreshPublicGoodTrust(opts: RefreshOptions): Promise<LoadedTrust> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const { getTrustedRoot } = await import('@sigstore/tuf');
  let timer: NodeJS.Timeout | undefined;
  try {
    const root = await Promise.race([
      getTrustedRoot({ cachePath: opts.cachePath, mirrorURL: opts.mirrorURL, timeout: timeoutMs, retry: false, forceInit: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const bytes = Buffer.from(JSON.stringify(TrustedRoot.toJSON(root)));
    return trustFromBytes(bytes, 'public-good', `TUF refresh of ${opts.mirrorURL ?? 'https://tuf-repo-cdn.sigstore.dev'}`);
  } catch (e) {
    if (e instanceof TrustRootError) throw e;
    throw new TrustRootError('trust-root-refresh-failed', `TUF refresh failed: ${(e as Error).message}`);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
