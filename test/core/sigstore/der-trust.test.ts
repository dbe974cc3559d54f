import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DerError,
  FULCIO_EXTENSIONS,
  TrustRootError,
  decodeDerUtf8String,
  decodeFulcioExtensions,
  issuerOf,
  publicGoodTrust,
  trustFromBytes,
  trustFromFile,
  GITHUB_THRESHOLDS,
} from '../../../src/core/sigstore/index.js';

const arcs = (oid: string) => ({ id: oid.split('.').map(Number) });
const utf8Der = (s: string) => {
  const b = Buffer.from(s);
  const len = b.length < 0x80 ? Buffer.from([b.length]) : Buffer.from([0x81, b.length]);
  return Buffer.concat([Buffer.from([0x0c]), len, b]);
};

describe('DER UTF8String', () => {
  it('decodes short and long forms', () => {
    expect(decodeDerUtf8String(utf8Der('https://github.com/acme/widget'))).toBe('https://github.com/acme/widget');
    const long = 'x'.repeat(200);
    expect(decodeDerUtf8String(utf8Der(long))).toBe(long);
  });
  it.each([
    ['wrong tag (PrintableString)', Buffer.from([0x13, 0x01, 0x41])],
    ['trailing bytes', Buffer.concat([utf8Der('a'), Buffer.from([0])])],
    ['length past end', Buffer.from([0x0c, 0x05, 0x41])],
    ['indefinite length', Buffer.from([0x0c, 0x80, 0x41, 0, 0])],
    ['non-minimal length', Buffer.from([0x0c, 0x81, 0x01, 0x41])],
    ['invalid UTF-8', Buffer.from([0x0c, 0x01, 0xff])],
    ['empty', Buffer.alloc(0)],
  ])('rejects %s', (_n, buf) => {
    expect(() => decodeDerUtf8String(buf)).toThrow(DerError);
  });
});

describe('Fulcio extensions', () => {
  it('decodes v2 (DER) and v1 (raw) values; prefers the v2 issuer', () => {
    const d = decodeFulcioExtensions([
      { oid: arcs(FULCIO_EXTENSIONS.issuerV1.oid), value: Buffer.from('https://v1.example') },
      { oid: arcs(FULCIO_EXTENSIONS.issuer.oid), value: utf8Der('https://token.actions.githubusercontent.com') },
      { oid: arcs(FULCIO_EXTENSIONS.sourceRepositoryURI.oid), value: utf8Der('https://github.com/acme/widget') },
      { oid: arcs('2.5.29.17'), value: Buffer.from([1, 2, 3]) },
    ]);
    expect(d.values.sourceRepositoryURI).toBe('https://github.com/acme/widget');
    expect(issuerOf(d)).toBe('https://token.actions.githubusercontent.com');
  });
  it('never trusts a malformed or duplicated value (and a broken v2 issuer is not replaced by v1)', () => {
    const d = decodeFulcioExtensions([
      { oid: arcs(FULCIO_EXTENSIONS.issuerV1.oid), value: Buffer.from('https://token.actions.githubusercontent.com') },
      // raw bytes where DER is required: the value must not be read as the string it resembles
      { oid: arcs(FULCIO_EXTENSIONS.issuer.oid), value: Buffer.from('https://token.actions.githubusercontent.com') },
      { oid: arcs(FULCIO_EXTENSIONS.sourceRepositoryRef.oid), value: utf8Der('refs/tags/v1') },
      { oid: arcs(FULCIO_EXTENSIONS.sourceRepositoryRef.oid), value: utf8Der('refs/heads/evil') },
    ]);
    expect(d.values.issuer).toBeUndefined();
    expect(issuerOf(d)).toBeUndefined();
    expect(d.values.sourceRepositoryRef).toBeUndefined();
    expect(d.malformed.sort()).toEqual(['issuer', 'sourceRepositoryRef']);
  });
});

describe('Fulcio extension names without joining the OID (exact)', () => {
  // the definition the fast look-up must equal: the OID's arcs joined with dots, looked up by string
  const byOid = new Map<string, string>(Object.entries(FULCIO_EXTENSIONS).map(([n, e]) => [e.oid, n]));
  const reference = (id: unknown): string | undefined => {
    const oid = (id as { join(s: string): string }).join('.');
    return oid ? byOid.get(oid) : undefined;
  };
  const ids: unknown[] = [];
  for (const e of Object.values(FULCIO_EXTENSIONS)) {
    const a = e.oid.split('.').map(Number);
    ids.push(a, a.slice(0, -1), [...a, 1], [0, ...a], [...a.slice(0, -1), a[8] + 100]);
    for (let k = 0; k < a.length; k++) {
      for (const v of [a[k] + 1, a[k] - 1, -a[k], -0, 0.5, a[k] + 0.5, NaN, Infinity, 1e21, 1.2e21, 2 ** 53, String(a[k]), `${a[k]}.1`, undefined, null, BigInt(a[k])]) {
        const m: unknown[] = [...a];
        m[k] = v;
        ids.push(m);
      }
    }
    // an arc carrying the dot itself: [.., 57264, 1.1] joins to the OID of issuerV1
    ids.push([...a.slice(0, 7), Number(`1.${a[8]}`)]);
    const holey: unknown[] = [...a];
    delete holey[8];
    ids.push(holey);
  }
  ids.push([], [1], [2, 5, 29, 17], '1.3.6.1.4.1.57264.1.8'.split('.'));
  it(`names the same extension as the joined OID in ${ids.length} cases (real OIDs, wrong lengths, every arc changed to neighbours, -0, fractions, NaN, huge numbers, strings, BigInt, holes)`, () => {
    const value = Buffer.from('https://token.actions.githubusercontent.com');
    let named = 0;
    for (const [i, id] of ids.entries()) {
      const got = decodeFulcioExtensions([{ oid: { id: id as number[] }, value }]);
      const name = reference(id);
      if (name === undefined) expect(got, `case ${i}`).toEqual({ values: {}, malformed: [] });
      else {
        named++;
        expect(Object.keys(got.values).concat(got.malformed), `case ${i}`).toEqual([name]);
      }
    }
    expect(named).toBeGreaterThan(Object.keys(FULCIO_EXTENSIONS).length); // the real OIDs and look-alikes that join the same
  });
});

describe('trust material', () => {
  it('embeds the public-good root with a version', () => {
    const t = publicGoodTrust();
    expect(t.info.source).toBe('public-good');
    expect(t.material.certificateAuthorities.length).toBeGreaterThan(0);
    expect(t.thresholds).toEqual({ tlog: 1, ctlog: 1, timestamp: 1 });
  });
  it('github source uses thresholds tlog 0 / ctlog 0 / timestamp 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-trust-'));
    const p = join(dir, 'gh.json');
    writeFileSync(p, JSON.stringify(rootJson()));
    const t = trustFromFile(p, 'github');
    expect(t.thresholds).toEqual(GITHUB_THRESHOLDS);
    expect(t.info.path).toBe(p);
  });
  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['JSON Lines', `${JSON.stringify(rootJson())}\n${JSON.stringify(rootJson())}\n`, /JSON Lines/],
    ['array', '[]', /not a JSON object/],
    ['no mediaType', JSON.stringify({ ...rootJson(), mediaType: undefined }), /mediaType/],
    ['empty', JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' }), /names no certificate authority/],
    ['bad certificate', JSON.stringify(badCertRoot()), /cannot be used/],
  ])('rejects a trusted root that is %s', (_n, text, msg) => {
    let err: unknown;
    try {
      trustFromBytes(text, 'file', 'file');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrustRootError);
    expect((err as TrustRootError).reason).toBe('trust-root-invalid');
    expect((err as Error).message).toMatch(msg);
  });
  it('a missing file is trust-root-unreadable', () => {
    expect(() => trustFromFile('/nonexistent/trusted_root.json')).toThrow(TrustRootError);
    try {
      trustFromFile('/nonexistent/trusted_root.json');
    } catch (e) {
      expect((e as TrustRootError).reason).toBe('trust-root-unreadable');
    }
  });
});

function rootJson(): Record<string, unknown> {
  // the embedded public-good root, re-serialised
  return JSON.parse(JSON.stringify(publicGoodRootJson()));
}
function publicGoodRootJson(): unknown {
  const seeds = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@sigstore/tuf/seeds.json'), 'utf8')) as Record<string, { targets: Record<string, string> }>;
  return JSON.parse(Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'], 'base64').toString('utf8'));
}
function badCertRoot(): unknown {
  const r = rootJson() as { certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[] };
  r.certificateAuthorities[0].certChain.certificates[0].rawBytes = Buffer.from('garbage').toString('base64');
  return r;
}
