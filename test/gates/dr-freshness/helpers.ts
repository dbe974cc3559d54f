import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import gate from '../../../src/gates/dr-freshness/index.js';
import { executeGate, type RunOutcome } from '../../../src/core/runner.js';
import { buildRecord } from '../../../src/core/record.js';
import { Redactor } from '../../../src/core/redact.js';
import { validateRecord } from '../../../src/core/schema.js';
import type { Outcome } from '../../../src/core/types.js';

export const NOW = Date.parse('2026-03-10T12:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

export function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-drf-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

/** A schema-valid record line as `chaingate record` writes it. */
export function recordLine(gateId: string, outcome: Outcome, finishedMs: number, opts: { subject?: string; env?: Record<string, string> } = {}): string {
  const rec = buildRecord(
    gateId,
    { outcome, reasons: [outcome === 'pass' ? 'ok' : 'failed'], findings: [], ...(opts.subject ? { subject: { name: opts.subject } } : {}) },
    new Date(finishedMs - 60_000),
    new Date(finishedMs),
    opts.env ?? {},
    new Redactor(),
  );
  return JSON.stringify(rec);
}

export interface GateRun extends RunOutcome {
  sleeps: number[];
  records: any[];
  recordProblems: string[];
}

export async function runGate(raw: Record<string, string>, opts: { cwd?: string; now?: number; env?: Record<string, string> } = {}): Promise<GateRun> {
  const cwd = opts.cwd ?? workspace();
  const recordFile = join(cwd, '.out', 'pipeline_run.ndjson');
  const sleeps: number[] = [];
  const now = opts.now ?? NOW;
  const out = await executeGate(gate, { 'record-file': recordFile, ...raw }, {
    cwd,
    env: opts.env ?? {},
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const records = existsSync(recordFile) ? readFileSync(recordFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const recordProblems = records.flatMap((r) => validateRecord(r).map((p) => `${p.path} ${p.message}`));
  return { ...out, sleeps, records, recordProblems };
}
