import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITHUB_ISSUER, MockSigstore, SLSA_PROVENANCE_V1, githubClaims, githubIdentity, keyPairWithPem, sha256Hex, statement } from '../../helpers/sigstore.js';
import { runGate } from './helpers.js';
import { exitCodeFor } from '../../../src/core/runner.js';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const ARTIFACT = Buffer.from('widget-1.0.0.tgz bytes');
const DIGEST = `sha256:${sha256Hex(ARTIFACT)}`;

let ss: MockSigstore;
let other: MockSigstore;
let dir: string;
let files: { bundle: string; root: string; artifact: string; att: string; otherRoot: string };

beforeAll(async () => {
  ss = await MockSigstore.start();
  other = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-vc-ip-'));
  const blob = await ss.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO) });
  const att = await ss.signStatement(statement([{ name: 'widget.tgz', digest: { sha256: sha256Hex(ARTIFACT) } }]), { identity: IDENTITY, github: githubClaims(REPO) });
  const w = ss.writeFiles(dir, { bundle: blob, root: true, artifact: ARTIFACT });
  const a = ss.writeFiles(dir, { bundle: att, bundleName: 'widget.intoto.sigstore.json' });
  const o = other.writeFiles(join(dir, 'other'), { root: true });
  files = { bundle: w.bundle!, root: w.root!, artifact: w.artifact!, att: a.bundle!, otherRoot: o.root! };
});

afterAll(async () => {
  await ss.close();
  await other.close();
});

const base = () => ({
  bundle: files.bundle,
  artifact: files.artifact,
  'trusted-root': files.root,
  'certificate-identity': IDENTITY,
  'certificate-oidc-issuer': GITHUB_ISSUER,
});

describe('verify-cosign in-process', () => {
  it('passes a keyless blob signature and records subject, tool, trust and signer', async () => {
    const r = await runGate(base());
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect(r.result.outputs).toMatchObject({ 'verified-digest': DIGEST, 'signer-identity': IDENTITY, 'signer-issuer': GITHUB_ISSUER, method: 'in-process' });
    expect(r.records).toHaveLength(1);
    const rec = r.records[0] as Record<string, any>;
    expect(rec.outcome).toBe('pass');
    expect(rec.subject.digest).toBe(DIGEST);
    expect(rec.tool.name).toBe('@sigstore/verify');
    expect(rec.details.trust_source).toBe('file');
    expect(rec.details.signer_identity).toBe(IDENTITY);
    expect(rec.details.method).toBe('in-process');
  });

  it('passes with the artifact digest only (sha256: prefix or not)', async () => {
    for (const d of [DIGEST, DIGEST.slice(7)]) {
      const r = await runGate({ ...base(), artifact: undefined, 'artifact-digest': d });
      expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
      expect(r.result.outputs?.['verified-digest']).toBe(DIGEST);
    }
  });

  it('passes an attestation with the expected predicate type (URI or cosign shorthand) and extension checks', async () => {
    for (const t of [SLSA_PROVENANCE_V1, 'slsaprovenance1']) {
      const r = await runGate({ ...base(), bundle: files.att, 'attestation-type': t, 'source-repository': REPO, 'source-ref': 'refs/tags/v1.0.0', workflow: `https://github.com/${IDENTITY.slice('https://github.com/'.length)}` });
      expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
      expect((r.records[0] as any).details.predicate_type).toBe(SLSA_PROVENANCE_V1);
    }
  });

  it.each([
    ['wrong SAN', { 'certificate-identity': githubIdentity('acme/other') }, 'identity-mismatch'],
    ['look-alike SAN', { 'certificate-identity': 'https://github.com/acme/widge' }, 'identity-mismatch'],
    ['wrong issuer', { 'certificate-oidc-issuer': 'https://accounts.google.com' }, 'issuer-mismatch'],
    ['wrong source repository', { 'source-repository': 'acme/widget-evil' }, 'extension-mismatch'],
    ['wrong predicate type', { bundle: 'ATT', 'attestation-type': 'https://slsa.dev/provenance/v0.2' }, 'predicate-type-mismatch'],
    ['message signature where an attestation is expected', { 'attestation-type': 'slsaprovenance1' }, 'content-mismatch'],
    ['other trusted root', { 'trusted-root': 'OTHER' }, 'timestamp-invalid'],
    ['artifact digest of another artifact', { artifact: undefined, 'artifact-digest': `sha256:${'0'.repeat(64)}` }, 'artifact-digest-mismatch'],
  ])('%s → fail', async (_n, over, reason) => {
    const inputs: Record<string, string | undefined> = { ...base(), ...over };
    if (inputs.bundle === 'ATT') inputs.bundle = files.att;
    if (inputs['trusted-root'] === 'OTHER') inputs['trusted-root'] = files.otherRoot;
    const r = await runGate(inputs);
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('fail');
    expect(r.result.reasons).toEqual([reason]);
    expect(exitCodeFor(r.result.outcome)).toBe(1);
    expect(r.result.outputs?.['verified-digest']).toBe('');
    expect(r.records).toHaveLength(1);
  });

  it('tampered artifact → fail', async () => {
    const p = join(dir, 'tampered.bin');
    writeFileSync(p, Buffer.concat([ARTIFACT, Buffer.from('!')]));
    const r = await runGate({ ...base(), artifact: p });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['artifact-digest-mismatch']);
  });

  it('subject digest mismatch → fail', async () => {
    const p = join(dir, 'other-artifact.bin');
    writeFileSync(p, 'another artifact');
    const r = await runGate({ ...base(), bundle: files.att, artifact: p, 'attestation-type': SLSA_PROVENANCE_V1 });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['subject-digest-mismatch']);
  });

  it('key-pair signatures with key', async () => {
    const { keyPair, publicKeyPem } = keyPairWithPem();
    const b = await ss.signBlob(ARTIFACT, { keyPair, tlog: false, tsa: false });
    const w = ss.writeFiles(join(dir, 'key'), { bundle: b });
    const keyFile = join(dir, 'key', 'cosign.pub');
    writeFileSync(keyFile, publicKeyPem);
    const r = await runGate({ bundle: w.bundle, artifact: files.artifact, key: keyFile, 'trusted-root': files.root });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect(r.result.outputs?.['signer-identity']).toMatch(/^sha256:[0-9a-f]{64}$/);
    const otherKey = join(dir, 'key', 'other.pub');
    writeFileSync(otherKey, keyPairWithPem().publicKeyPem);
    const bad = await runGate({ bundle: w.bundle, artifact: files.artifact, key: otherKey, 'trusted-root': files.root });
    expect(bad.result.outcome).toBe('fail');
    expect(bad.result.reasons).toEqual(['signature-invalid']);
  });

  it('the embedded public-good root is used by default and reported with its version', async () => {
    const r = await runGate({ ...base(), 'trusted-root': undefined });
    expect(r.result.outcome).not.toBe('pass');
    const rec = r.records[0] as any;
    expect(rec.details.trust_source).toBe('public-good');
    expect(rec.details.trust_version).toMatch(/@sigstore\/tuf .* \(TUF root v\d+\)/);
  });

  it.each([
    ['no identity', { 'certificate-identity': undefined }, /certificate identity is required/],
    ['no issuer', { 'certificate-oidc-issuer': undefined }, /OIDC issuer is required/],
    ['unanchored regexp', { 'certificate-identity': undefined, 'certificate-identity-regexp': 'github.com/acme/widget' }, /must be anchored/],
    ['no bundle', { bundle: undefined }, /bundle/],
    ['nothing to verify', { artifact: undefined }, /nothing to verify/],
    ['artifact and digest', { 'artifact-digest': DIGEST }, /either artifact or artifact-digest/],
    ['bad digest', { artifact: undefined, 'artifact-digest': 'md5:abc' }, /not supported/],
    ['github instance without root', { 'trusted-root': undefined, 'trust-instance': 'github' }, /trusted-root/],
    ['bad mode', { mode: 'fast' }, /mode/],
    ['bad timeout', { timeout: 'soon' }, /timeout/],
    ['bad retries', { retries: '-1' }, /retries/],
    ['empty key file', { key: '/dev/null', 'certificate-identity': undefined, 'certificate-oidc-issuer': undefined }, /is empty/],
    ['key and identity', { key: 'PUBKEY' }, /not both/],
  ])('usage error: %s → error invalid-input', async (_n, over, msg) => {
    const inputs: Record<string, string | undefined> = { ...base(), ...over };
    if (inputs.key === 'PUBKEY') {
      inputs.key = join(dir, 'id.pub');
      writeFileSync(inputs.key, keyPairWithPem().publicKeyPem);
    }
    const r = await runGate(inputs);
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(r.result.messages?.join('\n')).toMatch(msg);
    expect(r.records).toHaveLength(1);
  });
});
