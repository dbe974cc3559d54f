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
function tlv(tag: number, content: Buffer): Buffer {
  const len = content.length;
  const hdr = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : [0x82, len >> 8, len & 0xff];
  return Buffer.concat([Buffer.from([tag, ...hdr]), content]);
}

function selfTestSample(): Buffer {
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

/** Restore the library's encoder and parser (tests only). */
export function uninstallFastAsn1(): void {
  proto.toDER = originalToDER;
  state = 'original';
  uninstallFastParse();
}

// ---------------------------------------------------------------------------------------------------------
// An exception-free DER parser building the same ASN1Obj tree as ASN1Obj.parseBuffer.
//
// Why: the library's parser reads every byte through ByteStream.getBlock (a Buffer view allocated per tag
// and length byte) and, for every OCTET STRING, tries to parse the contents as nested DER, throwing and
// catching an ASN1ParseError when they are not DER (signatures, key ids, SCT lists: several per certificate).
// X509Certificate.parse (the bundle's leaf, and again in clone() for the SCT check) and the RFC 3161 token
// parse go through it on every bundle.
//
// Exactness: parseAt/collect are the library's parseStream/collectSubs (asn1/obj.js, @sigstore/core 4.0.1)
// transcribed step by step, with "throw" replaced by "return null" — the same reads in the same order, the
// same bounds (a value is checked against the end of the WHOLE buffer, as ByteStream.slice does, and a
// child overrunning its parent fails at the parent's end check), the same depth limit (100), the same tag
// and length rules (long-form tag numbers, universal tag 0, more than 6 length bytes, a leading zero
// length byte, length 0 in long form, long form below 128), the same OCTET STRING probe (a failure anywhere
// inside leaves the node primitive, cursor after its value), the same trailing-data rule. The nodes are
// built with the library's own ASN1Obj and ASN1Tag constructors over a copy of the input (ByteStream copies
// it too), values being views of that copy: the tree is identical. When the fast parser finds the input
// malformed it does NOT produce an error of its own: it hands the input to the library's parser, which
// throws exactly what it always threw (and should the two ever disagree, the library's answer wins).
// Safety net as for the encoder: a load-time self-test against the original (well-formed, malformed,
// probing and depth cases); test/core/sigstore/accel.test.ts compares both on thousands of real and
// mutated inputs.

type ParseBuffer = (buf: unknown) => unknown;
const asn1Static = ASN1Obj as unknown as { parseBuffer: ParseBuffer };

/** The library's own parser (kept for the self-test, the fallback on malformed input, and tests). */
export const originalParseBuffer: ParseBuffer = asn1Static.parseBuffer;

const MAX_DEPTH = 100; // asn1/obj.js MAX_DEPTH
type TagCtor = new (enc: number) => { toDER(): number };
type ObjCtor = new (tag: unknown, value: Uint8Array, subs: unknown[]) => Node;
let TagClass: TagCtor | undefined;
const ObjClass = ASN1Obj as unknown as ObjCtor;

interface Cursor {
  pos: number;
}

// parseStream(stream, depth) without exceptions: null where the library throws
function parseAt(view: Buffer, cur: Cursor, depth: number): Node | null {
  if (depth > MAX_DEPTH) return null;
  const n = view.length;
  let pos = cur.pos;
  // tag: ByteStream.getUint8 (past the end throws), then new ASN1Tag(enc)
  if (pos >= n) return null;
  const enc = view[pos++];
  if ((enc & 0x1f) === 0x1f) return null; // long form tags not supported
  if (enc >> 6 === 0 && (enc & 0x1f) === 0) return null; // unsupported tag 0x00
  // length: decodeLength
  if (pos >= n) return null;
  const first = view[pos++];
  let len: number;
  if ((first & 0x80) === 0) {
    len = first;
  } else {
    const count = first & 0x7f;
    if (count > 6) return null;
    len = 0;
    for (let i = 0; i < count; i++) {
      if (pos >= n) return null;
      const byte = view[pos++];
      if (i === 0 && byte === 0x00) return null;
      len = len * 256 + byte;
    }
    if (len === 0) return null;
    if (len < 128) return null;
  }
  // value: stream.slice(position, len) checks against the whole buffer
  const start = pos;
  if (start + len > n) return null;
  const value = view.subarray(start, start + len);
  let subs: Node[] = [];
  if ((enc & 0x20) === 0x20) {
    cur.pos = start;
    const r = collect(view, cur, len, depth);
    if (r === null) return null;
    subs = r;
  } else if (enc >> 6 === 0 && (enc & 0x1f) === 0x04) {
    // OCTET STRING: try the contents as DER; any failure leaves it primitive
    cur.pos = start;
    const r = collect(view, cur, len, depth);
    if (r !== null) subs = r;
  }
  if (subs.length === 0) cur.pos = start + len;
  return new ObjClass(new (TagClass as TagCtor)(enc), value, subs);
}

// collectSubs(stream, len, depth) without exceptions
function collect(view: Buffer, cur: Cursor, len: number, depth: number): Node[] | null {
  const end = cur.pos + len;
  if (end > view.length) return null;
  const subs: Node[] = [];
  while (cur.pos < end) {
    const child = parseAt(view, cur, depth + 1);
    if (child === null) return null;
    subs.push(child);
  }
  if (cur.pos !== end) return null;
  return subs;
}

let delegated = 0;

/** How many inputs the fast parser handed to the library's parser so far (tests). */
export function parseDelegations(): number {
  return delegated;
}

/** ASN1Obj.parseBuffer, exception-free on the way; malformed input goes to the library's parser. */
export function fastParseBuffer(buf: unknown): unknown {
  if (buf instanceof Uint8Array && TagClass !== undefined) {
    const view = Buffer.from(buf); // new ByteStream(buf) copies the input the same way
    const cur: Cursor = { pos: 0 };
    const obj = parseAt(view, cur, 0);
    if (obj !== null && cur.pos === view.length) return obj;
  }
  delegated++;
  return originalParseBuffer.call(ASN1Obj, buf);
}

/** Structural identity of two ASN1Obj trees: same tag fields, same value bytes, same children (tests, self-test). */
export function sameAsn1Tree(a: unknown, b: unknown): boolean {
  const x = a as Node & { tag: Record<string, unknown> };
  const y = b as Node & { tag: Record<string, unknown> };
  if (!x || !y || Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false;
  if (Object.getPrototypeOf(x.tag) !== Object.getPrototypeOf(y.tag)) return false;
  const kx = Object.keys(x.tag);
  if (kx.length !== Object.keys(y.tag).length || kx.some((k) => x.tag[k] !== y.tag[k])) return false;
  if (Object.keys(x).join() !== Object.keys(y).join()) return false;
  if (!Buffer.isBuffer(x.value) || !Buffer.isBuffer(y.value) || !x.value.equals(y.value)) return false;
  if (x.subs.length !== y.subs.length) return false;
  for (let i = 0; i < x.subs.length; i++) if (!sameAsn1Tree(x.subs[i], y.subs[i])) return false;
  return true;
}

/** Outcome of a parse for comparison: the tree, or the error's class and message. */
function parseOutcome(fn: ParseBuffer, buf: unknown): { tree?: unknown; error?: string } {
  try {
    return { tree: fn.call(ASN1Obj, buf) };
  } catch (e) {
    return { error: `${(e as Error)?.constructor?.name}:${(e as Error)?.message}` };
  }
}

/** Whether the fast and the library's parser agree on one input (tests, self-test). */
export function parsersAgree(buf: unknown): boolean {
  const a = parseOutcome(originalParseBuffer, buf);
  const b = parseOutcome(fastParseBuffer, buf);
  if (a.error !== undefined || b.error !== undefined) return a.error === b.error;
  return sameAsn1Tree(a.tree, b.tree);
}

function parseSelfTest(): boolean {
  try {
    const sample = selfTestSample();
    const inputs: Uint8Array[] = [sample, Buffer.concat([sample, Buffer.from([0])]), sample.subarray(0, sample.length - 1)];
    for (let i = 0; i < sample.length; i += 7) {
      const m = Buffer.from(sample);
      m[i] ^= 0x80;
      inputs.push(m);
    }
    // nesting at and beyond the depth limit, directly and inside an OCTET STRING
    const nest = (levels: number, tag: number, inner: Buffer): Buffer => {
      let b = inner;
      for (let i = 0; i < levels; i++) b = tlv(tag, b);
      return b;
    };
    for (const levels of [99, 100, 101, 102]) {
      inputs.push(nest(levels, 0x30, Buffer.from([0x05, 0x00])));
      inputs.push(tlv(0x30, tlv(0x04, nest(levels, 0x30, Buffer.from([0x05, 0x00])))));
    }
    inputs.push(Buffer.from([0x30, 0x80]), Buffer.from([0x30, 0x81, 0x05, 0, 0, 0, 0, 0]), Buffer.from([0x1f, 0x00]), Buffer.from([0x00, 0x00]), Buffer.alloc(0));
    for (const b of inputs) if (!parsersAgree(b)) return false;
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// ASN1Obj.prototype.toOID and toDate, the two value readers @sigstore/verify calls most (every extension
// look-up decodes the OID of every extension with a BigInt accumulator; every validity check parses both
// dates with a regular expression and a Date built from an ISO string).
//
// toOID: the same decoding (first byte → "first.second", then base-128 arcs, an unterminated last arc
// dropped) with a Number accumulator, exact while it stays below 2^45 (one more 7-bit step stays below
// 2^53); a larger arc, an empty value or a non-OID tag go to the library's function (same string, same
// error). toDate: parseTime is a pure function of (UTCTime or GeneralizedTime, value bytes); the time value
// of a successful parse is remembered by those bytes (bounded) and every call returns a NEW Date (callers
// may mutate it). Anything else (not a time tag, a value that is not a Buffer, a parse that throws) is the
// library's function.

type ValueNode = Node & { tag: { isOID(): boolean; isUTCTime(): boolean; isGeneralizedTime(): boolean } };
const readers = ASN1Obj.prototype as unknown as { toOID: (this: ValueNode) => string; toDate: (this: ValueNode) => Date };
export const originalToOID = readers.toOID;
export const originalToDate = readers.toDate;
const OID_SAFE = 2 ** 45;

function fastToOID(this: ValueNode): string {
  const v = this.value;
  if (!this.tag.isOID() || !v || v.length === 0) return originalToOID.call(this);
  const n = v[0];
  let oid = `${Math.floor(n / 40)}.${n % 40}`;
  let val = 0;
  for (let pos = 1; pos < v.length; pos++) {
    if (val >= OID_SAFE) return originalToOID.call(this);
    const b = v[pos];
    val = val * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      oid += `.${val}`;
      val = 0;
    }
  }
  return oid;
}

const DATE_CACHE_MAX = 1024;
const dateCache = new Map<string, number>();

function fastToDate(this: ValueNode): Date {
  const v = this.value;
  const kind = this.tag.isUTCTime() ? 'U' : this.tag.isGeneralizedTime() ? 'G' : undefined;
  if (kind === undefined || !Buffer.isBuffer(v)) return originalToDate.call(this);
  const key = kind + v.toString('latin1');
  const hit = dateCache.get(key);
  if (hit !== undefined) return new Date(hit);
  const d = originalToDate.call(this);
  if (dateCache.size >= DATE_CACHE_MAX) dateCache.clear();
  dateCache.set(key, d.getTime());
  return d;
}

function readersSelfTest(): boolean {
  try {
    const oids = [
      Buffer.from('06032a0304', 'hex'),
      Buffer.from('060a2b0601040183bf300101', 'hex'),
      Buffer.from('060b2b0601040183bf30010181', 'hex'), // unterminated last arc
      Buffer.from('060b2bffffffffffffffff7f01', 'hex'), // an arc far beyond 2^53
      Buffer.from('0600', 'hex'),
    ];
    for (const der of oids) {
      const node = originalParseBuffer.call(ASN1Obj, der) as ValueNode;
      if (fastToOID.call(node) !== originalToOID.call(node)) return false;
    }
    for (const der of [Buffer.from('170d3236303130313030303030305a', 'hex'), Buffer.from('180f32303530303130313030303030305a', 'hex')]) {
      const node = originalParseBuffer.call(ASN1Obj, der) as ValueNode;
      if (fastToDate.call(node).getTime() !== originalToDate.call(node).getTime()) return false;
    }
    return true;
  } catch {
    return false;
  }
}

let parseState: 'original' | 'fast' | 'refused' = 'original';

/** Whether the fast OID / date readers are installed (tests). */
export function fastReadersInstalled(): boolean {
  return readers.toOID === fastToOID && readers.toDate === fastToDate;
}

/** Whether the fast parser is installed ('refused': its self-test found a difference, the original stays). */
export function fastParseState(): 'original' | 'fast' | 'refused' {
  return parseState;
}

/** Install the fast parser as ASN1Obj.parseBuffer (idempotent). */
export function installFastParse(): 'original' | 'fast' | 'refused' {
  if (parseState !== 'original') return parseState;
  try {
    TagClass = (originalParseBuffer.call(ASN1Obj, Buffer.from([0x30, 0x00])) as { tag: { constructor: TagCtor } }).tag.constructor;
  } catch {
    TagClass = undefined;
  }
  if (typeof originalParseBuffer !== 'function' || TagClass === undefined || !parseSelfTest()) {
    parseState = 'refused';
    return parseState;
  }
  try {
    asn1Static.parseBuffer = fastParseBuffer;
    if (typeof originalToOID === 'function' && typeof originalToDate === 'function' && readersSelfTest()) {
      readers.toOID = fastToOID;
      readers.toDate = fastToDate;
    }
  } catch {
    parseState = 'refused';
    return parseState;
  }
  parseState = 'fast';
  return parseState;
}

/** Restore the library's parser (tests only). */
export function uninstallFastParse(): void {
  asn1Static.parseBuffer = originalParseBuffer;
  readers.toOID = originalToOID;
  readers.toDate = originalToDate;
  dateCache.clear();
  parseState = 'original';
}
