// evidence-bundle `timeout`: a duration like the other gates (30s, 2m, PT1M); a bare number stays seconds.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gate, { timeoutSeconds } from '../../../src/gates/evidence-bundle/index.js';
import { emptyConfig, executeGate } from '../../../src/core/runner.js';
import type { GateContext } from '../../../src/core/gate.js';
import { silentLogger } from '../../helpers/evidence.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('evidence-bundle timeout', () => {
  it.each([
    ['60', 60],
    ['5', 5],
    ['', 60],
    [undefined, 60],
    ['30s', 30],
    ['2m', 120],
    ['PT1M30S', 90],
    ['1h', 3600],
  ])('%s → %d seconds', (raw, seconds) => {
    expect(timeoutSeconds(raw)).toBe(seconds);
  });

  it.each([['0'], ['0s'], ['2h'], ['3601'], ['soon'], ['-5'], ['10 minutes']])('%s is refused', (raw) => {
    expect(() => timeoutSeconds(raw)).toThrow(/timeout: /);
  });

  // edge cases a user writes: each gets a message that says what is wrong (the range, or the form)
  it.each([
    ['0', 'must be between 1 second and 1 hour'],
    ['0s', 'must be between 1 second and 1 hour'], // was "is not a duration"
    ['-5', 'must be between 1 second and 1 hour'], // was "is not a duration"
    ['-1m', 'must be between 1 second and 1 hour'],
    ['PT0S', 'must be between 1 second and 1 hour'],
    ['0.5', 'must be between 1 second and 1 hour'],
    ['99999999999999999999', 'must be between 1 second and 1 hour'],
    ['1e3', 'is not a duration (e.g. 30s, 2m, PT1M) or a number of seconds'],
    ['1,5', 'is not a duration'],
    ['Infinity', 'is not a duration'],
    ['2m30s', 'is not a duration'],
  ])('%s: %s', (raw, msg) => {
    expect(() => timeoutSeconds(raw)).toThrow(`timeout: "${raw}" ${msg}`);
  });

  it.each([
    ['1.5', 1.5],
    ['  30  ', 30],
    ['30 s', 30],
    ['   ', 60],
    ['3600', 3600],
  ])('%j → %d seconds (fractions and surrounding blanks are fine)', (raw, seconds) => {
    expect(timeoutSeconds(raw)).toBe(seconds);
  });

  it('reaches the gate as milliseconds, from a duration and from bare seconds alike', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-eb-'));
    const ctx = { cwd, env: {}, config: emptyConfig(), now: () => new Date(), logger: silentLogger } as unknown as GateContext;
    expect(gate.parseInputs({ 'subject-digest': DIGEST, sign: 'false', timeout: '2m' }, ctx).timeoutMs).toBe(120_000);
    expect(gate.parseInputs({ 'subject-digest': DIGEST, sign: 'false', timeout: '45' }, ctx).timeoutMs).toBe(45_000);
  });

  it('a bad timeout is an input error with a record, not a crash', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-eb-'));
    const out = await executeGate(gate, { 'subject-digest': DIGEST, sign: 'false', timeout: 'soon', 'record-file': join(cwd, 'r.ndjson') }, { cwd, env: {}, logger: silentLogger });
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toEqual(['invalid-input']);
    expect(out.result.messages!.join('\n')).toMatch(/timeout: "soon" is not a duration \(e\.g\. 30s, 2m, PT1M\) or a number of seconds/);
    expect(out.recordPath).toBeDefined();
  });
});
