import type { GateResult, InputSpec, Logger, OutputSpec, RawInputs, RuleInfo } from './types.js';
import type { ExecFn } from './exec.js';
import type { LoadedConfig } from './config.js';
import type { Redactor } from './redact.js';

/** What a gate may touch. Tests hand in their own clock, exec and fetch; gates reach for no globals. */
export interface GateContext {
  /** repository root / workspace (absolute) */
  cwd: string;
  env: NodeJS.ProcessEnv;
  now(): Date;
  exec: ExecFn;
  fetch: typeof fetch;
  logger: Logger;
  redactor: Redactor;
  config: LoadedConfig;
  /** sleep, injectable so retries are instant in tests */
  sleep(ms: number): Promise<void>;
  /** where this run's files (SARIF, reports) may be written */
  tempDir: string;
}

export interface Gate<I = unknown> {
  id: string;
  title: string;
  description: string;
  /** static gates need no outside input and run in `chaingate check` */
  static: boolean;
  /** gate-specific inputs; the common ones (config, record-file, record-mode, sarif-file) are added by the runner */
  inputs: InputSpec[];
  outputs: OutputSpec[];
  rules: RuleInfo[];
  /** every reason code this gate may emit (bounded); the runner turns any other into `internal-error` */
  reasons: readonly string[];
  parseInputs(raw: RawInputs, ctx: GateContext): I;
  run(inputs: I, ctx: GateContext): Promise<GateResult>;
}

/** Reason codes every gate may emit (added by the runner). */
export const COMMON_REASONS = [
  'ok',
  'findings',
  'findings-suppressed',
  'invalid-input',
  'config-error',
  'record-write-failed',
  'internal-error',
  'no-files',
  'parse-error',
  'unreadable-file',
] as const;

export const COMMON_INPUTS: InputSpec[] = [
  { name: 'config', description: 'Path of the chaingate configuration file, relative to the workspace.', default: '.github/chaingate.yml' },
  {
    name: 'record-file',
    description:
      'NDJSON file the `pipeline_run` record is appended to. Default: `$CHAINGATE_RECORDS`, else `records.path` of the config file, else `$RUNNER_TEMP/chaingate/pipeline_run.ndjson`, else `.chaingate/pipeline_run.ndjson`.',
  },
  {
    name: 'record-mode',
    description: '`strict`: a record that cannot be written makes the gate `error`. `best-effort`: only a warning.',
    default: 'strict',
  },
  { name: 'sarif-file', description: 'Write SARIF 2.1.0 to this path (the action writes one under `$RUNNER_TEMP` by default when the gate has rules).' },
];

export const COMMON_OUTPUTS: OutputSpec[] = [
  { name: 'outcome', description: '`pass`, `fail`, `error` or `skip`.' },
  { name: 'findings', description: 'Number of unsuppressed findings.' },
  { name: 'reasons', description: 'Comma-separated reason codes.' },
  { name: 'record-file', description: 'The NDJSON file the record was appended to.' },
  { name: 'sarif-file', description: 'The SARIF file written, when the gate has rules.' },
];
