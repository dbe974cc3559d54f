import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { buildIdentityPolicy, trustFromBytes, unwrapBundleInput, verifyBundle, SIGSTORE_FAILURE_REASONS, type LoadedTrust, type VerifyResult } from '../../../src/core/sigstore/index.js';
import { GITHUB_ISSUER, MockSigstore, githubClaims, githubIdentity, keyPairWithPem, setBundleVersion, sha256Hex, statement } from '../../helpers/sigstore.js';
import { apiAnswer, detachedFiles, ghJsonl, legacyBody, toLegacyCosignBundle, withForeignSet, withLegacyBody, type LegacyCosignBundle } from '../../helpers/cosign-legacy.js';
import type { SerializedBundle } from '@sigstore/bundle';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const ARTIFACT = Buffer.from('release tarball bytes\n');
const DIGEST = `sha256:${sha256Hex(ARTIFACT)}`;

let ss: MockSigstore;
let other: MockSigstore;
let trust: LoadedTrust;
let v01: SerializedBundle;
let legacy: LegacyCosignBundle;
let keyLegacy: LegacyCosignBundle;
let keyPem: string;
let otherLegacy: LegacyCosignBundle;
let att: SerializedBundle;

const keyless = () => buildIdentityPolicy({ certificateIdentity: IDENTITY, certificateOidcIssuer: GITHUB_ISSUER });
const bytes = (b = ARTIFACT) => ({ kind: 'bytes' as const, bytes: b });

function expectFail(r: VerifyResult, reason: string): void {
  if (r.ok) throw new Error(`expected failure ${reason}, got ok`);
  expect(r.reason, r.message).toBe(reason);
  expect(SIGSTORE_FAILURE_REASONS).toContain(r.reason);
}

beforeAll(async () => {
  ss = await MockSigstore.start();
  other = await MockSigstore.start();
  trust = trustFromBytes(JSON.stringify(ss.trustedRootJSON()), 'file', 'file');
  // cosign v1/v2 sign-blob: Fulcio certificate, Rekor hashedrekord entry with a SET, no RFC 3161 timestamp
  v01 = await ss.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO), tsa: false, version: '0.1' });
  legacy = toLegacyCosignBundle(v01);
  const kp = keyPairWithPem();
  keyPem = kp.publicKeyPem;
  keyLegacy = toLegacyCosignBundle(await ss.signBlob(ARTIFACT, { keyPair: kp.keyPair, tsa: false, version: '0.1' }));
  otherLegacy = toLegacyCosignBundle(await other.signBlob(ARTIFACT, { identity: IDENTITY, tsa: false, version: '0.1' }));
  att = await ss.signStatement(statement([{ name: 'w.tgz', digest: { sha256: sha256Hex(ARTIFACT) } }]), { identity: IDENTITY });
});

afterAll(async () => {
  await ss.close();
  await other.close();
});

describe('cosign legacy bundle (sign-blob --bundle, cosign v1/v2)', () => {
  it('converts exactly to the v0.1 bundle it came from (minus the inclusion proof)', () => {
    const u = unwrapBundleInput(JSON.stringify(legacy));
    if (!u.ok) throw new Error(u.message);
    expect(u.candidates).toHaveLength(1);
    const c = u.candidates[0];
    expect(c.format).toBe('cosign-legacy-bundle');
    const want = structuredClone(v01) as any;
    const got = c.bundle as any;
    expect(got.mediaType).toBe(want.mediaType);
    expect(got.messageSignature).toEqual(want.messageSignature);
    expect(got.verificationMaterial.x509CertificateChain).toEqual(want.verificationMaterial.x509CertificateChain);
    const we = want.verificationMaterial.tlogEntries[0];
    delete we.inclusionProof;
    expect(got.verificationMaterial.tlogEntries).toEqual([we]);
    expect(we.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
  });

  it('passes: SET, certificate chain at integratedTime, signature, identity', () => {
    const r = verifyBundle({ bundle: JSON.stringify(legacy), artifact: bytes(), policy: keyless(), trust });
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    if (!r.ok) return;
    expect(r).toMatchObject({ format: 'cosign-legacy-bundle', container: 'file', bundleVersion: '0.1', verifiedDigest: DIGEST, tlogEntries: 1 });
    expect(r.timestamps).toEqual({ tsa: 0, tlog: 1, verificationTime: false });
    expect(r.signer.identity).toBe(IDENTITY);
  });

  it('passes against the artifact digest alone', () => {
    const r = verifyBundle({ bundle: legacy, artifact: { kind: 'digest', digest: DIGEST }, policy: keyless(), trust });
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
  });

  it('tampered artifact → artifact-digest-mismatch (bytes) / signature-invalid never pass', () => {
    expectFail(verifyBundle({ bundle: legacy, artifact: bytes(Buffer.from('evil')), policy: keyless(), trust }), 'artifact-digest-mismatch');
    expectFail(verifyBundle({ bundle: legacy, artifact: { kind: 'digest', digest: `sha256:${'0'.repeat(64)}` }, policy: keyless(), trust }), 'artifact-digest-mismatch');
  });

  it('tampered body: another digest (signature re-used) → the SET fails', () => {
    const body = legacyBody(legacy);
    const evil = Buffer.from('evil');
    body.spec.data.hash.value = sha256Hex(evil);
    const r = verifyBundle({ bundle: withLegacyBody(legacy, body), artifact: bytes(evil), policy: keyless(), trust });
    if (r.ok) throw new Error('tampered body passed');
    expect(['tlog-invalid', 'signature-invalid']).toContain(r.reason);
  });

  it('tampered body: signature or certificate differing from the outer ones → tlog-invalid', () => {
    const b1 = legacyBody(legacy);
    b1.spec.signature.content = Buffer.from('MEUCIQ').toString('base64');
    expectFail(verifyBundle({ bundle: withLegacyBody(legacy, b1), artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
    const b2 = legacyBody(legacy);
    b2.spec.signature.publicKey.content = legacyBody(otherLegacy).spec.signature.publicKey.content;
    expectFail(verifyBundle({ bundle: withLegacyBody(legacy, b2), artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
    // outer cert swapped for another instance's certificate: the body no longer names it
    expectFail(verifyBundle({ bundle: { ...legacy, cert: otherLegacy.cert }, artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
  });

  it('a body re-serialized (same content, other bytes) breaks the SET', () => {
    const body = legacyBody(legacy);
    const c = structuredClone(legacy);
    c.rekorBundle.Payload.body = Buffer.from(JSON.stringify(body, null, 1)).toString('base64');
    expectFail(verifyBundle({ bundle: c, artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
  });

  it('integratedTime / logIndex changed → the SET fails', () => {
    for (const f of ['integratedTime', 'logIndex'] as const) {
      const c = structuredClone(legacy);
      c.rekorBundle.Payload[f] += 1;
      expectFail(verifyBundle({ bundle: c, artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
    }
  });

  it('wrong identity → identity-mismatch', () => {
    const policy = buildIdentityPolicy({ certificateIdentity: githubIdentity('acme/other'), certificateOidcIssuer: GITHUB_ISSUER });
    expectFail(verifyBundle({ bundle: legacy, artifact: bytes(), policy, trust }), 'identity-mismatch');
  });

  it('SET from another log (unknown key, same or foreign log ID) → tlog-invalid', () => {
    expectFail(verifyBundle({ bundle: withForeignSet(legacy), artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
    const foreignId = createHash('sha256').update('another log').digest('hex');
    expectFail(verifyBundle({ bundle: withForeignSet(legacy, foreignId), artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
    // a whole bundle from another Sigstore instance: its certificate and log are not trusted
    const r = verifyBundle({ bundle: otherLegacy, artifact: bytes(), policy: keyless(), trust });
    expect(r.ok).toBe(false);
  });

  it('SET missing or corrupted → never passes', () => {
    const c = structuredClone(legacy);
    c.rekorBundle.SignedEntryTimestamp = Buffer.from('nope').toString('base64');
    expectFail(verifyBundle({ bundle: c, artifact: bytes(), policy: keyless(), trust }), 'tlog-invalid');
    const d = structuredClone(legacy) as any;
    delete d.rekorBundle.SignedEntryTimestamp;
    expectFail(verifyBundle({ bundle: d, artifact: bytes(), policy: keyless(), trust }), 'bundle-malformed');
  });

  it('no rekorBundle (--tlog-upload=false) → bundle-malformed naming the format and --new-bundle-format', () => {
    const c = structuredClone(legacy) as any;
    delete c.rekorBundle;
    const r = verifyBundle({ bundle: c, artifact: bytes(), policy: keyless(), trust });
    expectFail(r, 'bundle-malformed');
    expect(r.ok ? '' : r.message).toMatch(/cosign legacy bundle.*--new-bundle-format/);
  });

  it('other Rekor entry kinds are refused with the hint', () => {
    const body = legacyBody(legacy);
    body.kind = 'rekord';
    const r = verifyBundle({ bundle: withLegacyBody(legacy, body), artifact: bytes(), policy: keyless(), trust });
    expectFail(r, 'bundle-unsupported-version');
    expect(r.ok ? '' : r.message).toMatch(/hashedrekord.*--new-bundle-format/);
  });

  it('key-pair legacy bundle (--key, no cert): passes with the key, fails with another key, refuses keyless policy', () => {
    const policy = buildIdentityPolicy({ publicKeyPem: keyPem });
    const r = verifyBundle({ bundle: keyLegacy, artifact: bytes(), policy, trust });
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    const otherKey = buildIdentityPolicy({ publicKeyPem: keyPairWithPem().publicKeyPem });
    expectFail(verifyBundle({ bundle: keyLegacy, artifact: bytes(), policy: otherKey, trust }), 'signature-invalid');
    expectFail(verifyBundle({ bundle: keyLegacy, artifact: bytes(), policy: keyless(), trust }), 'verification-material-mismatch');
    // the log entry of a key-pair bundle is verified too (no threshold requires it, but a bad SET never passes)
    const badSet = structuredClone(keyLegacy);
    badSet.rekorBundle.SignedEntryTimestamp = withForeignSet(keyLegacy).rekorBundle.SignedEntryTimestamp;
    expectFail(verifyBundle({ bundle: badSet, artifact: bytes(), policy, trust }), 'tlog-invalid');
    // --key --tlog-upload=false: refused with a hint
    const noTlog = structuredClone(keyLegacy) as any;
    delete noTlog.rekorBundle;
    const nt = verifyBundle({ bundle: noTlog, artifact: bytes(), policy, trust });
    expectFail(nt, 'bundle-malformed');
    expect(nt.ok ? '' : nt.message).toMatch(/key-pair bundle without a transparency-log entry/);
    // a keyless legacy bundle whose cert was stripped: the body still names a certificate
    const stripped = structuredClone(legacy);
    delete stripped.cert;
    expectFail(verifyBundle({ bundle: stripped, artifact: bytes(), policy, trust }), 'tlog-invalid');
  });
});

describe('detached signature files and wrapped bundles', () => {
  it('a bare base64 signature or a PEM certificate as the bundle → bundle-malformed pointing to --bundle', () => {
    const d = detachedFiles(v01);
    for (const [text, what] of [
      [d.signature, /bare base64 signature.*--output-signature.*--bundle/],
      [d.certificatePem, /PEM certificate.*--output-certificate.*--bundle/],
    ] as const) {
      const r = verifyBundle({ bundle: Buffer.from(text), artifact: bytes(), policy: keyless(), trust });
      expectFail(r, 'bundle-malformed');
      expect(r.ok ? '' : r.message).toMatch(what);
    }
  });

  it('short non-JSON text is "not JSON", not mistaken for a signature', () => {
    const r = verifyBundle({ bundle: Buffer.from('hello\n'), artifact: bytes(), policy: keyless(), trust });
    expectFail(r, 'bundle-malformed');
    expect(r.ok ? '' : r.message).toMatch(/not JSON/);
  });

  it('gh attestation download JSON Lines: one line, several lines (first that verifies), none verifying', () => {
    const one = verifyBundle({ bundle: Buffer.from(ghJsonl([att])), artifact: bytes(), policy: keyless(), trust });
    expect(one.ok, one.ok ? '' : one.message).toBe(true);
    if (one.ok) expect(one).toMatchObject({ container: 'gh-attestation-jsonl', candidates: 1, content: 'dsse' });
    const foreign = setBundleVersion(v01, '0.3');
    const two = verifyBundle({ bundle: Buffer.from(ghJsonl([legacy, att])), artifact: bytes(), policy: keyless(), trust, expect: { content: 'dsse' } });
    expect(two.ok, two.ok ? '' : two.message).toBe(true);
    if (two.ok) expect(two.candidates).toBe(2);
    const none = verifyBundle({ bundle: Buffer.from(ghJsonl([foreign, otherLegacy])), artifact: bytes(Buffer.from('x')), policy: keyless(), trust });
    if (none.ok) throw new Error('passed');
    expect(none.message).toMatch(/none of the 2 bundles/);
  });

  it('attestations REST API answer: accepted; empty list and bundle-less entries refused', () => {
    const r = verifyBundle({ bundle: JSON.stringify(apiAnswer([att])), artifact: bytes(), policy: keyless(), trust });
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    if (r.ok) expect(r.container).toBe('attestations-api');
    expectFail(verifyBundle({ bundle: { attestations: [] }, artifact: bytes(), policy: keyless(), trust }), 'bundle-malformed');
    expectFail(verifyBundle({ bundle: { attestations: [{ repository_id: 1 }] }, artifact: bytes(), policy: keyless(), trust }), 'bundle-malformed');
  });

  it('every bundle mediaType variant verifies; an unknown one is refused', () => {
    for (const mt of [
      'application/vnd.dev.sigstore.bundle+json;version=0.1',
      'application/vnd.dev.sigstore.bundle+json;version=0.2',
      'application/vnd.dev.sigstore.bundle+json;version=0.3',
      'application/vnd.dev.sigstore.bundle.v0.3+json',
    ]) {
      const b = setBundleVersion(v01, mt.includes('0.3') ? '0.3' : '0.1') as any;
      b.mediaType = mt;
      const r = verifyBundle({ bundle: b, artifact: bytes(), policy: keyless(), trust });
      expect(r.ok, `${mt}: ${r.ok ? '' : r.message}`).toBe(true);
    }
    const b = structuredClone(v01) as any;
    b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.4';
    expectFail(verifyBundle({ bundle: b, artifact: bytes(), policy: keyless(), trust }), 'bundle-unsupported-version');
  });
});
