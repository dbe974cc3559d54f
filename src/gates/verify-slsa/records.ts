// Cross-check against the run's pipeline_run records: the audit found a release whose records named one
// digest while the provenance verified another. Any record of this run that names a subject digest other
// than a verified artifact's is a mismatch.
import { fsErrorText } from '../../core/files.js';
import { readRecords } from '../../core/record.js';
import { tryNormalizeDigest } from '../../core/digest.js';
import type { Claim } from './claims.js';

export interface RecordsCheck {
  claim?: Claim;
  /** set when the file could not be used: the gate must not pass */
  error?: string;
  considered: number;
}

/**
 * `runId`: only records of this workflow run (GITHUB_RUN_ID, and the same repository) are compared; when
 * unset (a local run), every record of the file is.
 */
export function crossCheckRecords(path: string, verified: readonly string[], run: { runId?: string; repository?: string }): RecordsCheck {
  let lines;
  try {
    lines = readRecords(path);
  } catch (e) {
    return { error: `records: cannot read ${path}: ${fsErrorText(e)}`, considered: 0 };
  }
  const bad = lines.filter((l) => l.error);
  if (bad.length) return { error: `records: ${path}:${bad[0].line}: ${bad[0].error}`, considered: 0 };
  const ours = lines
    .map((l) => l.record!)
    .filter((r) => !run.runId || (r.run?.run_id === run.runId && (!run.repository || r.run?.repository === run.repository)));
  const want = new Set(verified);
  const others: string[] = [];
  let considered = 0;
  for (const r of ours) {
    const d = r.subject?.digest;
    if (d === undefined) continue;
    considered++;
    const n = tryNormalizeDigest(d);
    if (!n) return { error: `records: a ${r.gate} record names a malformed digest`, considered };
    if (!want.has(n)) others.push(`${r.gate} (${r.record_id.slice(0, 8)}) names ${n}`);
  }
  const label = `records of ${run.runId ? `run ${run.runId}` : 'the file'} name the verified subject`;
  const expected = verified.join(', ');
  if (others.length) {
    return {
      considered,
      claim: { id: 'records', label, expected, actual: others.slice(0, 5).join('; '), ok: false, reason: 'records-subject-mismatch', message: `${others.length} record(s) of the run name another subject digest: ${others.slice(0, 5).join('; ')}` },
    };
  }
  return { considered, claim: { id: 'records', label, expected, actual: `${considered} record(s) with a subject, all matching`, ok: true } };
}
