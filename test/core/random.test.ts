import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _random, nodeCrypto, randomBytes, randomUUID } from '../../src/core/random.js';

const device = _random.device;
afterEach(() => {
  _random.device = device;
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('random identifiers without node:crypto on the clean path', () => {
  it.each([
    ['the kernel device', device],
    ['node:crypto (no device, as on Windows)', null],
    ['node:crypto when the device is missing', '/nonexistent/urandom'],
  ])('from %s: n bytes, different every call, UUIDs shaped like crypto.randomUUID()', (_label, dev) => {
    _random.device = dev;
    for (const n of [1, 16, 64]) expect(randomBytes(n)).toHaveLength(n);
    const ids = new Set(Array.from({ length: 200 }, () => randomBytes(16).toString('hex')));
    expect(ids.size).toBe(200);
    const uuids = Array.from({ length: 200 }, () => randomUUID());
    for (const u of uuids) expect(u).toMatch(UUID_V4);
    expect(new Set(uuids).size).toBe(200);
    expect(nodeCrypto().randomUUID()).toMatch(UUID_V4);
  });

  it('a regular file in place of the device is not used as a source of randomness', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'cg-rand-')), 'urandom');
    writeFileSync(f, Buffer.alloc(64)); // all zeros: would give the same id every time
    _random.device = f;
    const a = randomBytes(16).toString('hex');
    const b = randomBytes(16).toString('hex');
    expect(a).not.toBe('0'.repeat(32));
    expect(a).not.toBe(b);
  });

  it.runIf(process.platform === 'linux')('another character device (/dev/zero) in place of /dev/urandom is not used', () => {
    _random.device = '/dev/zero';
    const a = randomBytes(16).toString('hex');
    expect(a).not.toBe('0'.repeat(32));
    expect(randomBytes(16).toString('hex')).not.toBe(a);
  });

  it('bytes are spread over all values (not a constant or a narrow range)', () => {
    const b = randomBytes(4096);
    const seen = new Set(b);
    expect(seen.size).toBeGreaterThan(200);
  });
});
