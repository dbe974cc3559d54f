import { nodeCrypto } from './random.js';
import { createReadStream } from 'node:fs';
import { InputError } from './types.js';

/** Thrown for a digest that is not a sha256 digest. Message says what was wrong. */
export class DigestError extends InputError {
  override name = 'DigestError';
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Normalise a digest to `sha256:<64 lowercase hex>`.
 * Accepts `sha256:<hex>`, `SHA256:<HEX>` or bare hex. Rejects other algorithms and lengths.
 * Every digest comparison in chaingate goes through this function.
 */
export function normalizeDigest(input: string, what = 'digest'): string {
  if (typeof input !== 'string') throw new DigestError(`${what}: expected a string`);
  const s = input.trim();
  if (s === '') throw new DigestError(`${what}: empty`);
  let algo = 'sha256';
  let hex = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    algo = s.slice(0, colon).toLowerCase();
    hex = s.slice(colon + 1);
  }
  if (algo !== 'sha256') {
    throw new DigestError(`${what}: algorithm "${algo}" is not supported (only sha256)`);
  }
  const lower = hex.toLowerCase();
  if (!/^[0-9a-f]*$/.test(lower)) {
    throw new DigestError(`${what}: "${truncate(hex)}" is not hexadecimal`);
  }
  if (!HEX64.test(lower)) {
    throw new DigestError(`${what}: sha256 needs 64 hex characters, got ${lower.length}`);
  }
  return `sha256:${lower}`;
}

/** Bare 64-hex form of a digest. */
export function digestHex(input: string, what?: string): string {
  return normalizeDigest(input, what).slice('sha256:'.length);
}

/** Compare two digests after normalisation. Throws DigestError when either is malformed. */
export function digestsEqual(a: string, b: string): boolean {
  return normalizeDigest(a) === normalizeDigest(b);
}

/** Parse a digest, or return undefined when it is not one (for scanning untrusted data). */
export function tryNormalizeDigest(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  try {
    return normalizeDigest(input);
  } catch {
    return undefined;
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  // node:crypto on first use: a clean run (no finding to fingerprint) does not load it
  return nodeCrypto().createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const h = nodeCrypto().createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return `sha256:${h.digest('hex')}`;
}

function truncate(s: string): string {
  return s.length > 20 ? `${s.slice(0, 20)}…` : s;
}
