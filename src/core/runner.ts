import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { dirname, resolve as resolvePath, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Gate, GateContext } from './gate.js';
import { COMMON_REASONS } from './gate.js';
import type { GateResult, Logger, RawInputs } from './types.js';
import { ConfigError, InputError } from './types.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { Redactor } from './redact.js';
import { appendRecord, buildRecord, configuredRecordPath, defaultRecordPath, type PipelineRunRecord, type RecordMode } from './record.js';
import type { ExecFn } from './exec.js';
import { toSarif } from './sarif.js';
import { ensureDir, fsErrorText } from './files.js';
import { realSleep } from './retry.js';

export interface RunDeps {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  redactor?: Redactor;
  now?: () => Date;
  exec?: ExecFn;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** default SARIF path when the input is empty (the action adapter sets one under RUNNER_TEMP) */
  defaultSarifPath?: string;
}

export interface RunOutcome {
  result: GateResult;
  record?: PipelineRunRecord;
  recordPath?: string;
  recordError?: string;
  sarifPath?: string;
  sarifError?: string;
  sarif?: object;
  redactor: Redactor;
}

export function emptyConfig(): LoadedConfig {
  return { file: null, config: {}, locate: () => undefined };
}

export function errorResult(reason: string, message: string): GateResult {
  return { outcome: 'error', reasons: [reason], findings: [], messages: [message] };
}

/**
 * Run one gate: parse inputs, load config, evaluate, and leave exactly one `pipeline_run` record.
 * Never throws for a gate problem: every failure becomes outcome `error` with a reason code.
 */
export async function executeGate<I>(gate: Gate<I>, raw: RawInputs, deps: RunDeps): Promise<RunOutcome> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const redactor = deps.redactor ?? new Redactor();
  redactor.addFromEnv(deps.env);
  for (const spec of gate.inputs) if (spec.secret) redactor.add(raw[spec.name]);

  const recordMode: RecordMode = raw['record-mode'] === 'best-effort' ? 'best-effort' : 'strict';
  // the config's records.path applies once the config is loaded; a config that cannot be loaded leaves its
  // error record at the default place
  let recordPath = raw['record-file'] ? resolvePath(deps.cwd, raw['record-file']) : defaultRecordPath(deps.env, deps.cwd);
  let recordFromConfig = false;

  let result: GateResult;
  let ctx: GateContext | undefined;
  try {
    if (raw['record-mode'] && !['strict', 'best-effort'].includes(raw['record-mode'])) {
      throw new InputError(`record-mode: "${raw['record-mode']}" is not one of strict, best-effort`);
    }
    const config = await loadConfig(deps.cwd, raw.config && raw.config !== '.github/chaingate.yml' ? raw.config : undefined);
    const rec = config.config.records;
    if (rec?.path && !raw['record-file'] && !deps.env.CHAINGATE_RECORDS) {
      // a repository file decides this path: it must stay in the workspace (through symlinks too); until it is
      // checked the error record goes to the default place
      recordPath = configuredRecordPath(deps.cwd, rec.path);
      recordFromConfig = true;
    }
    // records.mode is in the schema but not read (the record-mode input always has a value): say so
    if (rec?.mode !== undefined) {
      deps.logger.warn(`${config.file}: records.mode is not read: whether a record that cannot be written fails the gate comes from the record-mode input (--record-mode), default strict`);
    }
    ctx = {
      cwd: deps.cwd,
      env: deps.env,
      now,
      // loaded on first use: child_process (and what it pulls in) costs cold start for gates that run no tool
      exec: deps.exec ?? (async (cmd, args, opts) => (await import('./exec.js')).execWithTimeout(cmd, args, opts)),
      fetch: deps.fetch ?? globalThis.fetch,
      // the log is an output too: redacted like the result (a gate may log a URL, an error, a retry cause)
      logger: {
        info: (m: string) => deps.logger.info(redactor.redact(m)),
        warn: (m: string) => deps.logger.warn(redactor.redact(m)),
        debug: (m: string) => deps.logger.debug(redactor.redact(m)),
      },
      redactor,
      config,
      sleep: deps.sleep ?? realSleep,
      tempDir: deps.env.RUNNER_TEMP ? join(deps.env.RUNNER_TEMP, 'chaingate') : mkdtempSync(join(tmpdir(), 'chaingate-')),
    };
    mkdirSync(ctx.tempDir, { recursive: true });
    const inputs = gate.parseInputs(raw, ctx);
    result = await gate.run(inputs, ctx);
  } catch (e) {
    if (e instanceof ConfigError) result = errorResult('config-error', (e as Error).message);
    else if (e instanceof InputError) result = errorResult('invalid-input', (e as Error).message);
    else result = errorResult('internal-error', `internal error: ${(e as Error)?.stack ?? String(e)}`);
  }

  // Bounded reasons: a code the gate did not declare means a bug, and a bug must not pass.
  const allowed = new Set<string>([...COMMON_REASONS, ...gate.reasons]);
  const unknown = result.reasons.filter((r) => !allowed.has(r));
  if (unknown.length) {
    result = {
      ...result,
      outcome: 'error',
      reasons: [...result.reasons.filter((r) => allowed.has(r)), 'internal-error'],
      messages: [...(result.messages ?? []), `internal error: undeclared reason code(s) ${unknown.join(', ')}`],
    };
  }
  // Fail closed: an error finding can never coexist with a pass.
  if (result.outcome === 'pass' && result.findings.some((f) => f.isError && !f.suppressed)) {
    result = { ...result, outcome: 'error' };
  }
  if (result.reasons.length === 0) result.reasons = [result.outcome === 'pass' ? 'ok' : result.outcome === 'fail' ? 'findings' : 'internal-error'];

  // SARIF (only for gates with rules)
  let sarifPath: string | undefined;
  let sarifError: string | undefined;
  let sarif: object | undefined;
  if (gate.rules.length) {
    sarif = redactor.redactValue(toSarif({ gate: gate.id, rules: [...gate.rules], findings: result.findings }));
    const wanted = raw['sarif-file'] || deps.defaultSarifPath;
    if (wanted) {
      sarifPath = resolvePath(deps.cwd, wanted);
      try {
        ensureDir(dirname(sarifPath));
        writeFileSync(sarifPath, `${JSON.stringify(sarif, null, 2)}\n`);
      } catch (e) {
        sarifError = `cannot write SARIF to ${wanted}: ${fsErrorText(e)}`;
        // a sarif-file the user named that cannot be written is their input, not a chaingate bug
        const why = raw['sarif-file'] ? 'invalid-input' : 'internal-error';
        result = { ...result, outcome: 'error', reasons: [...new Set([...result.reasons, why])], messages: [...(result.messages ?? []), sarifError] };
        sarifPath = undefined;
      }
    }
  }

  // Redact everything human-facing before anyone prints it.
  result = redactor.redactValue(result);

  const finished = now();
  let record = buildRecord(gate.id, result, started, finished, deps.env, redactor);
  let recordError: string | undefined;
  try {
    appendRecord(recordPath, record, { regularOnly: recordFromConfig });
  } catch (e) {
    recordError = `cannot write pipeline_run record to ${recordPath}: ${fsErrorText(e)}`;
    if (recordMode === 'strict') {
      result = {
        ...result,
        outcome: 'error',
        reasons: [...new Set([...result.reasons, 'record-write-failed'])],
        messages: [...(result.messages ?? []), recordError],
      };
      record = buildRecord(gate.id, result, started, finished, deps.env, redactor);
    } else {
      deps.logger.warn(redactor.redact(recordError));
    }
  }
  return { result, record, recordPath: recordError ? undefined : recordPath, recordError, sarifPath, sarifError, sarif, redactor };
}

export function exitCodeFor(outcome: GateResult['outcome']): number {
  return outcome === 'pass' || outcome === 'skip' ? 0 : outcome === 'fail' ? 1 : 2;
}

export { emptyConfig as _emptyConfig };
