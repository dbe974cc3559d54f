// In-process, offline verification of Sigstore bundles (v0.1–v0.3) with @sigstore/verify, plus the checks
// the library leaves to its caller: exact identity / issuer / Fulcio extensions, bundle version, the
// artifact digest, and for in-toto attestations the payloadType, predicateType and subject digest.
// verifyBundle never throws for anything about the bundle: every failure is a result with a bounded reason.
import { createHash, constants as cryptoConstants, publicDecrypt, timingSafeEqual, type KeyObject } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { normalizeDigest, tryNormalizeDigest } from '../digest.js';
import { LEGACY_TWINS, decodeFulcioExtensions, describeExtension, issuerOf, readExtension, type FulcioExtensionName, type FulcioExtensions, type RawExtension } from './extensions.js';
import { describeMatcher, matches, type IdentityPolicy, type Matcher } from './policy.js';
import { KEY_THRESHOLDS, type LoadedTrust, type Thresholds } from './trust.js';
import { unwrapBundleInput, type BundleCandidate, type BundleContainer, type BundleFormat } from './formats.js';
import { installSigstoreAcceleration, sealTrustMaterial, withCertificateMemo } from './accel.js';

// exact accelerations of @sigstore/core / @sigstore/verify (see accel.ts): no check is removed
installSigstoreAcceleration();

export const BUNDLE_MEDIA_TYPES = {
  'application/vnd.dev.sigstore.bundle+json;version=0.1': '0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2': '0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': '0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3',
} as const;

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'];

/** Every reason a verification can fail with (bounded; gates declare these). */
export const SIGSTORE_FAILURE_REASONS = [
  'bundle-malformed',
  'bundle-unsupported-version',
  'content-mismatch',
  'verification-material-mismatch',
  'artifact-required',
  'artifact-digest-mismatch',
  'unsupported-key',
  'signature-invalid',
  'certificate-untrusted',
  'certificate-expired',
  'certificate-sct-invalid',
  'tlog-invalid',
  'timestamp-invalid',
  'timestamp-missing',
  'public-key-invalid',
  'identity-mismatch',
  'issuer-mismatch',
  'extension-mismatch',
  'payload-type-mismatch',
  'statement-malformed',
  'predicate-type-mismatch',
  'subject-digest-mismatch',
  /** no subject carries a digest that can be compared with the artifact (e.g. sha512 only, npm provenance, and
   *  only the artifact's sha256 is known): nothing is proved either way */
  'subject-digest-unsupported',
  'verification-error',
] as const;
export type SigstoreFailureReason = (typeof SIGSTORE_FAILURE_REASONS)[number];

/** What the signature must cover. */
export type ArtifactInput =
  | { kind: 'bytes'; bytes: Buffer }
  /** `sha256:<hex>` (or bare hex): message signatures are verified against this digest (no bytes needed).
   *  `sha512` (`sha512:<hex>`), when known, lets an in-toto subject named by sha512 only (npm provenance) be compared. */
  | { kind: 'digest'; digest: string; sha512?: string }
  /** only for DSSE bundles whose statement the caller checks itself; message signatures then fail `artifact-required` */
  | { kind: 'none' };

export interface VerifyExpectations {
  /** required content kind (default: either) */
  content?: 'message-signature' | 'dsse';
  /** in-toto predicateType the DSSE statement must carry (exact). Setting it requires a DSSE in-toto bundle. */
  predicateType?: string;
  /** DSSE payloadType (default application/vnd.in-toto+json) */
  payloadType?: string;
}

export interface VerifyBundleOptions {
  /** the bundle: parsed JSON, or JSON text / bytes */
  bundle: unknown;
  artifact: ArtifactInput;
  policy: IdentityPolicy;
  trust: LoadedTrust;
  /** override the trust's thresholds (tlog / ctlog / timestamp) */
  thresholds?: Partial<Thresholds>;
  expect?: VerifyExpectations;
  /** verification time, used only when the bundle carries no timestamp and the timestamp threshold is 0 */
  now?: Date;
}

export interface SignerInfo {
  kind: 'certificate' | 'public-key';
  /** certificate SAN (keyless) */
  identity?: string;
  /** OIDC issuer from the Fulcio extension (keyless) */
  issuer?: string;
  /** decoded Fulcio extensions (keyless) */
  extensions: FulcioExtensions;
  /** sha256 of the public key (key-pair mode) */
  keyFingerprint?: string;
}

export interface InTotoStatement {
  _type: string;
  subject: { name?: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate?: unknown;
}

export interface VerifySuccess {
  ok: true;
  reason: 'ok';
  content: 'message-signature' | 'dsse';
  mediaType: string;
  bundleVersion: '0.1' | '0.2' | '0.3';
  signer: SignerInfo;
  /** `sha256:<hex>` the verification bound to the signature (artifact digest, or matched subject digest) */
  verifiedDigest?: string;
  /** DSSE payloadType */
  payloadType?: string;
  /** the DSSE payload bytes the signature verified (DSSE bundles): callers read the signed content from here,
   *  never from the file they handed in */
  payload?: Buffer;
  /** the decoded in-toto statement (DSSE in-toto bundles) */
  statement?: InTotoStatement;
  /** timestamps counted: RFC 3161, tlog integrated times, or the verification time fallback */
  timestamps: { tsa: number; tlog: number; verificationTime: boolean };
  tlogEntries: number;
  /** what the file held: a Sigstore bundle, or cosign's legacy bundle (verified as the v0.1 bundle it maps to) */
  format: BundleFormat;
  /** how it was wrapped: a plain file, `gh attestation download` JSON Lines, the attestations REST API answer */
  container: BundleContainer;
  /** bundles found in the file (the first that verifies is the result) */
  candidates: number;
}

export interface VerifyFailure {
  ok: false;
  reason: SigstoreFailureReason;
  /** one line, bounded length; no secrets (bundles hold none) */
  message: string;
  mediaType?: string;
  /** known when the signature verified but a policy check failed */
  signer?: SignerInfo;
  statement?: InTotoStatement;
  format?: BundleFormat;
  container?: BundleContainer;
  candidates?: number;
}

export type VerifyResult = VerifySuccess | VerifyFailure;

const MAX_MESSAGE = 400;

function fail(reason: SigstoreFailureReason, message: string, extra: Partial<VerifyFailure> = {}): VerifyFailure {
  const m = message.replace(/\s+/g, ' ').trim();
  return { ok: false, reason, message: m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE)}…` : m, ...extra };
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  // @sigstore/bundle's ValidationError says only "invalid bundle"; the offending fields are in `fields`
  const fields = (e as { fields?: unknown }).fields;
  const msg = Array.isArray(fields) && fields.length ? `${e.message} (${fields.slice(0, 5).map(String).join(', ')})` : e.message;
  return cause instanceof Error && cause.message && cause.message !== e.message ? `${msg} (${cause.message})` : msg;
}

/** Map anything @sigstore/verify throws to a bounded reason. */
export function classifyVerifyError(e: unknown): VerifyFailure {
  const code = (e as { code?: unknown })?.code;
  const name = (e as { name?: unknown })?.name;
  const text = errorText(e);
  if (typeof code === 'string') {
    if (code.startsWith('TLOG_')) return fail('tlog-invalid', `${code}: ${text}`);
    switch (code) {
      case 'CERTIFICATE_ERROR':
        if (/not valid or expired/i.test(text)) return fail('certificate-expired', `${code}: ${text}`);
        if (/\bSCTs?\b/.test(text)) return fail('certificate-sct-invalid', `${code}: ${text}`);
        return fail('certificate-untrusted', `${code}: ${text}`);
      case 'SIGNATURE_ERROR':
        return fail('signature-invalid', `${code}: ${text}`);
      case 'TIMESTAMP_ERROR':
        return /expected \d+ timestamps/.test(text) ? fail('timestamp-missing', `${code}: ${text}`) : fail('timestamp-invalid', `${code}: ${text}`);
      case 'PUBLIC_KEY_ERROR':
        return fail('public-key-invalid', `${code}: ${text}`);
      case 'UNTRUSTED_SIGNER_ERROR':
        return fail('identity-mismatch', `${code}: ${text}`);
      default:
        break;
    }
  }
  return fail('verification-error', `${typeof name === 'string' ? name : 'Error'}: ${text}`);
}

/** Signature content for a message signature when only the artifact's sha256 digest is known. */
class DigestSignatureContent {
  constructor(
    readonly signature: Buffer,
    private readonly digest: Buffer,
  ) {}
  compareSignature(signature: Buffer): boolean {
    return safeEqual(signature, this.signature);
  }
  compareDigest(digest: Buffer): boolean {
    return safeEqual(digest, this.digest);
  }
  compareSignedDigest(digest: Buffer): boolean {
    return safeEqual(digest, this.digest);
  }
  verifySignature(key: KeyObject): boolean {
    return verifyPrehashed(key, this.digest, this.signature);
  }
}

function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export class UnsupportedKeyError extends Error {
  override name = 'UnsupportedKeyError';
}

const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Verify a signature over a SHA-256 digest (no message bytes): ECDSA P-256/P-384/P-521 through
 * @noble/curves with prehash off, RSA PKCS#1 v1.5 by recovering the DigestInfo. Other key types cannot
 * sign a bare digest (Ed25519 signs the message itself): UnsupportedKeyError.
 */
export function verifyPrehashed(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  if (key.asymmetricKeyType === 'ec') {
    const jwk = key.export({ format: 'jwk' });
    const curve = jwk.crv === 'P-256' ? p256 : jwk.crv === 'P-384' ? p384 : jwk.crv === 'P-521' ? p521 : undefined;
    if (!curve || !jwk.x || !jwk.y) throw new UnsupportedKeyError(`EC curve ${jwk.crv ?? '?'} is not supported`);
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
    try {
      return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
    } catch {
      return false;
    }
  }
  if (key.asymmetricKeyType === 'rsa') {
    try {
      const recovered = publicDecrypt({ key, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature);
      return safeEqual(recovered, Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]));
    } catch {
      return false;
    }
  }
  throw new UnsupportedKeyError(`a ${key.asymmetricKeyType ?? 'unknown'} key cannot be verified against a bare digest; give the artifact file`);
}

function keyFingerprint(key: KeyObject): string {
  return `sha256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

function parseStatement(payload: Buffer): InTotoStatement | string {
  let j: unknown;
  try {
    j = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    return `the DSSE payload is not JSON: ${(e as Error).message}`;
  }
  const o = j as Record<string, unknown>;
  if (!o || typeof o !== 'object' || Array.isArray(o)) return 'the in-toto statement is not a JSON object';
  if (typeof o._type !== 'string' || !IN_TOTO_STATEMENT_TYPES.includes(o._type)) return `unknown in-toto statement _type ${JSON.stringify(o._type)}`;
  if (typeof o.predicateType !== 'string' || o.predicateType === '') return 'the in-toto statement has no predicateType';
  if (!Array.isArray(o.subject) || o.subject.length === 0) return 'the in-toto statement has no subject';
  for (const s of o.subject) {
    if (!s || typeof s !== 'object' || !(s as { digest?: unknown }).digest || typeof (s as { digest?: unknown }).digest !== 'object') {
      return 'an in-toto subject has no digest';
    }
  }
  return o as unknown as InTotoStatement;
}

/**
 * Verify one Sigstore bundle. Returns `{ ok: true, … }` only when: the bundle is a supported version,
 * its signature, certificate chain, SCTs, tlog entries and timestamps verify against `trust` with the
 * thresholds in force, the signer matches `policy` exactly, and the content binds to `artifact`
 * (message digest, or an in-toto subject digest; plus payloadType / predicateType for attestations).
 */
export function verifyBundle(opts: VerifyBundleOptions): VerifyResult {
  // @sigstore/core's DER parser tries to parse every OCTET STRING as nested DER and throws (and catches) an
  // error when it is not: several per certificate. Capturing a stack trace for each was ~15% of the time.
  // Nothing here reports stacks (failures carry a reason and a message), and verification is synchronous,
  // so no other code runs while the limit is lowered; it is restored before returning.
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
  } catch {
    /* frozen intrinsics: keep it */
  }
  try {
    return withCertificateMemo(() => verifyBundleInner(opts));
  } catch (e) {
    // belt and braces: nothing about a bundle may escape as an exception
    return classifyVerifyError(e);
  } finally {
    try {
      Error.stackTraceLimit = stackTraceLimit;
    } catch {
      /* unchanged */
    }
  }
}

function verifyBundleInner(opts: VerifyBundleOptions): VerifyResult {
  // 1. parse, unwrap (JSON Lines, attestations API) and convert (cosign legacy bundle)
  const u = unwrapBundleInput(opts.bundle);
  if (!u.ok) return fail(u.reason, u.message, u.format ? { format: u.format } : {});
  const n = u.candidates.length;
  let first: VerifyFailure | undefined;
  const failures: Array<{ index: number; candidate: BundleCandidate; failure: VerifyFailure }> = [];
  for (let i = 0; i < n; i++) {
    const c = u.candidates[i];
    const r = verifyCandidate(opts, c);
    if (r.ok) return { ...r, format: c.format, container: u.container, candidates: n };
    const tagged: VerifyFailure = { ...r, format: c.format, container: u.container, candidates: n };
    first ??= tagged;
    failures.push({ index: i, candidate: c, failure: tagged });
  }
  const f = first as VerifyFailure;
  if (n === 1) return f;
  return mostRelevantFailure(opts, u.container, failures);
}

/**
 * Which failure to report when no bundle of a multi-bundle file verified (`gh attestation download` writes
 * every attestation of the digest: SLSA provenance, SBOMs, several runs). Reporting the first line's failure
 * would say "predicateType is SPDX" when the provenance is there but signed by someone else. The bundles are
 * ranked by what they claim (unverified, used only to choose the message, never to pass): of the expected
 * predicate type first, then naming the artifact. When no bundle even claims the expected predicate type,
 * that is the failure (`predicate-type-mismatch`, listing the types found).
 */
function mostRelevantFailure(opts: VerifyBundleOptions, container: BundleContainer, failures: Array<{ index: number; candidate: BundleCandidate; failure: VerifyFailure }>): VerifyFailure {
  const n = failures.length;
  const want = opts.expect?.predicateType;
  const claims = failures.map((x) => claimedContent(x.candidate.bundle));
  const digests = artifactDigests(opts.artifact);
  const rank = (i: number): number => {
    const c = claims[i];
    const typeOk = want === undefined ? true : c?.predicateType === want;
    const names = c?.subjects !== undefined ? c.subjects.some((s) => subjectNames(s, digests) === true) : c?.messageDigest !== undefined && c.messageDigest === digests.sha256;
    return (typeOk ? 2 : 0) + (names ? 1 : 0);
  };
  let best = 0;
  for (let i = 1; i < n; i++) if (rank(i) > rank(best)) best = i;
  const where = (i: number) => `${container === 'gh-attestation-jsonl' ? 'line' : container === 'attestations-api' ? 'attestation' : 'bundle'} ${failures[i].candidate.line ?? failures[i].index + 1}`;
  if (want !== undefined && rank(best) < 2) {
    const found = [...new Set(claims.map((c) => c?.predicateType ?? (c?.messageDigest !== undefined ? '(message signature)' : '(unreadable)')))];
    return {
      ...failures[0].failure,
      reason: 'predicate-type-mismatch',
      message: fail('predicate-type-mismatch', `none of the ${n} bundles in the file is an attestation of type ${want} (found: ${found.join(', ')})`).message,
    };
  }
  const f = failures[best].failure;
  const what = claims[best]?.predicateType ? ` (${claims[best]!.predicateType})` : '';
  return { ...f, message: fail(f.reason, `none of the ${n} bundles in the file verified; the most relevant, ${where(best)}${what}: ${f.message}`).message };
}

interface ClaimedContent {
  predicateType?: string;
  subjects?: InTotoStatement['subject'];
  messageDigest?: string;
}

/** What a bundle claims to be about, read without verifying anything (only to choose which failure to report). */
function claimedContent(bundle: Record<string, unknown>): ClaimedContent | undefined {
  try {
    const env = bundle.dsseEnvelope as { payload?: unknown } | undefined;
    if (env && typeof env.payload === 'string') {
      const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as Partial<InTotoStatement>;
      return { predicateType: typeof st?.predicateType === 'string' ? st.predicateType.slice(0, 200) : undefined, subjects: Array.isArray(st?.subject) ? st.subject : [] };
    }
    const ms = bundle.messageSignature as { messageDigest?: { digest?: unknown } } | undefined;
    if (ms && typeof ms.messageDigest?.digest === 'string') return { messageDigest: `sha256:${Buffer.from(ms.messageDigest.digest, 'base64').toString('hex')}` };
  } catch {
    /* unreadable: ranked last */
  }
  return undefined;
}

interface ArtifactDigests {
  sha256?: string;
  /** computed on first use (bytes) or given (digest) */
  sha512: () => string | undefined;
}

/** one set per artifact input: a file of several bundles hashes the artifact once, not once per bundle */
const digestsOf = new WeakMap<ArtifactInput, ArtifactDigests>();

function artifactDigests(a: ArtifactInput): ArtifactDigests {
  let d = digestsOf.get(a);
  if (d === undefined) {
    d = computeArtifactDigests(a);
    digestsOf.set(a, d);
  }
  return d;
}

function computeArtifactDigests(a: ArtifactInput): ArtifactDigests {
  if (a.kind === 'bytes') {
    let memo: string | undefined;
    return {
      sha256: `sha256:${createHash('sha256').update(a.bytes).digest('hex')}`,
      sha512: () => (memo ??= `sha512:${createHash('sha512').update(a.bytes).digest('hex')}`),
    };
  }
  if (a.kind === 'digest') {
    const s512 = normalizeSha512(a.sha512);
    return { sha256: tryNormalizeDigest(a.digest), sha512: () => s512 };
  }
  return { sha256: undefined, sha512: () => undefined };
}

const HEX128 = /^[0-9a-f]{128}$/;
/** `sha512:<128 lowercase hex>` from `sha512:<hex>` or bare hex in any case, else undefined. */
export function normalizeSha512(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let s = v.trim().toLowerCase();
  if (s.startsWith('sha512:')) s = s.slice('sha512:'.length);
  return HEX128.test(s) ? `sha512:${s}` : undefined;
}

/** The known algorithms (sha256, sha512) a subject's digest map names with a value that is not such a digest. */
function malformedDigests(d: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (d.sha256 !== undefined && tryNormalizeDigest(d.sha256) === undefined) out.push('sha256');
  if (d.sha512 !== undefined && normalizeSha512(d.sha512) === undefined) out.push('sha512');
  return out;
}

/**
 * Whether an in-toto subject names the artifact: every digest of it that can be compared agrees, and at least
 * one was compared (sha256; sha512 when the artifact's is known: npm provenance names the tarball by sha512
 * only). A subject whose sha256 matches but whose sha512 does not is not the artifact. `undefined`: nothing
 * could be compared (the subject has no digest of a known algorithm, or sha512 only and the artifact's
 * sha512 is unknown).
 */
function subjectNames(s: InTotoStatement['subject'][number], a: ArtifactDigests): boolean | undefined {
  const d = s && typeof s === 'object' && s.digest && typeof s.digest === 'object' ? s.digest : {};
  const s256 = tryNormalizeDigest(d.sha256);
  const s512 = normalizeSha512(d.sha512);
  // a sha256 / sha512 entry that is not a digest (empty, wrong length, not hex) names nothing: the subject is
  // not the artifact, whatever its other digest says ("a subject with both digests must match both")
  if (malformedDigests(d).length) return false;
  let compared = false;
  if (s256 !== undefined && a.sha256 !== undefined) {
    if (s256 !== a.sha256) return false;
    compared = true;
  }
  if (s512 !== undefined) {
    const a512 = a.sha512();
    if (a512 !== undefined) {
      if (s512 !== a512) return false;
      compared = true;
    }
  }
  return compared ? true : undefined;
}

type CandidateResult = Omit<VerifySuccess, 'format' | 'container' | 'candidates'> | VerifyFailure;

function verifyCandidate(opts: VerifyBundleOptions, candidate: BundleCandidate): CandidateResult {
  const raw = candidate.bundle;
  const mediaType = (raw as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string') return fail('bundle-malformed', 'the bundle has no mediaType');
  const bundleVersion = (BUNDLE_MEDIA_TYPES as Record<string, '0.1' | '0.2' | '0.3'>)[mediaType];
  if (!bundleVersion) {
    return fail('bundle-unsupported-version', `unsupported bundle mediaType ${JSON.stringify(mediaType.slice(0, 100))} (supported: v0.1, v0.2, v0.3)`, {
      mediaType: mediaType.slice(0, 100),
    });
  }
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(raw);
  } catch (e) {
    const many = ((e as { fields?: unknown }).fields as unknown[] | undefined)?.includes('content.dsseEnvelope.signatures');
    const hint = many ? ': a bundle\'s DSSE envelope must hold exactly one signature (a multi-signature envelope is not a Sigstore bundle)' : '';
    return fail('bundle-malformed', `invalid bundle: ${errorText(e)}${hint}`, { mediaType });
  }
  const content: 'dsse' | 'message-signature' = bundle.content.$case === 'dsseEnvelope' ? 'dsse' : 'message-signature';
  const expect = opts.expect ?? {};
  if (expect.predicateType !== undefined && content !== 'dsse') {
    return fail('content-mismatch', 'an attestation (DSSE in-toto statement) was expected, the bundle holds a message signature', { mediaType });
  }
  if (expect.content && expect.content !== content) {
    if (content === 'dsse') {
      // read (unverified) only to say which attestation-type would verify it
      const pt = claimedContent(raw)?.predicateType;
      return fail('content-mismatch', `a plain signature (message signature) was expected, the bundle holds an in-toto attestation${pt ? ` of type ${pt}` : ''} (DSSE): to verify it as an attestation, name its predicate type (attestation-type${pt ? `: ${pt}` : ''})`, { mediaType });
    }
    return fail('content-mismatch', `a ${expect.content} bundle was expected, this one holds a ${content}`, { mediaType });
  }
  const vmCase = bundle.verificationMaterial.content.$case;
  const isKeyBundle = vmCase === 'publicKey';
  if (opts.policy.kind === 'key' && !isKeyBundle) {
    return fail('verification-material-mismatch', 'a public key was given but the bundle is signed with a certificate (keyless): give certificate-identity and issuer', { mediaType });
  }
  if (opts.policy.kind === 'keyless' && isKeyBundle) {
    return fail('verification-material-mismatch', 'the bundle is signed with a key pair (no certificate): give the public key', { mediaType });
  }

  // 2. bind the content to the artifact
  let artifactDigest: string | undefined;
  let entity: SignedEntity;
  try {
    if (opts.artifact.kind === 'bytes') artifactDigest = `sha256:${createHash('sha256').update(opts.artifact.bytes).digest('hex')}`;
    if (opts.artifact.kind === 'digest') artifactDigest = normalizeDigest(opts.artifact.digest, 'artifact digest');
  } catch (e) {
    return fail('artifact-digest-mismatch', (e as Error).message, { mediaType });
  }
  try {
    if (bundle.content.$case === 'messageSignature') {
      const ms = bundle.content.messageSignature;
      if (opts.artifact.kind === 'none') return fail('artifact-required', 'a message signature can only be verified against the artifact or its digest', { mediaType });
      const algo = ms.messageDigest?.algorithm;
      const sha256 = algo === HashAlgorithm.SHA2_256 || algo === HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED || algo === undefined;
      const signedHex = ms.messageDigest?.digest ? Buffer.from(ms.messageDigest.digest).toString('hex') : undefined;
      if (opts.artifact.kind === 'digest') {
        if (!sha256 || !signedHex) return fail('artifact-digest-mismatch', 'the bundle does not record a sha256 message digest: give the artifact file', { mediaType });
        if (`sha256:${signedHex}` !== artifactDigest) {
          return fail('artifact-digest-mismatch', `the bundle signs sha256:${signedHex}, not ${artifactDigest}`, { mediaType });
        }
        entity = toSignedEntity(bundle);
        entity = { ...entity, signature: new DigestSignatureContent(Buffer.from(ms.signature), Buffer.from(signedHex, 'hex')) };
      } else {
        if (sha256 && signedHex && `sha256:${signedHex}` !== artifactDigest) {
          return fail('artifact-digest-mismatch', `the bundle signs sha256:${signedHex}, the artifact is ${artifactDigest}`, { mediaType });
        }
        entity = toSignedEntity(bundle, opts.artifact.bytes);
      }
    } else {
      entity = toSignedEntity(bundle);
    }
  } catch (e) {
    return fail('bundle-malformed', `cannot read the bundle's verification material: ${errorText(e)}`, { mediaType });
  }

  // 3. cryptographic verification with the thresholds in force
  const thresholds: Thresholds = {
    ...(opts.policy.kind === 'key' ? KEY_THRESHOLDS : opts.trust.thresholds),
    ...stripUndefined(opts.thresholds ?? {}),
  };
  sealTrustMaterial(opts.trust.material);
  let material: TrustMaterial = opts.trust.material;
  if (opts.policy.kind === 'key') {
    const key = opts.policy.publicKey;
    material = { ...material, publicKey: () => ({ publicKey: key, validFor: () => true }) };
  }
  let verificationTime = false;
  if (entity.timestamps.length === 0 && thresholds.timestamp === 0 && entity.key.$case === 'certificate') {
    // No signed time at all: the certificate must be valid at the verification time (as cosign does).
    verificationTime = true;
    const t = Math.floor((opts.now ?? new Date()).getTime() / 1000);
    entity = {
      ...entity,
      timestamps: [
        {
          $case: 'transparency-log',
          tlogEntry: {
            logIndex: '0',
            logId: { keyId: Buffer.from('chaingate:verification-time') },
            kindVersion: undefined,
            integratedTime: String(t),
            inclusionPromise: { signedEntryTimestamp: Buffer.alloc(0) },
            inclusionProof: undefined,
            canonicalizedBody: Buffer.alloc(0),
          },
        },
      ],
    } as SignedEntity;
  }
  const verifier = new Verifier(material, {
    tlogThreshold: thresholds.tlog,
    ctlogThreshold: thresholds.ctlog,
    timestampThreshold: thresholds.timestamp,
  });
  let signerKey: KeyObject;
  let rawExtensions: RawExtension[] = [];
  let san: string | undefined;
  try {
    // No identity policy is handed to the library: step 4 compares the SAN exactly itself, and reports the
    // identity found (the library's UNTRUSTED_SIGNER_ERROR carries only an escaped regex and no signer).
    const signer = verifier.verify(entity);
    signerKey = signer.key;
    san = signer.identity?.subjectAlternativeName;
    rawExtensions = (signer.identity?.oids ?? []) as RawExtension[];
  } catch (e) {
    if (e instanceof UnsupportedKeyError) return fail('unsupported-key', e.message, { mediaType });
    const f = classifyVerifyError(e);
    return { ...f, mediaType };
  }

  // 4. identity policy (our own exact checks; the library's regex check above is only a first filter)
  let signerInfo: SignerInfo;
  if (opts.policy.kind === 'key') {
    signerInfo = { kind: 'public-key', extensions: {}, keyFingerprint: keyFingerprint(signerKey) };
    if (candidate.legacyBodyKeyDer) {
      const given = opts.policy.publicKey.export({ type: 'spki', format: 'der' });
      if (!safeEqual(given, candidate.legacyBodyKeyDer)) {
        return fail('tlog-invalid', 'cosign bundle: the public key in the Rekor entry is not the given key (tampered bundle)', { mediaType, signer: signerInfo });
      }
    }
  } else {
    const decoded = decodeFulcioExtensions(rawExtensions);
    const issuer = issuerOf(decoded);
    signerInfo = { kind: 'certificate', identity: san, issuer, extensions: decoded.values };
    const p = opts.policy;
    const badSan = nonAsciiSan(entity);
    if (badSan !== undefined) {
      // @sigstore/core decodes the SAN as 'ascii', which clears each byte's high bit: a certificate for
      // "https://github.com/\xE1cme/…" would read as ".../acme/…". No CA issues such a SAN (URIs and emails are
      // IA5String); one that does names no identity chaingate can compare.
      return fail('identity-mismatch', `the certificate's ${badSan} subject alternative name holds bytes outside printable ASCII: it cannot be compared with ${describeMatcher(p.identity)}`, {
        mediaType,
        signer: { ...signerInfo, identity: undefined },
      });
    }
    if (san === undefined) {
      return fail('identity-mismatch', `the certificate has no URI or email subject alternative name (an otherName identity, e.g. a Fulcio username, is not supported): it cannot match ${describeMatcher(p.identity)}`, { mediaType, signer: signerInfo });
    }
    if (!matches(p.identity, san)) {
      return fail('identity-mismatch', `certificate identity ${JSON.stringify(san ?? null)} does not match ${describeMatcher(p.identity)}${caseHint(p.identity, san)}`, { mediaType, signer: signerInfo });
    }
    if (!matches(p.issuer, issuer)) {
      return fail(
        'issuer-mismatch',
        `certificate OIDC issuer ${JSON.stringify(issuer ?? null)}${decoded.malformed.includes('issuer') ? ' (malformed extension)' : ''} does not match ${describeMatcher(p.issuer)}`,
        { mediaType, signer: signerInfo },
      );
    }
    for (const [key, want] of Object.entries(p.extensions)) {
      const name = key as FulcioExtensionName;
      // the extension, or its legacy twin holding the same claim (1.13 ↔ 1.3, 1.20 ↔ 1.2): never a guess
      const read = readExtension(decoded, name);
      if (!read.ok) {
        return fail('extension-mismatch', `${read.message}; expected ${JSON.stringify(want)}`, { mediaType, signer: signerInfo });
      }
      const got = read.value;
      if (got !== want) {
        const why =
          got === undefined
            ? ` (the certificate does not carry it${LEGACY_TWINS[name] ? ` nor its legacy twin ${describeExtension(LEGACY_TWINS[name] as FulcioExtensionName)}` : ''}, so it cannot prove it)`
            : got.toLowerCase() === want.toLowerCase()
              ? ' (they differ only in letter case: extensions are compared exactly, as cosign does; copy the value as the certificate spells it)'
              : '';
        const where = read.from && read.from !== name ? ` (read from its legacy twin ${describeExtension(read.from)})` : '';
        return fail('extension-mismatch', `certificate extension ${describeExtension(name)}${where} is ${JSON.stringify(got ?? null)}${why}, expected ${JSON.stringify(want)}`, {
          mediaType,
          signer: signerInfo,
        });
      }
    }
  }

  // 5. what was signed: DSSE payloadType / in-toto statement / subject digest
  const timestamps = {
    tsa: entity.timestamps.filter((t) => t.$case === 'timestamp-authority').length,
    tlog: verificationTime ? 0 : entity.timestamps.filter((t) => t.$case === 'transparency-log').length,
    verificationTime,
  };
  const base = { ok: true as const, reason: 'ok' as const, content, mediaType, bundleVersion, signer: signerInfo, timestamps, tlogEntries: entity.tlogEntries.length };
  if (bundle.content.$case === 'messageSignature') {
    return { ...base, verifiedDigest: artifactDigest };
  }
  const env = bundle.content.dsseEnvelope;
  const wantType = expect.payloadType ?? IN_TOTO_PAYLOAD_TYPE;
  if (env.payloadType !== wantType) {
    return fail('payload-type-mismatch', `DSSE payloadType is ${JSON.stringify(env.payloadType.slice(0, 100))}, expected ${wantType}`, { mediaType, signer: signerInfo });
  }
  if (wantType !== IN_TOTO_PAYLOAD_TYPE) {
    // a non-in-toto DSSE payload: the payload itself is what was signed
    const payloadDigest = `sha256:${createHash('sha256').update(env.payload).digest('hex')}`;
    if (artifactDigest !== undefined && artifactDigest !== payloadDigest) {
      return fail('subject-digest-mismatch', `the DSSE payload is ${payloadDigest}, the artifact is ${artifactDigest}`, { mediaType, signer: signerInfo });
    }
    return { ...base, payloadType: env.payloadType, payload: Buffer.from(env.payload), verifiedDigest: artifactDigest ?? payloadDigest };
  }
  const st = parseStatement(Buffer.from(env.payload));
  if (typeof st === 'string') return fail('statement-malformed', st, { mediaType, signer: signerInfo });
  if (expect.predicateType !== undefined && st.predicateType !== expect.predicateType) {
    return fail('predicate-type-mismatch', `predicateType is ${JSON.stringify(st.predicateType.slice(0, 200))}, expected ${expect.predicateType}`, {
      mediaType,
      signer: signerInfo,
      statement: st,
    });
  }
  let verifiedDigest: string | undefined;
  if (artifactDigest !== undefined) {
    const digests = artifactDigests(opts.artifact);
    const named = st.subject.map((s) => subjectNames(s, digests));
    if (!named.includes(true)) {
      // a subject that could not be compared proves nothing either way: never a pass, and not a "mismatch"
      const k = named.indexOf(undefined);
      if (k >= 0) {
        const s = st.subject[k];
        const algos = Object.keys(s.digest ?? {}).slice(0, 5);
        const sha512Only = normalizeSha512(s.digest?.sha512) !== undefined;
        const hint = sha512Only
          ? 'it names the artifact by sha512 only (npm provenance) and only the artifact\'s sha256 is known: give the artifact file so its sha512 is computed'
          : `it names ${algos.join(', ') || 'no digest'}; chaingate compares sha256, and sha512 when the artifact's bytes are at hand`;
        return fail('subject-digest-unsupported', `subject ${JSON.stringify(String(s.name ?? '').slice(0, 120))} cannot be compared with the artifact: ${hint}`, {
          mediaType,
          signer: signerInfo,
          statement: st,
        });
      }
      const listed = st.subject
        .map((s) => tryNormalizeDigest(s.digest?.sha256) ?? normalizeSha512(s.digest?.sha512))
        .filter((d): d is string => d !== undefined)
        .slice(0, 3)
        .map((d) => (d.startsWith('sha512:') ? `${d.slice(0, 23)}…` : d));
      const bad = st.subject.find((s) => malformedDigests(s.digest && typeof s.digest === 'object' ? s.digest : {}).length);
      const why = bad ? `; subject ${JSON.stringify(String(bad.name ?? '').slice(0, 120))} has a malformed ${malformedDigests(bad.digest).join(' and ')} digest, which names nothing` : '';
      return fail('subject-digest-mismatch', `no subject of the statement has the artifact's digest ${artifactDigest} (subjects: ${listed.join(', ') || 'none readable'})${why}`, {
        mediaType,
        signer: signerInfo,
        statement: st,
      });
    }
    verifiedDigest = artifactDigest;
  }
  return { ...base, payloadType: env.payloadType, payload: Buffer.from(env.payload), statement: st, verifiedDigest };
}

interface GeneralNameNode {
  tag: { isContextSpecific(n: number): boolean };
  value: Uint8Array;
}

/** 'URI' / 'email' when one of the leaf certificate's URI or email SANs is not printable ASCII, else undefined. */
function nonAsciiSan(entity: SignedEntity): string | undefined {
  if (entity.key.$case !== 'certificate') return undefined;
  const ext = (entity.key.certificate as unknown as { extSubjectAltName?: { generalNames?: GeneralNameNode[] } }).extSubjectAltName;
  for (const g of ext?.generalNames ?? []) {
    const kind = g.tag.isContextSpecific(0x06) ? 'URI' : g.tag.isContextSpecific(0x01) ? 'email' : undefined;
    if (kind && !g.value.every((b) => b >= 0x20 && b < 0x7f)) return kind;
  }
  return undefined;
}

/**
 * When an exact identity differs from the certificate's only in the case of a GitHub owner / repository: say
 * so. The comparison stays exact (as cosign's --certificate-identity): the workflow path and ref are
 * case-sensitive, and the certificate spells the repository as GitHub does.
 */
function caseHint(m: Matcher, san: string | undefined): string {
  if (m.kind !== 'exact' || san === undefined || m.value === san || m.value.toLowerCase() !== san.toLowerCase()) return '';
  return ' (they differ only in letter case: identities are compared exactly, as cosign does; copy the identity as the certificate spells it)';
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
