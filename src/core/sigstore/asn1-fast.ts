// A byte-identical, allocation-light replacement for @sigstore/core's ASN1Obj.prototype.toDER.
//
// Why: @sigstore/verify re-encodes certificates to DER dozens of times per bundle (X509Certificate.equals
// compares `root.toDER()` of both sides, `verify` signs over `tbsCertificate.toDER()`, `publicKey` is
// `subjectPublicKeyInfoObj.toDER()`, the SCT check re-encodes the TBS without the SCT extension). The
// library's encoder builds every node of the tree with two ByteStreams that each start by zero-filling a
// 1 KiB block and grow by copying: ~2,300 node encodings and several MB of zeroed allocation per bundle,
// which was ~90% of the verification time (docs/verify-cosign.md, "Performance").
//
// What this does NOT change: the bytes. The encoding is the same function of (tag, value, subs) as the
// original: the tag byte, the minimal DER length, then the concatenated encodings of `subs` when there are
// any, else `value`. It is computed afresh on every call (no memo), so a mutated tree (the SCT check splices
// the SCT extension out of a clone) encodes exactly as the original would. No check is skipped: every
// caller still gets the bytes and still verifies every signature over them.
//
// Safety net: install() runs the original and the fast encoder side by side on a fixture with short, long
// (1- and 2-byte) lengths, context-specific and constructed tags, an OCTET STRING with parsed children and a
// mutated tree; if any byte differs (e.g. a future @sigstore/core changes its encoding), the original stays
// in place. test/core/sigstore/asn1-fast.test.ts compares both on real certificates and random trees.
import { ASN1Obj } from '@sigstore/core';

interface Node {
  tag: { toDER(): number };
  value: Uint8Array;
  subs: Node[];
}

// Sealed trees: frozen (node, tag and subs array: any mutation throws in the library's strict-mode code), so
// their encoding cannot change and is computed once. Callers still get a fresh copy on every call (the RFC
// 3161 check writes into the bytes it gets). Only trust material is sealed (accel.ts).
const sealed = new WeakSet<object>();
const sealedDER = new WeakMap<object, Buffer>();

/** Freeze an ASN1Obj tree so that its DER encoding is fixed; later toDER() calls copy a cached encoding. */
export function sealAsn1(node: Node): void {
  if (sealed.has(node)) return;
  for (const s of node.subs) sealAsn1(s);
  Object.freeze(node.subs);
  Object.freeze(node.tag);
  Object.freeze(node);
  sealed.add(node);
}

/** Whether a tree was sealed by sealAsn1 (tests). */
export function isSealedAsn1(node: object): boolean {
  return sealed.has(node);
}

function lengthOfLength(len: number): number {
  if (len < 0x80) return 1;
  let n = 0;
  for (let v = len; v > 0; v = Math.floor(v / 256)) n++;
  return 1 + n;
}

// pass 1: content length of every node, in pre-order
function measure(node: Node, lens: number[]): number {
  const idx = lens.length;
  lens.push(0);
  let content = 0;
  const subs = node.subs;
  if (subs.length > 0) {
    for (let i = 0; i < subs.length; i++) content += measure(subs[i], lens);
  } else {
    content = node.value.length;
  }
  lens[idx] = content;
  return 1 + lengthOfLength(content) + content;
}

// pass 2: write tag, length, content in the same pre-order
function write(node: Node, out: Buffer, pos: number, lens: number[], cursor: { i: number }): number {
  const content = lens[cursor.i++];
  out[pos++] = node.tag.toDER() & 0xff;
  if (content < 0x80) {
    out[pos++] = content;
  } else {
    const n = lengthOfLength(content) - 1;
    out[pos++] = 0x80 | n;
    for (let k = n - 1, v = content; k >= 0; k--, v = Math.floor(v / 256)) out[pos + k] = v % 256;
    pos += n;
  }
  const subs = node.subs;
  if (subs.length > 0) {
    for (let i = 0; i < subs.length; i++) pos = write(subs[i], out, pos, lens, cursor);
  } else {
    out.set(node.value, pos);
    pos += node.value.length;
  }
  return pos;
}

/** DER encoding of a @sigstore/core ASN1Obj tree: the same bytes as the library's own toDER(). */
export function encodeAsn1(node: Node): Buffer {
  const lens: number[] = [];
  const total = measure(node, lens);
  const out = Buffer.alloc(total);
  const end = write(node, out, 0, lens, { i: 0 });
  /* c8 ignore next */
  if (end !== total) throw new Error(`ASN.1 encoding length mismatch (${end} != ${total})`);
  return out;
}

type ToDER = (this: unknown) => Buffer;
const proto = ASN1Obj.prototype as unknown as { toDER: ToDER };

/** The library's own encoder (kept for the equivalence self-test and for tests). */
export const originalToDER: ToDER = proto.toDER;

let state: 'original' | 'fast' | 'refused' = 'original';

/** Whether the fast encoder is installed ('refused': the self-test found a difference, the original stays). */
export function fastAsn1State(): 'original' | 'fast' | 'refused' {
  return state;
}

// A small DER structure exercising every encoder branch: constructed and primitive tags, context-specific
// tags, an OCTET STRING whose content parses as DER (the parser turns it into children), a 200-byte value
// (1-byte long-form length) and a 300-byte one (2-byte long-form length).
function selfTestSample(): Buffer {
  const tlv = (tag: number, content: Buffer): Buffer => {
    const len = content.length;
    const hdr = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : [0x82, len >> 8, len & 0xff];
    return Buffer.concat([Buffer.from([tag, ...hdr]), content]);
  };
  const inner = tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), tlv(0x0c, Buffer.from('chaingate'))]));
  return tlv(
    0x30,
    Buffer.concat([
      tlv(0xa0, tlv(0x02, Buffer.from([2]))),
      tlv(0x06, Buffer.from([0x2b, 0x06, 0x01, 0x04, 0x01])),
      tlv(0x04, inner),
      tlv(0x04, Buffer.alloc(200, 0xab)),
      tlv(0x0c, Buffer.alloc(300, 0x61)),
      tlv(0x31, Buffer.concat([tlv(0x01, Buffer.from([0xff])), tlv(0x05, Buffer.alloc(0))])),
      tlv(0x83, Buffer.from([9, 9])),
    ]),
  );
}

function selfTest(): boolean {
  try {
    const sample = selfTestSample();
    const a = ASN1Obj.parseBuffer(sample as Buffer<ArrayBuffer>) as unknown as Node;
    if (!originalToDER.call(a).equals(encodeAsn1(a))) return false;
    if (!encodeAsn1(a).equals(sample)) return false;
    // a mutated tree, as the SCT check produces: drop a child, then compare again
    a.subs.splice(2, 1);
    if (!originalToDER.call(a).equals(encodeAsn1(a))) return false;
    return true;
  } catch {
    return false;
  }
}

/** Install the fast encoder on ASN1Obj.prototype (idempotent). Returns the resulting state. */
export function installFastAsn1(): 'original' | 'fast' | 'refused' {
  if (state !== 'original') return state;
  if (typeof originalToDER !== 'function' || !selfTest()) {
    state = 'refused';
    return state;
  }
  const fastToDER = function fastToDER(this: unknown): Buffer {
    const node = this as Node;
    if (sealed.has(node)) {
      let der = sealedDER.get(node);
      if (!der) {
        der = encodeAsn1(node);
        sealedDER.set(node, der);
      }
      return Buffer.from(der);
    }
    return encodeAsn1(node);
  };
  try {
    proto.toDER = fastToDER;
  } catch {
    state = 'refused'; // read-only prototype: the library's encoder stays
    return state;
  }
  state = 'fast';
  return state;
}

/** Restore the library's encoder (tests only). */
export function uninstallFastAsn1(): void {
  proto.toDER = originalToDER;
  state = 'original';
}
