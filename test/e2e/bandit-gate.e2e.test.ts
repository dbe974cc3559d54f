// The composite action, run the way the runner runs it, on fixture projects with the real Bandit on PATH.
import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComposite, runnerFiles, ROOT, NODE } from '../helpers/runner.js';

const FIX = join(ROOT, 'test/fixtures/bandit-gate');

function project(name: string) {
  const f = runnerFiles();
  cpSync(join(FIX, 'projects', name), f.workspace, { recursive: true });
  return f;
}

/** A PATH with the basic tools but no bandit. */
function pathWithoutBandit(): string {
  const bin = mkdtempSync(join(tmpdir(), 'cg-nobandit-'));
  for (const tool of ['bash', 'grep', 'printf', 'python3', 'cat', 'env', 'head', 'sed']) {
    const w = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (w.startsWith('/')) symlinkSync(w, join(bin, tool));
  }
  symlinkSync(NODE, join(bin, 'node'));
  return bin;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/bandit-gate.js'))) throw new Error('dist/bandit-gate.js missing: run npm run build');
  if (spawnSync('bandit', ['--version']).status !== 0) throw new Error('real Bandit needed on PATH');
});

describe('actions/bandit-gate as the runner runs it', () => {
  it('fails on a HIGH finding: install skipped (bandit on PATH), annotation, outputs, summary table, SARIF, one record', () => {
    const f = project('high');
    const r = runComposite('bandit-gate', {}, f);
    expect(r.steps.find((s) => s.id === 'install')).toMatchObject({ ran: true, exitCode: 0 });
    expect(r.stdout).toContain('Bandit already on PATH');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/::error title=bandit-gate%3A B602 \(high\),file=pkg\/run.py,line=6,col=\d+::subprocess call with shell=True/);
    expect(r.outputs).toMatchObject({ outcome: 'fail', reasons: 'budget-exceeded', high: '1', medium: '0', low: '1', baselined: '0', suppressed: '0', 'lines-scanned': '4' });
    expect(r.outputs['bandit-path']).toMatch(/bandit$/);
    expect(r.summary).toContain('chaingate bandit-gate: fail');
    expect(r.summary).toContain('| severity | conf. HIGH | conf. MEDIUM | conf. LOW | conf. UNDEFINED | counted | budget |');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'bandit-gate', outcome: 'fail', tool: { name: 'bandit' }, findings: { high: 1, low: 1 }, policy: { 'max-high': 0 } });
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
    expect(sarif.runs[0].results.map((x: any) => x.ruleId).sort()).toEqual(['B404', 'B602']);
    expect(r.steps.find((s) => s.name === 'Upload SARIF')?.ran).toBe(false);
  });

  it('passes a LOW/MEDIUM-only project, and a budget input is honoured', () => {
    const r = runComposite('bandit-gate', { 'max-medium': '1' }, project('lowmed'));
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: 'pass', high: '0', medium: '1', low: '2' });
    expect(r.records[0]).toMatchObject({ outcome: 'pass', policy: { 'max-medium': 1 } });
  });

  it('reads an existing report without installing or running Bandit', () => {
    const f = runnerFiles();
    mkdirSync(join(f.workspace, 'out'));
    cpSync(join(FIX, 'reports/bandit-1.8.json'), join(f.workspace, 'out/bandit.json'));
    const r = runComposite('bandit-gate', { report: 'out/bandit.json', 'max-high': '2' }, f);
    expect(r.steps.find((s) => s.id === 'install')?.ran).toBe(false);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: 'pass', high: '2', 'bandit-path': '' });
  });

  it('a Windows report (backslashes, drive path) annotates workspace-relative file:line:col (1-based col)', () => {
    const f = runnerFiles();
    mkdirSync(join(f.workspace, 'src'));
    writeFileSync(join(f.workspace, 'src/app.py'), 'import subprocess\n\n\n\n\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n');
    // PASSWORD on line 3, where the report's quoted code has it (placement checks the flagged line)
    writeFileSync(join(f.workspace, 'src/conf.py'), "\n\nPASSWORD = 'hunter2'\n");
    cpSync(join(FIX, 'reports/bandit-windows.json'), join(f.workspace, 'bandit.json'));
    const r = runComposite('bandit-gate', { report: 'bandit.json' }, f);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/::error title=bandit-gate%3A B602 \(high\),file=src\/app.py,line=9,col=12,endColumn=48::/);
    expect(r.stdout).toMatch(/file=src\/conf.py,line=3,col=12/);
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
    expect(sarif.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri).sort()).toEqual(['src/app.py', 'src/conf.py']);
  });

  it('a syntax error Bandit only lists in errors[] fails the step (exit 2)', () => {
    const r = runComposite('bandit-gate', {}, project('syntax'));
    expect(r.exitCode).toBe(2);
    expect(r.outputs.outcome).toBe('error');
    expect(r.outputs.reasons).toContain('scan-errors');
    expect(r.stdout).toContain('file=legacy.py,line=1,col=1');
  });

  it('without Bandit on PATH the install refuses unhashed requirements, and the gate still leaves an error record', () => {
    const f = project('high');
    const r = runComposite('bandit-gate', {}, f, { env: { PATH: pathWithoutBandit() } });
    const install = r.steps.find((s) => s.id === 'install')!;
    expect(install.exitCode).toBe(2);
    expect(r.stdout).toContain('has requirements without --hash=sha256 values; refusing to install Bandit unchecked');
    expect(r.exitCode).not.toBe(0);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ outcome: 'error', reasons: ['bandit-missing'] });
  });

  it('an unknown bandit-version is refused', () => {
    const r = runComposite('bandit-gate', { 'bandit-version': '1.2.3' }, project('high'), { env: { PATH: pathWithoutBandit() } });
    expect(r.stdout).toContain('no hash-pinned requirements for Bandit 1.2.3');
    expect(r.exitCode).not.toBe(0);
    expect(r.records[0].outcome).toBe('error');
  });

  it('the requirements file of the default version pins every line with == (hashes pending, see its header)', () => {
    const meta = readFileSync(join(ROOT, 'actions/bandit-gate/action.yml'), 'utf8');
    const version = /bandit-version:[\s\S]*?default: (\S+)/.exec(meta)![1];
    const req = readFileSync(join(ROOT, `actions/bandit-gate/requirements/bandit-${version}.txt`), 'utf8');
    const reqs = req.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(reqs[0]).toBe(`bandit==${version}`);
    for (const l of reqs) expect(l).toMatch(/^[A-Za-z0-9_.-]+==\d[\w.]*( |$)/);
  });
});
