// Second-eyes review of the YAML bandit-config `tests:`/`skips:` reading: Bandit reads -c with PyYAML's
// safe_load, which resolves merge keys (`<<: *base`) and lets a repeated key win over the earlier one; the gate
// read the file with YAML 1.2 rules (no merge, duplicate keys an error) and then said nothing while Bandit ran
// only the selected tests. Real Bandit: what it reports is the ground truth of what it ran.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { runGate, workspace } from './helpers.js';

beforeAll(() => {
  const v = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('these tests need the real Bandit on PATH (apt-get install bandit; .ci/run does it)');
});

const APP = 'import subprocess\n\ndef run(cmd):\n    assert cmd\n    subprocess.call(cmd, shell=True)\n';
const ONLY = 'every other Bandit check is off for this scan';

describe('YAML bandit-config read as Bandit (PyYAML) reads it', () => {
  it.each([
    ['a merge key (<<: *base)', 'base: &base\n  tests: [B101]\n<<: *base\n'],
    ['a repeated tests: key (the last wins)', 'tests: []\ntests: [B101]\n'],
    ['an alias for the list', 'sel: &s [B101]\ntests: *s\n'],
  ])('%s: Bandit runs only B101, and the gate says and records it', async (_n, yaml) => {
    const ws = workspace(undefined, { 'src/app.py': APP, 'bandit.yaml': yaml });
    const r = await runGate(ws, { targets: 'src', 'bandit-config': 'bandit.yaml' });
    expect(r.result.findings.map((f) => f.rule)).toEqual(['B101']); // what real Bandit ran
    expect(r.result.messages?.join('\n')).toContain(`bandit.yaml: \`tests: [B101]\` makes Bandit run only these tests; ${ONLY}`);
    expect(r.records[0].policy?.['bandit-config-tests']).toBe('B101');
  });

  it('a repeated skips: key: the last one is what Bandit skips and what is recorded', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP, 'bandit.yaml': 'skips: [B101]\nskips: [B602]\n' });
    const r = await runGate(ws, { targets: 'src', 'bandit-config': 'bandit.yaml' });
    expect(r.result.findings.map((f) => f.rule).sort()).toEqual(['B101', 'B404']);
    expect(r.records[0].policy?.['bandit-config-skips']).toBe('B602');
  });

  it('true negative: profiles: alone selects nothing (the gate passes no -p), so every test runs and nothing is said', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP, 'bandit.yaml': 'profiles:\n  only-asserts:\n    include: [B101]\n' });
    const r = await runGate(ws, { targets: 'src', 'bandit-config': 'bandit.yaml' });
    expect(r.result.findings.map((f) => f.rule).sort()).toEqual(['B101', 'B404', 'B602']);
    expect(r.result.outcome).toBe('fail');
    expect(r.records[0].policy?.['bandit-config-tests']).toBeUndefined();
    expect(r.result.messages?.join('\n') ?? '').not.toContain(ONLY);
  });

  it('profiles: beside a top-level tests: — the top-level list is what Bandit runs (no -p)', async () => {
    const ws = workspace(undefined, { 'src/app.py': APP, 'bandit.yaml': 'tests: [B101]\nprofiles:\n  p:\n    include: [B602]\n' });
    const r = await runGate(ws, { targets: 'src', 'bandit-config': 'bandit.yaml' });
    expect(r.result.findings.map((f) => f.rule)).toEqual(['B101']);
    expect(r.records[0].policy?.['bandit-config-tests']).toBe('B101');
  });
});
