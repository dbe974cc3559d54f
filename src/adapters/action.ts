// The Actions-runner adapter: inputs from INPUT_*, outputs/summary/annotations via the runner's file commands.
import * as core from './runner-io.js';
import { join } from 'node:path';
import type { Gate } from '../core/gate.js';
import { COMMON_INPUTS } from '../core/gate.js';
import type { GateResult, RawInputs } from '../core/types.js';
import { executeGate, exitCodeFor } from '../core/runner.js';
import { annotations, extraAnnotations, summaryMarkdown, textReport } from '../core/format.js';
import { countFindings } from '../core/record.js';

export function readActionInputs(gate: Gate<unknown>): RawInputs {
  const raw: RawInputs = {};
  for (const spec of [...COMMON_INPUTS, ...gate.inputs]) {
    if (spec.cliOnly) continue;
    const v = core.getInput(spec.name);
    raw[spec.name] = v === '' ? spec.default : v;
  }
  return raw;
}

export async function runAction(gate: Gate<unknown>): Promise<void> {
  const outcome = await runActionGate(gate, readActionInputs(gate), true);
  process.exitCode = exitCodeFor(outcome);
}

/** Run one gate inside an action step; writes annotations and summary, and outputs when `setOutputs`. */
export async function runActionGate(gate: Gate<unknown>, raw: RawInputs, setOutputs: boolean): Promise<GateResult['outcome']> {
  const env = process.env;
  const cwd = env.GITHUB_WORKSPACE || process.cwd();
  const logger = {
    info: (m: string) => core.info(m),
    warn: (m: string) => core.warning(m),
    debug: (m: string) => core.debug(m),
  };
  const defaultSarifPath = env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'chaingate', `${gate.id}.sarif`) : undefined;
  const out = await executeGate(gate, raw, { cwd, env, logger, defaultSarifPath });
  const { result, redactor } = out;
  const say = (s: string) => process.stdout.write(`${redactor.redact(s)}\n`);

  say(textReport(gate.id, result));
  for (const line of annotations(gate.id, result.findings)) say(line);
  for (const line of extraAnnotations(gate.id, result)) say(line);

  const outputs: Record<string, string> = {
    outcome: result.outcome,
    findings: String(countFindings(result.findings).total),
    reasons: result.reasons.join(','),
    'record-file': out.recordPath ?? '',
    'sarif-file': out.sarifPath ?? '',
    ...(result.outputs ?? {}),
  };
  if (setOutputs) for (const [k, v] of Object.entries(outputs)) core.setOutput(k, redactor.redact(v));
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      core.appendSummary(redactor.redact(summaryMarkdown(gate.id, gate.title, result)));
    } catch (e) {
      core.warning(`could not write the job summary: ${(e as Error).message}`);
    }
  }
  if (result.outcome === 'fail' || result.outcome === 'error') {
    say(`::error title=chaingate ${gate.id}::${gate.id} ${result.outcome}: ${result.reasons.join(', ')}`);
  }
  return result.outcome;
}

/** Defaults of the common inputs, for gates run by the root action. */
export function commonInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const spec of COMMON_INPUTS) {
    const v = core.getInput(spec.name);
    raw[spec.name] = v === '' ? spec.default : v;
  }
  return raw;
}
