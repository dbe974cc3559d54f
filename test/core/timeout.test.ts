// One time-limit parser for every gate (bandit-gate, verify-cosign, verify-slsa, evidence-bundle, dr-freshness).
// The bug it fixes: a generous limit such as `timeout: 30d` passed a duration parser with no upper bound, and
// Node's timers silently turn a delay above 2^31-1 ms into 1 ms, so the tool was killed at once and the gate
// reported that it "did not finish within 2592000 s".
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTimeout } from '../../src/core/timeout.js';
import { MAX_TIMER_MS, execWithTimeout, timerMs } from '../../src/core/exec.js';
import { runGate, workspace } from '../gates/bandit-gate/helpers.js';
import { executeGate } from '../../src/core/runner.js';
import cosign from '../../src/gates/verify-cosign/index.js';
import slsa from '../../src/gates/verify-slsa/index.js';
import dr from '../../src/gates/dr-freshness/index.js';

const HOUR = { name: 'timeout', default: '120s', minMs: 1000, maxMs: 3_600_000 };

describe('parseTimeout', () => {
  it.each([
    ['', 120_000],
    ['  ', 120_000],
    ['60', 60_000],
    ['1.5', 1500],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['PT1M', 60_000],
    ['0.5m', 30_000],
  ])('%j → %d ms', (raw, ms) => {
    expect(parseTimeout(raw, HOUR)).toBe(ms);
  });

  it.each([
    ['30d', 'must be between 1 second and 1 hour'],
    ['25d', 'must be between 1 second and 1 hour'],
    ['2h', 'must be between 1 second and 1 hour'],
    ['3601', 'must be between 1 second and 1 hour'],
    ['0', 'must be between 1 second and 1 hour'],
    ['0s', 'must be between 1 second and 1 hour'],
    ['-5', 'must be between 1 second and 1 hour'],
    ['PT0S', 'must be between 1 second and 1 hour'],
    ['0.5', 'must be between 1 second and 1 hour'],
    ['99999999999999999999', 'must be between 1 second and 1 hour'],
    ['soon', 'is not a duration (e.g. 30s, 2m, PT1M) or a number of seconds'],
    ['1e3', 'is not a duration'],
    ['2m30s', 'is not a duration'],
  ])('%j is refused: %s', (raw, msg) => {
    expect(() => parseTimeout(raw, HOUR)).toThrow(`timeout: "${raw}" ${msg}`);
  });

  it('spells other bounds in words', () => {
    expect(() => parseTimeout('20m', { name: 'api-timeout', default: '30s', minMs: 100, maxMs: 600_000 })).toThrow('api-timeout: "20m" must be between 0.1 seconds and 10 minutes');
    expect(() => parseTimeout('7h', { name: 'timeout', default: '10m', minMs: 1000, maxMs: 6 * 3_600_000 })).toThrow('must be between 1 second and 6 hours');
  });
});

describe('timers never overflow', () => {
  it('timerMs caps at what a Node timer holds', () => {
    expect(timerMs(30 * 86_400_000)).toBe(MAX_TIMER_MS);
    expect(timerMs(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(timerMs(5000)).toBe(5000);
  });

  it('execWithTimeout with a limit beyond 2^31-1 ms lets the command finish (it was killed at once)', async () => {
    const r = await execWithTimeout('bash', ['-c', 'sleep 0.3; echo ok'], { timeoutMs: 30 * 86_400_000 });
    expect(r.status).toBe('exited');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('ok');
  });
});

describe('every gate takes its time limit the same way', () => {
  it('bandit-gate: 30d is a usage error that says why (was: Bandit killed at once, bandit-timeout)', async () => {
    const ws = workspace(undefined, { 'a.py': 'import os\n' });
    const r = await runGate(ws, { timeout: '30d' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
    expect(r.result.messages?.join('\n')).toContain('timeout: "30d" must be between 1 second and 6 hours');
  });

  it('bandit-gate: a bare number is seconds, as in evidence-bundle and verify-cosign (was: "is not a duration")', async () => {
    const ws = workspace(undefined, { 'a.py': 'import os\n' });
    const r = await runGate(ws, { timeout: '600' });
    expect(r.result.outcome).toBe('pass');
  });

  const run = (gate: Parameters<typeof executeGate>[0], raw: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-timeout-'));
    return executeGate(gate, raw, { cwd: dir, env: { CHAINGATE_RECORDS: join(dir, 'r.ndjson') }, logger: { info: () => undefined, warn: () => undefined, debug: () => undefined } });
  };

  it.each([
    ['verify-cosign', cosign, { bundle: 'b.json', artifact: 'a', 'certificate-identity': 'x', 'certificate-oidc-issuer': 'https://i', timeout: '30d' }, 'timeout: "30d" must be between 1 second and 1 hour'],
    ['verify-cosign (1.5 s: was refused)', cosign, { bundle: 'b.json', artifact: 'a', 'certificate-identity': 'x', 'certificate-oidc-issuer': 'https://i', timeout: '0.5' }, 'timeout: "0.5" must be between 1 second and 1 hour'],
    ['verify-slsa', slsa, { artifact: 'a', provenance: 'p', 'source-uri': 'github.com/o/r', timeout: '30d' }, 'timeout: "30d" must be between 1 second and 1 hour'],
    ['dr-freshness', dr, { records: 'r.ndjson', 'max-age': '30d', 'api-timeout': '1h' }, 'api-timeout: "1h" must be between 0.1 seconds and 10 minutes'],
  ] as const)('%s refuses an out-of-range limit with a clear message', async (_n, gate, raw, msg) => {
    const out = await run(gate as never, raw as Record<string, string>);
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toEqual(['invalid-input']);
    expect(out.result.messages?.join('\n')).toContain(msg);
  });

  it('verify-cosign takes 1.5 (seconds) like evidence-bundle (was: "is not a duration")', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-timeout-'));
    const parsed = cosign.parseInputs(
      { bundle: 'b.json', artifact: 'a', 'certificate-identity': 'x', 'certificate-oidc-issuer': 'https://i', timeout: '1.5' },
      { cwd: dir, env: {}, config: { file: null, config: {} } } as never,
    ) as { timeoutMs: number };
    expect(parsed.timeoutMs).toBe(1500);
  });
});
