import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import gate from '../../../src/gates/verify-cosign/index.js';
import { executeGate, type RunOutcome } from '../../../src/core/runner.js';
import type { RawInputs } from '../../../src/core/types.js';
import { validateRecord } from '../../../src/core/schema.js';

export const FIXTURES = resolve(new URL('../../fixtures/verify-cosign', import.meta.url).pathname);
export const FAKE_COSIGN_DIR = FIXTURES;

export interface GateRun extends RunOutcome {
  records: unknown[];
  dir: string;
  logs: string[];
}

/** Run the gate in-process with instant sleeps; `env` is the whole environment the gate sees. */
export async function runGate(inputs: RawInputs, opts: { env?: Record<string, string>; cwd?: string; now?: () => Date; fetch?: typeof fetch } = {}): Promise<GateRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-vc-'));
  const records = join(dir, 'records.ndjson');
  const logs: string[] = [];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, RUNNER_TEMP: join(dir, 'tmp'), RUNNER_TOOL_CACHE: join(dir, 'toolcache'), ...(opts.env ?? {}) };
  const out = await executeGate(gate, { 'record-file': records, ...inputs }, {
    cwd: opts.cwd ?? dir,
    env,
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), debug: () => undefined },
    sleep: async () => undefined,
    now: opts.now,
    fetch: opts.fetch,
  });
  const lines = existsSync(records) ? readFileSync(records, 'utf8').trim().split('\n').filter(Boolean) : [];
  const recs = lines.map((l) => JSON.parse(l) as unknown);
  for (const r of recs) {
    const problems = validateRecord(r);
    if (problems.length) throw new Error(`record invalid: ${JSON.stringify(problems)}`);
  }
  return { ...out, records: recs, dir, logs };
}

export function withFakeCosignPath(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${FAKE_COSIGN_DIR}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...env };
}
