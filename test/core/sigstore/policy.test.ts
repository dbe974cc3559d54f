import { describe, expect, it } from 'vitest';
import { escapeRegExp, exactRegExp } from '../../../src/core/sigstore/policy.js';

describe('exactRegExp (compiled once per string)', () => {
  const samples = [
    'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.2.3',
    'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p-q',
    '',
    'x'.repeat(300),
    'ünïcode ✓',
    'line\nbreak',
  ];
  it('matches exactly what a freshly compiled pattern matches, and hands out the same stateless object', () => {
    for (const s of samples) {
      const fresh = new RegExp(`^${escapeRegExp(s)}$`);
      const a = exactRegExp(s);
      const b = exactRegExp(s);
      expect(b).toBe(a);
      expect(a.source).toBe(fresh.source);
      expect(a.flags).toBe('');
      for (const probe of [s, `${s}x`, `x${s}`, s.slice(1), s.toUpperCase(), s.replace(/\./g, 'X')]) {
        // the library calls signerIdentity.match(re): repeated calls must not depend on earlier ones
        expect(probe.match(a)?.[0], JSON.stringify(probe)).toBe(probe.match(fresh)?.[0]);
        expect(probe.match(a)?.[0], JSON.stringify(probe)).toBe(probe.match(fresh)?.[0]);
      }
    }
  });
  it('stays bounded and still compiles the right pattern after the memo is full', () => {
    for (let i = 0; i < 200; i++) expect(exactRegExp(`id-${i}`).test(`id-${i}`)).toBe(true);
    expect(exactRegExp('id-7').test('id-77')).toBe(false);
    expect(exactRegExp('id-7').test('id-7')).toBe(true);
  });
});
