// Faults → never pass, outcome error (or fail where the evidence says non-compliant), exactly one valid record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGate, withFakeCosignPath } from '../gates/verify-cosign/helpers.js';
import { runDist, runnerFiles } from '../helpers/runner.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../helpers/canary.js';
import { GITHUB_ISSUER, MockSigstore, githubIdentity } from '../helpers/sigstore.js';
import { detachedFiles, ghJsonl, legacyBody, toLegacyCosignBundle, withLegacyBody } from '../helpers/cosign-legacy.js';
import { exitCodeFor } from '../../src/core/runner.js';

const IDENTITY = githubIdentity('acme/widget');
const ARTIFACT = Buffer.from('reliability artifact');
const IMAGE = `ghcr.io/acme/widget@sha256:${'cd'.repeat(32)}`;

let ss: MockSigstore;
let dir: string;
let good: { bundle: string; root: string; artifact: string };

beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-rel-vc-'));
  const b = await ss.signBlob(ARTIFACT, { identity: IDENTITY });
  const w = ss.writeFiles(dir, { bundle: b, root: true, artifact: ARTIFACT });
  good = { bundle: w.bundle!, root: w.root!, artifact: w.artifact! };
  writeFileSync(join(dir, 'truncated.json'), JSON.stringify(b).slice(0, 300));
  writeFileSync(join(dir, 'empty.json'), '');
  writeFileSync(join(dir, 'v9.json'), JSON.stringify({ ...b, mediaType: 'application/vnd.dev.sigstore.bundle.v9.9+json' }));
  writeFileSync(join(dir, 'bad-root.json'), '{"mediaType":"nope"}');
  const v01 = await ss.signBlob(ARTIFACT, { identity: IDENTITY, tsa: false, version: '0.1' });
  const legacy = toLegacyCosignBundle(v01);
  writeFileSync(join(dir, 'detached.sig'), detachedFiles(v01).signature);
  writeFileSync(join(dir, 'cert.pem'), detachedFiles(v01).certificatePem);
  const body = legacyBody(legacy);
  body.spec.signature.content = Buffer.from('MEUCIQ').toString('base64');
  writeFileSync(join(dir, 'legacy-tampered.json'), JSON.stringify(withLegacyBody(legacy, body)));
  const { rekorBundle: _drop, ...noTlog } = legacy;
  writeFileSync(join(dir, 'legacy-no-tlog.json'), JSON.stringify(noTlog));
  writeFileSync(join(dir, 'broken.jsonl'), `${ghJsonl([b]).trim()}\n{"bundle": \n`);
  writeFileSync(join(dir, 'unreadable.json'), '{}');
  chmodSync(join(dir, 'unreadable.json'), 0o000);
});

afterAll(async () => {
  await ss.close();
});

const inproc = (over: Record<string, string | undefined> = {}) => ({
  bundle: good.bundle,
  artifact: good.artifact,
  'trusted-root': good.root,
  'certificate-identity': IDENTITY,
  'certificate-oidc-issuer': GITHUB_ISSUER,
  ...over,
});
const cos = (over: Record<string, string | undefined> = {}) => ({ image: IMAGE, cosign: 'path', 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, timeout: '1s', retries: '1', ...over });

type Fault = [string, () => Record<string, string | undefined>, Record<string, string>, 'error' | 'fail', string];

const FAULTS: Fault[] = [
  ['bundle missing', () => inproc({ bundle: join(dir, 'nope.json') }), {}, 'error', 'bundle-unreadable'],
  ['bundle unreadable (permissions)', () => inproc({ bundle: join(dir, 'unreadable.json') }), {}, 'error', process.getuid?.() === 0 ? 'bundle-malformed' : 'bundle-unreadable'],
  ['bundle empty', () => inproc({ bundle: join(dir, 'empty.json') }), {}, 'error', 'bundle-malformed'],
  ['bundle truncated', () => inproc({ bundle: join(dir, 'truncated.json') }), {}, 'error', 'bundle-malformed'],
  ['bundle of another version', () => inproc({ bundle: join(dir, 'v9.json') }), {}, 'error', 'bundle-unsupported-version'],
  ['bundle is a directory', () => inproc({ bundle: dir }), {}, 'error', 'bundle-unreadable'],
  ['bundle is a detached signature (--output-signature)', () => inproc({ bundle: join(dir, 'detached.sig') }), {}, 'error', 'bundle-malformed'],
  ['bundle is a PEM certificate (--output-certificate)', () => inproc({ bundle: join(dir, 'cert.pem') }), {}, 'error', 'bundle-malformed'],
  ['cosign legacy bundle with a tampered log entry', () => inproc({ bundle: join(dir, 'legacy-tampered.json') }), {}, 'fail', 'tlog-invalid'],
  ['cosign legacy bundle without a log entry', () => inproc({ bundle: join(dir, 'legacy-no-tlog.json') }), {}, 'error', 'bundle-malformed'],
  ['gh JSON Lines with a broken line', () => inproc({ bundle: join(dir, 'broken.jsonl') }), {}, 'error', 'bundle-malformed'],
  ['artifact missing', () => inproc({ artifact: join(dir, 'nope.bin') }), {}, 'error', 'artifact-unreadable'],
  ['trusted root missing', () => inproc({ 'trusted-root': join(dir, 'nope-root.json') }), {}, 'error', 'trust-root-unreadable'],
  ['trusted root malformed', () => inproc({ 'trusted-root': join(dir, 'bad-root.json') }), {}, 'error', 'trust-root-invalid'],
  ['TUF refresh with no network', () => inproc({ 'trusted-root': undefined, 'tuf-refresh': 'true', timeout: '3s' }), { HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9' }, 'error', 'trust-root-refresh-failed'],
  ['no identity (verify anything signed)', () => inproc({ 'certificate-identity': undefined }), {}, 'error', 'invalid-input'],
  ['image by tag', () => cos({ image: 'ghcr.io/acme/widget:latest' }), {}, 'error', 'invalid-input'],
  ['cosign missing', () => cos(), { PATH: '/nonexistent' }, 'error', 'cosign-not-found'],
  ['cosign hangs ignoring SIGTERM', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'hang' }), 'error', 'cosign-timeout'],
  ['cosign crashes', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'crash' }), 'error', 'cosign-crashed'],
  ['cosign unexpected exit code', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'other' }), 'error', 'cosign-failed'],
  ['cosign unparseable output', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'garbage' }), 'error', 'cosign-output-unparseable'],
  ['cosign floods output', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'flood', FAKE_COSIGN_FLOOD_MB: '6' }), 'error', 'cosign-output-too-large'],
  ['cosign network error persists', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'transient', FAKE_COSIGN_FAILS: '99' }), 'error', 'network-error'],
  ['cosign: no signature (exit 10)', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'exit10' }), 'fail', 'no-signature'],
  ['cosign: no matching signature (exit 12)', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'exit12' }), 'fail', 'no-matching-signature'],
  ['cosign verified another digest', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'digest-mismatch' }), 'fail', 'verified-digest-mismatch'],
  ['cosign prints an empty signature list with exit 0', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'empty-array' }), 'error', 'cosign-output-unparseable'],
  ['cosign output has a signature for another digest too', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'foreign-extra' }), 'fail', 'verified-digest-mismatch'],
  ['cosign attestation payload is not base64', () => cos({ 'attestation-type': 'slsaprovenance1' }), withFakeCosignPath({ FAKE_COSIGN_MODE: 'att-bad-base64' }), 'error', 'cosign-output-unparseable'],
  ['cosign attestation of another predicate type only', () => cos({ 'attestation-type': 'slsaprovenance1' }), withFakeCosignPath({ FAKE_COSIGN_MODE: 'att-other-type' }), 'fail', 'predicate-type-mismatch'],
  ['unknown attestation-type shorthand', () => cos({ 'attestation-type': 'slsa' }), withFakeCosignPath({ FAKE_COSIGN_MODE: 'ok' }), 'error', 'invalid-input'],
  ['registry refuses the credentials (401)', () => cos(), withFakeCosignPath({ FAKE_COSIGN_MODE: 'stderr', FAKE_COSIGN_STDERR: 'Error: GET https://ghcr.io/token: UNAUTHORIZED: authentication required' }), 'error', 'registry-auth-failed'],
  ['cosign install with no network', () => cos({ cosign: 'install', 'cosign-download-url': 'http://127.0.0.1:9/release', retries: '0' }), {}, 'error', 'cosign-download-failed'],
];

describe('verify-cosign reliability', () => {
  it.each(FAULTS)('%s', async (_name, inputs, env, outcome, reason) => {
    const r = await runGate(inputs(), { env });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe(outcome);
    expect(r.result.outcome).not.toBe('pass');
    expect(r.result.reasons).toContain(reason);
    expect(exitCodeFor(r.result.outcome)).not.toBe(0);
    expect(r.records).toHaveLength(1);
    expect(r.result.outputs?.['verified-digest'] ?? '').toBe('');
  });

  it('unwritable record path → error record-write-failed (dist, strict mode)', () => {
    const f = runnerFiles();
    writeFileSync(join(f.dir, 'file'), 'x');
    const r = runDist('verify-cosign', { ...inproc(), 'record-file': join(f.dir, 'file', 'r.ndjson') } as Record<string, string>, f);
    expect(r.exitCode).toBe(2);
    expect(r.outputs.outcome).toBe('error');
    expect(r.outputs.reasons).toContain('record-write-failed');
  });

  it('canaries in env and secret-looking values never leak into output, outputs, records or files', async () => {
    const f = runnerFiles();
    const env = { ...canaryEnv() };
    const pass = runDist('verify-cosign', inproc() as Record<string, string>, f, env);
    expect(pass.exitCode).toBe(0);
    const fail = runDist('verify-cosign', inproc({ 'certificate-oidc-issuer': 'https://accounts.google.com' }) as Record<string, string>, f, env);
    expect(fail.exitCode).toBe(1);
    const cosignRun = runDist('verify-cosign', cos() as Record<string, string>, f, withFakeCosignPath({ ...env, FAKE_COSIGN_MODE: 'exit12' }));
    expect(cosignRun.exitCode).toBe(1);
    // a registry error that echoes the credentials it was given (token in the URL, COSIGN_PASSWORD)
    const leaky = runDist('verify-cosign', cos() as Record<string, string>, f, withFakeCosignPath({ ...env, COSIGN_PASSWORD: CANARY.plain, FAKE_COSIGN_MODE: 'auth-leaky' }));
    expect(leaky.exitCode).toBe(2);
    expect(leaky.outputs.reasons).toContain('registry-auth-failed');
    const text = collectText(
      [pass.stdout, pass.stderr, JSON.stringify(pass.outputs), fail.stdout, fail.stderr, JSON.stringify(fail.outputs), cosignRun.stdout, cosignRun.stderr, leaky.stdout, leaky.stderr, JSON.stringify(leaky.outputs)],
      [f.runnerTemp, f.workspace],
    );
    expect(text).toContain('verify-cosign');
    expect(leakedCanaries(text)).toEqual([]);
  });
});
