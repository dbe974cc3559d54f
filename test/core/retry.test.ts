import { describe, expect, it } from 'vitest';
import { retry, backoffDelay } from '../../src/core/retry.js';

const noSleep = { sleep: async () => undefined, random: () => 0.5 };

describe('retry', () => {
  it('retries declared-transient errors, then succeeds', async () => {
    let n = 0;
    const out = await retry(async () => {
      if (n++ < 2) throw new Error('ECONNRESET');
      return 'ok';
    }, { retries: 3, isTransientError: (e) => /ECONNRESET/.test(String(e)), ...noSleep });
    expect(out).toEqual({ value: 'ok', attempts: 3 });
  });

  it('never retries an error the caller did not declare transient', async () => {
    let n = 0;
    await expect(retry(async () => {
      n++;
      throw new Error('no matching signatures');
    }, { retries: 5, isTransientError: (e) => /timeout/.test(String(e)), ...noSleep })).rejects.toThrow('no matching signatures');
    expect(n).toBe(1);
  });

  it('returns the last transient result after the retries run out', async () => {
    let n = 0;
    const out = await retry(async () => ++n, { retries: 2, isTransientResult: () => true, ...noSleep });
    expect(out).toEqual({ value: 3, attempts: 3 });
  });

  it('honours a server-given delay and caps it', async () => {
    const delays: number[] = [];
    let n = 0;
    await retry(async () => ++n, { retries: 2, isTransientResult: (v) => v < 3, retryAfterMs: () => 999_999, maxDelayMs: 5000, sleep: async (ms) => void delays.push(ms) });
    expect(delays).toEqual([5000, 5000]);
  });

  it('backs off exponentially with jitter in [50 %, 100 %]', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });
});
