import { ensureDir } from './files.js';
import { closeSync, constants as FS, existsSync, fstatSync, lstatSync, openSync, realpathSync, writeSync, fsyncSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { ConfigError } from './types.js';
import type { Finding, GateResult, Outcome, Severity } from './types.js';
import { SEVERITIES } from './types.js';
import { Redactor } from './redact.js';
import { SUITE_VERSION } from './version.js';
import { tryNormalizeDigest } from './digest.js';
import { randomBytes } from './random.js';

export const RECORD_SCHEMA = 'chaingate.pipeline_run/v1';

export type RecordMode = 'strict' | 'best-effort';

export interface PipelineRunRecord {
  schema: typeof RECORD_SCHEMA;
  record_id: string;
  gate: string;
  outcome: Outcome;
  reasons: string[];
  started_at: string;
  finished_at: string;
  duration_ms: number;
  suite: { name: 'chaingate'; version: string };
  run: {
    repository: string | null;
    ref: string | null;
    sha: string | null;
    workflow: string | null;
    workflow_ref?: string | null;
    job: string | null;
    run_id: string | null;
    run_attempt: string | null;
    event_name: string | null;
    actor?: string | null;
    server_url?: string | null;
    local?: boolean;
  };
  subject?: { digest?: string; name?: string };
  findings: Record<Severity, number> & { total: number; suppressed: number; errors: number };
  tool?: { name: string; version: string };
  policy?: Record<string, string | number | boolean | null>;
  details?: Record<string, string | number | boolean | null>;
}

/**
 * Where records go when no record file is named: `$CHAINGATE_RECORDS` when set, else `configured` (the config
 * file's `records.path`, relative to the workspace), else `$RUNNER_TEMP/chaingate/pipeline_run.ndjson` on a
 * runner, else `./.chaingate/pipeline_run.ndjson` under the working directory.
 */
export function defaultRecordPath(env: NodeJS.ProcessEnv, cwd: string, configured?: string): string {
  if (env.CHAINGATE_RECORDS) return resolvePath(cwd, env.CHAINGATE_RECORDS);
  if (configured?.trim()) return resolvePath(cwd, configured.trim());
  if (env.RUNNER_TEMP) return join(env.RUNNER_TEMP, 'chaingate', 'pipeline_run.ndjson');
  return join(cwd, '.chaingate', 'pipeline_run.ndjson');
}

export function countFindings(findings: Finding[]): PipelineRunRecord['findings'] {
  const c = { total: 0, critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 0, errors: 0 };
  for (const f of findings) {
    if (f.isError) c.errors++;
    if (f.suppressed) {
      c.suppressed++;
      continue;
    }
    c.total++;
    c[f.severity]++;
  }
  return c;
}

const MAX_KEYS = 32;
const MAX_STR = 500;

function bounded(obj: Record<string, unknown> | undefined): Record<string, string | number | boolean | null> | undefined {
  if (!obj) return undefined;
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(obj).slice(0, MAX_KEYS)) {
    if (v === undefined) continue;
    if (v === null || typeof v === 'number' || typeof v === 'boolean') out[k] = v as number | boolean | null;
    else out[k] = String(v).slice(0, MAX_STR);
  }
  return out;
}

function envOrNull(env: NodeJS.ProcessEnv, name: string, max: number): string | null {
  const v = env[name];
  return v ? v.slice(0, max) : null;
}

export function buildRecord(
  gate: string,
  result: GateResult,
  started: Date,
  finished: Date,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
): PipelineRunRecord {
  const rec: PipelineRunRecord = {
    schema: RECORD_SCHEMA,
    record_id: randomBytes(16).toString('hex'),
    gate,
    outcome: result.outcome,
    reasons: [...new Set(result.reasons)].slice(0, 32),
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    duration_ms: Math.max(0, finished.getTime() - started.getTime()),
    suite: { name: 'chaingate', version: SUITE_VERSION },
    run: {
      repository: envOrNull(env, 'GITHUB_REPOSITORY', 200),
      ref: envOrNull(env, 'GITHUB_REF', 300),
      sha: envOrNull(env, 'GITHUB_SHA', 64),
      workflow: envOrNull(env, 'GITHUB_WORKFLOW', 300),
      workflow_ref: envOrNull(env, 'GITHUB_WORKFLOW_REF', 500),
      job: envOrNull(env, 'GITHUB_JOB', 200),
      run_id: envOrNull(env, 'GITHUB_RUN_ID', 32),
      run_attempt: envOrNull(env, 'GITHUB_RUN_ATTEMPT', 16),
      event_name: envOrNull(env, 'GITHUB_EVENT_NAME', 64),
      actor: envOrNull(env, 'GITHUB_ACTOR', 100),
      server_url: envOrNull(env, 'GITHUB_SERVER_URL', 200),
      local: env.GITHUB_ACTIONS !== 'true',
    },
    findings: countFindings(result.findings),
  };
  if (result.subject && (result.subject.digest || result.subject.name)) {
    const s: { digest?: string; name?: string } = {};
    const d = result.subject.digest ? tryNormalizeDigest(result.subject.digest) : undefined;
    if (d) s.digest = d;
    if (result.subject.name) s.name = result.subject.name.slice(0, 500);
    rec.subject = s;
  }
  if (result.tool) rec.tool = { name: result.tool.name.slice(0, 64), version: result.tool.version.slice(0, 64) };
  const policy = bounded(result.policy);
  if (policy) rec.policy = policy;
  const details = bounded(result.details);
  if (details) rec.details = details;
  // Redaction is done here, in the writer's path, not left to each gate.
  return redactor.redactValue(rec);
}

/**
 * Append one record as one line. The line is written with a single write(2) on an O_APPEND descriptor,
 * so concurrent appends from parallel steps on the same machine do not interleave (a partial write, which
 * regular local files do not produce, is completed in a loop).
 */
/**
 * `records.path` of a repository's config file, checked before anything is written there: the file must stay
 * inside the workspace `cwd` through symlinks too (a directory in the repository that is a symlink to
 * $RUNNER_TEMP or $HOME), and when it exists be a regular file (not a symlink, FIFO or device). The schema
 * already refuses absolute paths and `..`. Returns the absolute path; throws ConfigError.
 */
export function configuredRecordPath(cwd: string, configured: string): string {
  const rel = configured.trim();
  const abs = resolvePath(cwd, rel);
  const inside = (root: string, p: string) => {
    const r = relative(root, p);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  if (!inside(cwd, abs)) throw new ConfigError(`records.path: "${rel}" is outside the workspace`);
  let root: string;
  try {
    root = realpathSync(cwd);
  } catch {
    root = cwd;
  }
  let dir = dirname(abs);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw new ConfigError(`records.path: "${rel}": cannot resolve its directory`);
  }
  if (!inside(root, real)) {
    throw new ConfigError(`records.path: "${rel}" leads outside the workspace through a symbolic link (its directory is ${real}): records must stay in the workspace`);
  }
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return abs; // not there yet: created as a regular file
  }
  if (!st.isFile()) {
    const what = st.isSymbolicLink() ? 'a symbolic link' : st.isFIFO() ? 'a FIFO' : st.isDirectory() ? 'a directory' : 'not a regular file';
    throw new ConfigError(`records.path: "${rel}" is ${what}: records are appended to a regular file in the workspace`);
  }
  return abs;
}

/**
 * Append one record. With `regularOnly` (a path from a repository config) the last component is not followed
 * when it is a symlink, a FIFO is not waited on, and anything but a regular file is refused.
 */
export function appendRecord(path: string, record: PipelineRunRecord, opts: { regularOnly?: boolean } = {}): void {
  ensureDir(dirname(path));
  const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
  const fd = opts.regularOnly
    ? openSync(path, FS.O_WRONLY | FS.O_APPEND | FS.O_CREAT | (FS.O_NOFOLLOW ?? 0) | (FS.O_NONBLOCK ?? 0), 0o644)
    : openSync(path, 'a', 0o644);
  try {
    if (opts.regularOnly && !fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    let off = 0;
    while (off < line.length) off += writeSync(fd, line, off, line.length - off);
    try {
      fsyncSync(fd);
    } catch {
      /* some filesystems refuse fsync; the write itself succeeded */
    }
  } finally {
    closeSync(fd);
  }
}

export interface ParsedRecordLine {
  line: number;
  record?: PipelineRunRecord;
  error?: string;
}

/** Read an NDJSON file of records. Blank lines are skipped; each bad line is reported with its number. */
export function readRecords(path: string): ParsedRecordLine[] {
  const text = readFileSync(path, 'utf8');
  const out: ParsedRecordLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    try {
      const v = JSON.parse(raw);
      if (!v || typeof v !== 'object' || v.schema !== RECORD_SCHEMA) {
        out.push({ line: i + 1, error: `not a ${RECORD_SCHEMA} record` });
      } else out.push({ line: i + 1, record: v as PipelineRunRecord });
    } catch (e) {
      out.push({ line: i + 1, error: `invalid JSON: ${(e as Error).message}` });
    }
  }
  return out;
}

export { SEVERITIES };
