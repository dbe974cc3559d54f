import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGate, withFakeCosignPath } from './helpers.js';
import { GITHUB_ISSUER, githubIdentity } from '../../helpers/sigstore.js';
import { classify } from '../../../src/gates/verify-cosign/cosign.js';
import type { ExecResult } from '../../../src/core/exec.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE = `ghcr.io/acme/widget@${DIGEST}`;
const IDENTITY = githubIdentity('acme/widget');

function image(over: Record<string, string | undefined> = {}) {
  return { image: IMAGE, cosign: 'path', 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER, ...over };
}

function state() {
  const d = mkdtempSync(join(tmpdir(), 'cg-fake-'));
  return { FAKE_COSIGN_STATE: join(d, 'count'), FAKE_COSIGN_LOG: join(d, 'argv.ndjson') };
}

/** Running (a zombie waiting for a reaper that never comes, as under some container inits, is dead). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function calls(env: { FAKE_COSIGN_LOG: string }): string[][] {
  return existsSync(env.FAKE_COSIGN_LOG) ? readFileSync(env.FAKE_COSIGN_LOG, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

describe('verify-cosign with cosign (stand-in honouring cosign exit codes)', () => {
  it('passes an image by digest and reports the digest and signer cosign verified', async () => {
    const s = state();
    const r = await runGate(image(), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect(r.result.outputs).toMatchObject({ 'verified-digest': DIGEST, 'signer-identity': IDENTITY, 'signer-issuer': GITHUB_ISSUER, method: 'cosign' });
    const rec = r.records[0] as any;
    expect(rec.tool).toEqual({ name: 'cosign', version: 'v3.0.2' });
    expect(rec.subject.digest).toBe(DIGEST);
    const argv = calls(s).find((a) => a[0] === 'verify') as string[];
    expect(argv).toEqual(['verify', '--output', 'json', '--certificate-identity', IDENTITY, '--certificate-oidc-issuer', GITHUB_ISSUER, IMAGE]);
  });

  it('verify-attestation: passes when a statement names the digest, maps source-repository/ref to cosign flags', async () => {
    const s = state();
    const r = await runGate(image({ 'attestation-type': 'slsaprovenance1', 'source-repository': 'https://github.com/acme/widget', 'source-ref': 'refs/tags/v1.0.0' }), {
      env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }),
    });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    const argv = calls(s).find((a) => a[0] === 'verify-attestation') as string[];
    expect(argv).toContain('--certificate-github-workflow-repository');
    expect(argv[argv.indexOf('--certificate-github-workflow-repository') + 1]).toBe('acme/widget');
    expect(argv[argv.indexOf('--type') + 1]).toBe('slsaprovenance1');
  });

  it('verify-blob with bundle: passes on "Verified OK", errors on a silent exit 0', async () => {
    const d = mkdtempSync(join(tmpdir(), 'cg-blob-'));
    writeFileSync(join(d, 'a.bin'), 'x');
    writeFileSync(join(d, 'a.sigstore.json'), '{}');
    const inputs = { artifact: 'a.bin', bundle: 'a.sigstore.json', mode: 'cosign', cosign: 'path', 'certificate-identity': IDENTITY, 'certificate-oidc-issuer': GITHUB_ISSUER };
    const ok = await runGate(inputs, { cwd: d, env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'ok' }) });
    expect(ok.result.outcome).toBe('pass');
    expect(ok.result.outputs?.['verified-digest']).toMatch(/^sha256:2d711642/);
    const silent = await runGate(inputs, { cwd: d, env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'no-verified-ok' }) });
    expect(silent.result.outcome).toBe('error');
    expect(silent.result.reasons).toEqual(['cosign-output-unparseable']);
  });

  it.each([
    ['exit10', 'fail', 'no-signature'],
    ['exit11', 'fail', 'signature-tag-not-found'],
    ['exit12', 'fail', 'no-matching-signature'],
    ['exit13', 'fail', 'no-certificate'],
    ['nomatch', 'fail', 'no-matching-signature'],
    ['other', 'error', 'cosign-failed'],
    ['digest-mismatch', 'fail', 'verified-digest-mismatch'],
    ['garbage', 'error', 'cosign-output-unparseable'],
    ['crash', 'error', 'cosign-crashed'],
  ])('%s → %s (%s), never retried', async (mode, outcome, reason) => {
    const s = state();
    const r = await runGate(image({ retries: '3' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: mode }) });
    expect(r.result.outcome).toBe(outcome);
    expect(r.result.reasons).toEqual([reason]);
    expect(calls(s).filter((a) => a[0] === 'verify')).toHaveLength(1);
    expect((r.records[0] as any).details.attempts).toBe(1);
    expect(r.result.outputs?.['verified-digest']).toBe('');
  });

  it('a transient network error is retried, then passes (2 failures, retries 2 → 3 attempts)', async () => {
    const s = state();
    const r = await runGate(image({ retries: '2' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'transient', FAKE_COSIGN_FAILS: '2' }) });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect(calls(s).filter((a) => a[0] === 'verify')).toHaveLength(3);
    expect((r.records[0] as any).details.attempts).toBe(3);
  });

  it('retries are bounded: a persistent network error ends as error after retries + 1 attempts', async () => {
    const s = state();
    const r = await runGate(image({ retries: '1' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'transient', FAKE_COSIGN_FAILS: '99' }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['network-error']);
    expect(calls(s).filter((a) => a[0] === 'verify')).toHaveLength(2);
  });

  it('a cosign that hangs ignoring SIGTERM is killed (SIGKILL after the grace period) and ends as error', async () => {
    const s = state();
    const t0 = Date.now();
    const pidfile = join(mkdtempSync(join(tmpdir(), 'cg-pid-')), 'pid');
    const r = await runGate(image({ timeout: '1s', retries: '0' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'hang', FAKE_COSIGN_PIDFILE: pidfile }) });
    const took = Date.now() - t0;
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['cosign-timeout']);
    // 1 s timeout + 2 s grace + slack; the hung process must be gone
    expect(took).toBeLessThan(8000);
    expect(alive(Number(readFileSync(pidfile, 'utf8')))).toBe(false);
  });

  it('a timeout is transient: hang once, then pass on the retry', async () => {
    const s = state();
    const r = await runGate(image({ timeout: '1s', retries: '1' }), { env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'transient-timeout', FAKE_COSIGN_FAILS: '1' }) });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect((r.records[0] as any).details.attempts).toBe(2);
  });

  it('a grandchild holding stdout does not keep the gate waiting', async () => {
    const t0 = Date.now();
    const pidfile = join(mkdtempSync(join(tmpdir(), 'cg-pid-')), 'pid');
    const r = await runGate(image({ timeout: '30s' }), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'grandchild', FAKE_COSIGN_PIDFILE: pidfile }) });
    expect(r.result.outcome, r.result.messages?.join('\n')).toBe('pass');
    expect(Date.now() - t0).toBeLessThan(10_000);
    // and the grandchild does not outlive the gate (the process group is killed)
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(Number(readFileSync(pidfile, 'utf8')))).toBe(false);
  });

  it('megabytes of output are capped and cannot be mistaken for a result', async () => {
    const r = await runGate(image(), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'flood', FAKE_COSIGN_FLOOD_MB: '8' }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['cosign-output-too-large']);
  });

  it('cosign: path without a cosign on PATH → error cosign-not-found', async () => {
    const r = await runGate(image(), { env: { PATH: '/nonexistent' } });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['cosign-not-found']);
  });

  it('a cosign on PATH is NOT used unless asked: the default installs, and with no network that is an error', async () => {
    const s = state();
    const fetched: string[] = [];
    const r = await runGate(image({ cosign: undefined }), {
      env: withFakeCosignPath({ ...s, FAKE_COSIGN_MODE: 'ok' }),
      fetch: async (u) => {
        fetched.push(String(u));
        throw new TypeError('fetch failed');
      },
    });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['cosign-download-failed']);
    expect(fetched[0]).toMatch(/^https:\/\/github\.com\/sigstore\/cosign\/releases\/download\/v\d+\.\d+\.\d+\/cosign-/);
    expect(calls(s)).toHaveLength(0);
  });

  it.each([
    ['a tag', 'ghcr.io/acme/widget:v1.0.0'],
    ['no reference at all', 'ghcr.io/acme/widget'],
    ['a short digest', 'ghcr.io/acme/widget@sha256:abc'],
    ['tag and digest mixed wrongly', `ghcr.io/acme/widget:v1@sha1:${'a'.repeat(40)}`],
  ])('an image with %s is refused (invalid-input)', async (_n, ref) => {
    const r = await runGate(image({ image: ref }), { env: withFakeCosignPath({ FAKE_COSIGN_MODE: 'ok' }) });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
  });
});

describe('classify (cosign exit-code contract)', () => {
  const res = (over: Partial<ExecResult>): ExecResult => ({ status: 'exited', exitCode: 0, signal: null, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, truncated: false, durationMs: 1, ...over });
  it('never marks a verification failure transient, even when stderr also mentions a network error', () => {
    for (const code of [10, 11, 12, 13]) {
      const a = classify(res({ exitCode: code, stderr: 'dial tcp: i/o timeout' }));
      expect(a.kind).toBe('fail');
    }
    const nm = classify(res({ exitCode: 1, stderr: 'no matching signatures; connection reset by peer' }));
    expect(nm.kind).toBe('fail');
  });
  it('recognises network errors and timeouts as transient', () => {
    for (const e of ['dial tcp: lookup ghcr.io: no such host', 'net/http: TLS handshake timeout', 'GET ...: 503 Service Unavailable', 'context deadline exceeded']) {
      const a = classify(res({ exitCode: 1, stderr: e }));
      expect(a.kind === 'error' && a.transient, e).toBe(true);
    }
    const t = classify(res({ status: 'timed-out', exitCode: null }));
    expect(t.kind === 'error' && t.transient).toBe(true);
  });
});
