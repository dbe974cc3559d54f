// `chaingate record`: append one schema-valid `pipeline_run` record for a step chaingate does not run itself
// (a disaster-recovery drill, a chaos trial). The same writer as the gates: src/core/record.ts.
import { fsErrorText } from '../core/files.js';
import { resolve as resolvePath } from 'node:path';
import type { GateResult, InputSpec } from '../core/types.js';
import { InputError, OUTCOMES, type Outcome } from '../core/types.js';
import { appendRecord, buildRecord, configuredRecordPath, defaultRecordPath, type PipelineRunRecord } from '../core/record.js';
import { validateRecord } from '../core/schema.js';
import { Redactor } from '../core/redact.js';
import { normalizeDigest } from '../core/digest.js';
import { loadConfig } from '../core/config.js';
import { splitList } from '../core/files.js';
import { GATES, type CliIO } from '../gates/index.js';

export interface RecordOptions {
  gate: string;
  outcome: string;
  reasons?: string[];
  subject?: string;
  subjectDigest?: string;
  /** `key=value` pairs */
  details?: string[];
  /** when the recorded step started (RFC 3339); default: now */
  startedAt?: string;
  recordFile?: string;
}

export interface RecordDeps {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `records.path` of the config file (used when no record file is named and $CHAINGATE_RECORDS is unset) */
  configuredPath?: string;
  now?: () => Date;
}

export const RECORD_INPUTS: InputSpec[] = [
  { name: 'gate', description: 'Id the record is filed under, e.g. dr-drill (lower-case letters, digits, dashes). Ids of chaingate gates are refused.', required: true },
  { name: 'outcome', description: 'pass, fail, error or skip.', required: true },
  { name: 'reason', description: 'Reason code(s), repeatable or comma-separated (default: ok for pass, failed for fail, error, skipped).', multiple: true },
  { name: 'subject', description: 'What was exercised, e.g. the database or environment the drill restored.' },
  { name: 'subject-digest', description: 'Digest of what was exercised (sha256:<64 hex>).' },
  { name: 'detail', description: 'key=value fact for the record, repeatable (at most 32, values up to 500 characters).', multiple: true },
  { name: 'started-at', description: 'When the recorded step started (RFC 3339). Default: now. The record is finished now.' },
  { name: 'record-file', description: 'NDJSON file to append to. Default: $CHAINGATE_RECORDS, else records.path of .github/chaingate.yml, else $RUNNER_TEMP/chaingate/pipeline_run.ndjson, else .chaingate/pipeline_run.ndjson.' },
];

const ID = /^[a-z][a-z0-9-]{1,40}$/;
const REASON = /^[a-z][a-z0-9-]{1,48}$/;
const DETAIL_KEY = /^[a-z][a-z0-9_.-]{0,63}$/;
const DEFAULT_REASON: Record<Outcome, string> = { pass: 'ok', fail: 'failed', error: 'error', skip: 'skipped' };
/** how far in the future --started-at may be (clock skew between machines) */
const START_SKEW_MS = 5 * 60_000;

/** Build the record and check it; throws InputError with a clear message for bad options. */
export function buildExternalRecord(opts: RecordOptions, deps: RecordDeps): PipelineRunRecord {
  const gate = opts.gate?.trim() ?? '';
  if (!ID.test(gate)) throw new InputError(`gate: "${gate}" is not a valid id (2-41 lower-case letters, digits or dashes, starting with a letter)`);
  if (GATES.some((g) => g.id === gate)) throw new InputError(`gate: "${gate}" is a chaingate gate; its records are written by the gate itself. Use your own id, e.g. dr-drill`);
  const outcome = opts.outcome?.trim() as Outcome;
  if (!OUTCOMES.includes(outcome)) throw new InputError(`outcome: "${opts.outcome ?? ''}" is not one of ${OUTCOMES.join(', ')}`);
  const reasons = opts.reasons?.length ? [...new Set(opts.reasons.map((r) => r.trim()).filter(Boolean))] : [DEFAULT_REASON[outcome]];
  for (const r of reasons) if (!REASON.test(r)) throw new InputError(`reason: "${r}" is not a reason code (lower-case letters, digits, dashes)`);
  if (reasons.length > 32) throw new InputError('reason: at most 32 reason codes');
  const details: Record<string, string> = {};
  for (const d of opts.details ?? []) {
    const eq = d.indexOf('=');
    const key = eq > 0 ? d.slice(0, eq).trim() : '';
    if (!DETAIL_KEY.test(key)) throw new InputError(`detail: "${d}" is not key=value with a lower-case key`);
    details[key] = d.slice(eq + 1);
  }
  if (Object.keys(details).length > 32) throw new InputError('detail: at most 32 details');
  for (const [k, v] of Object.entries(details)) if (v.length > 500) throw new InputError(`detail: the value of ${k} is longer than 500 characters`);
  const now = (deps.now ?? (() => new Date()))();
  let started = now;
  if (opts.startedAt?.trim()) {
    const s = opts.startedAt.trim();
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(s) ? Date.parse(s) : NaN;
    if (Number.isNaN(ms)) throw new InputError(`started-at: "${s}" is not an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)`);
    if (ms > now.getTime() + START_SKEW_MS) throw new InputError(`started-at: ${s} is in the future`);
    started = new Date(Math.min(ms, now.getTime()));
  }
  const subject: GateResult['subject'] = {};
  if (opts.subject?.trim()) {
    if (opts.subject.length > 500) throw new InputError('subject: longer than 500 characters');
    subject.name = opts.subject.trim();
  }
  if (opts.subjectDigest?.trim()) {
    try {
      subject.digest = normalizeDigest(opts.subjectDigest.trim());
    } catch (e) {
      throw new InputError(`subject-digest: ${(e as Error).message}`);
    }
  }
  const result: GateResult = {
    outcome,
    reasons,
    findings: [],
    ...(subject.name || subject.digest ? { subject } : {}),
    ...(Object.keys(details).length ? { details } : {}),
  };
  const redactor = new Redactor();
  redactor.addFromEnv(deps.env);
  const record = buildRecord(gate, result, started, now, deps.env, redactor);
  const problems = validateRecord(record);
  if (problems.length) throw new InputError(`the record would not be valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  return record;
}

export function recordPathFor(opts: RecordOptions, deps: RecordDeps): string {
  return opts.recordFile?.trim() ? resolvePath(deps.cwd, opts.recordFile.trim()) : defaultRecordPath(deps.env, deps.cwd, deps.configuredPath);
}

/** Build and append. Throws InputError for bad options, Error when the file cannot be written. */
export function writeExternalRecord(opts: RecordOptions, deps: RecordDeps): { record: PipelineRunRecord; path: string } {
  const record = buildExternalRecord(opts, deps);
  const path = recordPathFor(opts, deps);
  try {
    appendRecord(path, record, { regularOnly: !opts.recordFile?.trim() && !deps.env.CHAINGATE_RECORDS && !!deps.configuredPath });
  } catch (e) {
    throw new Error(`cannot write pipeline_run record to ${path}: ${fsErrorText(e)}`);
  }
  return { record, path };
}

function help(): string {
  const lines = RECORD_INPUTS.map((s) => `  ${`--${s.name} <value>`.padEnd(26)}${s.description}${s.required ? ' (required)' : ''}`);
  return [
    'chaingate record — append one pipeline_run record for a step chaingate does not run (a DR drill, a chaos trial)',
    '',
    'Usage: chaingate record --gate <id> --outcome pass|fail|error|skip [options]',
    '',
    'Options:',
    ...lines,
    `  ${'--format <text|json>'.padEnd(26)}output format (default: text)`,
    `  ${'-h, --help'.padEnd(26)}this help`,
    '',
    'Example: chaingate record --gate dr-drill --outcome pass --subject prod-db --record-file drills/dr-drill.ndjson',
    'Exit codes: 0 the record was written (whatever its outcome), 2 bad options or the record could not be written.',
  ].join('\n');
}

export async function recordCommand(argv: string[], io: CliIO): Promise<number> {
  const { parseArgs } = await import('../cli.js');
  let parsed;
  try {
    parsed = parseArgs(argv, RECORD_INPUTS);
  } catch (e) {
    io.err(`chaingate record: ${(e as Error).message}\nRun \`chaingate record --help\` for usage.`);
    return 2;
  }
  if (parsed.help) {
    io.out(help());
    return 0;
  }
  if (parsed.format !== 'text' && parsed.format !== 'json') {
    io.err(`chaingate record: --format ${parsed.format} is not supported here (text or json)`);
    return 2;
  }
  const raw = parsed.raw;
  for (const s of RECORD_INPUTS) {
    if (s.required && !raw[s.name]?.trim()) {
      io.err(`chaingate record: --${s.name} is required\nRun \`chaingate record --help\` for usage.`);
      return 2;
    }
  }
  const redactor = new Redactor();
  redactor.addFromEnv(io.env);
  // the same default record file as the gates: the config's records.path (only needed without --record-file)
  let configuredPath: string | undefined;
  if (!raw['record-file']?.trim() && !io.env.CHAINGATE_RECORDS) {
    try {
      configuredPath = (await loadConfig(io.cwd)).config.records?.path;
      if (configuredPath) configuredPath = configuredRecordPath(io.cwd, configuredPath);
    } catch (e) {
      io.err(redactor.redact(`chaingate record: ${(e as Error).message} (the config decides where the record goes: fix it or give --record-file)`));
      return 2;
    }
  }
  try {
    const { record, path } = writeExternalRecord(
      {
        gate: raw.gate as string,
        outcome: raw.outcome as string,
        reasons: splitList(raw.reason),
        subject: raw.subject,
        subjectDigest: raw['subject-digest'],
        details: raw.detail ? raw.detail.split('\n') : [],
        startedAt: raw['started-at'],
        recordFile: raw['record-file'],
      },
      { cwd: io.cwd, env: io.env, configuredPath },
    );
    if (parsed.format === 'json') io.out(redactor.redact(JSON.stringify({ recordFile: path, record }, null, 2)));
    else io.out(redactor.redact(`recorded ${record.gate} ${record.outcome} (${record.reasons.join(', ')}) at ${record.finished_at} → ${path} [record ${record.record_id}]`));
    return 0;
  } catch (e) {
    io.err(redactor.redact(`chaingate record: ${(e as Error).message}`));
    return 2;
  }
}
