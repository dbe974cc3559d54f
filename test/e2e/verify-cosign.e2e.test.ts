// verify-cosign as the runner and a terminal run it. Also produces a bundle for manual use:
//   CG_SIGSTORE_OUT=/tmp/cg npx vitest run test/e2e/verify-cosign.e2e.test.ts
// writes /tmp/cg/{artifact.bin, artifact.sigstore.json, trusted_root.json} (see docs/verify-cosign.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComposite, runDist, runnerFiles, ROOT, NODE } from '../helpers/runner.js';
import { detachedFiles, toLegacyCosignBundle } from '../helpers/cosign-legacy.js';
import { GITHUB_ISSUER, MockSigstore, SLSA_PROVENANCE_V1, githubClaims, githubIdentity, sha256Hex, statement } from '../helpers/sigstore.js';

const IDENTITY = githubIdentity('acme/widget');
const ARTIFACT = Buffer.from('hello artifact\n');
let ss: MockSigstore;
let paths: { bundle: string; root: string; artifact: string; att: string; legacy: string; sig: string };

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/verify-cosign.js'))) throw new Error('dist/verify-cosign.js missing: run npm run build');
  ss = await MockSigstore.start();
  const out = process.env.CG_SIGSTORE_OUT || mkdtempSync(join(tmpdir(), 'cg-e2e-vc-'));
  const blob = await ss.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims('acme/widget') });
  const att = await ss.signStatement(statement([{ name: 'artifact.bin', digest: { sha256: sha256Hex(ARTIFACT) } }]), { identity: IDENTITY, github: githubClaims('acme/widget') });
  const w = ss.writeFiles(out, { bundle: blob, root: true, artifact: ARTIFACT });
  const a = ss.writeFiles(out, { bundle: att, bundleName: 'artifact.intoto.sigstore.json' });
  // cosign v1/v2 `sign-blob --bundle` (legacy format) and `--output-signature` (detached), same instance
  const v01 = await ss.signBlob(ARTIFACT, { identity: IDENTITY, github: githubClaims('acme/widget'), tsa: false, version: '0.1' });
  writeFileSync(join(out, 'artifact.cosign.bundle'), JSON.stringify(toLegacyCosignBundle(v01)));
  writeFileSync(join(out, 'artifact.sig'), detachedFiles(v01).signature);
  paths = { bundle: w.bundle!, root: w.root!, artifact: w.artifact!, att: a.bundle!, legacy: join(out, 'artifact.cosign.bundle'), sig: join(out, 'artifact.sig') };
});

afterAll(async () => {
  await ss.close();
});

function cli(node: string, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-cli-'));
  return spawnSync(node, [join(ROOT, 'dist/cli.js'), 'verify-cosign', ...args, '--record-file', join(dir, 'r.ndjson')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: dir },
  });
}

/** Node 24 (tests) and the machine's own node (a composite action uses whatever `node` is on PATH). */
const NODES = [NODE, ...['/usr/bin/node', '/usr/local/bin/node'].filter((p) => existsSync(p) && p !== NODE)].filter((v, i, a) => a.indexOf(v) === i);

describe('verify-cosign CLI (npx chaingate verify-cosign …)', () => {
  it.each(NODES)('verifies a bundle the tests produce (node %s)', (node) => {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const ok = cli(node, ['--bundle', paths.bundle, '--artifact', paths.artifact, '--certificate-identity', IDENTITY, '--certificate-oidc-issuer', GITHUB_ISSUER, '--trusted-root', paths.root]);
    expect(ok.status, `${version}: ${ok.stdout}${ok.stderr}`).toBe(0);
    expect(ok.stdout).toContain('PASS');
    const att = cli(node, ['--bundle', paths.att, '--artifact', paths.artifact, '--attestation-type', SLSA_PROVENANCE_V1, '--certificate-identity', IDENTITY, '--certificate-oidc-issuer', GITHUB_ISSUER, '--trusted-root', paths.root]);
    expect(att.status, `${version}: ${att.stdout}${att.stderr}`).toBe(0);
    const evil = cli(node, ['--bundle', paths.bundle, '--artifact', paths.artifact, '--certificate-identity', githubIdentity('acme/widget-evil'), '--certificate-oidc-issuer', GITHUB_ISSUER, '--trusted-root', paths.root]);
    expect(evil.status).toBe(1);
    expect(evil.stdout).toContain('identity-mismatch');
    const json = cli(node, ['--bundle', paths.bundle, '--artifact', paths.artifact, '--certificate-identity', IDENTITY, '--certificate-oidc-issuer', GITHUB_ISSUER, '--trusted-root', paths.root, '--format', 'json']);
    expect(json.status).toBe(0);
  });
});

describe('verify-cosign as the runner runs it', () => {
  it('composite action: pass with outputs and one valid record', () => {
    const f = runnerFiles();
    const r = runComposite('verify-cosign', { bundle: paths.bundle, artifact: paths.artifact, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, 'trusted-root': paths.root }, f);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.outcome).toBe('pass');
    expect(r.outputs['verified-digest']).toBe(`sha256:${sha256Hex(ARTIFACT)}`);
    expect(r.outputs['signer-identity']).toBe(IDENTITY);
    expect(r.outputs['signer-issuer']).toBe(GITHUB_ISSUER);
    expect(r.outputs.method).toBe('in-process');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'verify-cosign', outcome: 'pass', subject: { digest: `sha256:${sha256Hex(ARTIFACT)}` }, tool: { name: '@sigstore/verify' } });
  });

  it('composite action: source-digest / build-trigger reach the gate (INPUT_SOURCE-DIGEST, INPUT_BUILD-TRIGGER): right commit passes, another fails, a short SHA errors', () => {
    const sha = githubClaims('acme/widget').sha as string;
    const inputs = { bundle: paths.bundle, artifact: paths.artifact, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, 'trusted-root': paths.root, 'build-trigger': 'push' };
    const ok = runComposite('verify-cosign', { ...inputs, 'source-digest': sha.toUpperCase() }, runnerFiles());
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect((ok.records[0] as any).policy).toMatchObject({ source_digest: sha, build_trigger: 'push' });
    const other = runComposite('verify-cosign', { ...inputs, 'source-digest': 'f'.repeat(40) }, runnerFiles());
    expect(other.exitCode).toBe(1);
    expect(other.outputs.reasons).toBe('extension-mismatch');
    const trig = runComposite('verify-cosign', { ...inputs, 'source-digest': sha, 'build-trigger': 'release' }, runnerFiles());
    expect(trig.exitCode).toBe(1);
    expect(trig.outputs.reasons).toBe('extension-mismatch');
    const short = runComposite('verify-cosign', { ...inputs, 'source-digest': sha.slice(0, 7) }, runnerFiles());
    expect(short.exitCode).toBe(2);
    expect(short.outputs.reasons).toBe('invalid-input');
    expect(short.records).toHaveLength(1);
  });

  it('dist: wrong issuer fails with exit 1, a missing bundle errors with exit 2', () => {
    const f = runnerFiles();
    const bad = runDist('verify-cosign', { bundle: paths.bundle, artifact: paths.artifact, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': 'https://accounts.google.com', 'trusted-root': paths.root }, f);
    expect(bad.exitCode).toBe(1);
    expect(bad.outputs.outcome).toBe('fail');
    expect(bad.outputs.reasons).toBe('issuer-mismatch');
    const g = runnerFiles();
    const missing = runDist('verify-cosign', { bundle: join(g.dir, 'nope.json'), artifact: paths.artifact, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, 'trusted-root': paths.root }, g);
    expect(missing.exitCode).toBe(2);
    expect(missing.outputs.reasons).toBe('bundle-unreadable');
    expect(missing.records).toHaveLength(1);
  });

  it('dist: a legacy cosign bundle passes; a detached signature errors with a --bundle hint', () => {
    const f = runnerFiles();
    const ok = runDist('verify-cosign', { bundle: paths.legacy, artifact: paths.artifact, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, 'trusted-root': paths.root }, f);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.outputs['verified-digest']).toBe(`sha256:${sha256Hex(ARTIFACT)}`);
    expect(ok.records[0]).toMatchObject({ outcome: 'pass', details: { bundle_format: 'cosign-legacy-bundle' } });
    const g = runnerFiles();
    const sig = runDist('verify-cosign', { bundle: paths.sig, artifact: paths.artifact, 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, 'trusted-root': paths.root }, g);
    expect(sig.exitCode).toBe(2);
    expect(sig.outputs.reasons).toBe('bundle-malformed');
    expect(sig.stdout + sig.stderr).toMatch(/detached signature.*cosign sign-blob --bundle/s);
    expect(sig.records).toHaveLength(1);
  });
});
