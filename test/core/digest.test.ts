import { describe, expect, it } from 'vitest';
import { normalizeDigest, digestsEqual, DigestError, tryNormalizeDigest, digestHex } from '../../src/core/digest.js';

const HEX = 'ab'.repeat(32);

describe('normalizeDigest', () => {
  it.each([
    [`sha256:${HEX}`, `sha256:${HEX}`],
    [HEX, `sha256:${HEX}`],
    [`SHA256:${HEX.toUpperCase()}`, `sha256:${HEX}`],
    [`  sha256:${HEX}\n`, `sha256:${HEX}`],
  ])('%s → %s', (input, want) => {
    expect(normalizeDigest(input)).toBe(want);
  });

  it.each([
    ['', /empty/],
    [`sha512:${HEX}`, /algorithm "sha512" is not supported/],
    [`md5:${HEX}`, /algorithm "md5"/],
    [HEX.slice(2), /64 hex characters, got 62/],
    [`${HEX}00`, /got 66/],
    [`sha256:${'z'.repeat(64)}`, /not hexadecimal/],
    ['sha256:', /got 0/],
  ])('rejects %j with a clear message', (input, msg) => {
    expect(() => normalizeDigest(input)).toThrow(DigestError);
    expect(() => normalizeDigest(input)).toThrow(msg);
  });

  it('compares through normalisation (the audit bug: a sha256: prefix broke equality)', () => {
    expect(digestsEqual(HEX, `sha256:${HEX.toUpperCase()}`)).toBe(true);
    expect(digestsEqual(HEX, `sha256:${'cd'.repeat(32)}`)).toBe(false);
    expect(() => digestsEqual(HEX, 'nope')).toThrow(DigestError);
    expect(digestHex(`sha256:${HEX}`)).toBe(HEX);
    expect(tryNormalizeDigest('x')).toBeUndefined();
    expect(tryNormalizeDigest(42)).toBeUndefined();
  });
});
