// source-digest (Fulcio 1.13 Source Repository Digest, legacy 1.3 GitHub Workflow SHA) and build-trigger (1.20
// Build Trigger, legacy 1.2 GitHub Workflow Trigger): real mock-Sigstore bundles whose certificates the mock
// Fulcio derives from the token's `sha` / `event_name` claims (both the v2 and the legacy extension, as real
// Fulcio), plus certificates of other eras (legacy only, v2 only, neither) and ones no CA should issue (the two
// disagree, a malformed value). cosign mode: the flags cosign gets, and cosign's verdict on a mismatch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITHUB_ISSUER, MockSigstore, githubClaims, githubIdentity, sha256Hex, statement, type CertExtensionEdit, type GitHubClaims } from '../../helpers/sigstore.js';
import { runGate, withFakeCosignPath } from './helpers.js';
import { checkVerifyOutput } from '../../../src/gates/verify-cosign/cosign.js';
import { decodeFulcioExtensions, readExtension } from '../../../src/core/sigstore/index.js';
import { exitCodeFor } from '../../../src/core/runner.js';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const ARTIFACT = Buffer.from('acme-widget-1.0.0.tgz bytes (source digest)');
const SHA = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
const OTHER_SHA = 'b94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
const SHA256_COMMIT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const OID = (n: number) => `1.3.6.1.4.1.57264.1.${n}`;

let ss: MockSigstore;
let dir: string;
let root: string;
let artifact: string;
const b: Record<string, string> = {};

const claims = (over: Partial<GitHubClaims> = {}): GitHubClaims => ({ ...githubClaims(REPO), sha: SHA, event_name: 'push', ...over });
async function sign(name: string, github: GitHubClaims, certExtensions?: CertExtensionEdit): Promise<void> {
  const bundle = await ss.signBlob(ARTIFACT, { identity: IDENTITY, github, certExtensions });
  b[name] = ss.writeFiles(dir, { bundle, bundleName: `${name}.sigstore.json` }).bundle!;
}

beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-vc-sd-'));
  const w = ss.writeFiles(dir, { root: true, artifact: ARTIFACT, artifactName: 'widget.tgz' });
  root = w.root!;
  artifact = w.artifact!;
  const { sha: _s, event_name: _e, ...noShaNoEvent } = claims();
  // sequential: each signing request's certificate edit must reach its own request
  await sign('good', claims());
  await sign('dispatch', claims({ event_name: 'workflow_dispatch' }));
  await sign('sha256', claims({ sha: SHA256_COMMIT }));
  await sign('legacyOnly', claims(), { drop: [OID(13), OID(20)] });
  await sign('v2Only', claims(), { drop: [OID(3), OID(2)] });
  await sign('neither', noShaNoEvent as GitHubClaims);
  await sign('disagree', claims(), { set: [{ oid: OID(3), value: OTHER_SHA, legacy: true }, { oid: OID(2), value: 'workflow_dispatch', legacy: true }] });
  await sign('suffixed', claims({ sha: `${SHA}0` }));
  await sign('truncated', claims({ sha: SHA.slice(1) }));
  await sign('upperInCert', claims({ sha: SHA.toUpperCase() }));
  // 1.13 / 1.20 as raw bytes, not a DER UTF8String: malformed, never read
  await sign('malformed', claims(), { set: [{ oid: OID(13), value: SHA, legacy: true }, { oid: OID(20), value: 'push', legacy: true }] });
  const att = await ss.signStatement(statement([{ name: 'widget.tgz', digest: { sha256: sha256Hex(ARTIFACT) } }]), { identity: IDENTITY, github: claims() });
  b.att = ss.writeFiles(dir, { bundle: att, bundleName: 'att.sigstore.json' }).bundle!;
});
afterAll(async () => ss?.close());

const base = (bundle: string, over: Record<string, string | undefined> = {}) => ({
  bundle,
  artifact,
  'trusted-root': root,
  'certificate-identity': IDENTITY,
  'certificate-oidc-issuer': GITHUB_ISSUER,
  ...over,
});
const why = (r: { result: { messages?: string[] } }) => r.result.messages?.join('\n') ?? '';

describe('the mock Fulcio really derives the extensions from the claims (and the edits apply)', () => {
  it('sha → 1.3 and 1.13, event_name → 1.2 and 1.20; the edited certificates carry what they say', async () => {
    const certOf = (p: string) => {
      const j = JSON.parse(readFileSync(p, 'utf8'));
      return Buffer.from(j.verificationMaterial.certificate.rawBytes, 'base64');
    };
    const { X509Certificate } = await import('@peculiar/x509');
    await import('reflect-metadata');
    const exts = (p: string) => {
      const c = new X509Certificate(certOf(p));
      return decodeFulcioExtensions(c.extensions.map((e) => ({ oid: { id: e.type.split('.').map(Number) }, value: new Uint8Array(e.value) })));
    };
    expect(exts(b.good).values).toMatchObject({ githubWorkflowSha: SHA, sourceRepositoryDigest: SHA, githubWorkflowTrigger: 'push', buildTrigger: 'push' });
    const legacy = exts(b.legacyOnly).values;
    expect([legacy.githubWorkflowSha, legacy.sourceRepositoryDigest, legacy.githubWorkflowTrigger, legacy.buildTrigger]).toEqual([SHA, undefined, 'push', undefined]);
    const v2 = exts(b.v2Only).values;
    expect([v2.githubWorkflowSha, v2.sourceRepositoryDigest, v2.githubWorkflowTrigger, v2.buildTrigger]).toEqual([undefined, SHA, undefined, 'push']);
    const none = exts(b.neither).values;
    expect([none.githubWorkflowSha, none.sourceRepositoryDigest, none.githubWorkflowTrigger, none.buildTrigger]).toEqual([undefined, undefined, undefined, undefined]);
    expect(exts(b.malformed).malformed.sort()).toEqual(['buildTrigger', 'sourceRepositoryDigest']);
    const d = exts(b.disagree);
    expect(readExtension(d, 'sourceRepositoryDigest')).toMatchObject({ ok: false, problem: 'conflict' });
    expect(readExtension(d, 'sourceRepositoryURI')).toEqual({ ok: true, value: `https://github.com/${REPO}`, from: 'sourceRepositoryURI' });
    expect(readExtension(exts(b.legacyOnly), 'sourceRepositoryDigest')).toEqual({ ok: true, value: SHA, from: 'githubWorkflowSha' });
  });
});

describe('source-digest in-process', () => {
  it('passes on the right commit and records it (policy and details)', async () => {
    const r = await runGate(base(b.good, { 'source-digest': SHA }));
    expect(r.result.outcome, why(r)).toBe('pass');
    expect(r.records).toHaveLength(1);
    const rec = r.records[0] as any;
    expect(rec.policy.source_digest).toBe(SHA);
    expect(rec.details.source_digest).toBe(SHA);
    expect(rec.details.build_trigger).toBe('push');
  });

  it('an upper-case (or space-padded) SHA is normalised to lower case and passes', async () => {
    const r = await runGate(base(b.good, { 'source-digest': ` ${SHA.toUpperCase()} ` }));
    expect(r.result.outcome, why(r)).toBe('pass');
    expect((r.records[0] as any).policy.source_digest).toBe(SHA);
  });

  it('a 64-hex commit (SHA-256 repository) passes on its commit, fails on another', async () => {
    expect((await runGate(base(b.sha256, { 'source-digest': SHA256_COMMIT.toUpperCase() }))).result.outcome).toBe('pass');
    const r = await runGate(base(b.sha256, { 'source-digest': SHA }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['extension-mismatch']);
  });

  it('an attestation (DSSE) bundle is checked the same way', async () => {
    const ok = await runGate(base(b.att, { 'attestation-type': 'slsaprovenance1', 'source-digest': SHA, 'build-trigger': 'push' }));
    expect(ok.result.outcome, why(ok)).toBe('pass');
    const bad = await runGate(base(b.att, { 'attestation-type': 'slsaprovenance1', 'source-digest': OTHER_SHA }));
    expect(bad.result.reasons).toEqual(['extension-mismatch']);
  });

  it.each([
    ['another commit', 'good', OTHER_SHA, SHA],
    ['a commit differing in its last digit', 'good', `${SHA.slice(0, 39)}4`, SHA],
    ['a certificate value with our SHA as its prefix (one digit appended)', 'suffixed', SHA, `${SHA}0`],
    ['a certificate value that is our SHA without its first digit (a suffix)', 'truncated', SHA, SHA.slice(1)],
  ])('fails on %s: extension-mismatch naming the extension, expected and found', async (_n, bundle, want, got) => {
    const r = await runGate(base(b[bundle], { 'source-digest': want }));
    expect(r.result.outcome, why(r)).toBe('fail');
    expect(r.result.reasons).toEqual(['extension-mismatch']);
    expect(exitCodeFor(r.result.outcome)).toBe(1);
    expect(why(r)).toContain(`sourceRepositoryDigest (${OID(13)})`);
    expect(why(r)).toContain(`"${got}"`);
    expect(why(r)).toContain(`expected "${want.toLowerCase()}"`);
    expect(r.result.outputs?.['verified-digest']).toBe('');
    expect(r.records).toHaveLength(1);
    expect((r.records[0] as any).outcome).toBe('fail');
  });

  it('a certificate value in upper case is not lower-cased: compared exactly, the message says they differ in case', async () => {
    const r = await runGate(base(b.upperInCert, { 'source-digest': SHA }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['extension-mismatch']);
    expect(why(r)).toMatch(/differ only in letter case/);
  });

  it('a certificate without the extension (nor its legacy twin) fails: it cannot prove the commit', async () => {
    const r = await runGate(base(b.neither, { 'source-digest': SHA }));
    expect(r.result.outcome, why(r)).toBe('fail');
    expect(r.result.reasons).toEqual(['extension-mismatch']);
    expect(why(r)).toMatch(/is null \(the certificate does not carry it nor its legacy twin githubWorkflowSha \(1\.3\.6\.1\.4\.1\.57264\.1\.3\), so it cannot prove it\), expected "a94a8fe5/);
    // true negative: the same certificate verifies without the input
    expect((await runGate(base(b.neither))).result.outcome).toBe('pass');
  });

  it('decided: a legacy-only certificate (1.3, no 1.13; Fulcio before 2023) is accepted, as cosign does; the record says where it was read', async () => {
    const ok = await runGate(base(b.legacyOnly, { 'source-digest': SHA }));
    expect(ok.result.outcome, why(ok)).toBe('pass');
    expect((ok.records[0] as any).details.source_digest).toBe(SHA);
    const bad = await runGate(base(b.legacyOnly, { 'source-digest': OTHER_SHA }));
    expect(bad.result.outcome).toBe('fail');
    expect(bad.result.reasons).toEqual(['extension-mismatch']);
    expect(why(bad)).toContain(`(read from its legacy twin githubWorkflowSha (${OID(3)})) is "${SHA}"`);
  });

  it('a v2-only certificate (1.13, no 1.3) passes on its commit', async () => {
    expect((await runGate(base(b.v2Only, { 'source-digest': SHA, 'build-trigger': 'push' }))).result.outcome).toBe('pass');
    expect((await runGate(base(b.v2Only, { 'source-digest': OTHER_SHA }))).result.reasons).toEqual(['extension-mismatch']);
  });

  it('1.13 and 1.3 that disagree fail whichever of the two values is asked for', async () => {
    for (const want of [SHA, OTHER_SHA]) {
      const r = await runGate(base(b.disagree, { 'source-digest': want }));
      expect(r.result.outcome, why(r)).toBe('fail');
      expect(r.result.reasons).toEqual(['extension-mismatch']);
      expect(why(r)).toMatch(/disagree: the certificate proves neither/);
      expect(why(r)).toContain(`"${SHA}"`);
      expect(why(r)).toContain(`"${OTHER_SHA}"`);
    }
    // true negative: the disagreement matters only when the commit is checked
    expect((await runGate(base(b.disagree))).result.outcome).toBe('pass');
  });

  it('a malformed 1.13 (raw bytes instead of a DER UTF8String) is never read, nor replaced by 1.3', async () => {
    const r = await runGate(base(b.malformed, { 'source-digest': SHA }));
    expect(r.result.outcome, why(r)).toBe('fail');
    expect(r.result.reasons).toEqual(['extension-mismatch']);
    expect(why(r)).toMatch(/sourceRepositoryDigest \(1\.3\.6\.1\.4\.1\.57264\.1\.13\) is malformed/);
  });

  it.each([
    ['abbreviated', SHA.slice(0, 7)],
    ['39 digits', SHA.slice(0, 39)],
    ['41 digits', `${SHA}0`],
    ['a sha1: prefix', `sha1:${SHA}`],
    ['a sha256: prefix', `sha256:${SHA256_COMMIT}`],
    ['non-hex', 'g'.repeat(40)],
    ['an inner space', `${SHA.slice(0, 20)} ${SHA.slice(20)}`],
    ['an unevaluated expression', '${{ github.sha }}'],
    ['a ref instead of a commit', 'refs/tags/v1.0.0'],
  ])('refuses %s with invalid-input saying what is expected (error, exit 2, one record)', async (_n, v) => {
    const r = await runGate(base(b.good, { 'source-digest': v }));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(exitCodeFor(r.result.outcome)).toBe(2);
    expect(why(r)).toMatch(/source-digest: .* is not a full commit SHA: give the 40 hex digits of the commit \(64 for a SHA-256 repository\)/);
    expect(r.records).toHaveLength(1);
  });
  it('with key (a key-pair signature has no certificate extensions) it is invalid-input, never ignored', async () => {
    const { writeFileSync } = await import('node:fs');
    const { keyPairWithPem } = await import('../../helpers/sigstore.js');
    const k = join(dir, 'cosign.pub');
    writeFileSync(k, keyPairWithPem().publicKeyPem);
    const r = await runGate({ bundle: b.good, artifact, 'trusted-root': root, key: k, 'source-digest': SHA });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
  });
});

describe('build-trigger in-process', () => {
  it('passes on the event that triggered the build (push, workflow_dispatch)', async () => {
    expect((await runGate(base(b.good, { 'build-trigger': 'push' }))).result.outcome).toBe('pass');
    const r = await runGate(base(b.dispatch, { 'build-trigger': 'workflow_dispatch', 'source-digest': SHA }));
    expect(r.result.outcome, why(r)).toBe('pass');
    expect((r.records[0] as any).policy.build_trigger).toBe('workflow_dispatch');
    expect((r.records[0] as any).details.build_trigger).toBe('workflow_dispatch');
  });

  it.each([
    ['another event', 'good', 'release', '"push"'],
    ['a prefix look-alike', 'dispatch', 'workflow', '"workflow_dispatch"'],
    ['an event with our name as its prefix', 'good', 'push_evil', '"push"'],
    ['another letter case', 'good', 'Push', 'differ only in letter case'],
  ])('fails on %s (exact match)', async (_n, bundle, want, found) => {
    const r = await runGate(base(b[bundle], { 'build-trigger': want }));
    expect(r.result.outcome, why(r)).toBe('fail');
    expect(r.result.reasons).toEqual(['extension-mismatch']);
    expect(why(r)).toContain(`buildTrigger (${OID(20)})`);
    expect(why(r)).toContain(found);
    expect(why(r)).toContain(`expected "${want}"`);
  });

  it('legacy-only (1.2) is accepted; neither fails; disagreeing 1.20 / 1.2 fail', async () => {
    expect((await runGate(base(b.legacyOnly, { 'build-trigger': 'push' }))).result.outcome).toBe('pass');
    expect((await runGate(base(b.legacyOnly, { 'build-trigger': 'release' }))).result.reasons).toEqual(['extension-mismatch']);
    const none = await runGate(base(b.neither, { 'build-trigger': 'push' }));
    expect(none.result.outcome).toBe('fail');
    expect(why(none)).toMatch(/does not carry it nor its legacy twin githubWorkflowTrigger/);
    for (const want of ['push', 'workflow_dispatch']) {
      const r = await runGate(base(b.disagree, { 'build-trigger': want }));
      expect(r.result.outcome).toBe('fail');
      expect(why(r)).toMatch(/disagree/);
    }
    expect((await runGate(base(b.malformed, { 'build-trigger': 'push' }))).result.reasons).toEqual(['extension-mismatch']);
  });

  it.each([['two words', 'push pull_request'], ['a leading dash (a cosign flag)', '-x'], ['a control character', 'push\u0007'], ['too long', 'a'.repeat(101)]])(
    'refuses %s with invalid-input',
    async (_n, v) => {
      const r = await runGate(base(b.good, { 'build-trigger': v }));
      expect(r.result.outcome).toBe('error');
      expect(r.result.reasons).toEqual(['invalid-input']);
      expect(why(r)).toMatch(/build-trigger: .* is not an event name: .* e\.g\. push, release, workflow_dispatch/);
    },
  );
});

describe('cosign mode: --certificate-github-workflow-sha / -trigger', () => {
  const HEX = 'ab'.repeat(32);
  const IMAGE = `ghcr.io/acme/widget@sha256:${HEX}`;
  const state = () => {
    const d = mkdtempSync(join(tmpdir(), 'cg-fake-sd-'));
    return { FAKE_COSIGN_LOG: join(d, 'argv.ndjson') };
  };
  const verifyCalls = (s: { FAKE_COSIGN_LOG: string }): string[][] =>
    (existsSync(s.FAKE_COSIGN_LOG) ? readFileSync(s.FAKE_COSIGN_LOG, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : []).filter((a) => a[0] !== 'version');
  const image = (over: Record<string, string> = {}) => ({ image: IMAGE, cosign: 'path', 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, retries: '0', ...over });
  const cert = { FAKE_COSIGN_CERT_SHA: SHA, FAKE_COSIGN_CERT_TRIGGER: 'release' };

  it('image: the flags follow the other identity flags, the SHA lower-cased; cosign passes', async () => {
    const s = state();
    const r = await runGate(image({ 'source-repository': REPO, 'source-ref': 'refs/tags/v1.0.0', 'source-digest': SHA.toUpperCase(), 'build-trigger': 'release' }), { env: withFakeCosignPath({ ...s, ...cert, FAKE_COSIGN_MODE: 'real2' }) });
    expect(r.result.outcome, why(r)).toBe('pass');
    expect(verifyCalls(s)).toEqual([
      [
        'verify', '--output', 'json',
        '--certificate-identity', IDENTITY,
        '--certificate-oidc-issuer', GITHUB_ISSUER,
        '--certificate-github-workflow-repository', REPO,
        '--certificate-github-workflow-ref', 'refs/tags/v1.0.0',
        '--certificate-github-workflow-sha', SHA,
        '--certificate-github-workflow-trigger', 'release',
        IMAGE,
      ],
    ]);
    expect((r.records[0] as any).policy).toMatchObject({ source_digest: SHA, build_trigger: 'release' });
  });

  it('without the inputs no such flag is passed (true negative)', async () => {
    const s = state();
    expect((await runGate(image(), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }) })).result.outcome).toBe('pass');
    expect(verifyCalls(s)[0].join(' ')).not.toMatch(/workflow-sha|workflow-trigger/);
  });

  it.each([
    ['image, another commit', 'sha', OTHER_SHA, cert],
    ['image, another trigger', 'trigger', 'push', cert],
    ['image, a certificate without the legacy SHA', 'sha', SHA, { FAKE_COSIGN_CERT_SHA: '' }],
  ])('%s: cosign exits 12 → fail no-matching-signature', async (_n, which, v, env) => {
    const r = await runGate(image(which === 'sha' ? { 'source-digest': v } : { 'build-trigger': v }), { env: withFakeCosignPath({ ...env, FAKE_COSIGN_MODE: 'real2' }) });
    expect(r.result.outcome, why(r)).toBe('fail');
    expect(r.result.reasons).toEqual(['no-matching-signature']);
    expect(why(r)).toMatch(/expected GitHub Workflow (SHA|Trigger) not found in certificate/);
  });

  it('blob (verify-blob): flags passed; a mismatch (exit 1, cosign\'s policy error) is a fail, not an error', async () => {
    const s = state();
    const inputs = base(b.good, { mode: 'cosign', cosign: 'path', 'source-digest': SHA, 'build-trigger': 'push', retries: '0' });
    const ok = await runGate(inputs, { env: withFakeCosignPath({ ...s, FAKE_COSIGN_CERT_SHA: SHA, FAKE_COSIGN_MODE: 'ok' }) });
    expect(ok.result.outcome, why(ok)).toBe('pass');
    const argv = verifyCalls(s)[0];
    expect(argv[0]).toBe('verify-blob');
    expect(argv[argv.indexOf('--certificate-github-workflow-sha') + 1]).toBe(SHA);
    expect(argv[argv.indexOf('--certificate-github-workflow-trigger') + 1]).toBe('push');
    const bad = await runGate(inputs, { env: withFakeCosignPath({ FAKE_COSIGN_CERT_SHA: OTHER_SHA, FAKE_COSIGN_MODE: 'ok' }) });
    expect(bad.result.outcome, why(bad)).toBe('fail');
    expect(bad.result.reasons).toEqual(['no-matching-signature']);
  });

  it('with another forge\'s issuer cosign could never match (legacy GitHub extensions): invalid-input pointing to in-process', async () => {
    for (const over of [{ 'source-digest': SHA }, { 'build-trigger': 'push' }] as Array<Record<string, string>>) {
      const r = await runGate(image({ 'certificate-oidc-issuer': 'https://gitlab.com', ...over }), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'ok' }) });
      expect(r.result.outcome).toBe('error');
      expect(r.result.reasons).toEqual(['invalid-input']);
      expect(why(r)).toMatch(/use mode in-process/);
    }
  });

  it('cosign output naming another commit or trigger than asked is not cosign\'s answer (no-matching-signature)', () => {
    const out = (sha: string, trigger: string) =>
      JSON.stringify([{ critical: { image: { 'docker-manifest-digest': `sha256:${HEX}` } }, optional: { githubWorkflowSha: sha, '1.3.6.1.4.1.57264.1.3': sha, githubWorkflowTrigger: trigger } }]);
    expect(checkVerifyOutput(out(SHA, 'push'), `sha256:${HEX}`, { workflowSha: SHA, workflowTrigger: 'push' }).ok).toBe(true);
    expect(checkVerifyOutput(out(OTHER_SHA, 'push'), `sha256:${HEX}`, { workflowSha: SHA })).toMatchObject({ ok: false, reason: 'no-matching-signature' });
    expect(checkVerifyOutput(out(SHA, 'release'), `sha256:${HEX}`, { workflowTrigger: 'push' })).toMatchObject({ ok: false, reason: 'no-matching-signature' });
    // nothing asked: the fields are not compared
    expect(checkVerifyOutput(out(OTHER_SHA, 'release'), `sha256:${HEX}`, {}).ok).toBe(true);
  });
});
