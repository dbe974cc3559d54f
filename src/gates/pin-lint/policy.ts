import { ConfigError } from '../../core/types.js';

export type PinLevel = 'hash-pin' | 'ref-pin' | 'any';
export const PIN_LEVELS: readonly PinLevel[] = ['hash-pin', 'ref-pin', 'any'];

const SEG = /^[A-Za-z0-9_.-]+$/;

export interface Policy {
  exact: Map<string, PinLevel>; // owner/repo/path and owner/repo, lower-cased
  owner: Map<string, PinLevel>; // owner/*
  fallback: PinLevel; // *
}

/** Validate one pattern; returns an error message or undefined. */
export function patternProblem(p: string): string | undefined {
  if (p === '*') return undefined;
  const parts = p.split('/');
  if (parts.length < 2) return `"${p}" is not a pattern: use owner/repo/path, owner/repo, owner/* or *`;
  if (parts.length === 2 && parts[1] === '*') {
    return SEG.test(parts[0]) ? undefined : `"${p}": invalid owner "${parts[0]}"`;
  }
  for (const seg of parts) {
    if (seg === '*' || seg.includes('*')) return `"${p}": a wildcard is only allowed as owner/* or *`;
    if (!SEG.test(seg)) return `"${p}": invalid segment "${seg}"`;
  }
  return undefined;
}

export function buildPolicy(entries: Record<string, unknown> | undefined, locate?: (k: string) => string): Policy {
  const policy: Policy = { exact: new Map(), owner: new Map(), fallback: 'hash-pin' };
  for (const [pattern, level] of Object.entries(entries ?? {})) {
    const where = locate ? `${locate(pattern)}: ` : '';
    const problem = patternProblem(pattern);
    if (problem) throw new ConfigError(`${where}pin-lint.policy: ${problem}`);
    if (!PIN_LEVELS.includes(level as PinLevel)) {
      throw new ConfigError(`${where}pin-lint.policy."${pattern}": "${String(level)}" is not one of ${PIN_LEVELS.join(', ')}`);
    }
    const l = level as PinLevel;
    if (pattern === '*') policy.fallback = l;
    else if (pattern.endsWith('/*')) policy.owner.set(pattern.slice(0, -2).toLowerCase(), l);
    else policy.exact.set(pattern.toLowerCase(), l);
  }
  return policy;
}

/**
 * The most specific pattern wins, whatever the order in the file:
 * owner/repo/path (longest first) > owner/repo > owner/* > *.
 * GitHub owner and repository names are case-insensitive, so matching is too.
 */
export function levelFor(policy: Policy, name: string): PinLevel {
  const parts = name.toLowerCase().split('/');
  for (let n = parts.length; n >= 2; n--) {
    const hit = policy.exact.get(parts.slice(0, n).join('/'));
    if (hit) return hit;
  }
  const o = policy.owner.get(parts[0]);
  if (o) return o;
  return policy.fallback;
}
