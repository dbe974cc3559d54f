// Shapes real users bring to verify-cosign that the other tests do not: `gh attestation download` files holding
// several attestations of one digest, npm provenance (sha512-only subjects), attestation bundles given where a
// plain signature is asked for, bundle versions, letter case in identities, other forges' issuers, cosign 2.x's
// real `verify` output and image references as users write them. Each defect found has its test here (marked
// "before:"), next to the true negatives and positives around it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { GITHUB_ISSUER, MockSigstore, githubClaims, githubIdentity, setBundleVersion, sha256Hex, statement, type InTotoSubject } from '../../helpers/sigstore.js';
import { runGate, withFakeCosignPath } from './helpers.js';
import { exitCodeFor } from '../../../src/core/runner.js';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const TGZ = Buffer.from('acme-widget-1.0.0.tgz bytes');
const SHA512 = createHash('sha512').update(TGZ).digest('hex');
const SPDX = 'https://spdx.dev/Document';
const SLSA1 = 'https://slsa.dev/provenance/v1';

let ss: MockSigstore;
let dir: string;
let root: string;
let artifact: string;
beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-vc-real-'));
  const w = ss.writeFiles(dir, { root: true, artifact: TGZ, artifactName: 'widget.tgz' });
  root = w.root!;
  artifact = w.artifact!;
});
afterAll(async () => ss?.close());

let n = 0;
const put = (content: string | object, name = `b${++n}.json`) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
const jsonl = (...bundles: unknown[]) => put(`${bundles.map((b) => JSON.stringify(b)).join('\n')}\n`, `att${++n}.jsonl`);
const base = (bundle: string, over: Record<string, string> = {}) => ({ bundle, artifact, 'trusted-root': root, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, ...over });
const why = (r: { result: { messages?: string[] } }) => r.result.messages?.join('\n');
const bySha256: InTotoSubject[] = [{ name: 'widget.tgz', digest: { sha256: sha256Hex(TGZ) } }];
const attest = (predicateType: string, o: { identity?: string; repo?: string; subjects?: InTotoSubject[] } = {}) =>
  ss.signStatement(statement(o.subjects ?? bySha256, predicateType, {}), { identity: o.identity ?? IDENTITY, github: githubClaims(o.repo ?? REPO) });

describe('gh attestation download: several attestations of one digest, one per line', () => {
  it('passes on the provenance line whatever comes before it (SBOM, another run signed by someone else)', async () => {
    const r = await runGate(base(jsonl(await attest(SPDX), await attest(SLSA1, { identity: githubIdentity('acme/other'), repo: 'acme/other' }), await attest(SLSA1)), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome, why(r)).toBe('pass');
    expect((r.records[0] as any).details).toMatchObject({ bundle_container: 'gh-attestation-jsonl', bundle_candidates: 3, predicate_type: SLSA1 });
  });

  it('before: an SBOM line first and a provenance by another signer was reported as "predicateType is SPDX"; now the provenance\'s own failure (identity-mismatch)', async () => {
    const r = await runGate(base(jsonl(await attest(SPDX), await attest(SLSA1, { identity: githubIdentity('acme/other'), repo: 'acme/other' })), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['identity-mismatch']);
    expect(why(r)).toMatch(/most relevant, line 2 \(https:\/\/slsa\.dev\/provenance\/v1\).*acme\/other/);
    expect((r.records[0] as any).details.got_identity).toBe(githubIdentity('acme/other'));
  });

  it('the provenance for another artifact ranks below the one for this artifact', async () => {
    const other = await attest(SLSA1, { subjects: [{ name: 'other', digest: { sha256: sha256Hex('other') } }] });
    const wrongSigner = await attest(SLSA1, { identity: githubIdentity('acme/other'), repo: 'acme/other' });
    const r = await runGate(base(jsonl(other, wrongSigner), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.reasons).toEqual(['identity-mismatch']);
    expect(why(r)).toMatch(/line 2/);
  });

  it('no line of the asked type at all: predicate-type-mismatch listing what the file holds', async () => {
    const r = await runGate(base(jsonl(await attest(SPDX), await attest('https://cyclonedx.org/bom', { identity: githubIdentity('acme/other') })), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['predicate-type-mismatch']);
    expect(why(r)).toMatch(/none of the 2 bundles in the file is an attestation of type https:\/\/slsa\.dev\/provenance\/v1 \(found: https:\/\/spdx\.dev\/Document, https:\/\/cyclonedx\.org\/bom\)/);
  });

  it('a line that does not verify never makes a valid matching line fail, and is never the one chosen', async () => {
    const good = await attest(SLSA1);
    const tampered = structuredClone(good) as any;
    tampered.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement(bySha256, SLSA1, { evil: true }))).toString('base64');
    expect((await runGate(base(jsonl(tampered, good), { 'attestation-type': 'slsaprovenance1' }))).result.outcome).toBe('pass');
    const bad = await runGate(base(jsonl(tampered, await attest(SPDX)), { 'attestation-type': 'slsaprovenance1' }));
    expect(bad.result.outcome).toBe('fail');
    // the tampered provenance (line 1) is the relevant one: its cryptographic failure, not the SBOM's type
    expect(['tlog-invalid', 'signature-invalid']).toContain(bad.result.reasons[0]);
    expect(why(bad)).toMatch(/line 1/);
  });
});

describe('npm provenance: subject pkg:npm/… named by sha512 only', () => {
  const npm = (sha512 = SHA512, extra: Record<string, string> = {}) => attest(SLSA1, { subjects: [{ name: 'pkg:npm/%40acme/widget@1.0.0', digest: { sha512, ...extra } }] });

  it('before: the tarball failed with "subject-digest-mismatch … no sha256 digests"; now its sha512 is computed and compared', async () => {
    const r = await runGate(base(put(await npm()), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome, why(r)).toBe('pass');
    expect(r.result.outputs?.['verified-digest']).toBe(`sha256:${sha256Hex(TGZ)}`);
  });

  it('another tarball (sha512 differs) fails', async () => {
    const r = await runGate(base(put(await npm(createHash('sha512').update('other').digest('hex'))), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['subject-digest-mismatch']);
  });

  it('a subject whose sha256 matches but whose sha512 does not is not the artifact', async () => {
    const r = await runGate(base(put(await npm(createHash('sha512').update('other').digest('hex'), { sha256: sha256Hex(TGZ) })), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['subject-digest-mismatch']);
  });

  it('only the sha256 known (artifact-digest): error subject-digest-unsupported, never a pass or a "mismatch"', async () => {
    const { artifact: _a, ...rest } = base(put(await npm()), { 'attestation-type': 'slsaprovenance1' });
    const r = await runGate({ ...rest, 'artifact-digest': `sha256:${sha256Hex(TGZ)}` });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['subject-digest-unsupported']);
    expect(exitCodeFor(r.result.outcome)).toBe(2);
    expect(why(r)).toMatch(/sha512 only.*give the artifact file/);
  });

  it('a subject of another algorithm only (sha1): error, not pass', async () => {
    const r = await runGate(base(put(await attest(SLSA1, { subjects: [{ name: 'x', digest: { sha1: 'a'.repeat(40) } }] })), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['subject-digest-unsupported']);
    expect(why(r)).toMatch(/sha1/);
  });
});

describe('an attestation where a plain signature is asked for (no attestation-type)', () => {
  it('before: an SBOM (or any attestation naming the file) passed as "the signature"; now fail content-mismatch naming the type to ask for', async () => {
    const r = await runGate(base(put(await attest(SPDX))));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['content-mismatch']);
    expect(why(r)).toMatch(/in-toto attestation of type https:\/\/spdx\.dev\/Document.*attestation-type: https:\/\/spdx\.dev\/Document/);
  });

  it('the same bundle with its attestation-type passes; a message signature without one passes', async () => {
    expect((await runGate(base(put(await attest(SPDX)), { 'attestation-type': 'spdx' }))).result.outcome).toBe('pass');
    expect((await runGate(base(put(await ss.signBlob(TGZ, { identity: IDENTITY, github: githubClaims(REPO) }))))).result.outcome).toBe('pass');
  });

  it('mode cosign (verify-blob): refused before cosign runs, as in-process (cosign 3 would accept any predicate naming the file)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'cg-fake-'));
    const log = join(d, 'argv.ndjson');
    const r = await runGate(base(put(await attest(SPDX)), { mode: 'cosign', cosign: 'path' }), { env: withFakeCosignPath({ FAKE_COSIGN_LOG: log, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['content-mismatch']);
    const argv = existsSync(log) ? readFileSync(log, 'utf8') : '';
    expect(argv).not.toMatch(/verify-blob/);
    const ok = await runGate(base(put(await attest(SPDX)), { mode: 'cosign', cosign: 'path', 'attestation-type': 'spdx' }), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'ok' }) });
    expect(ok.result.outcome, why(ok)).toBe('pass');
  });
});

describe('bundle versions and forms', () => {
  it.each([
    ['v0.1 (x509CertificateChain)', '0.1', undefined],
    ['v0.2 (x509CertificateChain)', '0.2', undefined],
    ['v0.3 (certificate)', '0.3', undefined],
    ['v0.3 in its legacy spelling', '0.3', 'application/vnd.dev.sigstore.bundle+json;version=0.3'],
  ] as const)('%s attestation verifies', async (_n, v, mediaType) => {
    const b = setBundleVersion(await attest(SLSA1), v) as any;
    if (mediaType) b.mediaType = mediaType;
    const r = await runGate(base(put(b), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome, why(r)).toBe('pass');
    expect((r.records[0] as any).details.bundle_version).toBe(v);
  });

  it('an unknown bundle version is refused, not guessed', async () => {
    const b = (await attest(SLSA1)) as any;
    b.mediaType = 'application/vnd.dev.sigstore.bundle.v0.9+json';
    const r = await runGate(base(put(b), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bundle-unsupported-version']);
  });

  it('a DSSE envelope with two signatures is not a Sigstore bundle: error that says so', async () => {
    const b = (await attest(SLSA1)) as any;
    b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]);
    const r = await runGate(base(put(b), { 'attestation-type': 'slsaprovenance1' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bundle-malformed']);
    expect(why(r)).toMatch(/exactly one signature/);
  });
});

describe('identities as users write them', () => {
  it('before: a case-only difference said "expected /^https:\\/\\/github\\.com…/" with no signer recorded; still exact (as cosign), now with the identity found and a hint', async () => {
    const b = put(await attest(SLSA1));
    const r = await runGate(base(b, { 'attestation-type': 'slsaprovenance1', 'certificate-identity': githubIdentity('Acme/Widget') }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['identity-mismatch']);
    expect(why(r)).toMatch(/differ only in letter case/);
    expect((r.records[0] as any).details.got_identity).toBe(IDENTITY);
    const other = await runGate(base(b, { 'attestation-type': 'slsaprovenance1', 'certificate-identity': githubIdentity('acme/other') }));
    expect(why(other)).not.toMatch(/letter case/);
  });

  it('a reusable workflow: the SAN names the shared workflow, source-repository the calling repository', async () => {
    const shared = 'https://github.com/acme/shared/.github/workflows/release.yml@refs/tags/v1.2.3';
    const b = put(await ss.signStatement(statement(bySha256, SLSA1, {}), { identity: shared, github: { ...githubClaims(REPO), job_workflow_ref: shared.slice('https://github.com/'.length) } }));
    const ok = await runGate(base(b, { 'attestation-type': 'slsaprovenance1', 'certificate-identity': shared, 'source-repository': REPO, 'source-ref': 'refs/tags/v1.0.0' }));
    expect(ok.result.outcome, why(ok)).toBe('pass');
    const caller = await runGate(base(b, { 'attestation-type': 'slsaprovenance1', 'certificate-identity': shared, 'source-repository': 'acme/shared' }));
    expect(caller.result.reasons).toEqual(['extension-mismatch']);
    const rx = await runGate(base(b, { 'attestation-type': 'slsaprovenance1', 'certificate-identity': '', 'certificate-identity-regexp': '^https://github.com/acme/shared/.github/workflows/release.yml@refs/tags/v1\\.\\d+\\.\\d+$' }));
    expect(rx.result.outcome, why(rx)).toBe('pass');
  });

  it.each([
    ['^https://github.com/acme/widget/.*$', 'pass'],
    ['^https://github\\.com/acme/widget/\\.github/workflows/.+@refs/tags/v.*$', 'pass'],
    ['^https://github.com/acme/widget-evil/.*$', 'fail'],
    ['^https://github.com/acme/.*-evil/.*$', 'fail'],
  ])('certificate-identity-regexp %s → %s', async (re, outcome) => {
    const r = await runGate(base(put(await ss.signBlob(TGZ, { identity: IDENTITY, github: githubClaims(REPO) })), { 'certificate-identity': '', 'certificate-identity-regexp': re }));
    expect(r.result.outcome, why(r)).toBe(outcome);
  });

  it('an unanchored regexp as cosign users write it is refused (it would match acme/widget-evil too)', async () => {
    const r = await runGate(base(put(await ss.signBlob(TGZ, { identity: IDENTITY })), { 'certificate-identity': '', 'certificate-identity-regexp': 'https://github.com/acme/widget/.*' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(why(r)).toMatch(/anchored/);
  });

  it('source-repository as the clone URL (.git, trailing /) names the repository; a case-only difference fails with a hint', async () => {
    const b = put(await ss.signBlob(TGZ, { identity: IDENTITY, github: githubClaims(REPO) }));
    for (const repo of ['https://github.com/acme/widget.git', 'https://github.com/acme/widget/']) {
      const r = await runGate(base(b, { 'source-repository': repo }));
      expect(r.result.outcome, why(r)).toBe('pass');
    }
    const c = await runGate(base(b, { 'source-repository': 'Acme/Widget' }));
    expect(c.result.outcome).toBe('fail');
    expect(c.result.reasons).toEqual(['extension-mismatch']);
    expect(why(c)).toMatch(/differ only in letter case/);
    expect((await runGate(base(b, { 'source-repository': 'acme/widget-evil' }))).result.reasons).toEqual(['extension-mismatch']);
  });

  it.each([
    ['GitLab', 'https://gitlab.com', 'https://gitlab.com/acme/widget//.gitlab-ci.yml@refs/heads/main'],
    ['Buildkite', 'https://agent.buildkite.com', 'https://buildkite.com/acme/widget-release'],
  ])('%s issuer: exact identity and issuer pass; GitHub\'s issuer for the same identity fails', async (_n, issuer, identity) => {
    const b = put(await ss.signBlob(TGZ, { identity, issuer }));
    expect((await runGate(base(b, { 'certificate-identity': identity, 'certificate-oidc-issuer': issuer }))).result.outcome).toBe('pass');
    expect((await runGate(base(b, { 'certificate-identity': identity }))).result.reasons).toEqual(['issuer-mismatch']);
  });

  it('before: source-repository owner/repo with a GitLab issuer silently meant github.com; now an input error asking for the URL', async () => {
    const b = put(await ss.signBlob(TGZ, { identity: 'https://gitlab.com/acme/widget//.gitlab-ci.yml@refs/heads/main', issuer: 'https://gitlab.com' }));
    const r = await runGate(base(b, { 'certificate-identity': 'https://gitlab.com/acme/widget//.gitlab-ci.yml@refs/heads/main', 'certificate-oidc-issuer': 'https://gitlab.com', 'source-repository': 'acme/widget' }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(why(r)).toMatch(/https:\/\/gitlab\.com\/acme\/widget/);
    // with GitHub's issuer the shorthand still means github.com
    const gh = await runGate(base(put(await ss.signBlob(TGZ, { identity: IDENTITY, github: githubClaims(REPO) })), { 'source-repository': REPO }));
    expect(gh.result.outcome, why(gh)).toBe('pass');
  });
});

describe('cosign verify output and image references (stand-in cosign)', () => {
  const D = 'ab'.repeat(32);
  const img = (ref: string, over: Record<string, string> = {}) => ({ image: ref, cosign: 'path', 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, ...over });

  it('cosign 2.x keyless output (raw OIDs, Bundle, Issuer, Subject, githubWorkflow*) is read: signer from optional.Subject/Issuer', async () => {
    const r = await runGate(img(`ghcr.io/acme/widget@sha256:${D}`), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'real2' }) });
    expect(r.result.outcome, why(r)).toBe('pass');
    expect(r.result.outputs).toMatchObject({ 'verified-digest': `sha256:${D}`, 'signer-identity': IDENTITY, 'signer-issuer': GITHUB_ISSUER });
  });

  it('before: output naming another signer than asked (not cosign\'s answer to this policy) passed; now fail', async () => {
    const r = await runGate(img(`ghcr.io/acme/widget@sha256:${D}`), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'other-signer' }) });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['no-matching-signature']);
    expect(why(r)).toMatch(/widget-evil/);
    const rx = await runGate(img(`ghcr.io/acme/widget@sha256:${D}`, { 'certificate-identity': '', 'certificate-identity-regexp': '^https://github.com/acme/widget/.*$' }), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'other-signer' }) });
    expect(rx.result.outcome).toBe('fail');
  });

  it('a key-pair signature (optional: null) passes with key; the signer is the key fingerprint', async () => {
    const { keyPairWithPem } = await import('../../helpers/sigstore.js');
    const key = put(keyPairWithPem().publicKeyPem, 'cosign.pub');
    const r = await runGate({ image: `ghcr.io/acme/widget@sha256:${D}`, cosign: 'path', key }, { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'keyed' }) });
    expect(r.result.outcome, why(r)).toBe('pass');
    expect(r.result.outputs?.['signer-identity']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['a registry with a port', `localhost:5000/acme/widget@sha256:${D}`, `localhost:5000/acme/widget@sha256:${D}`],
    ['Docker Hub official image, long form', `index.docker.io/library/alpine@sha256:${D}`, `index.docker.io/library/alpine@sha256:${D}`],
    ['tag and digest', `ghcr.io/acme/widget:v1.0.0@sha256:${D}`, `ghcr.io/acme/widget:v1.0.0@sha256:${D}`],
    ['upper-case digest', `ghcr.io/acme/widget@sha256:${D.toUpperCase()}`, `ghcr.io/acme/widget@sha256:${D}`],
    ['before: an upper-case algorithm (SHA256:) was "not pinned by digest"', `ghcr.io/acme/widget@SHA256:${D.toUpperCase()}`, `ghcr.io/acme/widget@sha256:${D}`],
  ])('%s', async (_n, ref, passed) => {
    const d = mkdtempSync(join(tmpdir(), 'cg-fake-'));
    const log = join(d, 'argv.ndjson');
    const r = await runGate(img(ref), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'real2', FAKE_COSIGN_LOG: log }) });
    expect(r.result.outcome, why(r)).toBe('pass');
    const argv = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]).find((a) => a[0] === 'verify')!;
    expect(argv.at(-1)).toBe(passed);
  });

  it('image with a downloaded bundle: the error points to artifact-digest (in-process), which then verifies the image\'s attestation', async () => {
    const imgDigest = sha256Hex('an image manifest');
    const bundle = jsonl(await attest(SLSA1, { subjects: [{ name: 'ghcr.io/acme/widget', digest: { sha256: imgDigest } }] }));
    const r = await runGate({ ...img(`ghcr.io/acme/widget@sha256:${imgDigest}`), bundle });
    expect(r.result.outcome).toBe('error');
    expect(why(r)).toContain(`artifact-digest: sha256:${imgDigest}`);
    const ok = await runGate({ bundle, 'artifact-digest': `sha256:${imgDigest}`, 'attestation-type': 'slsaprovenance1', 'trusted-root': root, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER });
    expect(ok.result.outcome, why(ok)).toBe('pass');
  });

  it.each([`ghcr.io/acme/widget:v1.0.0`, `ghcr.io/acme/widget@sha256:${D.slice(2)}`, `ghcr.io/acme/widget@sha512:${D}${D}`])('not pinned by a sha256 digest: %s → invalid-input', async (ref) => {
    const r = await runGate(img(ref), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
  });
});
