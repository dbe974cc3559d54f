// The gate against REAL Bandit (Debian's package, installed by .ci/run) on fixture projects.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate, workspace } from './helpers.js';

beforeAll(() => {
  const v = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('these tests need the real Bandit on PATH (apt-get install bandit; .ci/run does it)');
});

describe('bandit-gate with real Bandit', () => {
  it('fails on a HIGH finding, pointing at its file and line, with counts in outputs and the record', async () => {
    const ws = workspace('high');
    const r = await runGate(ws);
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['budget-exceeded']);
    const high = r.result.findings.find((f) => f.rule === 'B602')!;
    expect(high).toMatchObject({ file: 'pkg/run.py', line: 6, severity: 'high' });
    expect(high.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(r.result.outputs).toMatchObject({ high: '1', medium: '0', low: '1' });
    expect(r.result.tool?.name).toBe('bandit');
    expect(r.result.tool?.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'bandit-gate', outcome: 'fail', findings: { high: 1, low: 1 }, policy: { 'max-high': 0, 'max-medium': null, 'min-confidence': 'low', mode: 'run' }, details: { new_high: 1, new_low: 1, lines_scanned: 4 } });
    const summary = r.result.summary!.join('\n');
    expect(summary).toContain('| HIGH | 1 / 0 / 0 | 0 / 0 / 0 | 0 / 0 / 0 | 0 / 0 / 0 | 1 | **over: max 0** |');
  });

  it('passes when only LOW and MEDIUM findings are present and they are under budget', async () => {
    const r = await runGate(workspace('lowmed'));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.reasons).toEqual(['ok']);
    expect(r.result.outputs).toMatchObject({ high: '0', medium: '1', low: '2' });
    expect(r.records[0]).toMatchObject({ outcome: 'pass', findings: { medium: 1, low: 2 } });
  });

  it('applies budgets above 0 and per-severity budgets', async () => {
    const dupes = workspace('dupes'); // three HIGH B602
    expect((await runGate(dupes, { 'max-high': '3' })).result.outcome).toBe('pass');
    const two = await runGate(dupes, { 'max-high': '2' });
    expect(two.result.outcome).toBe('fail');
    expect(two.result.messages).toContain('3 new HIGH finding(s), budget max 2');
    const lowmed = workspace('lowmed');
    expect((await runGate(lowmed, { 'max-medium': '0' })).result.outcome).toBe('fail');
    expect((await runGate(lowmed, { 'max-medium': '1', 'max-low': '2' })).result.outcome).toBe('pass');
    const low = await runGate(lowmed, { 'max-low': '1' });
    expect(low.result.outcome).toBe('fail');
    expect(low.records[0].policy).toMatchObject({ 'max-low': 1 });
  });

  it('takes budgets from the config when the inputs are empty, inputs win', async () => {
    const ws = workspace('dupes', { '.github/chaingate.yml': 'bandit-gate:\n  max-high: 3\n' });
    expect((await runGate(ws)).result.outcome).toBe('pass');
    expect((await runGate(ws, { 'max-high': '0' })).result.outcome).toBe('fail');
  });

  it('min-confidence: a HIGH finding with MEDIUM confidence fails by default and stops counting at min-confidence high', async () => {
    const ws = workspace('confidence');
    const def = await runGate(ws);
    expect(def.result.outcome).toBe('fail');
    expect(def.result.findings[0]).toMatchObject({ rule: 'B201', properties: { confidence: 'MEDIUM' } });
    const hi = await runGate(ws, { 'min-confidence': 'high' });
    expect(hi.result.outcome).toBe('pass');
    expect(hi.result.findings).toEqual([]);
    expect(hi.records[0].details).toMatchObject({ below_confidence: 1, new_high: 0 });
    expect(hi.result.summary!.join('\n')).toContain('(+1 below min-confidence)');
  });

  it('a file Bandit cannot parse is an error even though Bandit exits 0/1 for it', async () => {
    const r = await runGate(workspace('syntax'));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('scan-errors');
    expect(r.result.findings.find((f) => f.rule === 'scan-error')).toMatchObject({ file: 'legacy.py', line: 1, isError: true });
    expect(r.records[0]).toMatchObject({ outcome: 'error', findings: { errors: 1 } });
  });

  it('a parse error listed under scan-errors in the config is accepted (until it expires)', async () => {
    const cfg = (expires: string) => `bandit-gate:\n  scan-errors:\n    - file: legacy.py\n      justification: Python 2 script kept for the archive, never imported\n      expires: "${expires}"\n`;
    const now = () => new Date('2026-11-20T12:00:00Z');
    const ok = await runGate(workspace('syntax', { '.github/chaingate.yml': cfg('2026-12-31') }), {}, { now });
    expect(ok.result.outcome).toBe('pass');
    expect(ok.result.reasons).toContain('findings-suppressed');
    expect(ok.result.findings.find((f) => f.rule === 'scan-error')?.suppressed).toMatchObject({ kind: 'external' });
    const expired = await runGate(workspace('syntax', { '.github/chaingate.yml': cfg('2026-11-01') }), {}, { now });
    expect(expired.result.outcome).toBe('error');
    expect(expired.result.reasons).toEqual(expect.arrayContaining(['scan-errors', 'suppression-expired']));
    expect(expired.warnings.join('\n')).toMatch(/bandit-gate\.scan-errors\[0\] at \.github\/chaingate\.yml:3 expired on 2026-11-01/);
  });

  it('an empty target is an error, not a pass', async () => {
    const r = await runGate(workspace('empty'));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['no-files']);
    expect(r.records).toHaveLength(1);
  });

  it('a target that does not exist is an input error (Bandit itself would exit 0 on it)', async () => {
    const r = await runGate(workspace('high'), { targets: 'nope' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-input']);
  });

  it('zero lines scanned while the targets hold Python code is an error (everything excluded)', async () => {
    const r = await runGate(workspace('high'), { excludes: './pkg' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('nothing-scanned');
  });

  it('honours # nosec (counted in the summary) and --ignore-nosec', async () => {
    const ws = workspace('nosec');
    const r = await runGate(ws);
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings.map((f) => f.rule)).toEqual(['B404']);
    expect(r.records[0].details).toMatchObject({ nosec: 1 });
    expect(r.result.summary!.join('\n')).toContain('`# nosec` lines skipped by Bandit: 1');
    const strict = await runGate(ws, { 'ignore-nosec': 'true' });
    expect(strict.result.outcome).toBe('fail');
    expect(strict.result.findings.map((f) => f.rule)).toContain('B602');
  });

  it('passes skips and a Bandit config file through', async () => {
    const ws = workspace('high', { 'bandit.yml': 'skips: ["B404"]\n' });
    const skipped = await runGate(ws, { skips: 'B602' });
    expect(skipped.result.outcome).toBe('pass');
    expect(skipped.result.findings.map((f) => f.rule)).toEqual(['B404']);
    const cfg = await runGate(ws, { 'bandit-config': 'bandit.yml' });
    expect(cfg.result.findings.map((f) => f.rule)).toEqual(['B602']);
  });

  it('a baseline from an earlier real run absorbs the copies it holds, and only those', async () => {
    const ws = workspace('high');
    const first = await runGate(ws, { 'max-high': '5' });
    expect(first.result.outcome).toBe('pass');
    // take Bandit's report of the first run as the baseline: write it as Bandit would
    const base = workspace('high');
    const { spawnSync } = await import('node:child_process');
    spawnSync('bandit', ['-r', '.', '-f', 'json', '-o', join(ws, 'baseline.json')], { cwd: base });
    const same = await runGate(ws, { baseline: 'baseline.json' });
    expect(same.result.outcome).toBe('pass');
    expect(same.result.reasons).toContain('baselined');
    expect(same.result.outputs).toMatchObject({ high: '0', baselined: '2' });
    // a second and third identical shell=True call appear: two new findings, one baselined
    const grown = readFileSync(join(ws, 'pkg/run.py'), 'utf8') + '\n\ndef again(cmd):\n    return subprocess.call(cmd, shell=True)\n\n\ndef more(cmd):\n    return subprocess.call(cmd, shell=True)\n';
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(ws, 'pkg/run.py'), grown);
    const r = await runGate(ws, { baseline: 'baseline.json' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.outputs).toMatchObject({ high: '2', baselined: '2' });
    const b602 = r.result.findings.filter((f) => f.rule === 'B602');
    expect(b602.map((f) => [f.line, f.suppressed ? 'baselined' : 'new'])).toEqual([
      [6, 'baselined'],
      [10, 'new'],
      [14, 'new'],
    ]);
  });

  it('writes SARIF with stable fingerprints and external/accepted suppressions', async () => {
    const cfgFor = (fp: string) => `bandit-gate:\n  suppressions:\n    - fingerprint: ${fp}\n      justification: command comes from our own deploy config\n      expires: "2026-12-01"\n`;
    const ws = workspace('high');
    const now = () => new Date('2026-11-20T00:00:00Z');
    const first = await runGate(ws, {}, { now });
    const fp = first.result.findings.find((f) => f.rule === 'B602')!.fingerprint;
    // move the code down: the fingerprint must not change
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(ws, 'pkg/run.py'), `# a new header comment\n\n${readFileSync(join(ws, 'pkg/run.py'), 'utf8')}`);
    writeFileSync(join(ws, '.github-chaingate.yml'), cfgFor(fp));
    const r = await runGate(ws, { config: '.github-chaingate.yml' }, { now });
    expect(r.result.outcome).toBe('pass');
    const sup = r.result.findings.find((f) => f.rule === 'B602')!;
    expect(sup.line).toBe(8);
    expect(sup.fingerprint).toBe(fp);
    const sarif = JSON.parse(readFileSync(r.sarifPath!, 'utf8'));
    const res = sarif.runs[0].results.find((x: any) => x.ruleId === 'B602');
    expect(res.partialFingerprints['chaingate/v1']).toBe(fp);
    expect(res.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: expect.stringContaining('command comes from our own deploy config'), properties: { expiryUtc: '2026-12-01' } }]);
    expect(res.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'pkg/run.py' }, region: { startLine: 8 } });
    expect(sarif.runs[0].tool.driver.rules.some((x: any) => x.id === 'B602')).toBe(true);
    expect(r.records[0]).toMatchObject({ findings: { suppressed: 1, high: 0 }, details: { suppressed: 1 } });
  });
});
