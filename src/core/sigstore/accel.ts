// Making @sigstore/verify fast enough for batch verification WITHOUT removing any per-bundle check
// (docs/verify-cosign.md "Performance", docs/decisions/0700-sigstore-verification-performance.md).
//
// Measured per keyless bundle (TSA timestamp + Rekor entry) before this: 41 DER re-encodings of whole
// certificates (~2,300 node encodings, several MB of zero-filled allocation), 9 KeyObject constructions from
// DER (~100 µs each with OpenSSL 3 on the bench machine, as much as an ECDSA verification), and 12 ECDSA
// verifications: 7 checks of the bundle (the leaf certificate under the Fulcio CA — twice, once per
// timestamp —, the SCT, the Rekor SET, the Rekor checkpoint, the RFC 3161 token, the artifact / DSSE
// signature) and 5 that involve only certificates of the trusted root (the Fulcio root's self-signature,
// twice; the TSA root's self-signature; the TSA signing certificate under the TSA root, twice).
//
// Three accelerations, each exact (same result for every input):
//   1. asn1-fast.ts: byte-identical DER encoder; the encoding of a sealed (frozen) trust-material
//      certificate is computed once and copied out.
//   2. KeyObject cache keyed by the exact key bytes (SPKI DER, or the PEM/base64 string): identical bytes
//      give an identical, immutable key; different bytes are a different entry, so a different key can
//      never be returned.
//   3. Trust-anchor signature memo: when a certificate AND its issuer both belong to loaded trust material
//      (sealed: frozen, so the object stands for its content), the result of that signature check is kept
//      for the life of the objects. It is a fact about the trusted root, not about any bundle — the same
//      category as parsing the trusted root once. A certificate that comes from a bundle is never sealed and
//      never memoised: the leaf's signature is verified with a fresh ECDSA operation on every call, as are
//      the SCT, SET, checkpoint, RFC 3161 token and artifact signatures. test/core/sigstore/accel.test.ts
//      counts them.
// Plus X509Certificate.equals(x): true at once for x === this, false at once when the signature values
// differ (see surelyDifferent: exact), otherwise the library's full DER comparison.
import { createPublicKey as nodeCreatePublicKey, type KeyObject } from 'node:crypto';
import { X509Certificate, crypto as sigCrypto } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';
import { fastAsn1State, fastParseState, fastReadersInstalled, installFastAsn1, installFastParse, sealAsn1, uninstallFastAsn1 } from './asn1-fast.js';

// ---------------------------------------------------------------------------------------------------------
// 2. KeyObject cache

/** Size of the KeyObject cache (exported so the bench can verify more distinct bundles than it holds). */
export const KEY_CACHE_MAX = 256;
const keyCache = new Map<string, KeyObject>();
type CreatePublicKey = (key: string | Buffer | Uint8Array, type?: 'spki' | 'pkcs1') => KeyObject;
type CryptoVerify = (data: Buffer, key: KeyObject, signature: Buffer, algorithm?: string) => boolean;
const cryptoModule = sigCrypto as unknown as { createPublicKey: CreatePublicKey; verify: CryptoVerify };
const originalCreatePublicKey: CreatePublicKey = cryptoModule.createPublicKey;

// The SubjectPublicKeyInfo of an uncompressed P-256 key is always these 26 bytes (SEQUENCE, AlgorithmIdentifier
// id-ecPublicKey + prime256v1, BIT STRING of 66 bytes with 0 unused bits, 0x04 = uncompressed point) followed by
// the 64 bytes of X and Y: 91 bytes in all. Every Fulcio leaf key of a keyless bundle has this shape.
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d03010703420004', 'hex');
const P256_SPKI_LENGTH = 91;
let fastKeyImport = true;
let fastKeyImports = 0;

/** How many keys the PEM path imported so far (tests: proves the fast path is what ran). */
export function fastKeyImportCount(): number {
  return fastKeyImports;
}

/** Switch the PEM-text import of P-256 keys off/on (bench A/B and tests only). */
export function setFastKeyImport(enabled: boolean): void {
  fastKeyImport = enabled;
}

/**
 * A P-256 SPKI key imported through Node's PEM reader: the same DER bytes, base64-encoded in a PUBLIC KEY
 * block that OpenSSL decodes back to exactly those bytes (canonical base64 of the bytes themselves) and parses
 * as a SubjectPublicKeyInfo — ~3× cheaper here than Node's `{format: 'der', type: 'spki'}` path (measured
 * 25–40 µs against 60–110 µs per key with Node 24 / OpenSSL 3), which matters now that every bundle brings
 * a leaf key of its own. Only for the fixed 91-byte P-256 shape; when the PEM path refuses the bytes (a point
 * not on the curve, …) the library's own DER call runs and throws or returns exactly what it always did.
 * test/core/sigstore/accel.test.ts compares both paths on random keys and on every single-byte mutation.
 */
function importP256(der: Uint8Array): KeyObject | undefined {
  if (!fastKeyImport || der.byteLength !== P256_SPKI_LENGTH) return undefined;
  const b = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  if (b.compare(P256_SPKI_PREFIX, 0, P256_SPKI_PREFIX.length, 0, P256_SPKI_PREFIX.length) !== 0) return undefined;
  const b64 = b.toString('base64'); // 124 characters: two PEM lines of 64 and 60
  try {
    const k = nodeCreatePublicKey(`-----BEGIN PUBLIC KEY-----\n${b64.slice(0, 64)}\n${b64.slice(64)}\n-----END PUBLIC KEY-----\n`);
    if (k.asymmetricKeyType !== 'ec' || k.type !== 'public') return undefined;
    fastKeyImports++;
    return k;
  } catch {
    return undefined;
  }
}

function cachedCreatePublicKey(key: string | Buffer | Uint8Array, type: 'spki' | 'pkcs1' = 'spki'): KeyObject {
  let id: string;
  if (typeof key === 'string') id = `s:${type}:${key}`;
  else if (key instanceof Uint8Array) id = `b:${type}:${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('base64')}`;
  else return originalCreatePublicKey(key, type);
  const hit = keyCache.get(id);
  if (hit) return hit;
  const k = (typeof key !== 'string' && type === 'spki' ? importP256(key) : undefined) ?? originalCreatePublicKey(key, type);
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(id, k);
  return k;
}

/** Number of cached keys (tests). */
export function keyCacheSize(): number {
  return keyCache.size;
}

// ---------------------------------------------------------------------------------------------------------
// 3. trust-anchor signature memo

type CertLike = X509Certificate & { root: Parameters<typeof sealAsn1>[0] };
type VerifyFn = (this: CertLike, issuer?: CertLike) => boolean;
type EqualsFn = (this: CertLike, other: CertLike) => boolean;

type FindExtensionFn = (this: CertLike, oid: string) => unknown;
const certProto = X509Certificate.prototype as unknown as { verify: VerifyFn; equals: EqualsFn; findExtension: FindExtensionFn };
const originalVerify: VerifyFn = certProto.verify;
const originalEquals: EqualsFn = certProto.equals;
const originalFindExtension: FindExtensionFn = certProto.findExtension;

/** certificates of loaded trusted roots (sealed) */
const anchors = new WeakSet<object>();
const sealedMaterials = new WeakSet<object>();
/** results for (anchor certificate, anchor issuer) pairs */
const anchorResults = new WeakMap<object, WeakMap<object, boolean>>();

/**
 * Seal the certificates of trust material (CA and TSA chains) and register them as trust anchors
 * (idempotent, cheap when repeated). verifyBundle calls it for the trust it is given.
 */
export function sealTrustMaterial(material: TrustMaterial): void {
  if (sealedMaterials.has(material)) return;
  for (const ca of [...material.certificateAuthorities, ...material.timestampAuthorities]) {
    for (const cert of ca.certChain as CertLike[]) {
      sealAsn1(cert.root);
      Object.freeze(cert);
      anchors.add(cert);
    }
  }
  sealedMaterials.add(material);
}

/** Whether a certificate object is a registered trust anchor (tests). */
export function isTrustAnchor(cert: object): boolean {
  return anchors.has(cert);
}

// ---------------------------------------------------------------------------------------------------------
// 4. per-call certificate signature memo
//
// @sigstore/verify builds the leaf's chain once per timestamp (verifyCertificate → verifyCertificateChain
// for the RFC 3161 time AND for the tlog time), so the leaf's signature under the Fulcio CA is checked twice
// inside one verification, over the same bytes with the same key. While a verifyBundle call is running
// (withCertificateMemo), X509Certificate.verify runs the library's own steps — issuer key (or own key),
// KeyObject, TBS encoding, signature value, algorithm, in that order, so any exception is the same — and
// then looks for an earlier check IN THIS CALL with the identical inputs: the same KeyObject (keys are
// cached by their exact bytes: same object ⇔ same key bytes), the same algorithm, byte-equal TBS and
// byte-equal signature. A signature verification is a deterministic function of exactly those inputs, so
// the earlier result IS the result. The memo is keyed by content, not by object, so a certificate mutated
// between the checks cannot reuse a stale verdict; it is created empty when the call starts and dropped
// when it returns: nothing carries from one bundle (or one call) to the next.

interface CallEntry {
  key: KeyObject;
  algorithm: string | undefined;
  tbs: Buffer;
  signature: Buffer;
  ok: boolean;
}
let callEntries: CallEntry[] | undefined;
let callMemoEnabled = true;

/** Switch the per-call memo off/on (the bench's before/after comparison and tests only). */
export function setCertificateMemo(enabled: boolean): void {
  callMemoEnabled = enabled;
}

/** Run fn with a certificate-signature memo that lives exactly as long as this call (verifyBundle). */
export function withCertificateMemo<T>(fn: () => T): T {
  if (!callMemoEnabled) return fn();
  const previous = callEntries;
  callEntries = [];
  try {
    return fn();
  } finally {
    callEntries = previous;
  }
}

function callMemoVerify(cert: CertLike, issuer: CertLike | undefined, entries: CallEntry[]): boolean {
  const c = cert as unknown as { publicKey: Buffer; tbsCertificate: { toDER(): Buffer }; signatureValue: Buffer; signatureAlgorithm: string | undefined };
  const i = issuer as unknown as { publicKey: Buffer } | undefined;
  // X509Certificate.prototype.verify (@sigstore/core 4.0.1), step by step
  const publicKey = i?.publicKey || c.publicKey;
  const key = cryptoModule.createPublicKey(publicKey);
  const tbs = c.tbsCertificate.toDER();
  const signature = c.signatureValue;
  const algorithm = c.signatureAlgorithm;
  for (const e of entries) {
    if (e.key === key && e.algorithm === algorithm && e.signature.equals(signature) && e.tbs.equals(tbs)) return e.ok;
  }
  const ok = cryptoModule.verify(tbs, key, signature, algorithm);
  // copies: the memo must not see later writes into the certificate's buffers
  entries.push({ key, algorithm, tbs: Buffer.from(tbs), signature: Buffer.from(signature), ok });
  return ok;
}

/** Number of certificate checks remembered in the running call (tests: undefined outside a call). */
export function certificateMemoSize(): number | undefined {
  return callEntries?.length;
}

function memoVerify(this: CertLike, issuer?: CertLike): boolean {
  const signer = issuer ?? this;
  if (!anchors.has(this) || !anchors.has(signer)) {
    return callEntries === undefined ? originalVerify.call(this, issuer) : callMemoVerify(this, issuer, callEntries);
  }
  let row = anchorResults.get(this);
  const hit = row?.get(signer);
  if (hit !== undefined) return hit;
  const ok = originalVerify.call(this, issuer); // an exception is not memoised: it propagates as before
  if (!row) {
    row = new WeakMap();
    anchorResults.set(this, row);
  }
  row.set(signer, ok);
  return ok;
}

// Extension look-ups on trust anchors: findExtension(oid) walks the extension list and decodes every OID. On
// a sealed certificate (object, ASN.1 nodes, children arrays and tags frozen) the answer — the extension
// node itself, or undefined — is fixed, so it is kept per (anchor, OID), as the anchor's encoding is. An
// exception is not kept (it propagates, as before). Certificates from bundles always take the library's walk.
const anchorExtensions = new WeakMap<object, Map<string, unknown>>();

function anchorFindExtension(this: CertLike, oid: string): unknown {
  if (!anchors.has(this) || typeof oid !== 'string') return originalFindExtension.call(this, oid);
  let row = anchorExtensions.get(this);
  if (row?.has(oid)) return row.get(oid);
  const ext = originalFindExtension.call(this, oid);
  if (!row) {
    row = new Map();
    anchorExtensions.set(this, row);
  }
  row.set(oid, ext);
  return ext;
}

interface NodeLike {
  tag: { toDER(): number };
  value: Uint8Array;
  subs: NodeLike[];
}

/**
 * Exact early "not equal": the library compares the DER encodings of both roots. A root with children is
 * encoded as tag, length, then its children's encodings one after another; each child encoding is a
 * self-delimiting TLV, so equal encodings mean equal children, one by one. The third child is the
 * signature BIT STRING, a primitive node (no children) encoded as tag, length, value: if those differ the
 * certificates' encodings differ. Anything else falls back to the full comparison.
 */
function surelyDifferent(a: NodeLike, b: NodeLike): boolean {
  if (a.subs.length < 3 || b.subs.length < 3) return false;
  const sa = a.subs[2];
  const sb = b.subs[2];
  if (sa.subs.length !== 0 || sb.subs.length !== 0) return false;
  if ((sa.tag.toDER() & 0xff) !== (sb.tag.toDER() & 0xff)) return true;
  return !Buffer.from(sa.value.buffer, sa.value.byteOffset, sa.value.byteLength).equals(sb.value);
}

function fastEquals(this: CertLike, other: CertLike): boolean {
  if (other === this) return true;
  if (other && surelyDifferent(this.root as unknown as NodeLike, other.root as unknown as NodeLike)) return false;
  return originalEquals.call(this, other);
}

// ---------------------------------------------------------------------------------------------------------

let installed = false;

/** Install the accelerations (idempotent). */
export function installSigstoreAcceleration(): void {
  if (installed) return;
  installed = true;
  // Each patch is optional: should a future @sigstore/core make these read-only, verification keeps working
  // with the library's own functions (slower, never different). accelerationState() tells which are active.
  installFastAsn1();
  installFastParse();
  const patch = (apply: () => void) => {
    try {
      apply();
    } catch {
      /* keep the library's function */
    }
  };
  patch(() => {
    cryptoModule.createPublicKey = cachedCreatePublicKey;
  });
  patch(() => {
    certProto.verify = memoVerify;
  });
  patch(() => {
    certProto.equals = fastEquals;
  });
  patch(() => {
    if (typeof originalFindExtension === 'function') certProto.findExtension = anchorFindExtension;
  });
}

/** What is active (tests, bench). */
export function accelerationState(): {
  asn1: ReturnType<typeof fastAsn1State>;
  asn1Parse: ReturnType<typeof fastParseState>;
  asn1Readers: boolean;
  keyCache: boolean;
  anchorMemo: boolean;
} {
  return {
    asn1: fastAsn1State(),
    asn1Parse: fastParseState(),
    asn1Readers: fastReadersInstalled(),
    keyCache: cryptoModule.createPublicKey === cachedCreatePublicKey,
    anchorMemo: certProto.verify === memoVerify && certProto.findExtension === anchorFindExtension,
  };
}

/** Restore the library's own functions (tests and the bench's baseline only). */
export function uninstallSigstoreAcceleration(): void {
  cryptoModule.createPublicKey = originalCreatePublicKey;
  certProto.verify = originalVerify;
  certProto.equals = originalEquals;
  certProto.findExtension = originalFindExtension;
  uninstallFastAsn1();
  keyCache.clear();
  installed = false;
}
