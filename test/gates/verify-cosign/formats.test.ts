// The signature files users have: cosign's legacy bundle, detached signature files, gh attestation JSONL,
// the attestations REST API answer: through the whole gate (outcome, exit code, outputs, one record).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { GITHUB_ISSUER, MockSigstore, githubClaims, githubIdentity, keyPairWithPem, sha256Hex, statement } from '../../helpers/sigstore.js';
import { apiAnswer, detachedFiles, ghJsonl, legacyBody, toLegacyCosignBundle, withForeignSet, withLegacyBody } from '../../helpers/cosign-legacy.js';
import { runGate } from './helpers.js';
import { exitCodeFor } from '../../../src/core/runner.js';

const REPO = 'acme/widget';
const IDENTITY = githubIdentity(REPO);
const ARTIFACT = Buffer.from('widget-1.0.0.tgz bytes (legacy)');
const DIGEST = `sha256:${sha256Hex(ARTIFACT)}`;

let ss: MockSigstore;
let dir: string;
let root: string;
let artifact: string;
const f: Record<string, string> = {};
let keyPath: string;

function put(name: string, content: string | object): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-vc-fmt-'));
  const w = ss.writeFiles(dir, { root: true, artifact: ARTIFACT });
  root = w.root!;
  artifact = w.artifact!;
  const v01 = await ss.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims(REPO), tsa: false, version: '0.1' });
  const legacy = toLegacyCosignBundle(v01);
  f.legacy = put('legacy.bundle', legacy);
  const body = legacyBody(legacy);
  body.spec.signature.content = Buffer.from('tampered').toString('base64');
  f.tamperedBody = put('legacy-tampered-body.bundle', withLegacyBody(legacy, body));
  f.foreignSet = put('legacy-foreign-set.bundle', withForeignSet(legacy, createHash('sha256').update('other log').digest('hex')));
  const d = detachedFiles(v01);
  f.sig = put('artifact.sig', d.signature);
  f.cert = put('artifact.pem', d.certificatePem);
  const att = await ss.signStatement(statement([{ name: 'widget.tgz', digest: { sha256: sha256Hex(ARTIFACT) } }]), { identity: IDENTITY, github: githubClaims(REPO) });
  f.jsonl = put('attestations.jsonl', ghJsonl([att]));
  f.api = put('api.json', apiAnswer([att]));
  const kp = keyPairWithPem();
  keyPath = put('cosign.pub', kp.publicKeyPem);
  f.keyLegacy = put('legacy-key.bundle', toLegacyCosignBundle(await ss.signBlob(ARTIFACT, { keyPair: kp.keyPair, tsa: false, version: '0.1' })));
});

afterAll(async () => {
  await ss.close();
});

const base = (bundle: string, over: Record<string, string> = {}) => ({
  bundle,
  artifact,
  'trusted-root': root,
  'certificate-identity': IDENTITY,
  'certificate-oidc-issuer': GITHUB_ISSUER,
  ...over,
});

describe('verify-cosign in-process: cosign legacy bundles', () => {
  it('passes a keyless legacy bundle and records its format', async () => {
    const r = await runGate(base(f.legacy));
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect(exitCodeFor(r.result.outcome)).toBe(0);
    expect(r.result.outputs).toMatchObject({ 'verified-digest': DIGEST, 'signer-identity': IDENTITY, 'signer-issuer': GITHUB_ISSUER });
    expect(r.result.messages?.[0]).toMatch(/cosign legacy bundle/);
    const rec = r.records[0] as Record<string, any>;
    expect(r.records).toHaveLength(1);
    expect(rec.details).toMatchObject({ bundle_format: 'cosign-legacy-bundle', bundle_container: 'file', bundle_version: '0.1', timestamps_tlog: 1, timestamps_tsa: 0 });
  });

  it('passes a key-pair legacy bundle with key', async () => {
    const r = await runGate({ bundle: f.keyLegacy, artifact, 'trusted-root': root, key: keyPath });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
  });

  it.each([
    ['tampered artifact', () => base(f.legacy, { artifact: put('evil.bin', 'evil') }), 'artifact-digest-mismatch'],
    ['tampered Rekor body', () => base(f.tamperedBody), 'tlog-invalid'],
    ['wrong identity', () => base(f.legacy, { 'certificate-identity': githubIdentity('acme/other') }), 'identity-mismatch'],
    ['SET from another log', () => base(f.foreignSet), 'tlog-invalid'],
  ])('%s → fail', async (_n, inputs, reason) => {
    const r = await runGate(inputs());
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('fail');
    expect(r.result.reasons).toEqual([reason]);
    expect(exitCodeFor(r.result.outcome)).toBe(1);
    expect(r.result.outputs?.['verified-digest']).toBe('');
    expect(r.records).toHaveLength(1);
    expect((r.records[0] as any).details.bundle_format).toBe('cosign-legacy-bundle');
  });
});

describe('verify-cosign in-process: detached files and wrapped bundles', () => {
  it.each([
    ['detached signature (--output-signature)', () => f.sig, /bare base64 signature.*cosign sign-blob --bundle/],
    ['certificate (--output-certificate)', () => f.cert, /PEM certificate.*cosign sign-blob --bundle/],
  ])('%s as bundle → error with a --bundle hint', async (_n, bundle, msg) => {
    const r = await runGate(base(bundle()));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bundle-malformed']);
    expect(exitCodeFor(r.result.outcome)).toBe(2);
    expect(r.result.messages?.join('\n')).toMatch(msg);
    expect(r.records).toHaveLength(1);
  });

  it('gh attestation download JSONL and the attestations API answer pass', async () => {
    for (const [b, container] of [
      [f.jsonl, 'gh-attestation-jsonl'],
      [f.api, 'attestations-api'],
    ]) {
      const r = await runGate(base(b, { 'attestation-type': 'slsaprovenance1' }));
      expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
      expect((r.records[0] as any).details.bundle_container).toBe(container);
    }
  });

  it('wrapped attestations still fail on the wrong identity', async () => {
    const r = await runGate(base(f.jsonl, { 'attestation-type': 'slsaprovenance1', 'certificate-identity': githubIdentity('acme/other') }));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['identity-mismatch']);
  });
});
