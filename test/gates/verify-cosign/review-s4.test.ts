// Second review of the sigstore core after the real-world merge (verify-cosign, evidence-verify and the core
// they share). Tests marked "before:" failed on the code before this review; true negatives sit beside them.
//  - a bundle object that also carries a container (`attestations`, `bundle`) had another bundle verified while
//    the caller read the outer, unsigned envelope: evidence-verify passed a forged Statement;
//  - the certificate SAN chaingate compares itself: URI / email / several / none / otherName / non-ASCII bytes
//    (the library reads the SAN as 'ascii', clearing each byte's high bit), look-alike identities, key pairs;
//  - sha512 subjects: a malformed sha256 beside a matching sha512 passed;
//  - JSON Lines: blank lines, CRLF, BOM, a broken line named by its number, a 10,000-line file refused at once.
import 'reflect-metadata'; // @peculiar/x509 (the test CA below) needs it
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, createPrivateKey, sign as cryptoSign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { buildIdentityPolicy, trustFromBytes, trustFromFile, unwrapBundleInput, verifyBundle, type LoadedTrust } from '../../../src/core/sigstore/index.js';
import { GITHUB_ISSUER, MockSigstore, githubClaims, githubIdentity, keyPairWithPem, sha256Hex, statement, type InTotoSubject } from '../../helpers/sigstore.js';
import { OTHER_DIGEST } from '../../helpers/evidence.js';
import { REQUIRED, STANDARD, makeBundle, other as otherSigstore, useEvidenceFixture, verify as verifyEvidence } from '../evidence-verify/fixture.js';
import { runGate, withFakeCosignPath } from './helpers.js';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const SLSA1 = 'https://slsa.dev/provenance/v1';
const TGZ = Buffer.from('acme-widget-1.0.0.tgz bytes (review s4)');
const SHA512 = createHash('sha512').update(TGZ).digest('hex');

let ss: MockSigstore;
let dir: string;
let root: string;
let artifact: string;
let trust: LoadedTrust;
beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-vc-s4-'));
  const w = ss.writeFiles(dir, { root: true, artifact: TGZ, artifactName: 'widget.tgz' });
  root = w.root!;
  artifact = w.artifact!;
  trust = trustFromFile(root);
});
afterAll(async () => ss?.close());

let n = 0;
const put = (content: string | object, name = `b${++n}.json`) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
const why = (r: { result: { messages?: string[] } }) => r.result.messages?.join('\n');
const bySha256: InTotoSubject[] = [{ name: 'widget.tgz', digest: { sha256: sha256Hex(TGZ) } }];
const attest = (subjects: InTotoSubject[] = bySha256, predicateType = SLSA1) => ss.signStatement(statement(subjects, predicateType, {}), { identity: IDENTITY, github: githubClaims(REPO) });
const keyless = (identity = IDENTITY) => buildIdentityPolicy({ certificateIdentity: identity, certificateOidcIssuer: GITHUB_ISSUER });
const forge = (b: any, subjects: InTotoSubject[]) => ({ ...b.dsseEnvelope, payload: Buffer.from(JSON.stringify(statement(subjects, SLSA1, {}))).toString('base64') });

describe('a bundle is the bundle handed in: never a container found inside it', () => {
  it('before: {mediaType, dsseEnvelope: forged, attestations: [genuine]} verified the genuine inner bundle; now the object itself is the bundle (its forged envelope fails)', async () => {
    const genuine = (await attest()) as any;
    const wrapped = { ...genuine, dsseEnvelope: forge(genuine, [{ name: 'evil', digest: { sha256: sha256Hex('evil') } }]), attestations: [{ bundle: genuine }] };
    const u = unwrapBundleInput(wrapped);
    expect(u.ok && u.container).toBe('file');
    expect(u.ok && u.candidates[0].bundle).toBe(wrapped);
    const r = verifyBundle({ bundle: wrapped, artifact: { kind: 'none' }, policy: keyless(), trust, expect: { predicateType: SLSA1 } });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('tlog-invalid'); // the log entry records the genuine payload, not the forged one
  });

  it('before: {bundle: genuine, dsseEnvelope: forged} unwrapped the genuine bundle; now such a wrapper is ambiguous and refused (bundle-malformed), in a file and on a JSON line', async () => {
    const genuine = (await attest()) as any;
    const forged = forge(genuine, [{ name: 'evil', digest: { sha256: sha256Hex('evil') } }]);
    for (const input of [{ bundle: genuine, dsseEnvelope: forged }, `${JSON.stringify({ bundle: genuine, dsseEnvelope: forged })}\n${JSON.stringify({ bundle: genuine })}\n`, { attestations: [{ bundle: genuine, dsseEnvelope: forged }] }]) {
      const r = verifyBundle({ bundle: input, artifact: { kind: 'none' }, policy: keyless(), trust, expect: { predicateType: SLSA1 } });
      expect(r.ok).toBe(false);
      expect(r.reason).toBe('bundle-malformed');
      expect(r.ok ? '' : r.message).toMatch(/also carries bundle content of its own \(dsseEnvelope\)/);
    }
  });

  it('true negatives: the real wrappers still unwrap and verify (gh JSON line {bundle}, the attestations API answer), and a success hands back the payload it verified', async () => {
    const genuine = (await attest()) as any;
    for (const input of [{ bundle: genuine }, { attestations: [{ bundle: genuine, repository_id: 1 }] }, genuine]) {
      const r = verifyBundle({ bundle: input, artifact: { kind: 'bytes', bytes: TGZ }, policy: keyless(), trust, expect: { predicateType: SLSA1 } });
      expect(r.ok, r.ok ? '' : r.message).toBe(true);
      if (r.ok) expect(r.payload?.equals(Buffer.from(genuine.dsseEnvelope.payload, 'base64'))).toBe(true);
    }
  });

  it('verify-cosign (which reads only the verified result) verifies the outer bundle it was given, not one inside it', async () => {
    const genuine = (await attest()) as any;
    const wrapped = { ...genuine, dsseEnvelope: forge(genuine, [...bySha256, { name: 'extra', digest: { sha256: sha256Hex('extra') } }]), attestations: [{ bundle: genuine }] };
    const r = await runGate({ bundle: put(wrapped), artifact, 'trusted-root': root, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, 'attestation-type': SLSA1 });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['tlog-invalid']);
    expect((await runGate({ bundle: put(genuine), artifact, 'trusted-root': root, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, 'attestation-type': SLSA1 })).result.outcome).toBe('pass');
  });
});

describe('evidence-verify reads the Statement the signature covers', () => {
  useEvidenceFixture();
  it('before: pass — a forged evidence bundle (untrusted signer) whose sigstore file wraps a genuine release bundle beside the forged envelope; now signature-invalid', async () => {
    const genuine = await makeBundle(STANDARD);
    const forged = await makeBundle(STANDARD.map((s) => (s.digest ? { ...s, digest: OTHER_DIGEST } : s)), { 'subject-digest': OTHER_DIGEST }, otherSigstore);
    const sigFile = join(forged.dir, 'statement.sigstore.json');
    const forgedBundle = JSON.parse(readFileSync(sigFile, 'utf8'));
    const genuineBundle = JSON.parse(readFileSync(join(genuine.dir, 'statement.sigstore.json'), 'utf8'));
    // alone, the forged bundle is not trusted
    expect((await verifyEvidence(forged.dir, { ...REQUIRED, 'subject-digest': OTHER_DIGEST })).result.reasons).toEqual(['signature-invalid']);
    for (const wrapped of [{ bundle: genuineBundle, dsseEnvelope: forgedBundle.dsseEnvelope }, { ...forgedBundle, attestations: [{ bundle: genuineBundle }] }]) {
      writeFileSync(sigFile, JSON.stringify(wrapped));
      const v = await verifyEvidence(forged.dir, { ...REQUIRED, 'subject-digest': OTHER_DIGEST });
      expect(v.result.outcome).toBe('fail');
      expect(v.result.reasons).toContain('signature-invalid');
      expect(v.result.outputs?.['signer-identity']).toBe('');
    }
    // true positive: the genuine bundle still verifies
    expect((await verifyEvidence(genuine.dir, REQUIRED)).result.outcome).toBe('pass');
  });
});

// ---------------------------------------------------------------------------------------------------------
// A private CA issuing leaf certificates with hand-made SAN extensions (the mock Fulcio writes one URI SAN).

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const len = (k: number) => (k < 128 ? Buffer.from([k]) : k < 256 ? Buffer.from([0x81, k]) : Buffer.from([0x82, k >> 8, k & 255]));
const tlv = (tag: number, v: Buffer) => Buffer.concat([Buffer.from([tag]), len(v.length), v]);
const uri = (s: string | Buffer) => tlv(0x86, Buffer.isBuffer(s) ? s : Buffer.from(s));
const email = (s: string) => tlv(0x81, Buffer.from(s));
/** otherName 1.3.6.1.4.1.57264.1.7 (Fulcio's username SAN) */
const otherName = (s: string) => tlv(0xa0, Buffer.concat([tlv(0x06, Buffer.from([0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x07])), tlv(0xa0, tlv(0x0c, Buffer.from(s)))]));
const names = (...g: Buffer[]) => tlv(0x30, Buffer.concat(g));
const ab = (b: Buffer) => new Uint8Array(b).buffer;

type Keys = { publicKey: CryptoKey; privateKey: CryptoKey };
let ca: { keys: Keys; cert: x509.X509Certificate };
let caTrust: LoadedTrust;
beforeAll(async () => {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as Keys;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=review-s4-ca',
    notBefore: new Date(Date.now() - 3600e3),
    notAfter: new Date(Date.now() + 3600e3),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  ca = { keys, cert };
  caTrust = trustFromBytes(
    JSON.stringify({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      certificateAuthorities: [{ subject: { commonName: 'review-s4-ca' }, uri: 'https://ca.invalid', certChain: { certificates: [{ rawBytes: Buffer.from(cert.rawData).toString('base64') }] }, validFor: { start: new Date(Date.now() - 7200e3).toISOString() } }],
      tlogs: [],
      ctlogs: [],
      timestampAuthorities: [],
    }),
    'file',
    'review-s4',
  );
});

const DATA = Buffer.from('hello, review s4');
/** A message-signature bundle over DATA by a fresh leaf with this SAN extension value (undefined: no SAN). */
async function signedWithSan(san: Buffer | undefined, issuer = GITHUB_ISSUER): Promise<object> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as Keys;
  const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.Extension('1.3.6.1.4.1.57264.1.1', false, ab(Buffer.from(issuer)))];
  if (san) extensions.push(new x509.Extension('2.5.29.17', true, ab(san)));
  const cert = await x509.X509CertificateGenerator.create({ serialNumber: '02', subject: '', issuer: ca.cert.subject, notBefore: new Date(Date.now() - 600e3), notAfter: new Date(Date.now() + 600e3), publicKey: keys.publicKey, signingKey: ca.keys.privateKey, signingAlgorithm: ALG, extensions });
  const pk = createPrivateKey({ key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: Buffer.from(cert.rawData).toString('base64') }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(DATA).digest('base64') }, signature: cryptoSign('sha256', DATA, pk).toString('base64') },
  };
}
const ID = 'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1';
function check(bundle: object, identity: { exact?: string; regexp?: string }) {
  const policy = buildIdentityPolicy({ certificateIdentity: identity.exact, certificateIdentityRegexp: identity.regexp, certificateOidcIssuer: GITHUB_ISSUER });
  // no log, no SCT, no signed time in this private PKI: the certificate is checked at the verification time
  return verifyBundle({ bundle, artifact: { kind: 'bytes', bytes: DATA }, policy, trust: caTrust, thresholds: { tlog: 0, ctlog: 0, timestamp: 0 } });
}

describe('the SAN chaingate compares itself (no identity policy handed to @sigstore/verify)', () => {
  it('a URI SAN: the exact identity passes; look-alikes fail (repo-evil, trailing path, v1 vs v1.0, case)', async () => {
    const b = await signedWithSan(names(uri(ID)));
    const ok = check(b, { exact: ID });
    expect(ok.ok, ok.ok ? '' : ok.message).toBe(true);
    expect(ok.ok && ok.signer.identity).toBe(ID);
    for (const wrong of [ID.replace('/repo/', '/repo-evil/'), `${ID}/extra`, ID.replace('@refs/tags/v1', '@refs/tags/v1.0'), ID.replace('org/repo', 'Org/Repo'), ID.slice(0, -1)]) {
      const r = check(b, { exact: wrong });
      expect(r.reason, wrong).toBe('identity-mismatch');
    }
    // and the other way round: a certificate for the look-alike does not satisfy the real identity
    for (const lookAlike of [ID.replace('/repo/', '/repo-evil/'), ID.replace('@refs/tags/v1', '@refs/tags/v1.0'), `${ID}/x`]) {
      expect(check(await signedWithSan(names(uri(lookAlike))), { exact: ID }).reason).toBe('identity-mismatch');
    }
  });

  it('regexp mode: anchored patterns match the whole SAN only', async () => {
    const b = await signedWithSan(names(uri(ID)));
    expect(check(b, { regexp: '^https://github\\.com/org/repo/\\.github/workflows/release\\.yml@refs/tags/v1$' }).ok).toBe(true);
    expect(check(await signedWithSan(names(uri(ID.replace('/repo/', '/repo-evil/')))), { regexp: '^https://github\\.com/org/repo/.*$' }).reason).toBe('identity-mismatch');
    expect(check(await signedWithSan(names(uri(`${ID}.0`))), { regexp: '^https://github\\.com/org/repo/\\.github/workflows/release\\.yml@refs/tags/v1$' }).reason).toBe('identity-mismatch');
  });

  it('an email SAN is the identity when there is no URI SAN', async () => {
    const b = await signedWithSan(names(email('release@example.com')));
    expect(check(b, { exact: 'release@example.com' }).ok).toBe(true);
    expect(check(b, { exact: 'release@example.co' }).reason).toBe('identity-mismatch');
  });

  it('several SANs: the first URI SAN is the identity (stricter than cosign, which accepts any SAN); a second one that matches does not make a pass', async () => {
    expect(check(await signedWithSan(names(uri('https://evil.example/x'), uri(ID))), { exact: ID }).reason).toBe('identity-mismatch');
    expect(check(await signedWithSan(names(email(ID), uri('https://evil.example/x'))), { exact: ID }).reason).toBe('identity-mismatch');
    expect(check(await signedWithSan(names(uri(ID), email('someone@example.com'))), { exact: ID }).ok).toBe(true);
  });

  it('before: "certificate identity null does not match"; now a certificate without a URI/email SAN (none at all, or an otherName only) says so — never a pass, even for ^.*$', async () => {
    for (const san of [undefined, names(otherName(ID))]) {
      const b = await signedWithSan(san);
      for (const id of [{ exact: ID }, { regexp: '^.*$' }]) {
        const r = check(b, id);
        expect(r.reason).toBe('identity-mismatch');
        expect(r.ok ? '' : r.message).toMatch(/no URI or email subject alternative name/);
      }
    }
  });

  it('before: pass — a SAN with a byte outside ASCII (".../\\xEFrg/repo/…" read as ".../org/repo/…" by the library) matched the real identity; now identity-mismatch', async () => {
    const raw = Buffer.from(ID);
    raw[ID.indexOf('org')] |= 0x80; // 'o' (0x6f) → 0xef
    for (const san of [names(uri(raw)), names(uri(Buffer.concat([Buffer.from(ID), Buffer.from([0x0a])])))]) {
      const r = check(await signedWithSan(san), { exact: ID });
      expect(r.ok).toBe(false);
      expect(r.reason).toBe('identity-mismatch');
      expect(r.ok ? '' : r.message).toMatch(/outside printable ASCII/);
      expect(check(await signedWithSan(san), { regexp: '^.*$' }).ok).toBe(false);
    }
  });

  it('key-pair bundles still verify against the key only, and a keyless policy refuses them', async () => {
    const { keyPair, publicKeyPem } = keyPairWithPem();
    const b = await ss.signBlob(TGZ, { keyPair, tlog: false, tsa: true });
    const byKey = verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: TGZ }, policy: buildIdentityPolicy({ publicKeyPem }), trust });
    expect(byKey.ok, byKey.ok ? '' : byKey.message).toBe(true);
    const otherKey = keyPairWithPem().publicKeyPem;
    expect(verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: TGZ }, policy: buildIdentityPolicy({ publicKeyPem: otherKey }), trust }).ok).toBe(false);
    expect(verifyBundle({ bundle: b, artifact: { kind: 'bytes', bytes: TGZ }, policy: keyless(), trust }).reason).toBe('verification-material-mismatch');
  });
});

describe('sha512 subjects', () => {
  const v = (subjects: InTotoSubject[], a: 'bytes' | 'digest' = 'bytes') =>
    attest(subjects).then((b) => verifyBundle({ bundle: b, artifact: a === 'bytes' ? { kind: 'bytes', bytes: TGZ } : { kind: 'digest', digest: `sha256:${sha256Hex(TGZ)}` }, policy: keyless(), trust, expect: { predicateType: SLSA1 } }));
  it('before: pass — a matching sha512 beside an empty / garbage sha256; now subject-digest-mismatch naming the malformed digest', async () => {
    for (const bad of ['', 'zz', 'a'.repeat(63), `sha512:${SHA512}`]) {
      const r = await v([{ name: 'pkg', digest: { sha512: SHA512, sha256: bad } }]);
      expect(r.ok, bad).toBe(false);
      expect(r.reason).toBe('subject-digest-mismatch');
      expect(r.ok ? '' : r.message).toMatch(/malformed sha256 digest/);
    }
    const r = await v([{ name: 'pkg', digest: { sha256: sha256Hex(TGZ), sha512: 'not-hex' } }]);
    expect(r.reason).toBe('subject-digest-mismatch');
  });
  it('true positives: sha512 alone, both correct, upper-case hex; another subject with a malformed digest does not spoil a good one', async () => {
    expect((await v([{ name: 'pkg', digest: { sha512: SHA512 } }])).ok).toBe(true);
    expect((await v([{ name: 'pkg', digest: { sha512: SHA512, sha256: sha256Hex(TGZ) } }])).ok).toBe(true);
    expect((await v([{ name: 'pkg', digest: { sha512: SHA512.toUpperCase() } }])).ok).toBe(true);
    expect((await v([{ name: 'pkg', digest: { sha256: sha256Hex(TGZ).toUpperCase() } }])).ok).toBe(true);
    expect((await v([{ name: 'junk', digest: { sha256: '' } }, { name: 'pkg', digest: { sha512: SHA512 } }])).ok).toBe(true);
  });
  it('an unknown algorithm only: subject-digest-unsupported (never a pass); sha512 only with the digest alone known: unsupported', async () => {
    expect((await v([{ name: 'pkg', digest: { sha384: 'a'.repeat(96) } }])).reason).toBe('subject-digest-unsupported');
    expect((await v([{ name: 'pkg', digest: { sha512: SHA512 } }], 'digest')).reason).toBe('subject-digest-unsupported');
  });
});

describe('gh attestation download JSON Lines', () => {
  const opts = (bundle: unknown) => ({ bundle, artifact: { kind: 'bytes' as const, bytes: TGZ }, policy: keyless(), trust, expect: { predicateType: SLSA1 } });
  it('blank lines, CRLF and a BOM: the good line verifies', async () => {
    const spdx = JSON.stringify(await attest(bySha256, 'https://spdx.dev/Document'));
    const good = JSON.stringify(await attest());
    for (const text of [`\n${spdx}\n\n${good}\n\n`, `${spdx}\r\n${good}\r\n`, `\uFEFF${spdx}\n${good}\n`]) {
      const r = verifyBundle(opts(Buffer.from(text)));
      expect(r.ok, r.ok ? '' : r.message).toBe(true);
      expect(r.ok && r.container).toBe('gh-attestation-jsonl');
    }
  });
  it('before: a broken line was "the bundle is not JSON: … position N" (or a number that skipped blank lines); now its physical line number', async () => {
    const good = JSON.stringify(await attest());
    const r = verifyBundle(opts(Buffer.from(`${good}\n\nthis is not json\n`)));
    expect(r.reason).toBe('bundle-malformed');
    expect(r.ok ? '' : r.message).toMatch(/line 3 of the JSON Lines file is not JSON/);
    const r2 = verifyBundle(opts(Buffer.from(`${good}\n\n{"truncated": \n`)));
    expect(r2.ok ? '' : r2.message).toMatch(/line 3 of the JSON Lines file is not JSON/);
  });
  it('the most relevant failure names its physical line', async () => {
    const spdx = JSON.stringify(await attest(bySha256, 'https://spdx.dev/Document'));
    const wrong = JSON.stringify(await ss.signStatement(statement(bySha256, SLSA1, {}), { identity: githubIdentity('acme/other'), github: githubClaims('acme/other') }));
    const r = verifyBundle(opts(Buffer.from(`${spdx}\n\n\n${wrong}\n`)));
    expect(r.reason).toBe('identity-mismatch');
    expect(r.ok ? '' : r.message).toMatch(/most relevant, line 4 /);
  });
  it('a 10,000-line file is refused at once (bounded), not verified line by line', async () => {
    const good = JSON.stringify(await attest());
    const r = verifyBundle(opts(Buffer.from(`${Array.from({ length: 10_000 }, () => good).join('\n')}\n`)));
    expect(r.reason).toBe('bundle-malformed');
    expect(r.ok ? '' : r.message).toMatch(/10000 lines \(at most 100\)/);
  });
});

describe('verify-cosign source-repository forms', () => {
  it('before: `github.com/org/repo` (no scheme, as verify-slsa and slsa-verifier take it) always failed extension-mismatch in-process and was "not a github.com repository" for cosign; now it is the https URL', async () => {
    const b = put(await ss.signBlob(TGZ, { identity: IDENTITY, github: githubClaims(REPO) }));
    const common = { bundle: b, artifact, 'trusted-root': root, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER };
    for (const repo of [`github.com/${REPO}`, `GitHub.com/${REPO}/`, `github.com/${REPO}.git`]) {
      const r = await runGate({ ...common, 'source-repository': repo });
      expect(r.result.outcome, `${repo}: ${why(r)}`).toBe('pass');
    }
    // true negatives: another repository, a look-alike, another host
    for (const repo of [`github.com/${REPO}-evil`, 'github.com/acme/other', `gitlab.com/${REPO}`, `github.com.evil.example/${REPO}`]) {
      const r = await runGate({ ...common, 'source-repository': repo });
      expect(r.result.outcome, repo).toBe('fail');
      expect(r.result.reasons).toEqual(['extension-mismatch']);
    }
  });
});

describe('verify-cosign mode cosign: an attestation is not a plain signature, however the bundle spells it', () => {
  it('before: a bundle spelling its fields as proto names (`dsse_envelope`, `media_type`, which cosign\'s protojson reader accepts) reached cosign verify-blob; now refused content-mismatch before cosign runs', async () => {
    const att = (await attest(bySha256, 'https://spdx.dev/Document')) as any;
    const { dsseEnvelope, mediaType, verificationMaterial, ...rest } = att;
    const variants = [
      { ...rest, mediaType, verificationMaterial, dsse_envelope: dsseEnvelope },
      { ...rest, media_type: mediaType, verification_material: verificationMaterial, dsse_envelope: dsseEnvelope },
      `\uFEFF${JSON.stringify(att)}`,
    ];
    for (const v of variants) {
      const d = mkdtempSync(join(tmpdir(), 'cg-fake-'));
      const log = join(d, 'argv.ndjson');
      const r = await runGate({ bundle: put(v), artifact, 'trusted-root': root, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, mode: 'cosign', cosign: 'path' }, { env: withFakeCosignPath({ FAKE_COSIGN_LOG: log, FAKE_COSIGN_MODE: 'ok' }) });
      expect(r.result.outcome).toBe('fail');
      expect(r.result.reasons).toEqual(['content-mismatch']);
      expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toMatch(/verify-blob/);
    }
  });
  it('true negative: a message-signature bundle still goes to cosign verify-blob and passes', async () => {
    const r = await runGate({ bundle: put(await ss.signBlob(TGZ, { identity: IDENTITY, github: githubClaims(REPO) })), artifact, 'trusted-root': root, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, mode: 'cosign', cosign: 'path' }, { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome, why(r)).toBe('pass');
  });
});
