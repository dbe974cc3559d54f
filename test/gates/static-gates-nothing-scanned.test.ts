// Review: a static gate that was pointed at files but judged no workflow or action has no evidence of
// compliance, so it must not pass (same as an empty directory: error for explicit paths, skip by default).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gate } from '../../src/core/gate.js';
import { executeGate } from '../../src/core/runner.js';
import pinLint from '../../src/gates/pin-lint/index.js';
import prtGuard from '../../src/gates/prt-guard/index.js';
import gateIntegrity from '../../src/gates/gate-integrity/index.js';

const GATES: Array<[string, Gate<any>]> = [
  ['pin-lint', pinLint],
  ['prt-guard', prtGuard],
  ['gate-integrity', gateIntegrity],
];

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-empty-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const run = (gate: Gate<any>, cwd: string, raw: Record<string, string>) =>
  executeGate(gate, { 'record-file': join(cwd, '.rec.ndjson'), ...raw }, { cwd, env: {}, logger: { info() {}, warn() {}, debug() {} } });

describe.each(GATES)('%s: files found but no workflow or action among them', (_id, gate) => {
  it('explicit paths holding only other YAML: error no-files, not pass', async () => {
    const cwd = repo({ 'cfg/dependabot.yml': 'version: 2\nupdates: []\n', 'cfg/other.yaml': 'a: 1\n' });
    const out = await run(gate, cwd, { paths: 'cfg' });
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toEqual(['no-files']);
  });

  it('default discovery finding only an action.yml that is no action: skip, not pass', async () => {
    const cwd = repo({ 'docs/action.yml': 'title: not an action\n' });
    const out = await run(gate, cwd, {});
    expect(out.result.outcome).toBe('skip');
    expect(out.result.reasons).toEqual(['no-files']);
  });

  it('true negative: one clean workflow among other YAML still passes', async () => {
    const sha = 'b4ffde65f46336ab88eb53be808477a3936bae11';
    const cwd = repo({
      'cfg/dependabot.yml': 'version: 2\nupdates: []\n',
      'cfg/ci.yml': `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${sha} # v4.1.1\n`,
    });
    const out = await run(gate, cwd, { paths: 'cfg' });
    expect(out.result.outcome).toBe('pass');
  });
});
