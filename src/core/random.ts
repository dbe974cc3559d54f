// Random identifiers (record ids, GITHUB_OUTPUT delimiters) without loading node:crypto on a clean run.
// `node:crypto` loads ~20 internal modules at require time (~20 M instructions, several ms of every gate
// step's cold start) while a clean run needs only 16 random bytes. Those come from the kernel CSPRNG
// (/dev/urandom, where OpenSSL's generator gets its seed) where it exists; elsewhere (Windows) or when it
// cannot be read, from node:crypto, loaded on first use. docs/decisions/0002-bundling.md ("Cold start").
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');
let cryptoModule: NodeCrypto | undefined;

/** `node:crypto`, loaded on first use (a synchronous require: no ESM facade of the whole module). */
export function nodeCrypto(): NodeCrypto {
  if (!cryptoModule) cryptoModule = createRequire(import.meta.url)('node:crypto') as NodeCrypto;
  return cryptoModule;
}

/** @internal tests: the device to read; `null` forces the node:crypto path */
export const _random: { device: string | null } = { device: process.platform === 'win32' ? null : '/dev/urandom' };

/** makedev(1, 9) */
const LINUX_URANDOM_RDEV = (1 << 8) | 9;

function fromDevice(n: number): Buffer | undefined {
  if (!_random.device) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(_random.device, 'r');
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return undefined;
    // Linux: /dev/urandom is character device 1:9; anything else there (a container's /dev/zero bind) is not used
    if (process.platform === 'linux' && st.rdev !== LINUX_URANDOM_RDEV) return undefined;
    const buf = Buffer.alloc(n);
    let off = 0;
    while (off < n) {
      const got = readSync(fd, buf, off, n - off, null);
      if (got <= 0) return undefined;
      off += got;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `n` cryptographically random bytes. */
export function randomBytes(n: number): Buffer {
  return fromDevice(n) ?? nodeCrypto().randomBytes(n);
}

/** A random (version 4) UUID, formatted like crypto.randomUUID(). */
export function randomUUID(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
