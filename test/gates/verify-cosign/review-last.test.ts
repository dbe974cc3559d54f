// Second-eyes review of source-digest / build-trigger (Fulcio 1.13/1.3, 1.20/1.2): values are compared as the
// bytes Fulcio wrote; nothing in the value is dropped before the comparison.
import { describe, expect, it } from 'vitest';
import { decodeFulcioExtensions, readExtension, decodeDerUtf8String, decodeRawUtf8 } from '../../../src/core/sigstore/index.js';

const BASE = [1, 3, 6, 1, 4, 1, 57264, 1];
const SHA = 'a'.repeat(40);
const utf8 = (s: string) => new TextEncoder().encode(s);
const der = (s: string) => {
  const b = utf8(s);
  if (b.length > 127) throw new Error('test helper: short strings only');
  return Uint8Array.from([0x0c, b.length, ...b]);
};
const ext = (arc: number, value: Uint8Array) => ({ oid: { id: [...BASE, arc] }, value });
const BOM = '\uFEFF';

describe('extension values keep every byte (a leading UTF-8 BOM is part of the value)', () => {
  it.each([
    ['DER UTF8String 1.13', [ext(13, der(BOM + SHA))], 'sourceRepositoryDigest'],
    ['raw legacy 1.3', [ext(3, utf8(BOM + SHA))], 'sourceRepositoryDigest'],
    ['DER UTF8String 1.20', [ext(20, der(`${BOM}push`))], 'buildTrigger'],
    ['raw legacy 1.2', [ext(2, utf8(`${BOM}push`))], 'buildTrigger'],
  ] as const)('%s with a BOM does not read as the bare value', (_n, exts, name) => {
    const r = readExtension(decodeFulcioExtensions(exts), name);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).not.toBe(name === 'buildTrigger' ? 'push' : SHA);
    if (r.ok) expect(r.value?.startsWith(BOM)).toBe(true);
  });
  it('a 1.13 with a BOM and a bare 1.3 are disagreeing twins (fail), not the same value', () => {
    const r = readExtension(decodeFulcioExtensions([ext(13, der(BOM + SHA)), ext(3, utf8(SHA))]), 'sourceRepositoryDigest');
    expect(r).toMatchObject({ ok: false, problem: 'conflict' });
  });
  it('true negatives: the bare values read as written, agreeing twins agree', () => {
    expect(readExtension(decodeFulcioExtensions([ext(13, der(SHA)), ext(3, utf8(SHA))]), 'sourceRepositoryDigest')).toEqual({ ok: true, value: SHA, from: 'sourceRepositoryDigest' });
    expect(readExtension(decodeFulcioExtensions([ext(2, utf8('push'))]), 'buildTrigger')).toEqual({ ok: true, value: 'push', from: 'githubWorkflowTrigger' });
    expect(decodeDerUtf8String(der(`a${BOM}b`))).toBe(`a${BOM}b`);
    expect(decodeRawUtf8(utf8(BOM))).toBe(BOM);
  });
});

describe('what was already right (kept as tests)', () => {
  it.each([
    ['a garbled 1.13 beside a matching 1.3', [ext(13, utf8(SHA)), ext(3, utf8(SHA))], 'malformed'],
    ['an empty 1.13 beside a matching 1.3', [ext(13, der('')), ext(3, utf8(SHA))], 'conflict'],
    ['a 1.13 as a raw OCTET STRING (tag 0x04)', [ext(13, Uint8Array.from([0x04, 40, ...utf8(SHA)])), ext(3, utf8(SHA))], 'malformed'],
    ['a NUL byte in 1.13', [ext(13, der(`${SHA}\0`)), ext(3, utf8(SHA))], 'conflict'],
    ['an upper-case 1.13 beside a lower-case 1.3', [ext(13, der(SHA.toUpperCase())), ext(3, utf8(SHA))], 'conflict'],
    ['a trailing space in 1.3', [ext(13, der(SHA)), ext(3, utf8(`${SHA} `))], 'conflict'],
    ['a duplicated 1.3', [ext(3, utf8(SHA)), ext(3, utf8(SHA))], 'malformed'],
    ['invalid UTF-8 in 1.3', [ext(13, der(SHA)), ext(3, Uint8Array.from([0xff, 0xfe]))], 'malformed'],
  ] as const)('%s is never read as the SHA', (_n, exts, problem) => {
    expect(readExtension(decodeFulcioExtensions(exts), 'sourceRepositoryDigest')).toMatchObject({ ok: false, problem });
  });
  it('a legacy 1.3 written as a DER UTF8String (not how Fulcio writes it) is not unwrapped into the SHA', () => {
    const r = readExtension(decodeFulcioExtensions([ext(3, der(SHA))]), 'sourceRepositoryDigest');
    expect(r.ok && r.value).not.toBe(SHA);
  });
  it('an empty legacy 1.2 is an empty value, never a match for an asked trigger', () => {
    expect(readExtension(decodeFulcioExtensions([ext(2, new Uint8Array())]), 'buildTrigger')).toEqual({ ok: true, value: '', from: 'githubWorkflowTrigger' });
  });
});
