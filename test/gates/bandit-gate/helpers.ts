import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import gate from '../../../src/gates/bandit-gate/index.js';
import { executeGate, type RunDeps } from '../../../src/core/runner.js';
import { readRecordsFile } from '../../helpers/runner.js';

export const FIX = resolve(new URL('../../fixtures/bandit-gate', import.meta.url).pathname);

/** A fresh workspace holding a copy of a fixture project (Bandit names files relative to it). */
export function workspace(project?: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bandit-'));
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  if (project) cpSync(join(FIX, 'projects', project), ws, { recursive: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(ws, p, '..'), { recursive: true });
    writeFileSync(join(ws, p), text);
  }
  return ws;
}

export async function runGate(ws: string, raw: Record<string, string> = {}, deps: Partial<RunDeps> = {}) {
  const warnings: string[] = [];
  const records = join(mkdtempSync(join(ws, '..', 'rec-')), 'records.ndjson');
  const out = await executeGate(gate, raw, {
    cwd: ws,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CHAINGATE_RECORDS: records, RUNNER_TEMP: join(ws, '..', 'runner-temp') },
    logger: { info: () => undefined, warn: (m) => warnings.push(m), debug: () => undefined },
    defaultSarifPath: join(records, '..', 'bandit.sarif'),
    ...deps,
  });
  const rec = readRecordsFile(records);
  return { ...out, warnings, records: rec.records, recordProblems: rec.problems };
}
