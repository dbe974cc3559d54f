// Evidence source 1: `pipeline_run` NDJSON files written by `chaingate record` (or any gate).
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { expandGlob, toPosix } from '../../core/glob.js';
import { RECORD_SCHEMA, type PipelineRunRecord } from '../../core/record.js';
import { validateRecord } from '../../core/schema.js';
import type { Drill } from './policy.js';

/** Events whose runs execute proposed code (a pull request), not a branch's: never drill evidence. */
export const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'merge_group']);

/** Record files larger than this are refused (a drill history is tiny; this is a corrupted or wrong file). */
export const MAX_RECORD_FILE_BYTES = 64 * 1024 * 1024;

export interface EvidenceError {
  reason: 'invalid-record' | 'bad-timestamp' | 'future-timestamp' | 'unreadable-file';
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface RecordScan {
  drills: Drill[];
  errors: EvidenceError[];
  /** files read */
  files: string[];
  /** patterns that matched no file */
  unmatched: string[];
  /** records of the drill gate (any outcome, subject filter applied) */
  drillRecords: number;
  /** valid records of other gates (or other subjects) */
  otherRecords: number;
  /** drill records made in another repository's run (not evidence for this one) */
  foreignRecords: number;
  /** drill records of a pull-request run, or (with `branch`) of a run on another ref: not evidence */
  offBranchRecords: number;
  /** lines repeating a record already read (same record_id, same content): counted once */
  duplicateRecords: number;
  /** record_id → `file:line` and content of the first line with that id */
  byId: Map<string, { where: string; text: string }>;
}

export interface RecordScanOptions {
  cwd: string;
  gate: string;
  subject?: string;
  /** owner/repo the drills must belong to: records whose run names another repository are not evidence */
  repository?: string;
  /** branch the drills must have run on (given explicitly): records whose run names another ref are not evidence */
  branch?: string;
  nowMs: number;
  skewMs: number;
}

const GLOB_CHARS = /[*?{]/;

/**
 * Read every file the patterns name. A literal path that does not exist is an error (the user named it);
 * a glob that matches nothing contributes no evidence. Every line must be a schema-valid record: a bad
 * line anywhere is an error naming file:line:column, because a file that is partly garbage cannot be trusted.
 */
export function scanRecords(patterns: string[], opts: RecordScanOptions): RecordScan {
  const scan: RecordScan = { drills: [], errors: [], files: [], unmatched: [], drillRecords: 0, otherRecords: 0, foreignRecords: 0, offBranchRecords: 0, duplicateRecords: 0, byId: new Map() };
  const seen = new Set<string>();
  for (const pattern of patterns) {
    let paths: string[];
    if (GLOB_CHARS.test(pattern)) {
      paths = expandGlob(pattern, opts.cwd);
      if (!paths.length) scan.unmatched.push(pattern);
    } else {
      const abs = isAbsolute(pattern) ? pattern : resolvePath(opts.cwd, pattern);
      paths = [abs];
    }
    for (const abs of paths) {
      if (seen.has(abs)) continue;
      seen.add(abs);
      scanFile(abs, opts, scan);
    }
  }
  return scan;
}

function shown(abs: string, cwd: string): string {
  const rel = toPosix(abs, cwd);
  return rel.startsWith('../') ? abs : rel;
}

function scanFile(abs: string, opts: RecordScanOptions, scan: RecordScan): void {
  const file = shown(abs, opts.cwd);
  let buf: Buffer;
  try {
    const st = statSync(abs);
    if (!st.isFile()) {
      scan.errors.push({ reason: 'unreadable-file', file, message: `${file}: not a regular file` });
      return;
    }
    if (st.size > MAX_RECORD_FILE_BYTES) {
      scan.errors.push({ reason: 'unreadable-file', file, message: `${file}: larger than ${MAX_RECORD_FILE_BYTES} bytes; not a drill record file` });
      return;
    }
    buf = readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    scan.errors.push({ reason: 'unreadable-file', file, message: `${file}: cannot read record file: ${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)}` });
    return;
  }
  scan.files.push(file);
  if (buf.includes(0)) {
    scan.errors.push({ reason: 'invalid-record', file, line: 1, column: 1, message: `${file}: binary data (NUL bytes), not NDJSON records` });
    return;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    scan.errors.push({ reason: 'invalid-record', file, line: 1, column: 1, message: `${file}: not valid UTF-8` });
    return;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    scanLine(raw, file, i + 1, opts, scan);
  }
}

function scanLine(raw: string, file: string, line: number, opts: RecordScanOptions, scan: RecordScan): void {
  const at = (column: number, reason: EvidenceError['reason'], msg: string) =>
    scan.errors.push({ reason, file, line, column, message: `${file}:${line}:${column}: ${msg}` });
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    at(jsonErrorColumn(raw, (e as Error).message), 'invalid-record', `invalid JSON: ${(e as Error).message.replace(/\s*\(line \d+ column \d+\)$/, '')}`);
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || (value as { schema?: unknown }).schema !== RECORD_SCHEMA) {
    at(1, 'invalid-record', `not a ${RECORD_SCHEMA} record`);
    return;
  }
  const problems = validateRecord(value);
  if (problems.length) {
    const p = problems[0];
    const key = p.path.split('/').filter(Boolean)[0];
    const timeKey = key === 'finished_at' || key === 'started_at';
    at(key ? keyColumn(raw, key) : 1, timeKey ? 'bad-timestamp' : 'invalid-record', `record does not match ${RECORD_SCHEMA}: ${p.path || '(root)'} ${p.message}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`);
    return;
  }
  const rec = value as PipelineRunRecord;
  // the same record twice (a copied file, a re-appended line) counts once; one id with two contents is tampering or corruption
  const canon = JSON.stringify(value);
  const first = scan.byId.get(rec.record_id);
  if (first) {
    if (first.text !== canon) {
      at(keyColumn(raw, 'record_id'), 'invalid-record', `record_id ${rec.record_id} was already used by a different record at ${first.where}; a record id names one record`);
      return;
    }
    scan.duplicateRecords++;
    return;
  }
  scan.byId.set(rec.record_id, { where: `${file}:${line}`, text: canon });
  if (rec.gate !== opts.gate || (opts.subject !== undefined && rec.subject?.name !== opts.subject && rec.subject?.digest !== opts.subject)) {
    scan.otherRecords++;
    return;
  }
  const recRepo = rec.run?.repository;
  if (opts.repository && recRepo && recRepo.toLowerCase() !== opts.repository.toLowerCase()) {
    scan.foreignRecords++;
    return;
  }
  // a pull-request run executes proposed code; a run on another branch (a dispatch on a feature branch) another drill
  const ref = rec.run?.ref;
  if (PR_EVENTS.has(rec.run?.event_name ?? '') || (opts.branch && ref && ref !== `refs/heads/${opts.branch}` && ref !== opts.branch)) {
    scan.offBranchRecords++;
    return;
  }
  scan.drillRecords++;
  if (rec.outcome === 'skip') return; // a skipped drill is not a drill
  const ms = parseTimestamp(rec.finished_at);
  if (ms === undefined) {
    at(keyColumn(raw, 'finished_at'), 'bad-timestamp', `finished_at "${rec.finished_at}" is not a valid date-time`);
    return;
  }
  const startMs = parseTimestamp(rec.started_at);
  if (startMs === undefined || startMs > ms) {
    at(keyColumn(raw, 'started_at'), 'bad-timestamp', startMs === undefined ? `started_at "${rec.started_at}" is not a valid date-time` : `started_at ${rec.started_at} is after finished_at ${rec.finished_at}`);
    return;
  }
  if (ms > opts.nowMs + opts.skewMs) {
    at(keyColumn(raw, 'finished_at'), 'future-timestamp', `finished_at ${rec.finished_at} is in the future (now ${new Date(opts.nowMs).toISOString()}, allowed clock skew ${Math.round(opts.skewMs / 1000)} s)`);
    return;
  }
  scan.drills.push({
    source: 'records',
    at: ms,
    passed: rec.outcome === 'pass',
    where: `${file}:${line}`,
    url: runUrl(rec),
    status: rec.outcome,
  });
}

/**
 * 1-based column of the character that makes a line invalid JSON. V8 names a position for some errors only;
 * otherwise bisect for the shortest prefix that is already wrong (a prefix that is merely incomplete fails
 * with "end of input" or at its own end).
 */
export function jsonErrorColumn(raw: string, message: string): number {
  const m = /position (\d+)/.exec(message);
  if (m) return Math.min(Number(m[1]), Math.max(0, raw.length - 1)) + 1;
  const wrong = (k: number) => {
    try {
      JSON.parse(raw.slice(0, k));
      return false;
    } catch (e) {
      const msg = (e as Error).message;
      if (/end of JSON input/i.test(msg)) return false;
      const p = /position (\d+)/.exec(msg);
      return !(p && Number(p[1]) >= k);
    }
  };
  let lo = 1;
  let hi = raw.length;
  if (!wrong(hi)) return 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (wrong(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Column (1-based) of `"key"` in the raw line, else 1. */
function keyColumn(raw: string, key: string): number {
  const i = raw.indexOf(`"${key}"`);
  return i >= 0 ? i + 1 : 1;
}

/** Strict RFC 3339 date-time with a zone; anything else (including a valid-looking 2024-02-30) is undefined. */
export function parseTimestamp(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(s.replace(' ', 'T'));
  if (Number.isNaN(ms)) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number);
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || sec > 60) return undefined;
  return ms;
}

/** The run that made the record, as a link, when the record carries a plausible GitHub run context. */
function runUrl(rec: PipelineRunRecord): string | undefined {
  const { server_url: server, repository, run_id: id } = rec.run;
  if (!server || !repository || !id) return undefined;
  if (!/^https:\/\/[a-z0-9.-]+(?::\d+)?$/i.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^\d+$/.test(id)) return undefined;
  return `${server}/${repository}/actions/runs/${id}`;
}
