// Helpers for evidence tests: records as real gates write them, and a workspace to bundle.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendRecord, buildRecord, type PipelineRunRecord } from '../../src/core/record.js';
import { Redactor } from '../../src/core/redact.js';
import type { GateResult, Outcome } from '../../src/core/types.js';

export const DIGEST = `sha256:${'d'.repeat(64)}`;
export const OTHER_DIGEST = `sha256:${'e'.repeat(64)}`;
export const SHA = 'a'.repeat(40);

export function actionsEnv(runnerTemp: string, workspace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/widget',
    GITHUB_REF: 'refs/tags/v1.0.0',
    GITHUB_SHA: SHA,
    GITHUB_WORKFLOW: 'release',
    GITHUB_WORKFLOW_REF: 'acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
    GITHUB_JOB: 'gates',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SERVER_URL: 'https://github.com',
    ...extra,
  };
}

export interface RecordSpec {
  gate: string;
  outcome?: Outcome;
  reasons?: string[];
  digest?: string;
  /** minutes after `base` the gate started */
  at?: number;
  env?: Record<string, string>;
}

export function makeRecord(spec: RecordSpec, env: Record<string, string>, base = new Date(Date.now() - 30 * 60_000)): PipelineRunRecord {
  const started = new Date(base.getTime() + (spec.at ?? 0) * 60_000);
  const finished = new Date(started.getTime() + 1500);
  const result: GateResult = {
    outcome: spec.outcome ?? 'pass',
    reasons: spec.reasons ?? [spec.outcome === 'fail' ? 'findings' : 'ok'],
    findings: [],
    subject: spec.digest ? { digest: spec.digest, name: 'ghcr.io/acme/widget' } : undefined,
  };
  return buildRecord(spec.gate, result, started, finished, { ...env, ...(spec.env ?? {}) }, new Redactor());
}

export interface Workspace {
  workspace: string;
  runnerTemp: string;
  records: string;
  env: Record<string, string>;
  records_: PipelineRunRecord[];
}

/** A job's state after its gates ran: records in $RUNNER_TEMP/chaingate/pipeline_run.ndjson plus SARIF reports. */
export function gatesRan(specs: RecordSpec[], opts: { reports?: Record<string, string>; env?: Record<string, string> } = {}): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'cg-ev-'));
  const workspace = join(root, 'workspace');
  const runnerTemp = join(root, 'runner_temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(join(runnerTemp, 'chaingate'), { recursive: true });
  const env = actionsEnv(runnerTemp, workspace, opts.env);
  const records = join(runnerTemp, 'chaingate', 'pipeline_run.ndjson');
  const recs = specs.map((s) => makeRecord(s, env));
  for (const r of recs) appendRecord(records, r);
  for (const [name, text] of Object.entries(opts.reports ?? {})) {
    const p = join(runnerTemp, 'chaingate', name);
    writeFileSync(p, text);
  }
  return { workspace, runnerTemp, records, env, records_: recs };
}

export const SARIF = JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ tool: { driver: { name: 'chaingate' } }, results: [] }] });
export const BANDIT = JSON.stringify({ errors: [], generated_at: '2026-11-22T10:00:00Z', metrics: { _totals: {} }, results: [] });

export const silentLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };
