#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);

// src/core/retry.ts
var realSleep = (ms) => new Promise((r) => setTimeout(r, ms));
function backoffDelay(attempt, base, max, random) {
  let exp = Math.min(max, base * 2 ** attempt);
  return Math.round(exp * (0.5 + random() / 2));
}
async function retry(fn, opts) {
  let base = opts.baseDelayMs ?? 500, max = opts.maxDelayMs ?? 3e4, sleep = opts.sleep ?? realSleep, random = opts.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    let value, error, failed = !1;
    try {
      value = await fn(attempt);
    } catch (e) {
      error = e, failed = !0;
    }
    let last = attempt >= opts.retries;
    if (failed) {
      if (last || !(opts.isTransientError?.(error) ?? !1)) throw error;
    } else if (last || !(opts.isTransientResult?.(value) ?? !1))
      return { value, attempts: attempt + 1 };
    let given = opts.retryAfterMs?.(value, error), delay = given !== void 0 ? Math.min(given, max) : backoffDelay(attempt, base, max, random);
    opts.onRetry?.(attempt + 1, delay, failed ? String(error?.message ?? error) : "transient result"), await sleep(delay);
  }
}

export {
  realSleep,
  retry
};
