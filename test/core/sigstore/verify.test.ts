import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import {
  buildIdentityPolicy,
  publicGoodTrust,
  trustFromBytes,
  verifyBundle,
  SIGSTORE_FAILURE_REASONS,
  type LoadedTrust,
  type VerifyResult,
} from '../../../src/core/sigstore/index.js';
import {
  GITHUB_ISSUER,
  GOOGLE_ISSUER,
  MockSigstore,
  SLSA_PROVENANCE_V1,
  cloneBundle,
  githubClaims,
  githubIdentity,
  keyPairWithPem,
  setBundleVersion,
  sha256Hex,
  statement,
} from '../../helpers/sigstore.js';
import type { SerializedBundle } from '@sigstore/bundle';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const ARTIFACT = Buffer.from('release tarball bytes\n');
const DIGEST = `sha256:${sha256Hex(ARTIFACT)}`;

let ss: MockSigstore;
let other: MockSigstore;
let trust: LoadedTrust;
let otherTrust: LoadedTrust;
let blob: SerializedBundle;
let att: SerializedBundle;

const keyless = (over: Record<string, unknown> = {}) =>
  buildIdentityPolicy({ certificateIdentity: IDENTITY, certificateOidcIssuer: GITHUB_ISSUER, ...over });

function rootTrust(s: MockSigstore): LoadedTrust {
  return trustFromBytes(JSON.stringify(s.trustedRootJSON()), 'file', 'file');
}

function expectFail(r: VerifyResult, reason: string): void {
  if (r.ok) throw new Error(`expected failure ${reason}, got ok`);
  expect(r.reason, r.message).toBe(reason);
  expect(SIGSTORE_FAILURE_REASONS).toContain(r.reason);
}

beforeAll(async () => {
  ss = await MockSigstore.start();
  other = await MockSigstore.start();
  trust = rootTrust(ss);
  otherTrust = rootTrust(other);
  blob = await ss.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO) });
  att = await ss.signStatement(statement([{ name: 'widget.tgz', digest: { sha256: sha256Hex(ARTIFACT) } }]), {
    identity: IDENTITY,
    github: githubClaims(REPO),
  });
});

afterAll(async () => {
  await ss.close();
  await other.close();
});

describe('keyless round trip', () => {
  it('verifies a blob signature over the artifact bytes', () => {
    const r = verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust });
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    if (!r.ok) return;
    expect(r.content).toBe('message-signature');
    expect(r.bundleVersion).toBe('0.3');
    expect(r.verifiedDigest).toBe(DIGEST);
    expect(r.signer.identity).toBe(IDENTITY);
    expect(r.signer.issuer).toBe(GITHUB_ISSUER);
    expect(r.signer.extensions.sourceRepositoryURI).toBe(`https://github.com/${REPO}`);
    expect(r.signer.extensions.sourceRepositoryRef).toBe('refs/tags/v1.0.0');
    expect(r.signer.extensions.buildConfigURI).toBe(`https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.0.0`);
    expect(r.signer.extensions.githubWorkflowRepository).toBe(REPO);
    expect(r.timestamps).toEqual({ tsa: 1, tlog: 1, verificationTime: false });
  });

  it('verifies a blob signature against the digest only (no bytes), with or without the sha256: prefix', () => {
    for (const digest of [DIGEST, DIGEST.slice(7), DIGEST.toUpperCase().replace('SHA256', 'sha256')]) {
      const r = verifyBundle({ bundle: blob, artifact: { kind: 'digest', digest }, policy: keyless(), trust });
      expect(r.ok, r.ok ? '' : r.message).toBe(true);
      if (r.ok) expect(r.verifiedDigest).toBe(DIGEST);
    }
  });

  it('verifies a DSSE in-toto attestation, checks predicate type and subject digest', () => {
    const r = verifyBundle({
      bundle: JSON.stringify(att),
      artifact: { kind: 'bytes', bytes: ARTIFACT },
      policy: keyless(),
      trust,
      expect: { predicateType: SLSA_PROVENANCE_V1 },
    });
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    if (!r.ok) return;
    expect(r.content).toBe('dsse');
    expect(r.statement?.predicateType).toBe(SLSA_PROVENANCE_V1);
    expect(r.verifiedDigest).toBe(DIGEST);
    // the same against the digest alone
    const d = verifyBundle({ bundle: att, artifact: { kind: 'digest', digest: DIGEST.slice(7) }, policy: keyless(), trust });
    expect(d.ok).toBe(true);
  });

  it('accepts bundle versions 0.1, 0.2 and 0.3 (legacy media type too)', () => {
    for (const v of ['0.1', '0.2', '0.3'] as const) {
      const r = verifyBundle({ bundle: setBundleVersion(blob, v), artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust });
      expect(r.ok, `${v}: ${r.ok ? '' : r.message}`).toBe(true);
      if (r.ok) expect(r.bundleVersion).toBe(v);
    }
    const legacy = { ...cloneBundle(blob), mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.3' };
    expect(verifyBundle({ bundle: legacy, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }).ok).toBe(true);
  });

  it('accepts an anchored identity regexp and extension checks that match', () => {
    const policy = buildIdentityPolicy({
      certificateIdentityRegexp: '^https://github\\.com/acme/widget/\\.github/workflows/release\\.yml@refs/tags/v[0-9.]+$',
      certificateOidcIssuer: GITHUB_ISSUER,
      extensions: { sourceRepositoryURI: `https://github.com/${REPO}`, sourceRepositoryRef: 'refs/tags/v1.0.0' },
    });
    expect(verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust }).ok).toBe(true);
  });

  it('a certificate expired at verification time still verifies when a signed timestamp is inside its validity', () => {
    const later = new Date(Date.now() + 3600_000);
    const r = verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust, now: later });
    expect(r.ok).toBe(true);
  });
});

describe('failures', () => {
  it('tampered artifact', () => {
    const bad = Buffer.from(ARTIFACT);
    bad[0] ^= 1;
    expectFail(verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: bad }, policy: keyless(), trust }), 'artifact-digest-mismatch');
    expectFail(verifyBundle({ bundle: blob, artifact: { kind: 'digest', digest: sha256Hex(bad) }, policy: keyless(), trust }), 'artifact-digest-mismatch');
  });

  it('tampered signature', () => {
    const b = cloneBundle(blob) as unknown as { messageSignature: { signature: string } };
    const sig = Buffer.from(b.messageSignature.signature, 'base64');
    sig[sig.length - 1] ^= 1;
    b.messageSignature.signature = sig.toString('base64');
    const r = verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust });
    expect(r.ok).toBe(false);
    // the RFC 3161 timestamp is over the signature and is checked first
    if (!r.ok) expect(r.reason).toBe('timestamp-invalid');
    // without a TSA timestamp the tlog entry (which records the signature) catches it
    const noTsa = cloneBundle(blob) as unknown as { messageSignature: { signature: string }; verificationMaterial: { timestampVerificationData?: unknown } };
    noTsa.messageSignature.signature = sig.toString('base64');
    delete noTsa.verificationMaterial.timestampVerificationData;
    const r2 = verifyBundle({ bundle: noTsa, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(['signature-invalid', 'tlog-invalid']).toContain(r2.reason);
  });

  it('signature valid but over other bytes with matching digest field (digest mode)', async () => {
    const otherBytes = Buffer.from('something else');
    const b2 = await ss.signBlob(otherBytes, { identity: IDENTITY });
    const forged = cloneBundle(b2) as unknown as { messageSignature: { messageDigest: { digest: string } } };
    forged.messageSignature.messageDigest.digest = Buffer.from(sha256Hex(ARTIFACT), 'hex').toString('base64');
    const r = verifyBundle({ bundle: forged, artifact: { kind: 'digest', digest: DIGEST }, policy: keyless(), trust });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['signature-invalid', 'tlog-invalid']).toContain(r.reason);
  });

  it('wrong SAN', () => {
    const policy = keyless({ certificateIdentity: githubIdentity('acme/other') });
    const r = verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust });
    expectFail(r, 'identity-mismatch');
  });

  it('look-alike SAN …/acme/widget-evil/… does not pass an exact identity, nor a prefix of it', async () => {
    const evilId = githubIdentity('acme/widget-evil');
    const evil = await ss.signBlob(ARTIFACT, { identity: evilId, github: githubClaims('acme/widget-evil') });
    expectFail(verifyBundle({ bundle: evil, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }), 'identity-mismatch');
    // the identity we expect is a substring-regex match of the evil one when the policy is unanchored:
    const prefix = buildIdentityPolicy({ certificateIdentity: 'https://github.com/acme/widget', certificateOidcIssuer: GITHUB_ISSUER });
    expectFail(verifyBundle({ bundle: evil, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: prefix, trust }), 'identity-mismatch');
    // an identity with regex metacharacters is literal: '.' does not match any character
    const dotted = await ss.signBlob(ARTIFACT, { identity: 'https://github.com/acme/widget/.github/workflows/releaseXyml@refs/tags/v1.0.0' });
    expectFail(verifyBundle({ bundle: dotted, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }), 'identity-mismatch');
    // an anchored regexp with a top-level alternation stays anchored
    const alt = buildIdentityPolicy({ certificateIdentityRegexp: '^https://nope|https://github.com/acme/widget/$', certificateOidcIssuer: GITHUB_ISSUER });
    expectFail(verifyBundle({ bundle: evil, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: alt, trust }), 'identity-mismatch');
  });

  it('wrong issuer', async () => {
    expectFail(
      verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless({ certificateOidcIssuer: GOOGLE_ISSUER }), trust }),
      'issuer-mismatch',
    );
    // issuer look-alike: a prefix of the real issuer is not it
    const g = await ss.signBlob(ARTIFACT, { identity: IDENTITY, issuer: `${GITHUB_ISSUER}.evil.example` });
    expectFail(verifyBundle({ bundle: g, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }), 'issuer-mismatch');
  });

  it('extension mismatch (source repository, ref)', () => {
    const policy = keyless({ extensions: { sourceRepositoryURI: 'https://github.com/acme/widget-evil' } });
    const r = verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust });
    expectFail(r, 'extension-mismatch');
    if (!r.ok) expect(r.signer?.identity).toBe(IDENTITY);
    expectFail(
      verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless({ extensions: { sourceRepositoryRef: 'refs/heads/main' } }), trust }),
      'extension-mismatch',
    );
  });

  it('another trusted root', async () => {
    // the TSA of the other root does not vouch for the timestamp
    expectFail(verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust: otherTrust }), 'timestamp-invalid');
    // without a TSA timestamp: the certificate does not chain to the other root's CA
    const tlogOnly = await ss.signBlob(ARTIFACT, { identity: IDENTITY, tsa: false });
    expect(verifyBundle({ bundle: tlogOnly, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }).ok).toBe(true);
    expectFail(verifyBundle({ bundle: tlogOnly, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust: otherTrust }), 'certificate-untrusted');
  });

  it('the public-good root does not trust the mock instance', () => {
    const pg = publicGoodTrust();
    expect(pg.info.version).toMatch(/^@sigstore\/tuf \d+\.\d+\.\d+ seeds \(TUF root v\d+\)$/);
    expect(pg.info.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    const r = verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust: pg });
    expect(r.ok).toBe(false);
  });

  it('certificate outside its validity and no timestamp: fails at verification time', async () => {
    const noTime = await ss.signBlob(ARTIFACT, { identity: IDENTITY, tlog: false, tsa: false });
    const opts = { bundle: noTime, artifact: { kind: 'bytes' as const, bytes: ARTIFACT }, policy: keyless(), trust };
    // default thresholds demand a timestamp and a tlog entry
    expectFail(verifyBundle(opts), 'timestamp-missing');
    // thresholds 0: the certificate must be valid now (true negative: it is, just after signing)
    const zero = { tlog: 0, timestamp: 0 };
    const now = verifyBundle({ ...opts, thresholds: zero, now: new Date() });
    expect(now.ok, now.ok ? '' : now.message).toBe(true);
    if (now.ok) expect(now.timestamps.verificationTime).toBe(true);
    // … and an hour later the 10-minute certificate has expired
    expectFail(verifyBundle({ ...opts, thresholds: zero, now: new Date(Date.now() + 3600_000) }), 'certificate-expired');
  });

  it('wrong predicate type', () => {
    const r = verifyBundle({
      bundle: att,
      artifact: { kind: 'bytes', bytes: ARTIFACT },
      policy: keyless(),
      trust,
      expect: { predicateType: 'https://slsa.dev/provenance/v0.2' },
    });
    expectFail(r, 'predicate-type-mismatch');
  });

  it('subject digest mismatch', () => {
    const r = verifyBundle({
      bundle: att,
      artifact: { kind: 'bytes', bytes: Buffer.from('another artifact') },
      policy: keyless(),
      trust,
      expect: { predicateType: SLSA_PROVENANCE_V1 },
    });
    expectFail(r, 'subject-digest-mismatch');
  });

  it('DSSE with another payloadType, or a non-statement payload', async () => {
    const d = await ss.signDsse(Buffer.from('{"hello":1}'), 'application/json', { identity: IDENTITY });
    expectFail(verifyBundle({ bundle: d, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }), 'payload-type-mismatch');
    const s = await ss.signStatement({ _type: 'https://in-toto.io/Statement/v1', predicateType: 'x' }, { identity: IDENTITY });
    expectFail(verifyBundle({ bundle: s, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }), 'statement-malformed');
  });

  it('an attestation expected but a message signature given, and vice versa', () => {
    expectFail(
      verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust, expect: { predicateType: SLSA_PROVENANCE_V1 } }),
      'content-mismatch',
    );
    expectFail(
      verifyBundle({ bundle: att, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust, expect: { content: 'message-signature' } }),
      'content-mismatch',
    );
    expectFail(verifyBundle({ bundle: blob, artifact: { kind: 'none' }, policy: keyless(), trust }), 'artifact-required');
  });

  it.each([
    ['empty', ''],
    ['truncated', () => JSON.stringify(blob).slice(0, 200)],
    ['not an object', '[1,2]'],
    ['no mediaType', () => JSON.stringify({ ...blob, mediaType: undefined })],
    ['no verification material', () => JSON.stringify({ ...blob, verificationMaterial: undefined })],
    ['garbage certificate', () => {
      const b = cloneBundle(blob) as unknown as { verificationMaterial: { certificate: { rawBytes: string } } };
      b.verificationMaterial.certificate.rawBytes = Buffer.from('not a certificate').toString('base64');
      return JSON.stringify(b);
    }],
    ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01])],
  ])('malformed bundle (%s) → bundle-malformed', (_n, input) => {
    const bundle = typeof input === 'function' ? input() : input;
    const r = verifyBundle({ bundle, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust });
    expectFail(r, 'bundle-malformed');
  });

  it.each(['application/vnd.dev.sigstore.bundle.v0.4+json', 'application/vnd.dev.sigstore.bundle+json;version=1.0', 'application/json'])(
    'bundle of another version (%s) → bundle-unsupported-version',
    (mediaType) => {
      const r = verifyBundle({ bundle: { ...cloneBundle(blob), mediaType }, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust });
      expectFail(r, 'bundle-unsupported-version');
    },
  );
});

describe('key-pair mode', () => {
  it('verifies a key-pair bundle over bytes and over the digest; refuses another key', async () => {
    const { keyPair, publicKeyPem } = keyPairWithPem();
    const b = await ss.signBlob(ARTIFACT, { keyPair, tlog: false, tsa: false });
    const policy = buildIdentityPolicy({ publicKeyPem });
    const r = verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust });
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    if (r.ok) expect(r.signer.keyFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(verifyBundle({ bundle: b, artifact: { kind: 'digest', digest: DIGEST }, policy, trust }).ok).toBe(true);
    const wrong = buildIdentityPolicy({ publicKeyPem: keyPairWithPem().publicKeyPem });
    expectFail(verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: wrong, trust }), 'signature-invalid');
    expectFail(verifyBundle({ bundle: b, artifact: { kind: 'digest', digest: DIGEST }, policy: wrong, trust }), 'signature-invalid');
    // a keyless policy on a key bundle, and a key on a keyless bundle
    expectFail(verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy: keyless(), trust }), 'verification-material-mismatch');
    expectFail(verifyBundle({ bundle: blob, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust }), 'verification-material-mismatch');
    // key bundle with a Rekor entry: verified against the trust root's logs
    const withLog = await ss.signBlob(ARTIFACT, { keyPair, tsa: false });
    expect(verifyBundle({ bundle: withLog, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust }).ok).toBe(true);
    expectFail(verifyBundle({ bundle: withLog, artifact: { kind: 'bytes', bytes: ARTIFACT }, policy, trust: otherTrust }), 'tlog-invalid');
  });

  it('digest mode with P-384 and RSA keys; Ed25519 cannot verify a bare digest', async () => {
    for (const kp of [
      generateKeyPairSync('ec', { namedCurve: 'secp384r1' }),
      generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ]) {
      const b = await ss.signBlob(ARTIFACT, { keyPair: kp, tlog: false, tsa: false });
      const policy = buildIdentityPolicy({ publicKeyPem: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
      const r = verifyBundle({ bundle: b, artifact: { kind: 'digest', digest: DIGEST }, policy, trust });
      expect(r.ok, r.ok ? '' : r.message).toBe(true);
      const bad = verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: Buffer.from('x') }, policy, trust });
      expect(bad.ok).toBe(false);
    }
  });
});

describe('identity policy usage errors', () => {
  it.each([
    [{}, /certificate identity is required/],
    [{ certificateIdentity: IDENTITY }, /OIDC issuer is required/],
    [{ certificateOidcIssuer: GITHUB_ISSUER }, /certificate identity is required/],
    [{ certificateIdentity: '  ', certificateOidcIssuer: GITHUB_ISSUER }, /certificate identity is required/],
    [{ certificateIdentityRegexp: 'github.com/acme/widget', certificateOidcIssuer: GITHUB_ISSUER }, /must be anchored/],
    [{ certificateIdentityRegexp: '^https://github.com/acme/.*', certificateOidcIssuer: GITHUB_ISSUER }, /must be anchored/],
    [{ certificateIdentityRegexp: '^https://x\\$', certificateOidcIssuer: GITHUB_ISSUER }, /must be anchored/],
    [{ certificateIdentityRegexp: '^(unclosed$', certificateOidcIssuer: GITHUB_ISSUER }, /not a valid JavaScript regular expression/],
    [{ certificateIdentity: IDENTITY, certificateIdentityRegexp: '^x$', certificateOidcIssuer: GITHUB_ISSUER }, /not both/],
    [{ publicKeyPem: 'not a key' }, /not a PEM public key/],
    [{ publicKeyPem: keyPairWithPem().publicKeyPem, certificateIdentity: IDENTITY }, /not both/],
  ])('%j', (input, msg) => {
    expect(() => buildIdentityPolicy(input as never)).toThrow(msg);
  });
});
