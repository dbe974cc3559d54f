// The exception-free DER parser, OID and date readers of src/core/sigstore/asn1-fast.ts must build exactly
// what @sigstore/core builds: the same tree (tag fields, value bytes, children) for every well-formed input,
// the same error (class and message) for every malformed one. Compared here on real certificates and
// RFC 3161 tokens, every single-byte mutation and truncation of them, random and adversarial inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASN1Obj } from '@sigstore/core';
import type { SerializedBundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { publicGoodTrust } from '../../../src/core/sigstore/index.js';
import '../../../src/core/sigstore/verify.js';
import {
  fastParseBuffer,
  fastParseState,
  fastReadersInstalled,
  originalParseBuffer,
  originalToDate,
  originalToOID,
  parseDelegations,
  parsersAgree,
  sameAsn1Tree,
} from '../../../src/core/sigstore/asn1-fast.js';
import { MockSigstore, githubClaims, githubIdentity, sha256Hex, statement } from '../../helpers/sigstore.js';

const REPO = 'acme/widget';
type RootJSON = {
  certificateAuthorities?: { certChain: { certificates: { rawBytes: string }[] } }[];
  timestampAuthorities?: { certChain: { certificates: { rawBytes: string }[] } }[];
};
type AnyNode = { tag: { isOID(): boolean; isUTCTime(): boolean; isGeneralizedTime(): boolean }; value: Buffer; subs: AnyNode[] };

let ss: MockSigstore;
const corpus: { name: string; der: Buffer }[] = [];

function outcome(fn: (b: unknown) => unknown, buf: unknown): { tree?: unknown; error?: string } {
  try {
    return { tree: fn.call(ASN1Obj, buf) };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}:${(e as Error).message}` };
  }
}

function expectSame(buf: unknown, label: string): 'tree' | 'error' {
  const lib = outcome(originalParseBuffer, buf);
  const fast = outcome(fastParseBuffer, buf);
  if (lib.error !== undefined || fast.error !== undefined) {
    expect(fast.error, label).toBe(lib.error);
    return 'error';
  }
  expect(sameAsn1Tree(fast.tree, lib.tree), label).toBe(true);
  return 'tree';
}

function nodes(n: AnyNode, out: AnyNode[] = []): AnyNode[] {
  out.push(n);
  for (const s of n.subs) nodes(s, out);
  return out;
}

function tlv(tag: number, content: Buffer): Buffer {
  const len = content.length;
  const hdr = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : len < 0x10000 ? [0x82, len >> 8, len & 0xff] : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  return Buffer.concat([Buffer.from([tag, ...hdr]), content]);
}

beforeAll(async () => {
  ss = await MockSigstore.start();
  const identity = githubIdentity(REPO);
  const bundles: SerializedBundle[] = [
    await ss.signBlob(Buffer.from('x'), { identity, github: githubClaims(REPO) }),
    await ss.signStatement(statement([{ name: 'x', digest: { sha256: sha256Hex('x') } }]), { identity, github: githubClaims(REPO) }),
  ];
  for (const [i, b] of bundles.entries()) {
    const vm = b.verificationMaterial as {
      certificate?: { rawBytes: string };
      x509CertificateChain?: { certificates: { rawBytes: string }[] };
      timestampVerificationData?: { rfc3161Timestamps: { signedTimestamp: string }[] };
    };
    corpus.push({ name: `leaf ${i}`, der: Buffer.from(vm.certificate?.rawBytes ?? vm.x509CertificateChain!.certificates[0].rawBytes, 'base64') });
    for (const t of vm.timestampVerificationData?.rfc3161Timestamps ?? []) corpus.push({ name: `rfc3161 ${i}`, der: Buffer.from(t.signedTimestamp, 'base64') });
  }
  for (const [r, root] of ([ss.trustedRootJSON(), TrustedRoot.toJSON(publicGoodTrust().root)] as unknown as RootJSON[]).entries()) {
    for (const group of [...(root.certificateAuthorities ?? []), ...(root.timestampAuthorities ?? [])]) {
      for (const c of group.certChain.certificates) corpus.push({ name: `root ${r} cert`, der: Buffer.from(c.rawBytes, 'base64') });
    }
  }
});

afterAll(async () => {
  await ss.close();
});

describe('exception-free DER parser', () => {
  it('is installed, with the OID and date readers', () => {
    expect(fastParseState()).toBe('fast');
    expect(fastReadersInstalled()).toBe(true);
    expect((ASN1Obj as unknown as { parseBuffer: unknown }).parseBuffer).toBe(fastParseBuffer);
  });

  it('builds the identical tree for real certificates and RFC 3161 tokens, without handing them to the library', () => {
    expect(corpus.length).toBeGreaterThan(8);
    expect(corpus.some((c) => c.name.startsWith('rfc3161'))).toBe(true);
    const before = parseDelegations();
    for (const { name, der } of corpus) expect(expectSame(der, name)).toBe('tree');
    expect(parseDelegations()).toBe(before + 0);
    // the parsed certificate has OCTET STRINGs both unwrapped (extnValue holding DER) and left primitive
    const tree = fastParseBuffer(corpus[0].der) as AnyNode;
    const octets = nodes(tree).filter((n) => (n.tag as unknown as { number: number; class: number }).number === 4 && (n.tag as unknown as { class: number }).class === 0);
    expect(octets.some((n) => n.subs.length > 0)).toBe(true);
    expect(octets.some((n) => n.subs.length === 0)).toBe(true);
  });

  it('values are views of a private copy: writing into the input afterwards changes nothing (as in the library)', () => {
    const der = Buffer.from(corpus[0].der);
    const t = fastParseBuffer(der) as AnyNode;
    const lib = originalParseBuffer.call(ASN1Obj, Buffer.from(der)) as AnyNode;
    der.fill(0);
    expect(sameAsn1Tree(t, lib)).toBe(true);
  });

  it('agrees on every single-byte mutation of every corpus input (tree or the same error)', () => {
    let trees = 0;
    let errors = 0;
    const picked = [corpus.find((c) => c.name.startsWith('leaf'))!, corpus.find((c) => c.name.startsWith('rfc3161'))!, corpus.find((c) => c.name.startsWith('root 1'))!];
    for (const { name, der } of picked) {
      for (let i = 0; i < der.length; i++) {
        for (const x of [0x01, 0x80, 0xff]) {
          const m = Buffer.from(der);
          m[i] ^= x;
          if (expectSame(m, `${name} byte ${i} ^ ${x}`) === 'tree') trees++;
          else errors++;
        }
      }
    }
    // both outcomes are exercised in bulk
    expect(trees).toBeGreaterThan(500);
    expect(errors).toBeGreaterThan(500);
  });

  it('agrees on every truncation and on trailing data', () => {
    for (const { name, der } of corpus.slice(0, 4)) {
      for (let n = 0; n < der.length; n++) expectSame(der.subarray(0, n), `${name} truncated to ${n}`);
      expectSame(Buffer.concat([der, Buffer.from([0])]), `${name} + 1 byte`);
      expectSame(Buffer.concat([der, der]), `${name} twice`);
    }
  });

  it('agrees on random bytes and random TLV soups', () => {
    let seed = 987654321;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const interesting = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x17, 0x18, 0x1f, 0x24, 0x30, 0x31, 0x3f, 0x80, 0x81, 0x82, 0x84, 0x86, 0x87, 0xa0, 0xa3, 0xff];
    for (let i = 0; i < 3000; i++) {
      const len = rnd(40);
      const b = Buffer.alloc(len);
      for (let k = 0; k < len; k++) b[k] = rnd(3) === 0 ? rnd(256) : interesting[rnd(interesting.length)];
      expectSame(b, `random ${b.toString('hex')}`);
    }
    // well-formed random trees wrapped in OCTET STRINGs (probed) and constructed nodes
    const mk = (depth: number): Buffer => {
      const k = rnd(6);
      if (depth > 4 || k === 0) return tlv([0x02, 0x05, 0x0c, 0x80, 0x03][rnd(5)], Buffer.alloc(rnd(3) === 0 ? 130 + rnd(200) : rnd(5), rnd(256)));
      const kids = Buffer.concat(Array.from({ length: rnd(4) }, () => mk(depth + 1)));
      return tlv([0x30, 0x31, 0xa0, 0x04, 0x04, 0x24][rnd(6)], kids);
    };
    for (let i = 0; i < 500; i++) expect(expectSame(mk(0), `tree ${i}`)).toBe('tree');
  });

  it('agrees on the depth limit (100), directly and inside an OCTET STRING, and on length-rule edge cases', () => {
    const nest = (levels: number, tag: number, inner: Buffer) => {
      let b = inner;
      for (let i = 0; i < levels; i++) b = tlv(tag, b);
      return b;
    };
    const leafNull = Buffer.from([0x05, 0x00]);
    for (const levels of [98, 99, 100, 101, 102, 150]) {
      expectSame(nest(levels, 0x30, leafNull), `seq ${levels}`);
      expectSame(tlv(0x30, tlv(0x04, nest(levels, 0x30, leafNull))), `octet-wrapped seq ${levels}`);
      expectSame(nest(levels, 0x04, leafNull), `octets ${levels}`);
    }
    expect(expectSame(nest(101, 0x30, leafNull), 'too deep')).toBe('error');
    // an OCTET STRING whose nested DER is too deep stays primitive instead of failing
    expect(expectSame(tlv(0x30, tlv(0x04, nest(101, 0x30, leafNull))), 'deep inside octets')).toBe('tree');
    const cases = [
      '3080', // indefinite length
      '30810100', // long form below 128
      '3082000100', // leading zero length byte
      '3087010000000000000000', // more than 6 length bytes
      '1f0100', // long-form tag number
      '0000', // universal tag 0
      '0400', // empty OCTET STRING
      '040130', // OCTET STRING holding a truncated TLV: primitive
      '0403300500', // OCTET STRING holding a TLV that overruns it but not the buffer: primitive ...
      '30050403300500', // ... inside a SEQUENCE (the cursor goes after the OCTET STRING's value)
      '3003020101ff', // trailing data
      '30030201', // child longer than the buffer
      '300402010100', // child ends before the parent
      '3006300302010100', // nested parent/child length mismatch
      '', // empty input
    ];
    for (const hex of cases) expectSame(Buffer.from(hex, 'hex'), hex);
  });

  it('inputs that are not Buffers behave as in the library (Uint8Array, ArrayBuffer, string, undefined)', () => {
    const der = corpus[0].der;
    expectSame(new Uint8Array(der), 'Uint8Array');
    expectSame(der.buffer.slice(der.byteOffset, der.byteOffset + der.length), 'ArrayBuffer');
    expectSame('not der', 'string');
    expectSame(undefined, 'undefined');
    expectSame(null, 'null');
    expect(parsersAgree(Buffer.from('3000', 'hex'))).toBe(true);
  });
});

describe('OID and date readers', () => {
  it('decode every OID and time of the corpus exactly as the library does', () => {
    let oids = 0;
    let dates = 0;
    for (const { der } of corpus) {
      for (const n of nodes(fastParseBuffer(der) as AnyNode)) {
        if (n.tag.isOID()) {
          expect((n as unknown as { toOID(): string }).toOID()).toBe(originalToOID.call(n as never));
          oids++;
        }
        if (n.tag.isUTCTime() || n.tag.isGeneralizedTime()) {
          const d1 = (n as unknown as { toDate(): Date }).toDate();
          const d2 = (n as unknown as { toDate(): Date }).toDate(); // second call: from the memo
          expect(d1.getTime()).toBe(originalToDate.call(n as never).getTime());
          expect(d2.getTime()).toBe(d1.getTime());
          expect(d2).not.toBe(d1); // a fresh Date each time
          d1.setTime(0); // a caller mutating its Date does not change the next answer
          expect((n as unknown as { toDate(): Date }).toDate().getTime()).toBe(d2.getTime());
          dates++;
        }
      }
    }
    expect(oids).toBeGreaterThan(50);
    expect(dates).toBeGreaterThan(10);
  });

  it('decode odd and random OID values exactly as the library does (huge arcs, unterminated arcs, empty)', () => {
    const values = ['2a03', '2bffffffffffffffff7f01', '2b8180808080808000', '2b81', '', '00', 'ff7f', '2b7f7f7f', '2b' + '81'.repeat(20) + '00'];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) values.push(Buffer.from(Array.from({ length: 1 + rnd(12) }, () => (rnd(2) ? 0x80 : 0) | rnd(128))).toString('hex'));
    for (const hex of values) {
      const node = originalParseBuffer.call(ASN1Obj, tlv(0x06, Buffer.from(hex, 'hex'))) as { toOID(): string };
      const lib = outcome(() => originalToOID.call(node as never), undefined);
      const fast = outcome(() => node.toOID(), undefined);
      expect(fast, hex).toEqual(lib);
    }
    // not an OID: the same ASN1TypeError
    const int = originalParseBuffer.call(ASN1Obj, Buffer.from('020101', 'hex')) as { toOID(): string; toDate(): Date };
    expect(outcome(() => int.toOID(), undefined)).toEqual(outcome(() => originalToOID.call(int as never), undefined));
    expect(outcome(() => int.toDate(), undefined)).toEqual(outcome(() => originalToDate.call(int as never), undefined));
  });

  it('decode odd times exactly as the library does (invalid, fractional, out-of-range fields), twice', () => {
    const times: [number, string][] = [
      [0x17, '260101000000Z'],
      [0x17, '991231235959Z'],
      [0x17, '500101000000Z'],
      [0x17, '491231235959Z'],
      [0x17, '261301000000Z'], // month 13: Invalid Date
      [0x17, '260101000000.123Z'],
      [0x17, '2601010000Z'], // no seconds: throws
      [0x17, ''],
      [0x18, '20500101000000Z'],
      [0x18, '20500101000000.999Z'],
      [0x18, '2050010100000Z'],
    ];
    for (const [tag, text] of times) {
      const node = originalParseBuffer.call(ASN1Obj, tlv(tag, Buffer.from(text, 'latin1'))) as { toDate(): Date };
      const lib = outcome(() => String(originalToDate.call(node as never).getTime()), undefined);
      for (let k = 0; k < 2; k++) expect(outcome(() => String(node.toDate().getTime()), undefined), text).toEqual(lib);
    }
  });
});
