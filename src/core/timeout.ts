import { parseDuration } from './config.js';
import { InputError } from './types.js';

export interface TimeoutSpec {
  /** the input's name, for messages */
  name: string;
  /** used when the input is empty */
  default: string;
  minMs: number;
  maxMs: number;
}

function spell(ms: number): string {
  const units: [number, string][] = [
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, word] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${word}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms / 1000} seconds`;
}

/**
 * A time limit as every gate takes it: a duration (`30s`, `2m`, `1.5h`, ISO-8601 `PT1M`) or a bare number of
 * seconds (`60`, `1.5`). Empty means the default. Zero, negative and out-of-range values are a range error
 * ("must be between …"), anything else unreadable a format error; both are InputError. Returns milliseconds.
 */
export function parseTimeout(raw: string | undefined, spec: TimeoutSpec): number {
  const t = raw?.trim() || spec.default;
  const range = () => new InputError(`${spec.name}: "${t}" must be between ${spell(spec.minMs)} and ${spell(spec.maxMs)}`);
  // zero or negative, with or without a unit (`0s`, `-5`, `-1m`, `PT0S`): a range problem, not a format one
  const signed = /^([+-]?)(\d+(?:\.\d+)?)\s*([wdhms]?)$/i.exec(t);
  if ((signed && (signed[1] === '-' || Number(signed[2]) === 0)) || /^-?P(?:T?0+(?:\.0+)?[WDHMS])+$/i.test(t)) throw range();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else {
    try {
      ms = parseDuration(t, spec.name);
    } catch {
      throw new InputError(`${spec.name}: "${t}" is not a duration (e.g. 30s, 2m, PT1M) or a number of seconds`);
    }
  }
  if (!(ms >= spec.minMs && ms <= spec.maxMs)) throw range();
  return ms;
}
