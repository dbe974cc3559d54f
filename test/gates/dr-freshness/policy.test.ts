import { describe, expect, it } from 'vitest';
import { evaluate, type Drill, type Policy } from '../../../src/gates/dr-freshness/policy.js';
import { DAY, HOUR, NOW } from './helpers.js';

const policy: Policy = { maxAgeMs: 7 * DAY, warnAgeMs: 0.8 * 7 * DAY, skewMs: 5 * 60_000, latestFailed: 'warn' };
const drill = (agoMs: number, passed: boolean, source: Drill['source'] = 'records', where = 'x'): Drill => ({ source, at: NOW - agoMs, passed, where, status: passed ? 'pass' : 'fail' });

describe('dr-freshness policy', () => {
  it('fails with no-evidence when there is no drill at all (never falls back to now)', () => {
    const e = evaluate([], NOW, policy);
    expect(e).toMatchObject({ outcome: 'fail', reasons: ['no-evidence'], latestFailed: false });
    expect(e.lastPass).toBeUndefined();
    expect(e.ageMs).toBeUndefined();
  });

  it('fails with no-evidence when every drill failed, and says the latest failed', () => {
    const e = evaluate([drill(HOUR, false), drill(2 * DAY, false)], NOW, policy);
    expect(e.outcome).toBe('fail');
    expect(e.reasons).toEqual(['no-evidence', 'latest-drill-failed']);
  });

  it('passes a fresh drill', () => {
    const e = evaluate([drill(2 * DAY, true)], NOW, policy);
    expect(e).toMatchObject({ outcome: 'pass', reasons: ['ok'], ageMs: 2 * DAY, stale: false, aging: false });
  });

  it('passes at exactly max-age and fails one millisecond later', () => {
    expect(evaluate([drill(7 * DAY, true)], NOW, policy).outcome).toBe('pass');
    const e = evaluate([drill(7 * DAY + 1, true)], NOW, policy);
    expect(e).toMatchObject({ outcome: 'fail', reasons: ['stale'], stale: true });
  });

  it('warns (pass with aging) between warn-age and max-age', () => {
    expect(evaluate([drill(5.6 * DAY, true)], NOW, policy).reasons).toEqual(['ok']);
    const e = evaluate([drill(5.6 * DAY + 1, true)], NOW, policy);
    expect(e).toMatchObject({ outcome: 'pass', reasons: ['ok', 'aging'], aging: true });
  });

  it('counts the older pass for age when the newest drill failed, and says so', () => {
    const e = evaluate([drill(DAY, false), drill(3 * DAY, true)], NOW, policy);
    expect(e).toMatchObject({ outcome: 'pass', reasons: ['ok', 'latest-drill-failed'], latestFailed: true, ageMs: 3 * DAY });
    expect(e.latest?.passed).toBe(false);
  });

  it('fails on a newest failed drill when latest-failed is fail', () => {
    const e = evaluate([drill(DAY, false), drill(3 * DAY, true)], NOW, { ...policy, latestFailed: 'fail' });
    expect(e).toMatchObject({ outcome: 'fail', reasons: ['latest-drill-failed'] });
  });

  it('does not flag a failure older than the last pass', () => {
    const e = evaluate([drill(3 * DAY, false), drill(DAY, true)], NOW, { ...policy, latestFailed: 'fail' });
    expect(e).toMatchObject({ outcome: 'pass', reasons: ['ok'], latestFailed: false });
  });

  it('takes the newest pass across sources', () => {
    const e = evaluate([drill(3 * DAY, true, 'records'), drill(DAY, true, 'github'), drill(8 * DAY, true, 'records')], NOW, policy);
    expect(e.lastPass?.source).toBe('github');
    expect(e.ageMs).toBe(DAY);
  });

  it('stale evidence plus a failed newer drill reports both', () => {
    const e = evaluate([drill(DAY, false), drill(9 * DAY, true)], NOW, policy);
    expect(e.reasons).toEqual(['stale', 'latest-drill-failed']);
    expect(e.outcome).toBe('fail');
  });

  it('treats a drill a little in the future (within the skew, checked upstream) as age 0', () => {
    const e = evaluate([drill(-60_000, true)], NOW, policy);
    expect(e).toMatchObject({ outcome: 'pass', ageMs: 0 });
  });
});
