// dr-freshness policy: pure evaluation of drill evidence against the SLA. No I/O, no clock of its own.

export type EvidenceSource = 'records' | 'github';

/** One disaster-recovery drill, from a record line or a workflow run. */
export interface Drill {
  source: EvidenceSource;
  /** when the drill happened (ms since epoch) */
  at: number;
  passed: boolean;
  /** `file:line` of the record, or the run's html_url */
  where: string;
  /** link for humans: the run that did the drill, when known */
  url?: string;
  /** what the source said (record outcome, run conclusion) */
  status: string;
}

export type LatestFailedPolicy = 'warn' | 'fail';

export interface Policy {
  maxAgeMs: number;
  warnAgeMs: number;
  skewMs: number;
  latestFailed: LatestFailedPolicy;
}

export interface Evaluation {
  outcome: 'pass' | 'fail';
  reasons: string[];
  lastPass?: Drill;
  /** newest drill of any outcome */
  latest?: Drill;
  /** the newest drill failed after the last pass (or with no pass at all) */
  latestFailed: boolean;
  ageMs?: number;
  stale: boolean;
  aging: boolean;
}

/** Newest first; ties broken by source (records before github) then `where`, so the result is deterministic. */
export function newestFirst(a: Drill, b: Drill): number {
  return b.at - a.at || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || (a.where < b.where ? -1 : a.where > b.where ? 1 : 0);
}

/**
 * Judge the drills. Timestamps must already be checked (parseable, not in the future beyond the skew):
 * a drill a little in the future (within the skew) counts as age 0.
 * - no passing drill: fail `no-evidence` (never "now", never the current commit)
 * - age > max-age: fail `stale`; age > warn-age: pass with `aging`
 * - newest drill failed after the last pass: `latest-drill-failed` (fail when the policy says so)
 */
export function evaluate(drills: Drill[], nowMs: number, policy: Policy): Evaluation {
  const sorted = [...drills].sort(newestFirst);
  const lastPass = sorted.find((d) => d.passed);
  const latest = sorted[0];
  const latestFailed = !!latest && !latest.passed && (!lastPass || latest.at > lastPass.at);
  const reasons: string[] = [];
  if (!lastPass) {
    reasons.push('no-evidence');
    if (latestFailed) reasons.push('latest-drill-failed');
    return { outcome: 'fail', reasons, latest, latestFailed, stale: false, aging: false };
  }
  const ageMs = Math.max(0, nowMs - lastPass.at);
  const stale = ageMs > policy.maxAgeMs;
  const aging = !stale && ageMs > policy.warnAgeMs;
  if (stale) reasons.push('stale');
  if (aging) reasons.push('aging');
  if (latestFailed) reasons.push('latest-drill-failed');
  const outcome = stale || (latestFailed && policy.latestFailed === 'fail') ? 'fail' : 'pass';
  if (outcome === 'pass') reasons.unshift('ok');
  return { outcome, reasons, lastPass, latest, latestFailed, ageMs, stale, aging };
}

export function hours(ms: number): number {
  return Math.round((ms / 3_600_000) * 10) / 10;
}

/** `12.5 h` / `3.2 d` for messages. */
export function human(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 48 ? `${(Math.round((h / 24) * 10) / 10).toString()} d` : `${hours(ms)} h`;
}
