// The accelerations of @sigstore/verify (src/core/sigstore/accel.ts, asn1-fast.ts) must be exact: the same
// bytes, the same keys, the same verdicts — and no cache may let a different certificate or key pass, nor
// skip a per-bundle check. Everything here runs in ONE process with warm caches on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { ASN1Obj, X509Certificate, crypto as sigCrypto } from '@sigstore/core';
import type { SerializedBundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import {
  buildIdentityPolicy,
  publicGoodTrust,
  trustFromBytes,
  verifyBundle,
  type LoadedTrust,
  type VerifyResult,
} from '../../../src/core/sigstore/index.js';
import {
  accelerationState,
  certificateMemoSize,
  fastKeyImportCount,
  installSigstoreAcceleration,
  isTrustAnchor,
  keyCacheSize,
  setCertificateMemo,
  setFastKeyImport,
  uninstallSigstoreAcceleration,
  withCertificateMemo,
} from '../../../src/core/sigstore/accel.js';
import { encodeAsn1, fastAsn1State, isSealedAsn1, originalToDER } from '../../../src/core/sigstore/asn1-fast.js';
import { GITHUB_ISSUER, MockSigstore, cloneBundle, githubClaims, githubIdentity, sha256Hex, statement } from '../../helpers/sigstore.js';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const ARTIFACT = Buffer.from('release tarball bytes\n');
const policy = buildIdentityPolicy({ certificateIdentity: IDENTITY, certificateOidcIssuer: GITHUB_ISSUER });

type Node = Parameters<typeof encodeAsn1>[0];
type RootJSON = {
  certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
  timestampAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
};

let a: MockSigstore;
let b: MockSigstore;
let trustA: LoadedTrust;
let trustB: LoadedTrust;
let blobA: SerializedBundle;
let blobB: SerializedBundle;
let attA: SerializedBundle;
let tlogOnlyA: SerializedBundle;
let tlogOnlyB: SerializedBundle;

const load = (root: unknown) => trustFromBytes(JSON.stringify(root), 'file', 'file');
const verify = (bundle: unknown, trust: LoadedTrust): VerifyResult => verifyBundle({ bundle, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust });
const reasonOf = (r: VerifyResult) => (r.ok ? 'ok' : r.reason);

beforeAll(async () => {
  a = await MockSigstore.start();
  b = await MockSigstore.start();
  trustA = load(a.trustedRootJSON());
  trustB = load(b.trustedRootJSON());
  blobA = await a.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO) });
  blobB = await b.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO) });
  attA = await a.signStatement(statement([{ name: 'w.tgz', digest: { sha256: sha256Hex(ARTIFACT) } }]), { identity: IDENTITY, github: githubClaims(REPO) });
  tlogOnlyA = await a.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO), tsa: false });
  tlogOnlyB = await b.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO), tsa: false });
});

afterAll(async () => {
  await a.close();
  await b.close();
});

function leafDer(bundle: SerializedBundle): Buffer<ArrayBuffer> {
  const vm = bundle.verificationMaterial as { certificate?: { rawBytes: string }; x509CertificateChain?: { certificates: { rawBytes: string }[] } };
  return Buffer.from(vm.certificate?.rawBytes ?? vm.x509CertificateChain!.certificates[0].rawBytes, 'base64') as Buffer<ArrayBuffer>;
}

function flipLastByte(b64: string): string {
  const der = Buffer.from(b64, 'base64');
  der[der.length - 1] ^= 0x01; // inside the signature value: the DER structure stays valid
  return der.toString('base64');
}

describe('byte-identical DER encoder', () => {
  it('is installed', () => {
    expect(fastAsn1State()).toBe('fast');
    expect(accelerationState()).toEqual({ asn1: 'fast', asn1Parse: 'fast', asn1Readers: true, keyCache: true, anchorMemo: true });
  });

  it('encodes real certificates exactly as @sigstore/core did, and round-trips their DER', () => {
    const ders: Buffer<ArrayBuffer>[] = [leafDer(blobA), leafDer(blobB), leafDer(attA)];
    for (const root of [a.trustedRootJSON(), TrustedRoot.toJSON(publicGoodTrust().root)] as unknown as RootJSON[]) {
      for (const group of [...(root.certificateAuthorities ?? []), ...(root.timestampAuthorities ?? [])]) {
        for (const c of group.certChain.certificates) ders.push(Buffer.from(c.rawBytes, 'base64') as Buffer<ArrayBuffer>);
      }
    }
    expect(ders.length).toBeGreaterThan(6);
    for (const der of ders) {
      const tree = ASN1Obj.parseBuffer(der) as unknown as Node;
      const fast = encodeAsn1(tree);
      expect(fast.equals(originalToDER.call(tree))).toBe(true);
      expect(fast.equals(der)).toBe(true);
    }
  });

  it('encodes a mutated tree (extension spliced out, as the SCT check does) exactly as the original', () => {
    const cert = X509Certificate.parse(leafDer(blobA));
    const clone = cert.clone();
    const exts = clone.extensions as unknown as Node[];
    const n = exts.length;
    exts.splice(n - 1, 1);
    const tbs = (clone.tbsCertificate as unknown as Node);
    expect(encodeAsn1(tbs).equals(originalToDER.call(tbs))).toBe(true);
    expect(encodeAsn1(tbs).length).toBeLessThan(originalToDER.call((cert.tbsCertificate as unknown as Node)).length);
  });

  it('matches the original on random trees (short, 1-, 2- and 3-byte lengths, empty values, deep nesting)', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const tags = [0x02, 0x04, 0x06, 0x0c, 0x30, 0x31, 0xa0, 0xa3, 0x80, 0x17];
    const Tag = (ASN1Obj.parseBuffer(Buffer.from([0x30, 0])) as unknown as { tag: { constructor: new (b: number) => unknown } }).tag.constructor;
    const mk = (depth: number): Node => {
      const tag = tags[rnd(tags.length)];
      const constructed = (tag & 0x20) !== 0 && depth < 6;
      const sizes = [0, 1, 5, 127, 128, 200, 255, 256, 300, 70000];
      const subs = constructed ? Array.from({ length: rnd(4) }, () => mk(depth + 1)) : [];
      const value = Buffer.alloc(constructed ? 0 : sizes[rnd(sizes.length)], rnd(256));
      return new ASN1Obj(new Tag(tag) as never, value, subs as never) as unknown as Node;
    };
    for (let i = 0; i < 300; i++) {
      const t = mk(0);
      expect(encodeAsn1(t).equals(originalToDER.call(t))).toBe(true);
    }
  });

  it('a sealed (trust-material) tree is frozen and hands out a fresh copy of its encoding on every call', () => {
    const cert = trustA.material.certificateAuthorities[0].certChain[0] as unknown as { root: Node & { toDER(): Buffer } };
    expect(isSealedAsn1(cert.root)).toBe(true);
    expect(Object.isFrozen(cert.root.subs)).toBe(true);
    expect(() => (cert.root.subs as unknown as unknown[]).pop()).toThrow(TypeError);
    const d1 = cert.root.toDER();
    d1[0] ^= 0xff; // a caller writing into its copy (the RFC 3161 check does) does not change the next one
    const d2 = cert.root.toDER();
    expect(d2[0]).toBe(0x30);
    expect(d2.equals(originalToDER.call(cert.root))).toBe(true);
  });
});

describe('extension look-ups on trust anchors', () => {
  const OIDS = ['2.5.29.14', '2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.35', '1.3.6.1.4.1.11129.2.4.2', '1.2.3.4'];
  type Findable = { findExtension(oid: string): unknown; extensions: unknown[] };

  it('answer with the same extension node as the library, every time', () => {
    for (const trust of [trustA, trustB]) {
      for (const ca of [...trust.material.certificateAuthorities, ...trust.material.timestampAuthorities]) {
        for (const cert of ca.certChain) {
          expect(isTrustAnchor(cert)).toBe(true);
          const c = cert as unknown as Findable;
          for (const oid of OIDS) {
            const lib = (c.extensions as { subs: { toOID(): string }[] }[]).find((e) => e.subs[0].toOID() === oid);
            expect(c.findExtension(oid)).toBe(lib);
            expect(c.findExtension(oid)).toBe(lib); // memoised answer
          }
        }
      }
      // through the library's getters: the CA is a CA, the TSA signing certificate is not
      expect(trust.material.certificateAuthorities[0].certChain[0].isCA).toBe(true);
      expect(trust.material.timestampAuthorities[0].certChain[0].extBasicConstraints?.isCA ?? false).toBe(false);
    }
  });

  it('a certificate from a bundle is looked up afresh every time (a changed extension list changes the answer)', () => {
    const leaf = X509Certificate.parse(leafDer(blobA)) as unknown as Findable;
    expect(isTrustAnchor(leaf)).toBe(false);
    const san = leaf.findExtension('2.5.29.17');
    expect(san).toBeDefined();
    const exts = leaf.extensions;
    const idx = exts.indexOf(san);
    exts.splice(idx, 1);
    expect(leaf.findExtension('2.5.29.17')).toBeUndefined();
    exts.splice(idx, 0, san);
    expect(leaf.findExtension('2.5.29.17')).toBe(san);
  });
});

describe('KeyObject cache keyed by the key bytes', () => {
  it('returns the same key for the same bytes and a different key for different bytes', () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    const k2 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    const x1 = sigCrypto.createPublicKey(k1);
    const x1again = sigCrypto.createPublicKey(Buffer.from(k1)); // another buffer, same bytes
    const x2 = sigCrypto.createPublicKey(k2);
    expect(x1again).toBe(x1);
    expect(x2).not.toBe(x1);
    expect(x2.equals(x1)).toBe(false);
    expect(x1.export({ type: 'spki', format: 'der' }).equals(k1)).toBe(true);
    expect(x2.export({ type: 'spki', format: 'der' }).equals(k2)).toBe(true);
    // a key differing in one byte is not served from the cache (and an invalid key still throws)
    const k1bad = Buffer.from(k1);
    k1bad[k1bad.length - 1] ^= 1;
    expect(() => sigCrypto.createPublicKey(k1bad)).toThrow();
    expect(keyCacheSize()).toBeLessThanOrEqual(256);
  });

  it('stays bounded', () => {
    for (let i = 0; i < 300; i++) sigCrypto.createPublicKey(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }));
    expect(keyCacheSize()).toBeLessThanOrEqual(256);
  });

  // P-256 keys are imported through Node's PEM reader (same bytes, cheaper path): exactly what the library's
  // DER call gives — the same key, or the same exception
  function libraryOutcome(der: Buffer): { key?: KeyObject; error?: string } {
    try {
      return { key: createPublicKey({ key: der, format: 'der', type: 'spki' }) };
    } catch (e) {
      return { error: `${(e as Error).name}: ${(e as Error).message}` };
    }
  }
  function patchedOutcome(der: Buffer): { key?: KeyObject; error?: string } {
    try {
      return { key: sigCrypto.createPublicKey(der) };
    } catch (e) {
      return { error: `${(e as Error).name}: ${(e as Error).message}` };
    }
  }
  function expectSameOutcome(der: Buffer, where: string): void {
    const want = libraryOutcome(der);
    const got = patchedOutcome(der);
    expect(got.error, where).toBe(want.error);
    if (want.key) {
      expect(got.key!.equals(want.key), where).toBe(true);
      expect(got.key!.export({ type: 'spki', format: 'der' }).equals(want.key.export({ type: 'spki', format: 'der' })), where).toBe(true);
      expect(got.key!.asymmetricKeyDetails, where).toEqual(want.key.asymmetricKeyDetails);
    }
  }

  it('imports P-256 keys exactly as the DER path does: random keys, every single-byte mutation, off-curve points', () => {
    setFastKeyImport(true);
    for (let i = 0; i < 100; i++) {
      expectSameOutcome(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }), `key ${i}`);
    }
    const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    expect(k.length).toBe(91);
    for (let pos = 0; pos < k.length; pos++) {
      for (const x of [0x01, 0x80, 0xff]) {
        const m = Buffer.from(k);
        m[pos] ^= x;
        expectSameOutcome(m, `byte ${pos} ^ ${x}`);
      }
    }
    const prefix = k.subarray(0, 27);
    for (let i = 0; i < 50; i++) expectSameOutcome(Buffer.concat([prefix, randomBytes(64)]), `random point ${i}`);
    expectSameOutcome(Buffer.concat([prefix, Buffer.alloc(64)]), 'zero point');
    expectSameOutcome(Buffer.concat([prefix, Buffer.alloc(64, 0xff)]), 'all-ones point');
    // not the fixed 91-byte shape: the library's path only (truncated, extended, P-384)
    expectSameOutcome(k.subarray(0, 90), 'truncated');
    expectSameOutcome(Buffer.concat([k, Buffer.from([0])]), 'trailing byte');
    expectSameOutcome(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' }), 'P-384');
  });

  it('switched off, P-256 keys take the library\'s DER path and give the same keys', () => {
    const der = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    setFastKeyImport(false);
    const slow = sigCrypto.createPublicKey(der);
    setFastKeyImport(true);
    const der2 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    const fast = sigCrypto.createPublicKey(der2);
    expect(slow.export({ type: 'spki', format: 'der' }).equals(der)).toBe(true);
    expect(fast.export({ type: 'spki', format: 'der' }).equals(der2)).toBe(true);
  });
});

describe('two trusted roots and tampered material in the same process', () => {
  it('each bundle verifies only against its own root, in any order, repeatedly', () => {
    for (let round = 0; round < 3; round++) {
      expect(reasonOf(verify(blobA, trustA))).toBe('ok');
      expect(reasonOf(verify(blobB, trustA))).toBe('timestamp-invalid');
      expect(reasonOf(verify(tlogOnlyB, trustA))).toBe('certificate-untrusted');
      expect(reasonOf(verify(blobB, trustB))).toBe('ok');
      expect(reasonOf(verify(blobA, trustB))).toBe('timestamp-invalid');
      expect(reasonOf(verify(tlogOnlyA, trustB))).toBe('certificate-untrusted');
      expect(reasonOf(verify(tlogOnlyA, trustA))).toBe('ok');
    }
  });

  it('the two mock CAs share a subject name: only the key decides (no cache keyed by name)', () => {
    const caA = trustA.material.certificateAuthorities[0].certChain[0];
    const caB = trustB.material.certificateAuthorities[0].certChain[0];
    expect(caA.subject.equals(caB.subject)).toBe(true);
    expect(caA.equals(caB)).toBe(false);
    expect(caA.equals(caA)).toBe(true);
    // equal content in separate objects is still equal (the full comparison), a different certificate not
    const caA2 = X509Certificate.parse(Buffer.from(a.trustedRoot().certificateAuthorities[0].certChain!.certificates[0].rawBytes));
    expect(caA2).not.toBe(caA);
    expect(caA2.equals(caA)).toBe(true);
    expect(caA.equals(caA2)).toBe(true);
    expect(X509Certificate.parse(leafDer(blobA)).equals(X509Certificate.parse(leafDer(blobA)))).toBe(true);
    expect(X509Certificate.parse(leafDer(blobA)).equals(X509Certificate.parse(leafDer(tlogOnlyA)))).toBe(false);
    expect(X509Certificate.parse(leafDer(blobA)).equals(caA)).toBe(false);
    const leaf = X509Certificate.parse(leafDer(tlogOnlyA));
    expect(leaf.verify(caA)).toBe(true);
    expect(leaf.verify(caB)).toBe(false);
  });

  it('the same root loaded twice (separate objects) verifies the same way', () => {
    const again = load(a.trustedRootJSON());
    expect(isTrustAnchor(again.material.certificateAuthorities[0].certChain[0])).toBe(true);
    expect(reasonOf(verify(blobA, again))).toBe('ok');
    expect(reasonOf(verify(blobB, again))).toBe('timestamp-invalid');
  });

  it('a trusted root whose CA self-signature is broken fails, while the intact root still passes', () => {
    const bad = a.trustedRootJSON() as unknown as RootJSON;
    const c = bad.certificateAuthorities[0].certChain.certificates[0];
    c.rawBytes = flipLastByte(c.rawBytes);
    const badTrust = load(bad);
    for (let round = 0; round < 2; round++) {
      expect(reasonOf(verify(tlogOnlyA, trustA))).toBe('ok');
      expect(reasonOf(verify(tlogOnlyA, badTrust))).toBe('certificate-untrusted');
      expect(reasonOf(verify(blobA, badTrust))).toBe('certificate-untrusted');
      expect(reasonOf(verify(blobA, trustA))).toBe('ok');
    }
  });

  it('a trusted root whose TSA certificate signature is broken fails the timestamp, while the intact root still passes', () => {
    for (const which of [0, -1]) {
      const bad = a.trustedRootJSON() as unknown as RootJSON;
      const certs = bad.timestampAuthorities[0].certChain.certificates;
      const c = certs.at(which)!;
      c.rawBytes = flipLastByte(c.rawBytes);
      const badTrust = load(bad);
      expect(reasonOf(verify(blobA, trustA))).toBe('ok');
      expect(reasonOf(verify(blobA, badTrust))).toBe('timestamp-invalid');
      expect(reasonOf(verify(blobA, trustA))).toBe('ok');
    }
  });

  it('tampered bundles fail after the same good bundle verified (warm caches), and the good one still passes', () => {
    type Mut = { verificationMaterial: Record<string, unknown>; messageSignature?: { signature: string } };
    const tamper: [string, (x: Mut) => void, string[]][] = [
      [
        'leaf certificate signature',
        (x) => {
          const vm = x.verificationMaterial as { certificate?: { rawBytes: string }; x509CertificateChain?: { certificates: { rawBytes: string }[] } };
          const c = vm.certificate ?? vm.x509CertificateChain!.certificates[0];
          c.rawBytes = flipLastByte(c.rawBytes);
        },
        ['certificate-untrusted'],
      ],
      [
        'Rekor SET',
        (x) => {
          const e = (x.verificationMaterial.tlogEntries as { inclusionPromise: { signedEntryTimestamp: string } }[])[0];
          e.inclusionPromise.signedEntryTimestamp = flipLastByte(e.inclusionPromise.signedEntryTimestamp);
        },
        ['tlog-invalid'],
      ],
      [
        'RFC 3161 timestamp',
        (x) => {
          const t = (x.verificationMaterial.timestampVerificationData as { rfc3161Timestamps: { signedTimestamp: string }[] }).rfc3161Timestamps[0];
          t.signedTimestamp = flipLastByte(t.signedTimestamp);
        },
        ['timestamp-invalid'],
      ],
      [
        'artifact signature',
        (x) => {
          x.messageSignature!.signature = flipLastByte(x.messageSignature!.signature);
        },
        ['timestamp-invalid', 'signature-invalid', 'tlog-invalid'],
      ],
    ];
    for (const [name, mutate, reasons] of tamper) {
      expect(reasonOf(verify(blobA, trustA)), name).toBe('ok');
      const t = cloneBundle(blobA) as unknown as Mut;
      mutate(t);
      const r = verify(t, trustA);
      expect(r.ok, name).toBe(false);
      expect(reasons, name).toContain(reasonOf(r));
      expect(reasonOf(verify(blobA, trustA)), name).toBe('ok');
    }
  });
});

describe('every per-bundle signature is verified on every call', () => {
  function countEcdsa(fn: () => void): string[] {
    const mod = sigCrypto as unknown as { verify: (data: Buffer, ...rest: unknown[]) => boolean };
    const orig = mod.verify;
    const seen: string[] = [];
    mod.verify = function (data: Buffer, ...rest: unknown[]) {
      const sig = rest[1] as Buffer;
      seen.push(createHash('sha256').update(data).update(sig).digest('hex').slice(0, 12));
      return orig.call(this, data, ...rest);
    };
    try {
      fn();
    } finally {
      mod.verify = orig;
    }
    return seen;
  }

  it('the same bundle verified again performs the same per-bundle verifications again (no cross-call cache)', () => {
    const fresh = load(a.trustedRootJSON());
    const first = countEcdsa(() => expect(verify(blobA, fresh).ok).toBe(true));
    const second = countEcdsa(() => expect(verify(blobA, fresh).ok).toBe(true));
    const third = countEcdsa(() => expect(verify(blobA, fresh).ok).toBe(true));
    // per bundle, 6 distinct checks: leaf under CA, SCT, SET, checkpoint, RFC 3161 token, artifact (the
    // artifact signature goes through the same function for message signatures). The library asks for the
    // leaf check twice (once per timestamp); the per-call memo answers the second ask from the first.
    expect(second.length).toBe(6);
    expect(new Set(second).size).toBe(6);
    expect(third).toEqual(second);
    // the first call with new trust material also checked the trust-anchor signatures: the Fulcio root's
    // self-signature, the TSA root's self-signature, the TSA signing certificate under the TSA root (and,
    // as the mock TSA certificates share one subject name, the signing certificate against its own key)
    expect(first.length).toBe(10);
    for (const d of second) expect(first).toContain(d);
  });

  it('without the per-call memo the library performs 7, and the only one saved is the repeated leaf check', () => {
    const fresh = load(a.trustedRootJSON());
    verify(blobA, fresh);
    const withMemo = countEcdsa(() => expect(verify(blobA, fresh).ok).toBe(true));
    setCertificateMemo(false);
    let without: string[];
    try {
      without = countEcdsa(() => expect(verify(blobA, fresh).ok).toBe(true));
    } finally {
      setCertificateMemo(true);
    }
    expect(without.length).toBe(7);
    expect(new Set(without)).toEqual(new Set(withMemo));
    const repeated = without.filter((d, i) => without.indexOf(d) !== i);
    expect(repeated.length).toBe(1);
    // the repeated one is the leaf under the Fulcio CA
    const leaf = X509Certificate.parse(leafDer(blobA));
    const tbs = (leaf.tbsCertificate as unknown as { toDER(): Buffer }).toDER();
    expect(repeated[0]).toBe(createHash('sha256').update(tbs).update(leaf.signatureValue).digest('hex').slice(0, 12));
  });

  it('the per-call memo exists only during a call, and every call starts empty', () => {
    const sizes: (number | undefined)[] = [];
    const mod = sigCrypto as unknown as { verify: (...x: unknown[]) => boolean };
    const orig = mod.verify;
    mod.verify = (...x: unknown[]) => {
      sizes.push(certificateMemoSize());
      return orig(...x);
    };
    try {
      expect(certificateMemoSize()).toBeUndefined();
      verify(blobA, trustA);
      const firstCall = [...sizes];
      sizes.length = 0;
      verify(blobA, trustA);
      expect(sizes).toEqual(firstCall); // the second call starts from an empty memo again
      expect(sizes[0]).toBe(0);
      verify(blobB, trustA); // a failing call
    } finally {
      mod.verify = orig;
    }
    expect(certificateMemoSize()).toBeUndefined();
  });

  it('the per-call memo is keyed by content: a certificate changed between two checks is checked afresh', () => {
    const caA = trustA.material.certificateAuthorities[0].certChain[0];
    const caB = trustB.material.certificateAuthorities[0].certChain[0];
    const leaf = X509Certificate.parse(leafDer(tlogOnlyA));
    const sig = (leaf.root as unknown as { subs: { value: Buffer }[] }).subs[2].value;
    const calls = countEcdsa(() =>
      withCertificateMemo(() => {
        expect(leaf.verify(caA)).toBe(true);
        expect(leaf.verify(caA)).toBe(true); // memo hit
        expect(leaf.verify(caB)).toBe(false); // another key: checked
        sig[sig.length - 1] ^= 0x01; // the signature changes in place
        expect(leaf.verify(caA)).toBe(false);
        sig[sig.length - 1] ^= 0x01;
        expect(leaf.verify(caA)).toBe(true); // same bytes as the first check again: memo hit
        const same = X509Certificate.parse(leafDer(tlogOnlyA)); // another object, same bytes
        expect(same.verify(caA)).toBe(true);
      }),
    );
    expect(calls.length).toBe(3);
    // outside a call nothing is remembered: each check is an ECDSA verification
    expect(countEcdsa(() => [leaf.verify(caA), leaf.verify(caA)]).length).toBe(2);
  });

  it('a tampered leaf fails under both timestamps of a TSA + tlog bundle, also right after the good one', () => {
    const t = cloneBundle(blobA) as unknown as { verificationMaterial: { certificate?: { rawBytes: string }; x509CertificateChain?: { certificates: { rawBytes: string }[] } } };
    const vm = t.verificationMaterial;
    const c = vm.certificate ?? vm.x509CertificateChain!.certificates[0];
    c.rawBytes = flipLastByte(c.rawBytes);
    for (let i = 0; i < 3; i++) {
      expect(reasonOf(verify(blobA, trustA))).toBe('ok');
      expect(reasonOf(verify(t, trustA))).toBe('certificate-untrusted');
    }
  });

  it('Error.stackTraceLimit is restored after verification, on success and on failure', () => {
    const before = Error.stackTraceLimit;
    verify(blobA, trustA);
    expect(Error.stackTraceLimit).toBe(before);
    verify('{not json', trustA);
    verify(blobB, trustA);
    expect(Error.stackTraceLimit).toBe(before);
  });
});

describe('same verdicts with and without the accelerations', () => {
  it('bundles × trusted roots (good, other root, broken CA, tampered bundles): identical results', () => {
    const brokenCa = a.trustedRootJSON() as unknown as RootJSON;
    const caCert = brokenCa.certificateAuthorities[0].certChain.certificates[0];
    caCert.rawBytes = flipLastByte(caCert.rawBytes);
    const tamperedSig = cloneBundle(blobA) as unknown as { messageSignature: { signature: string } };
    tamperedSig.messageSignature.signature = flipLastByte(tamperedSig.messageSignature.signature);
    const tamperedLeaf = cloneBundle(tlogOnlyA) as unknown as { verificationMaterial: { certificate: { rawBytes: string } } };
    tamperedLeaf.verificationMaterial.certificate.rawBytes = flipLastByte(tamperedLeaf.verificationMaterial.certificate.rawBytes);
    // malformed DER (the parser's errors surface in the messages, which must be identical)
    type Vm = { verificationMaterial: { certificate: { rawBytes: string }; timestampVerificationData?: { rfc3161Timestamps: { signedTimestamp: string }[] } } };
    const withLeaf = (f: (der: Buffer) => Buffer) => {
      const x = cloneBundle(blobA) as unknown as Vm;
      x.verificationMaterial.certificate.rawBytes = f(Buffer.from(x.verificationMaterial.certificate.rawBytes, 'base64')).toString('base64');
      return x;
    };
    const withToken = (f: (der: Buffer) => Buffer) => {
      const x = cloneBundle(blobA) as unknown as Vm;
      const t = x.verificationMaterial.timestampVerificationData!.rfc3161Timestamps[0];
      t.signedTimestamp = f(Buffer.from(t.signedTimestamp, 'base64')).toString('base64');
      return x;
    };
    const malformed = [
      withLeaf((d) => d.subarray(0, d.length - 1)),
      withLeaf((d) => Buffer.concat([d, Buffer.from([0])])),
      withLeaf((d) => Buffer.concat([Buffer.from([0x30, 0x80]), d.subarray(2)])),
      withLeaf((d) => {
        const m = Buffer.from(d);
        m[20] ^= 0x01; // inside the TBS: the CA signature no longer matches
        return m;
      }),
      withToken((d) => d.subarray(0, 100)),
      withToken((d) => Buffer.from(d).fill(0xff, 30, 31)),
    ];
    const bundles: unknown[] = [blobA, blobB, attA, tlogOnlyA, tlogOnlyB, tamperedSig, tamperedLeaf, ...malformed];
    const roots = [a.trustedRootJSON(), b.trustedRootJSON(), brokenCa];
    const run = () =>
      roots.map((r) => {
        const t = load(r);
        return bundles.map((x) => {
          const v = verify(x, t);
          return v.ok ? `ok:${v.signer.identity}` : `${v.reason}:${v.message}`;
        });
      });
    const fast = run();
    uninstallSigstoreAcceleration();
    let slow: string[][];
    try {
      expect(accelerationState()).toEqual({ asn1: 'original', asn1Parse: 'original', asn1Readers: false, keyCache: false, anchorMemo: false });
      slow = run();
    } finally {
      installSigstoreAcceleration();
    }
    expect(accelerationState()).toEqual({ asn1: 'fast', asn1Parse: 'fast', asn1Readers: true, keyCache: true, anchorMemo: true });
    expect(fast).toEqual(slow);
    // only A's three good bundles on A's root and B's two on B's pass
    expect(fast[0].slice(7).every((v) => !v.startsWith('ok:'))).toBe(true);
    expect(fast[0].slice(7).filter((v) => v.startsWith('bundle-malformed:')).length).toBeGreaterThanOrEqual(4);
    expect(fast.flat().filter((v) => v.startsWith('ok:')).length).toBe(5);
  });

  it('fresh bundles (leaf keys never seen, imported through the PEM path): identical results, tampered ones included', async () => {
    const fresh: unknown[] = [];
    for (let i = 0; i < 4; i++) fresh.push(await a.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO) }));
    fresh.push(await a.signStatement(statement([{ name: 'w.tgz', digest: { sha256: sha256Hex(ARTIFACT) } }]), { identity: IDENTITY, github: githubClaims(REPO) }));
    fresh.push(await a.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO), tsa: false }));
    fresh.push(await a.signBlob(ARTIFACT, { identity: githubIdentity('acme/other'), github: githubClaims('acme/other') })); // identity-mismatch
    const tampered = cloneBundle((await a.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO) })) as SerializedBundle) as unknown as {
      messageSignature: { signature: string };
    };
    tampered.messageSignature.signature = flipLastByte(tampered.messageSignature.signature);
    fresh.push(tampered);
    const run = () =>
      fresh.map((x) => {
        const v = verify(x, trustA);
        return v.ok ? `ok:${v.signer.identity}` : `${v.reason}:${v.message}`;
      });
    const before = fastKeyImportCount();
    const fast = run();
    expect(fastKeyImportCount() - before).toBeGreaterThanOrEqual(fresh.length); // every leaf key took the PEM path
    uninstallSigstoreAcceleration();
    let slow: string[];
    try {
      slow = run();
    } finally {
      installSigstoreAcceleration();
    }
    expect(fast).toEqual(slow);
    expect(fast.filter((v) => v.startsWith('ok:')).length).toBe(6);
    expect(fast[6]).toMatch(/^identity-mismatch:/);
    expect(fast[7]).toMatch(/^timestamp-invalid:/); // the RFC 3161 token covers the signature: it fails first
  });
});
