export interface RetryOptions<T> {
  /** number of retries after the first attempt (total attempts = retries + 1) */
  retries: number;
  /** first delay in ms (default 500) */
  baseDelayMs?: number;
  /** cap for one delay (default 30 s) */
  maxDelayMs?: number;
  /** decides whether a thrown error may be retried; anything else is rethrown at once */
  isTransientError?: (e: unknown) => boolean;
  /** decides whether a returned value is a transient failure worth another attempt */
  isTransientResult?: (r: T) => boolean;
  /** a server-given delay (e.g. Retry-After) overrides the backoff for that attempt */
  retryAfterMs?: (r: T | undefined, e: unknown) => number | undefined;
  /** injectable for tests */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (attempt: number, delayMs: number, why: string) => void;
}

export interface RetryOutcome<T> {
  value: T;
  attempts: number;
}

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Exponential backoff with full jitter: delay = random(0.5..1) × min(max, base × 2^n). */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number): number {
  const exp = Math.min(max, base * 2 ** attempt);
  return Math.round(exp * (0.5 + random() / 2));
}

/**
 * Retry only what the caller declares transient. A non-transient error is rethrown immediately;
 * a non-transient result is returned immediately. After the last attempt the last result is
 * returned (or the last error rethrown): the caller decides how to classify it.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions<T>): Promise<RetryOutcome<T>> {
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    try {
      value = await fn(attempt);
    } catch (e) {
      error = e;
      failed = true;
    }
    const last = attempt >= opts.retries;
    if (failed) {
      if (last || !(opts.isTransientError?.(error) ?? false)) throw error;
    } else if (last || !(opts.isTransientResult?.(value as T) ?? false)) {
      return { value: value as T, attempts: attempt + 1 };
    }
    const given = opts.retryAfterMs?.(value, error);
    const delay = given !== undefined ? Math.min(given, max) : backoffDelay(attempt, base, max, random);
    opts.onRetry?.(attempt + 1, delay, failed ? String((error as Error)?.message ?? error) : 'transient result');
    await sleep(delay);
  }
}
