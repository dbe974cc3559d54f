// cosign v2/v3's real contract, checked through the whole gate with the stand-in: the output shapes of
// `verify` / `verify-attestation` / `verify-blob`, transient-vs-final classification from real stderr
// texts, and the arguments built. Every case asserts the outcome and that nothing but a proof passes.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGate, withFakeCosignPath } from './helpers.js';
import { GITHUB_ISSUER, githubIdentity } from '../../helpers/sigstore.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../../helpers/canary.js';
import { checkAttestationOutput, checkVerifyOutput, classify, parseJsonOutput } from '../../../src/gates/verify-cosign/cosign.js';
import type { ExecResult } from '../../../src/core/exec.js';

const HEX = 'ab'.repeat(32);
const DIGEST = `sha256:${HEX}`;
const IMAGE = `ghcr.io/acme/widget@${DIGEST}`;
const IDENTITY = githubIdentity('acme/widget');

const image = (over: Record<string, string | undefined> = {}) => ({ image: IMAGE, cosign: 'path', 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, retries: '2', ...over });

function state() {
  const d = mkdtempSync(join(tmpdir(), 'cg-fake-'));
  return { FAKE_COSIGN_STATE: join(d, 'count'), FAKE_COSIGN_LOG: join(d, 'argv.ndjson') };
}
function calls(env: { FAKE_COSIGN_LOG: string }): string[][] {
  return existsSync(env.FAKE_COSIGN_LOG) ? readFileSync(env.FAKE_COSIGN_LOG, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}
const verifyCalls = (s: { FAKE_COSIGN_LOG: string }) => calls(s).filter((a) => a[0] !== 'version');

describe('cosign verify: output shapes', () => {
  it.each([
    ['two signatures, both for the digest', 'multi', 'pass', 'ok'],
    ['digests in upper case and without sha256: (normalised)', 'upper', 'pass', 'ok'],
    ['log lines on stdout before the JSON array (merged streams)', 'stdout-logs', 'pass', 'ok'],
    ['a second signature for another digest (cosign never prints one: the output is not what was asked)', 'foreign-extra', 'fail', 'verified-digest-mismatch'],
    ['an empty array with exit 0', 'empty-array', 'error', 'cosign-output-unparseable'],
  ])('%s → %s', async (_n, mode, outcome, reason) => {
    const s = state();
    const r = await runGate(image(), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: mode }) });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe(outcome);
    expect(r.result.reasons).toEqual([reason]);
    expect(r.records).toHaveLength(1);
    expect(r.result.outputs?.['verified-digest']).toBe(outcome === 'pass' ? DIGEST : '');
    expect(verifyCalls(s)).toHaveLength(1);
  });

  it('records how many signatures cosign verified', async () => {
    const r = await runGate(image(), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'multi' }) });
    expect((r.records[0] as any).details.signatures).toBe(2);
  });

  it('parseJsonOutput flattens a JSON array found among log lines', () => {
    const line = JSON.stringify([{ a: 1 }, { b: 2 }]);
    expect(parseJsonOutput(`WARNING: x\nVerification for y --\n${line}\n`)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseJsonOutput('[]')).toEqual([]);
  });

  it('checkVerifyOutput: non-object entries and JSON that is not a payload are unparseable, never a pass', () => {
    for (const out of ['[null]', '[[]]', '{}', '"x"', '[{"critical":{}}]', `[{"critical":{"image":{"docker-manifest-digest":"sha512:${HEX}"}}}]`]) {
      const c = checkVerifyOutput(out, DIGEST);
      expect(c.ok, out).toBe(false);
    }
  });
});

describe('cosign verify-attestation: output shapes and --type', () => {
  it.each([
    ['slsaprovenance1'],
    ['slsaprovenance'],
    ['spdxjson'],
    ['cyclonedx'],
    ['vuln'],
    ['openvex'],
    ['link'],
    ['custom'],
    ['https://example.com/custom-predicate/v1'],
  ])('--type %s: passes when the statement of the expanded type names the digest', async (t) => {
    const s = state();
    const r = await runGate(image({ 'attestation-type': t }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    const argv = verifyCalls(s)[0];
    expect(argv[0]).toBe('verify-attestation');
    expect(argv[argv.indexOf('--type') + 1]).toBe(t);
  });

  it('an unknown --type that is no URI is refused before cosign runs (it would otherwise match any predicate)', async () => {
    const s = state();
    const r = await runGate(image({ 'attestation-type': 'slsaprovenance2' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(verifyCalls(s)).toHaveLength(0);
  });

  it('checkAttestationOutput never matches without a predicate type to compare', () => {
    const st = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'x', digest: { sha256: HEX } }], predicateType: 'https://x/y', predicate: {} };
    const out = JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from(JSON.stringify(st)).toString('base64'), signatures: [] });
    expect(checkAttestationOutput(out, DIGEST, undefined).ok).toBe(false);
    expect(checkAttestationOutput(out, DIGEST, 'https://x/y').ok).toBe(true);
    expect(checkAttestationOutput(out, `sha256:${'cd'.repeat(32)}`, 'https://x/y').ok).toBe(false);
  });

  it.each([
    ['only an attestation of another predicate type', 'att-other-type', 'fail', 'predicate-type-mismatch'],
    ['an SPDX attestation first, then the asked type (cosign prints all types)', 'att-mixed', 'pass', 'ok'],
    ['a payload that is not base64', 'att-bad-base64', 'error', 'cosign-output-unparseable'],
    ['a payload that is not JSON', 'att-not-json', 'error', 'cosign-output-unparseable'],
    ['a payload that is JSON null', 'att-null', 'error', 'cosign-output-unparseable'],
    ['a statement whose subject is not a list', 'att-subject-object', 'error', 'cosign-output-unparseable'],
    ['an envelope that is not in-toto', 'att-wrong-payload-type', 'error', 'cosign-output-unparseable'],
  ])('%s → %s', async (_n, mode, outcome, reason) => {
    const r = await runGate(image({ 'attestation-type': 'slsaprovenance1' }), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: mode }) });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe(outcome);
    expect(r.result.reasons).toEqual([reason]);
    expect(r.records).toHaveLength(1);
  });
});

describe('classification of real cosign stderr', () => {
  const TRANSIENT = [
    'Error: GET https://ghcr.io/v2/: dial tcp 140.82.112.33:443: connect: connection refused',
    'Error: Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io on 127.0.0.53:53: read udp: i/o timeout',
    'Error: Get "https://rekor.sigstore.dev/api/v1/log": net/http: TLS handshake timeout',
    'Error: fetching signatures: context deadline exceeded',
    'Error: GET https://ghcr.io/v2/acme/widget/manifests/sha256-ab.sig: unexpected status code 503 Service Unavailable',
    'Error: GET https://index.docker.io/v2/acme/widget/manifests/sha256-ab.sig: TOOMANYREQUESTS: You have reached your pull rate limit',
    'Error: 429 Too Many Requests',
    'Error: Get "https://tuf-repo-cdn.sigstore.dev/13.root.json": EOF',
    'Error: getting Rekor public keys: Get "https://rekor.sigstore.dev/api/v1/log/publicKey": dial tcp 1.2.3.4:443: connect: connection timed out',
    'Error: initializing tuf: failed to download 5.root.json: Get "https://tuf-repo-cdn.sigstore.dev/5.root.json": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
    'Error: [GET /api/v1/log/entries/{entryUUID}][502] getLogEntryByUuidDefault',
    'Error: GET https://ghcr.io/v2/x: unexpected status code 500 Internal Server Error',
    'Error: dial tcp 10.0.0.1:443: connect: no route to host',
  ];
  const FINAL: Array<[string, number, string]> = [
    ['Error: no matching signatures: none of the expected identities matched what was in the certificate', 1, 'no-matching-signature'],
    ['Error: no signatures found', 1, 'no-signature'],
    ['Error: no matching attestations: certificate identity mismatch', 1, 'no-matching-signature'],
    ['Error: none of the expected identities matched what was in the certificate, got subjects [https://github.com/x] with issuer https://token.actions.githubusercontent.com', 1, 'no-matching-signature'],
    ['Error: expected identity not found in certificate', 1, 'no-matching-signature'],
    ['Error: none of the attestations matched the predicate type: https://slsa.dev/provenance/v1, found: https://spdx.dev/Document', 1, 'predicate-type-mismatch'],
    ['Error: no signatures found; Get "https://ghcr.io": i/o timeout', 10, 'no-signature'],
    ['Error: image tag not found: 503 Service Unavailable', 11, 'signature-tag-not-found'],
    ['Error: no matching signatures: connection reset by peer', 12, 'no-matching-signature'],
    ['Error: no certificate found on signature', 13, 'no-certificate'],
  ];
  const AUTH = [
    'Error: GET https://ghcr.io/token?scope=repository%3Aacme%2Fwidget%3Apull&service=ghcr.io: UNAUTHORIZED: authentication required',
    'Error: GET https://ghcr.io/v2/acme/widget/manifests/sha256-ab.sig: DENIED: requested access to the resource is denied',
    'Error: GET https://registry.example.com/v2/x: unexpected status code 401 Unauthorized',
    'Error: GET https://registry.example.com/v2/x: unexpected status code 403 Forbidden',
  ];
  const res = (exitCode: number, stderr: string): ExecResult => ({ status: 'exited', exitCode, signal: null, stdout: '', stderr, stdoutBytes: 0, stderrBytes: stderr.length, truncated: false, durationMs: 1 });

  it.each(TRANSIENT)('transient, retried: %s', async (stderr) => {
    const a = classify(res(1, stderr));
    expect(a.kind === 'error' && a.transient, stderr).toBe(true);
    const s = state();
    const r = await runGate(image({ retries: '2' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'stderr', FAKE_COSIGN_STDERR: stderr }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['network-error']);
    expect(verifyCalls(s)).toHaveLength(3);
  });

  it.each(FINAL)('final, never retried: %s (exit %d)', async (stderr, code, reason) => {
    const a = classify(res(code, stderr));
    expect(a.kind).toBe('fail');
    const s = state();
    const r = await runGate(image({ retries: '3' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'stderr', FAKE_COSIGN_STDERR: stderr, FAKE_COSIGN_EXIT: String(code) }) });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual([reason]);
    expect(verifyCalls(s)).toHaveLength(1);
  });

  it.each(AUTH)('registry auth failure: error, never retried (a 401/403 does not heal): %s', async (stderr) => {
    const a = classify(res(1, stderr));
    expect(a.kind === 'error' && !a.transient).toBe(true);
    const s = state();
    const r = await runGate(image({ retries: '3' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'stderr', FAKE_COSIGN_STDERR: stderr }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['registry-auth-failed']);
    expect(verifyCalls(s)).toHaveLength(1);
  });

  it('a digest or path that contains 401/503 is not mistaken for a status', () => {
    const a = classify(res(1, `Error: invalid argument "ghcr.io/x@sha256:401503${'a'.repeat(58)}" for image: bad ref`));
    expect(a.kind === 'error' && a.reason).toBe('cosign-failed');
  });
});

describe('arguments cosign gets', () => {
  it('identity regexp and issuer regexp, workflow repository/ref, trusted-root', async () => {
    const d = mkdtempSync(join(tmpdir(), 'cg-args-'));
    writeFileSync(join(d, 'root.json'), '{}');
    const s = state();
    const r = await runGate(
      image({
        'certificate-identity': undefined,
        'certificate-identity-regexp': '^https://github\\.com/acme/widget/\\.github/workflows/release\\.yml@refs/tags/v.*$',
        'certificate-oidc-issuer': undefined,
        'certificate-oidc-issuer-regexp': '^https://token\\.actions\\.githubusercontent\\.com$',
        'source-repository': 'acme/widget',
        'source-ref': 'refs/tags/v1.0.0',
        'trusted-root': 'root.json',
      }),
      { cwd: d, env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }) },
    );
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect(verifyCalls(s)[0]).toEqual([
      'verify',
      '--output',
      'json',
      '--certificate-identity-regexp',
      '^https://github\\.com/acme/widget/\\.github/workflows/release\\.yml@refs/tags/v.*$',
      '--certificate-oidc-issuer-regexp',
      '^https://token\\.actions\\.githubusercontent\\.com$',
      '--certificate-github-workflow-repository',
      'acme/widget',
      '--certificate-github-workflow-ref',
      'refs/tags/v1.0.0',
      '--trusted-root',
      join(d, 'root.json'),
      IMAGE,
    ]);
  });

  it('a source-repository outside github.com is refused in cosign mode (cosign only has --certificate-github-workflow-repository)', async () => {
    const s = state();
    const r = await runGate(image({ 'source-repository': 'https://gitlab.com/acme/widget' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(verifyCalls(s)).toHaveLength(0);
  });

  it('verify-blob: --bundle, and --new-bundle-format for a Sigstore (v0.3) bundle but not for a legacy one', async () => {
    const d = mkdtempSync(join(tmpdir(), 'cg-blob-'));
    writeFileSync(join(d, 'a.bin'), 'x');
    writeFileSync(join(d, 'new.sigstore.json'), JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }));
    writeFileSync(join(d, 'legacy.bundle'), JSON.stringify({ base64Signature: 'MEUC', cert: 'x', rekorBundle: {} }));
    const blob = (bundle: string, over: Record<string, string> = {}) => ({ artifact: 'a.bin', bundle, mode: 'cosign', cosign: 'path', 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, ...over });
    const s1 = state();
    const r1 = await runGate(blob('new.sigstore.json'), { cwd: d, env: withFakeCosignPath({ ...s1, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r1.result.outcome, r1.result.messages?.join('\n')).toBe('pass');
    expect(verifyCalls(s1)[0].slice(0, 4)).toEqual(['verify-blob', '--bundle', join(d, 'new.sigstore.json'), '--new-bundle-format']);
    const s2 = state();
    const r2 = await runGate(blob('legacy.bundle'), { cwd: d, env: withFakeCosignPath({ ...s2, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r2.result.outcome).toBe('pass');
    expect(verifyCalls(s2)[0]).not.toContain('--new-bundle-format');
    const s3 = state();
    const r3 = await runGate(blob('new.sigstore.json', { 'attestation-type': 'slsaprovenance1' }), { cwd: d, env: withFakeCosignPath({ ...s3, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r3.result.outcome).toBe('pass');
    const a3 = verifyCalls(s3)[0];
    expect(a3.slice(0, 3)).toEqual(['verify-blob-attestation', '--type', 'slsaprovenance1']);
    expect(a3).toContain('--new-bundle-format');
  });

  it('no secret reaches cosign argv, messages, logs or the record, even when cosign echoes credentials (canary)', async () => {
    const s = state();
    const env = withFakeCosignPath({ ...s, ...canaryEnv(), COSIGN_PASSWORD: CANARY.plain, FAKE_COSIGN_MODE: 'auth-leaky' });
    const r = await runGate(image(), { env });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['registry-auth-failed']);
    const text = collectText([JSON.stringify(r.result), r.logs.join('\n'), JSON.stringify(verifyCalls(s))], [r.dir]);
    expect(text).toContain('UNAUTHORIZED');
    expect(leakedCanaries(text)).toEqual([]);
  });
});

describe('image reference hardening', () => {
  it('an image that starts with "-" is refused: cosign (cobra) would read it as a flag, not the image', async () => {
    const s = state();
    const r = await runGate(image({ image: `--certificate-identity-regexp=.*@${DIGEST}` }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(verifyCalls(s)).toHaveLength(0);
  });
});
