// The signature files users actually have, turned into Sigstore bundles @sigstore/verify can check, or
// refused with a message that names the format and what to give instead. Nothing here verifies anything:
// it only re-expresses evidence exactly (verify.ts then checks all of it), or refuses.
//
// Accepted:
//  - a Sigstore bundle (v0.1–v0.3, any of the media types in BUNDLE_MEDIA_TYPES);
//  - `gh attestation download` JSON Lines: one `{"bundle": {…}}` per line (each line a candidate);
//  - the attestations REST API answer `{"attestations": [{"bundle": {…}}, …]}` (each a candidate);
//  - cosign's legacy bundle (`cosign sign-blob --bundle` before `--new-bundle-format`): base64Signature,
//    cert (base64 PEM; absent with --key), rekorBundle {SignedEntryTimestamp, Payload {body, integratedTime,
//    logIndex, logID}}. Converted exactly to a v0.1 bundle: message signature over the digest in the
//    hashedrekord body, the certificate, one tlog entry whose inclusion promise is the SET (so the library
//    verifies the SET over the very body, time, index and log ID cosign received), no inclusion proof.
//    The body's signature and key must equal the outer ones (the library itself compares only the
//    signature and digest); the key of a key-pair body is compared with the policy key by verify.ts.
// Refused with a usage hint: a bare base64 signature / PEM certificate (cosign --output-signature /
// --output-certificate: no log entry, no timestamp), legacy bundles with other entry kinds.
import { X509Certificate, createPublicKey } from 'node:crypto';

export type BundleFormat = 'sigstore-bundle' | 'cosign-legacy-bundle';
export type BundleContainer = 'file' | 'gh-attestation-jsonl' | 'attestations-api';

export interface BundleCandidate {
  /** serialized Sigstore bundle JSON */
  bundle: Record<string, unknown>;
  format: BundleFormat;
  /** key-pair legacy bundles: the SPKI DER of the public key recorded in the (SET-signed) log entry */
  legacyBodyKeyDer?: Buffer;
  /** JSON Lines: the 1-based line of the file it was read from */
  line?: number;
}

export type UnwrapResult =
  | { ok: true; container: BundleContainer; candidates: BundleCandidate[] }
  | { ok: false; reason: FormatReason; message: string; format?: BundleFormat };

/** tlog-invalid: a legacy bundle whose log entry contradicts its outer signature / certificate (tampered) */
export type FormatReason = 'bundle-malformed' | 'bundle-unsupported-version' | 'tlog-invalid';

export const MAX_CANDIDATES = 100;
const V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

const BUNDLE_HINT = 'sign with `cosign sign-blob --bundle <file>` (cosign ≥ 2.4: add `--new-bundle-format`; the default in cosign 3) and give that file as bundle';
const NEW_FORMAT_HINT = `${BUNDLE_HINT}, or verify this one with mode: cosign (cosign verify-blob --bundle reads it)`;

class FormatError extends Error {
  constructor(
    readonly reason: FormatReason,
    message: string,
    public format?: BundleFormat,
  ) {
    super(message);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Parse the bundle file's bytes / text / object into the Sigstore bundles to try. Never throws. */
export function unwrapBundleInput(input: unknown): UnwrapResult {
  try {
    return unwrap(input);
  } catch (e) {
    if (e instanceof FormatError) return { ok: false, reason: e.reason, message: e.message, format: e.format };
    return { ok: false, reason: 'bundle-malformed', message: `unreadable bundle: ${(e as Error).message}` };
  }
}

function unwrap(input: unknown): UnwrapResult {
  let value: unknown = input;
  if (Buffer.isBuffer(input) || input instanceof Uint8Array || typeof input === 'string') {
    const text = (typeof input === 'string' ? input : Buffer.from(input).toString('utf8')).replace(/^\uFEFF/, '');
    try {
      value = JSON.parse(text);
    } catch (e) {
      return fromNonJson(text, (e as Error).message);
    }
  }
  if (Array.isArray(value)) throw new FormatError('bundle-malformed', 'the bundle file is a JSON array, not a bundle');
  if (!isObj(value)) throw new FormatError('bundle-malformed', 'the bundle is not a JSON object');
  // An object with a mediaType IS a bundle: never also a container. Callers read the bundle they handed in
  // (its DSSE payload, its statement); had `attestations` / `bundle` beside a mediaType been unwrapped, the
  // signature verified would be another bundle's and the content read an unsigned one's.
  if (value.mediaType !== undefined) return { ok: true, container: 'file', candidates: [candidate(value, 'the bundle')] };
  assertPureContainer(value, 'the bundle file');
  if (Array.isArray(value.attestations)) {
    const list = value.attestations;
    if (list.length === 0) throw new FormatError('bundle-malformed', 'the attestations API answer lists no attestations (none exist for this digest)');
    if (list.length > MAX_CANDIDATES) throw new FormatError('bundle-malformed', `the attestations API answer lists ${list.length} attestations (at most ${MAX_CANDIDATES})`);
    const candidates = list.map((a, i) => {
      if (!isObj(a) || !isObj(a.bundle)) throw new FormatError('bundle-malformed', `attestation ${i + 1} of the API answer has no bundle object`);
      assertPureContainer(a, `attestation ${i + 1} of the API answer`);
      return candidate(a.bundle, `attestation ${i + 1}`);
    });
    return { ok: true, container: 'attestations-api', candidates };
  }
  if (isObj(value.bundle) && value.mediaType === undefined && value.base64Signature === undefined) {
    return { ok: true, container: 'gh-attestation-jsonl', candidates: [candidate(value.bundle, 'the bundle')] };
  }
  return { ok: true, container: 'file', candidates: [candidate(value, 'the bundle')] };
}

/** JSON Lines (gh attestation download) or a detached signature / certificate. */
function fromNonJson(text: string, jsonError: string): UnwrapResult {
  // physical line numbers (1-based) of the non-empty lines: messages name the line an editor shows
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ l, n: i + 1 }))
    .filter(({ l }) => l.trim() !== '');
  // JSON Lines: every line an object, or at least the first line one whole JSON object (so a broken later line
  // is named by its number, not reported as "the bundle is not JSON … at position 48213")
  if (lines.length > 1 && (lines.every(({ l }) => l.trimStart().startsWith('{')) || isJsonObjectLine(lines[0].l))) {
    if (lines.length > MAX_CANDIDATES) throw new FormatError('bundle-malformed', `the JSON Lines file holds ${lines.length} lines (at most ${MAX_CANDIDATES})`);
    const candidates = lines.map(({ l, n }) => {
      let o: unknown;
      try {
        o = JSON.parse(l);
      } catch (e) {
        throw new FormatError('bundle-malformed', `line ${n} of the JSON Lines file is not JSON: ${(e as Error).message}`);
      }
      if (!isObj(o)) throw new FormatError('bundle-malformed', `line ${n} of the JSON Lines file is not an object`);
      if (o.mediaType === undefined) assertPureContainer(o, `line ${n} of the JSON Lines file`);
      return { ...candidate(isObj(o.bundle) && o.mediaType === undefined ? o.bundle : o, `line ${n}`), line: n };
    });
    return { ok: true, container: 'gh-attestation-jsonl', candidates };
  }
  const t = text.trim();
  if (/-----BEGIN CERTIFICATE-----/.test(t)) {
    throw new FormatError(
      'bundle-malformed',
      `the bundle file is a PEM certificate (cosign sign-blob --output-certificate), not a bundle: a certificate and a detached signature carry no transparency-log entry or signed time, so the signer cannot be verified; ${BUNDLE_HINT}`,
    );
  }
  if (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(t)) {
    throw new FormatError('bundle-malformed', 'the bundle file is a PEM public key: give it as `key` and the signature bundle as `bundle`');
  }
  if (t.length >= 40 && t.length < 16384 && /^[A-Za-z0-9+/=\s_-]+$/.test(t)) {
    throw new FormatError(
      'bundle-malformed',
      `the bundle file holds a bare base64 signature (cosign sign-blob --output-signature), not a bundle: a detached signature carries no certificate, transparency-log entry or signed time, so it cannot be verified to the policy; ${BUNDLE_HINT}`,
    );
  }
  throw new FormatError('bundle-malformed', `the bundle is not JSON: ${jsonError}`);
}

/** Fields of a bundle's own content: a wrapper (`{"bundle": …}`, `{"attestations": […]}`) that also carries
 *  one of them is ambiguous (which envelope is "the" attestation?) and refused, never unwrapped. */
const BUNDLE_CONTENT_FIELDS = ['dsseEnvelope', 'messageSignature', 'verificationMaterial', 'base64Signature', 'rekorBundle', 'cert', 'Payload'];

function assertPureContainer(o: Record<string, unknown>, where: string): void {
  if (!isObj(o.bundle) && !Array.isArray(o.attestations)) return;
  const extra = BUNDLE_CONTENT_FIELDS.filter((k) => o[k] !== undefined);
  if (extra.length) {
    throw new FormatError(
      'bundle-malformed',
      `${where} wraps ${Array.isArray(o.attestations) ? 'attestations' : 'a bundle'} and also carries bundle content of its own (${extra.join(', ')}): ambiguous, refused (a wrapper holds only the bundle)`,
    );
  }
}

function isJsonObjectLine(l: string): boolean {
  if (!l.trimStart().startsWith('{')) return false;
  try {
    return isObj(JSON.parse(l));
  } catch {
    return false;
  }
}

function candidate(o: Record<string, unknown>, where: string): BundleCandidate {
  if (typeof o.mediaType === 'string') return { bundle: o, format: 'sigstore-bundle' };
  if (o.base64Signature !== undefined || o.rekorBundle !== undefined || o.Payload !== undefined) {
    try {
      return convertLegacy(o, where);
    } catch (e) {
      if (e instanceof FormatError) e.format = 'cosign-legacy-bundle';
      throw e;
    }
  }
  if (o.dsseEnvelope !== undefined || o.messageSignature !== undefined) {
    throw new FormatError('bundle-malformed', `${where} has no mediaType`);
  }
  throw new FormatError('bundle-malformed', `${where} is neither a Sigstore bundle (no mediaType) nor a cosign bundle (no base64Signature)`);
}

// ---------- cosign legacy bundle ----------

function b64(v: unknown, what: string): Buffer {
  if (typeof v !== 'string' || v === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) throw new FormatError('bundle-malformed', `cosign bundle: ${what} is not base64`);
  const buf = Buffer.from(v, 'base64');
  // exactness: the SET signs the base64 text of the body; accept only canonical base64 so re-encoding is identical
  if (buf.toString('base64') !== v) throw new FormatError('bundle-malformed', `cosign bundle: ${what} is not canonical base64`);
  return buf;
}

function safeInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new FormatError('bundle-malformed', `cosign bundle: ${what} is not a non-negative integer`);
  return v;
}

/** DER of each PEM block of `type` in `pem`. */
function pemBlocks(pem: string, type: string): Buffer[] {
  const re = new RegExp(`-----BEGIN ${type}-----([A-Za-z0-9+/=\\s]+)-----END ${type}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

function convertLegacy(o: Record<string, unknown>, where: string): BundleCandidate {
  const sig = b64(o.base64Signature, 'base64Signature');
  const rb = o.rekorBundle;
  const keyless = o.cert !== undefined && o.cert !== null && o.cert !== '';
  if ((rb === undefined || rb === null) && !keyless) {
    // --key --tlog-upload=false: only the signature is left; there is no recorded digest to convert
    throw new FormatError(
      'bundle-malformed',
      `${where} is a cosign legacy key-pair bundle without a transparency-log entry (signed with --tlog-upload=false): it holds only the signature; verify it with mode: cosign, or sign with \`cosign sign-blob --bundle <file> --new-bundle-format\``,
    );
  }
  if (rb === undefined || rb === null) {
    throw new FormatError(
      'bundle-malformed',
      `${where} is a cosign legacy bundle without a transparency-log entry (rekorBundle; signed with --tlog-upload=false): it has no signed time, so the short-lived certificate cannot be checked; ${NEW_FORMAT_HINT}`,
    );
  }
  if (!isObj(rb) || !isObj(rb.Payload)) throw new FormatError('bundle-malformed', 'cosign bundle: rekorBundle.Payload is missing');
  const set = b64(rb.SignedEntryTimestamp, 'rekorBundle.SignedEntryTimestamp');
  const p = rb.Payload;
  const bodyB64 = p.body;
  const bodyBytes = b64(bodyB64, 'rekorBundle.Payload.body');
  const integratedTime = safeInt(p.integratedTime, 'rekorBundle.Payload.integratedTime');
  const logIndex = safeInt(p.logIndex, 'rekorBundle.Payload.logIndex');
  if (typeof p.logID !== 'string' || !/^[0-9a-f]{64}$/.test(p.logID)) throw new FormatError('bundle-malformed', 'cosign bundle: rekorBundle.Payload.logID is not 64 lowercase hex digits');
  let body: Record<string, unknown>;
  try {
    const j = JSON.parse(bodyBytes.toString('utf8')) as unknown;
    if (!isObj(j)) throw new Error('not an object');
    body = j;
  } catch (e) {
    throw new FormatError('bundle-malformed', `cosign bundle: the Rekor entry body is not a JSON object: ${(e as Error).message}`);
  }
  if (body.kind !== 'hashedrekord' || body.apiVersion !== '0.0.1') {
    throw new FormatError(
      'bundle-unsupported-version',
      `cosign legacy bundle with a Rekor entry of kind ${JSON.stringify(body.kind)} ${JSON.stringify(body.apiVersion)}: only hashedrekord 0.0.1 (cosign sign-blob) is verified in-process; ${NEW_FORMAT_HINT}`,
    );
  }
  const spec = isObj(body.spec) ? body.spec : {};
  const data = isObj(spec.data) ? spec.data : {};
  const hash = isObj(data.hash) ? data.hash : {};
  const signature = isObj(spec.signature) ? spec.signature : {};
  const pk = isObj(signature.publicKey) ? signature.publicKey : {};
  if (hash.algorithm !== 'sha256' || typeof hash.value !== 'string' || !/^[0-9a-f]{64}$/.test(hash.value)) {
    throw new FormatError('bundle-malformed', 'cosign bundle: the Rekor entry does not record a sha256 artifact digest');
  }
  const bodySig = b64(signature.content, 'the Rekor entry signature');
  if (!bodySig.equals(sig)) {
    throw new FormatError('tlog-invalid', 'cosign bundle: the signature in the Rekor entry differs from base64Signature (tampered bundle)');
  }
  const bodyKeyPem = b64(pk.content, 'the Rekor entry public key').toString('utf8');

  const vm: Record<string, unknown> = {};
  let legacyBodyKeyDer: Buffer | undefined;
  if (keyless) {
    const certPem = b64(o.cert, 'cert').toString('utf8');
    const chain = pemBlocks(certPem, 'CERTIFICATE');
    if (chain.length === 0) throw new FormatError('bundle-malformed', 'cosign bundle: cert holds no PEM certificate');
    try {
      new X509Certificate(chain[0]);
    } catch (e) {
      throw new FormatError('bundle-malformed', `cosign bundle: cert is not a certificate: ${(e as Error).message}`);
    }
    const bodyCert = pemBlocks(bodyKeyPem, 'CERTIFICATE');
    if (bodyCert.length === 0 || !bodyCert[0].equals(chain[0])) {
      throw new FormatError('tlog-invalid', 'cosign bundle: the certificate in the Rekor entry differs from cert (tampered bundle)');
    }
    vm.x509CertificateChain = { certificates: chain.map((c) => ({ rawBytes: c.toString('base64') })) };
  } else {
    if (pemBlocks(bodyKeyPem, 'CERTIFICATE').length > 0) {
      throw new FormatError('tlog-invalid', 'cosign bundle: the Rekor entry holds a certificate but the bundle has no cert (tampered bundle)');
    }
    try {
      legacyBodyKeyDer = createPublicKey({ key: bodyKeyPem, format: 'pem' }).export({ type: 'spki', format: 'der' });
    } catch (e) {
      throw new FormatError('bundle-malformed', `cosign bundle: the Rekor entry public key is unreadable: ${(e as Error).message}`);
    }
    vm.publicKey = { hint: '' };
  }
  vm.tlogEntries = [
    {
      logIndex: String(logIndex),
      logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
      kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
      integratedTime: String(integratedTime),
      inclusionPromise: { signedEntryTimestamp: set.toString('base64') },
      canonicalizedBody: bodyB64,
    },
  ];
  vm.timestampVerificationData = { rfc3161Timestamps: [] };
  const bundle = {
    mediaType: V01,
    verificationMaterial: vm,
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(hash.value, 'hex').toString('base64') }, signature: sig.toString('base64') },
  };
  return { bundle, format: 'cosign-legacy-bundle', legacyBodyKeyDer };
}
