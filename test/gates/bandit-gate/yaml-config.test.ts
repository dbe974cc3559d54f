// A YAML `bandit-config` (-c) with a top-level `tests:` list makes Bandit run ONLY those tests (bandit/cli/main.py
// `_get_profile`: the list is the profile's include set), so a B602 beside it is never reported. The INI form of
// the same setting was already said and recorded; the YAML form passed in silence. Real Bandit.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { runGate, workspace } from './helpers.js';

beforeAll(() => {
  const v = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('these tests need the real Bandit on PATH (apt-get install bandit; .ci/run does it)');
});

const APP = 'import subprocess\n\ndef run(cmd):\n    assert cmd\n    subprocess.call(cmd, shell=True)\n';

describe('YAML bandit-config test selection', () => {
  it('tests: [B101] — Bandit drops the B602; the gate says every other check is off and records the selection', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP, 'bandit.yaml': 'tests: [B101]\n' });
    const r = await runGate(ws, { targets: 'src', 'bandit-config': 'bandit.yaml' });
    // what real Bandit did: only B101 reported
    expect(r.result.findings.map((f) => f.rule)).toEqual(['B101']);
    expect(r.result.messages?.join('\n')).toContain('bandit.yaml: `tests: [B101]` makes Bandit run only these tests; every other Bandit check is off for this scan');
    expect(r.records[0].policy?.['bandit-config-tests']).toBe('B101');
  });

  it('skips: [B602] — recorded (the skip is the project\'s declared policy), no warning', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP, 'bandit.yaml': 'skips:\n  - B602\n' });
    const r = await runGate(ws, { targets: 'src', 'bandit-config': 'bandit.yaml' });
    expect(r.result.findings.map((f) => f.rule).sort()).toEqual(['B101', 'B404']);
    expect(r.result.outcome).toBe('pass');
    expect(r.records[0].policy?.['bandit-config-skips']).toBe('B602');
    expect(r.result.messages?.join('\n') ?? '').not.toContain('every other Bandit check is off');
  });

  it('true negative: a YAML config without tests/skips adds nothing; B602 still fails the budget', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP, 'bandit.yaml': 'exclude_dirs: [tests]\n' });
    const r = await runGate(ws, { targets: 'src', 'bandit-config': 'bandit.yaml' });
    expect(r.result.outcome).toBe('fail');
    expect(r.records[0].policy?.['bandit-config-tests']).toBeUndefined();
    expect(r.result.messages?.join('\n') ?? '').not.toContain('every other Bandit check is off');
  });
});
