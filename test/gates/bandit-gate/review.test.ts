// Second-pair-of-eyes review of report-incomplete, placement and SARIF refusal, against real Bandit 1.6.2:
// ordinary unfiltered runs must never be report-incomplete, a normal report made in the workspace must place
// every finding, and nothing new may let a HIGH finding pass.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate, workspace } from './helpers.js';
import { parseBanditReports } from '../../../src/gates/bandit-gate/report.js';
import { omittedFindings } from '../../../src/gates/bandit-gate/index.js';

beforeAll(() => {
  const v = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('these tests need the real Bandit on PATH (apt-get install bandit; .ci/run does it)');
});

function bandit(cwd: string, out: string, args: string[]): number {
  const r = spawnSync('bandit', [...args, '-f', 'json', '-o', out], { cwd, encoding: 'utf8' });
  return r.status ?? -1;
}
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const STRICT = { maxHigh: 0, maxMedium: 0, maxLow: 0, minConfidence: 'low' as const };

// B404 LOW/HIGH (1), B602 HIGH/HIGH, B101 LOW/HIGH, B301 MEDIUM/HIGH, B201 HIGH/MEDIUM, nosec lines with and
// without test ids, and a string holding "# nosec" (Bandit 1.6 takes any token containing it as a nosec)
const APP = [
  'import subprocess',
  'import pickle  # nosec',
  'from flask import Flask',
  'app = Flask(__name__)',
  '',
  'def run(cmd):',
  '    subprocess.call(cmd, shell=True)  # nosec',
  '    subprocess.call(cmd, shell=True)  # nosec B602',
  '    x = "# nosec"; subprocess.call(cmd, shell=True)',
  '    subprocess.call(cmd, shell=True)',
  '    assert cmd',
  '    return pickle.loads(cmd)',
  '',
  'if __name__ == "__main__":',
  '    app.run(debug=True)',
  '',
].join('\n');
const PROJECT = {
  'src/app.py': APP,
  'src/pkg/crlf.py': 'import subprocess\r\ndef f(c):\r\n\tsubprocess.call(c, shell=True)\r\n',
  'src/pkg/utf8.py': 'import os\n\ndef f():\n    os.system("écho ünïcode ✓")\n',
  'src/bad.py': 'def broken(:\n    pass\n',
  'tests/t.py': 'import hashlib\nhashlib.md5(b"x")\nexec("1")\n',
  'sub/y.py': 'import yaml\nyaml.load(open("x"))\n',
};

describe('ordinary unfiltered Bandit 1.6.2 runs: metrics._totals equal results[], never report-incomplete', () => {
  const cases: Array<[string, string[], string?]> = [
    ['bandit -r .', ['-r', '.']],
    ['--ignore-nosec', ['-r', '.', '--ignore-nosec']],
    ['-s B602,B101 (skip)', ['-r', '.', '-s', 'B602,B101']],
    ['-t B602 (tests)', ['-r', '.', '-t', 'B602']],
    ['overlapping targets src src/pkg ./src (files scanned twice)', ['-r', 'src', 'src/pkg', './src']],
    ['-x ./tests', ['-r', '.', '-x', './tests']],
    ['-n 3', ['-r', '.', '-n', '3']],
    ['-a vuln', ['-r', '.', '-a', 'vuln']],
    ['-a file', ['-r', '.', '-a', 'file']],
    ['absolute target', ['-r', '<ws>']],
    ['run from a subdirectory (cd src && bandit -r .)', ['-r', '.'], 'src'],
    ['run from a subdirectory with a parent target (cd sub && bandit -r ../src)', ['-r', '../src'], 'sub'],
  ];
  it.each(cases)('%s', async (_name, args, sub) => {
    const ws = workspace(undefined, PROJECT);
    const out = join(ws, '..', 'report.json');
    const code = bandit(sub ? join(ws, sub) : ws, out, args.map((a) => (a === '<ws>' ? ws : a)));
    expect([0, 1]).toContain(code);
    const { reports } = parseBanditReports(readFileSync(out, 'utf8'), 'r');
    expect(reports[0].issueTotals).toBeDefined();
    expect(omittedFindings(reports[0], STRICT).total).toBe(0);
    const r = await runGate(ws, { report: out, 'max-medium': '0', 'max-low': '0' });
    expect(r.result.reasons).not.toContain('report-incomplete');
    // bad.py is a scan error in every run that reaches it: an error, but for that reason only
    expect(r.result.outcome).not.toBe('pass');
  });

  it('pre-commit style: two runs appended to one stdout capture, each complete: no report-incomplete', async () => {
    const ws = workspace(undefined, PROJECT);
    const a = spawnSync('bandit', ['-f', 'json', 'src/app.py'], { cwd: ws, encoding: 'utf8' }).stdout;
    const b = spawnSync('bandit', ['-f', 'json', 'tests/t.py', 'sub/y.py'], { cwd: ws, encoding: 'utf8' }).stdout;
    writeFileSync(join(ws, 'out.json'), `${a}\n${b}\n`);
    const r = await runGate(ws, { report: 'out.json', 'max-low': '0', 'max-medium': '0' });
    expect(r.result.reasons).not.toContain('report-incomplete');
    expect(r.result.outcome).toBe('fail');
  });
});

const NOW = { now: () => new Date('2026-11-20T00:00:00Z') };
const CFG = [
  'bandit-gate:',
  '  suppressions:',
  '    - file: src/pkg/crlf.py',
  '      test_id: B602',
  '      justification: reviewed by the team',
  '      expires: 2026-12-31',
  '  scan-errors:',
  '    - file: src/bad.py',
  '      justification: kept for the archive',
  '      expires: 2026-12-31',
  '',
].join('\n');

describe('placement of normal reports made in (or under) the workspace', () => {
  const cases: Array<[string, string[], string?, ((s: string) => string)?]> = [
    ['bandit -r .', ['-r', '.']],
    ['bandit -r src', ['-r', 'src']],
    ['bandit -r <abs workspace>', ['-r', '<ws>']],
    ['cd src && bandit -r .', ['-r', '.'], 'src'],
    ['cd src && bandit -r . -n 3 (several quoted lines)', ['-r', '.', '-n', '3'], 'src'],
    ['bandit -r ./src, Windows backslashes', ['-r', './src'], undefined, (s) => s.replace(/"\.\/src\/([^"]*)"/g, (_m, p) => `"${'.\\\\src\\\\'}${p.replace(/\//g, '\\\\')}"`)],
    ['cd src && bandit -r ., Windows backslashes', ['-r', '.'], 'src', (s) => s.replace(/"\.\/([^"]*\.py)"/g, (_m, p) => `".\\\\${p.replace(/\//g, '\\\\')}"`)],
  ];
  it.each(cases)('%s: every finding on its workspace file, file suppressions and scan-errors entries apply', async (_n, args, sub, edit) => {
    const ws = workspace(undefined, { ...PROJECT, '.github/chaingate.yml': CFG });
    const out = join(ws, '..', 'report.json');
    bandit(sub ? join(ws, sub) : ws, out, args.map((a) => (a === '<ws>' ? ws : a)));
    if (edit) writeFileSync(out, edit(readFileSync(out, 'utf8')));
    const r = await runGate(ws, { report: out }, NOW);
    expect(r.result.findings.filter((f) => f.properties?.placement === 'unplaced')).toEqual([]);
    const files = new Set(r.result.findings.map((f) => f.file));
    for (const f of ['src/app.py', 'src/pkg/crlf.py', 'src/pkg/utf8.py', 'src/bad.py']) expect(files).toContain(f);
    for (const f of files) expect(Object.keys(PROJECT)).toContain(f);
    expect(r.result.findings.find((f) => f.file === 'src/pkg/crlf.py' && f.rule === 'B602')?.suppressed).toBeDefined();
    expect(r.result.findings.find((f) => f.rule === 'scan-error')?.suppressed).toBeDefined();
    expect(r.result.reasons).not.toContain('scan-errors');
    expect(r.result.outcome).toBe('fail'); // the HIGH findings of src/app.py
  });

  it('a file edited since the report (flagged line moved down), report made in src/: still placed by its text', async () => {
    const ws = workspace(undefined, { ...PROJECT, '.github/chaingate.yml': CFG });
    const out = join(ws, '..', 'report.json');
    bandit(join(ws, 'src'), out, ['-r', '.']);
    writeFileSync(join(ws, 'src/pkg/crlf.py'), `# a new header\r\n\r\n${PROJECT['src/pkg/crlf.py']}`);
    const r = await runGate(ws, { report: out }, NOW);
    expect(r.result.findings.find((f) => f.rule === 'B602' && f.file === 'src/pkg/crlf.py')?.suppressed).toBeDefined();
  });

  it('a latin-1 file (PEP 263 coding line) whose flagged line is not ASCII, report made in src/: placed', async () => {
    const ws = workspace(undefined, { 'src/pkg/lat.py': 'x = 1\n' });
    writeFileSync(join(ws, 'src/pkg/lat.py'), Buffer.from('# -*- coding: latin-1 -*-\nimport os\nos.system("caf\xe9")\n', 'latin1'));
    const out = join(ws, '..', 'report.json');
    bandit(join(ws, 'src'), out, ['-r', '.']);
    expect(json(out).results.map((x: { code: string }) => x.code).join('')).toContain('café');
    const r = await runGate(ws, { report: out }, NOW);
    expect(r.result.findings.find((f) => f.rule === 'B605')).toMatchObject({ file: 'src/pkg/lat.py', properties: { placement: 'placed' } });
  });
});

describe('placement never guesses from a bare file name', () => {
  const B602 = {
    test_id: 'B602',
    test_name: 'subprocess_popen_with_shell_equals_true',
    issue_severity: 'HIGH',
    issue_confidence: 'HIGH',
    issue_text: 'subprocess call with shell=True identified, security issue.',
    line_number: 3,
    line_range: [3],
  };
  const totals = (h: number) => ({ loc: 3, nosec: 0, 'SEVERITY.HIGH': h, 'SEVERITY.MEDIUM': 0, 'SEVERITY.LOW': 0, 'SEVERITY.UNDEFINED': 0, 'CONFIDENCE.HIGH': h, 'CONFIDENCE.MEDIUM': 0, 'CONFIDENCE.LOW': 0, 'CONFIDENCE.UNDEFINED': 0 });
  const UTIL = 'import subprocess\ndef q(cmd):\n    return subprocess.call(cmd, shell=True)\n';

  it('a baseline entry `utils.py` (no quoted line) does not absorb a finding of pkg/utils.py (a different file as far as anything shows)', async () => {
    const ws = workspace(undefined, { 'pkg/utils.py': UTIL });
    writeFileSync(join(ws, 'baseline.json'), JSON.stringify({ errors: [], results: [{ ...B602, filename: 'utils.py' }], metrics: { _totals: totals(1) } }));
    const out = join(ws, '..', 'report.json');
    bandit(ws, out, ['-r', '.']);
    const r = await runGate(ws, { report: out, baseline: 'baseline.json' });
    expect(r.result.outputs).toMatchObject({ high: '1', baselined: '0' });
    expect(r.result.outcome).toBe('fail');
  });

  it('an errors[] entry `./bad.py` with no other evidence is not placed at tools/bad.py, so its scan-errors entry does not accept it', async () => {
    const ws = workspace(undefined, { 'tools/bad.py': 'def f(:\n', 'app.py': 'x = 1\n', '.github/chaingate.yml': CFG.replace('src/bad.py', 'tools/bad.py') });
    writeFileSync(join(ws, 'r.json'), JSON.stringify({ errors: [{ filename: './bad.py', reason: 'syntax error while parsing AST from file' }], results: [], metrics: { _totals: totals(0) } }));
    const r = await runGate(ws, { report: 'r.json' }, NOW);
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('scan-errors');
  });
});

describe('fail-open: nothing new lets a HIGH finding pass', () => {
  // -iii hides the HIGH/MEDIUM-confidence B201; then the counts are damaged
  const SRC = 'from flask import Flask\nimport subprocess\napp = Flask(__name__)\napp.run(debug=True)\n';
  const damaged: Array<[string, (t: Record<string, unknown>) => void]> = [
    ['SEVERITY.HIGH as a string', (t) => (t['SEVERITY.HIGH'] = '1')],
    ['SEVERITY.HIGH null', (t) => (t['SEVERITY.HIGH'] = null)],
    ['SEVERITY.HIGH negative', (t) => (t['SEVERITY.HIGH'] = -1)],
    ['CONFIDENCE.* removed (severity counts kept)', (t) => { for (const k of Object.keys(t)) if (k.startsWith('CONFIDENCE.')) delete t[k]; }],
    ['SEVERITY.* removed (confidence counts kept)', (t) => { for (const k of Object.keys(t)) if (k.startsWith('SEVERITY.')) delete t[k]; }],
  ];
  it.each(damaged)('a -iii report with %s: never a pass', async (_n, damage) => {
    const ws = workspace(undefined, { 'src/app.py': SRC });
    const out = join(ws, 'report.json');
    bandit(ws, out, ['-r', '.', '-iii']);
    const doc = json(out);
    expect(doc.results.some((x: { issue_severity: string }) => x.issue_severity === 'HIGH')).toBe(false);
    damage(doc.metrics._totals);
    writeFileSync(out, JSON.stringify(doc));
    const r = await runGate(ws, { report: 'report.json' });
    expect(r.result.outcome).toBe('error');
  });

  it('the same report with every SEVERITY/CONFIDENCE count removed (a stripped report): read as before, and it passes only on its results (documented)', async () => {
    const ws = workspace(undefined, { 'src/app.py': 'import subprocess\n' });
    const out = join(ws, 'report.json');
    bandit(ws, out, ['-r', '.']);
    const doc = json(out);
    for (const k of Object.keys(doc.metrics._totals)) if (k.includes('.')) delete doc.metrics._totals[k];
    writeFileSync(out, JSON.stringify(doc));
    const r = await runGate(ws, { report: 'report.json' });
    expect(r.result.outcome).toBe('pass');
  });

  it('a Bandit JSON report is never taken for SARIF (true negative), a SARIF log is refused', async () => {
    const ws = workspace(undefined, { 'src/app.py': 'import subprocess\nsubprocess.call(input(), shell=True)\n' });
    const out = join(ws, 'report.json');
    bandit(ws, out, ['-r', '.']);
    const doc = json(out);
    writeFileSync(out, JSON.stringify({ ...doc, version: '1.0', $schema: 'x' }));
    const r = await runGate(ws, { report: 'report.json' });
    expect(r.result.outcome).toBe('fail');
    writeFileSync(out, JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ results: [] }] }));
    const s = await runGate(ws, { report: 'report.json' });
    expect(s.result.outcome).toBe('error');
    expect(s.result.reasons).toContain('report-invalid');
  });
});

describe('report-incomplete uses per-file counts where the report has them', () => {
  it('-ll -ii with max-medium 0 and min-confidence medium: a MEDIUM/LOW finding (B604) in one file and a LOW/HIGH one in another are both uncountable: pass', async () => {
    const ws = workspace(undefined, {
      'src/sh.py': 'def r(cmd):\n    run(cmd, shell=True)\n', // B604 MEDIUM/LOW
      'src/run.py': 'import subprocess\n',
    });
    const out = join(ws, 'report.json');
    bandit(ws, out, ['-r', '.', '-ll', '-ii']);
    const doc = json(out);
    expect(doc.results).toEqual([]);
    expect(doc.metrics._totals).toMatchObject({ 'SEVERITY.MEDIUM': 1, 'SEVERITY.LOW': 1, 'CONFIDENCE.LOW': 1, 'CONFIDENCE.HIGH': 1 });
    const r = await runGate(ws, { report: 'report.json', 'max-medium': '0', 'min-confidence': 'medium' });
    expect(r.result.reasons).not.toContain('report-incomplete');
    expect(r.result.outcome).toBe('pass');
    // true positive: with min-confidence low the hidden MEDIUM/LOW finding counts
    const low = await runGate(ws, { report: 'report.json', 'max-medium': '0' });
    expect(low.result.reasons).toContain('report-incomplete');
  });

  it('the same two findings in ONE file: only marginal counts, so it stays report-incomplete (documented limit)', async () => {
    const ws = workspace(undefined, { 'src/both.py': 'import subprocess\n\ndef r(cmd):\n    run(cmd, shell=True)\n' });
    const out = join(ws, 'report.json');
    bandit(ws, out, ['-r', '.', '-ll', '-ii']);
    const r = await runGate(ws, { report: 'report.json', 'max-medium': '0', 'min-confidence': 'medium' });
    expect(r.result.reasons).toContain('report-incomplete');
  });
});

describe('where the live report was made is learnt from its confirmed paths', () => {
  it('report made in src/ quoting no line for bad.py: its errors[] ./bad.py is src/bad.py (all confirmed paths agree on src/), so the scan-errors entry applies', async () => {
    const ws = workspace(undefined, { 'src/app.py': 'import subprocess\n\ndef a(cmd):\n    return subprocess.call(cmd, shell=True)\n', 'src/bad.py': 'def f(:\n', 'tools/bad.py': 'def f(:\n', '.github/chaingate.yml': CFG });
    const out = join(ws, '..', 'report.json');
    bandit(join(ws, 'src'), out, ['-r', '.']);
    const r = await runGate(ws, { report: out }, NOW);
    expect(r.result.findings.find((f) => f.rule === 'scan-error')).toMatchObject({ file: 'src/bad.py', suppressed: expect.anything() });
    expect(r.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'src/app.py' });
  });

  it('confirmed paths that disagree on the root (two subdirectories): a bare errors[] path is not placed', async () => {
    const DB = 'import subprocess\ndef q(cmd):\n    return subprocess.call(cmd, shell=True)\n';
    const ws = workspace(undefined, { 'a/x.py': DB, 'b/y.py': DB.replace('q(', 'r('), 'a/bad.py': 'def f(:\n', '.github/chaingate.yml': CFG.replace('src/bad.py', 'a/bad.py') });
    const res = (filename: string, fn: string) => ({ filename, test_id: 'B602', test_name: 't', issue_severity: 'LOW', issue_confidence: 'HIGH', issue_text: 't', line_number: 3, code: `2 def ${fn}(cmd):\n3     return subprocess.call(cmd, shell=True)\n` });
    const t = { loc: 6, nosec: 0, 'SEVERITY.HIGH': 0, 'SEVERITY.MEDIUM': 0, 'SEVERITY.LOW': 2, 'SEVERITY.UNDEFINED': 0, 'CONFIDENCE.HIGH': 2, 'CONFIDENCE.MEDIUM': 0, 'CONFIDENCE.LOW': 0, 'CONFIDENCE.UNDEFINED': 0 };
    writeFileSync(join(ws, 'r.json'), JSON.stringify({ errors: [{ filename: './bad.py', reason: 'syntax error while parsing AST from file' }], results: [res('./x.py', 'q'), res('./y.py', 'r')], metrics: { _totals: t } }));
    const r = await runGate(ws, { report: 'r.json' }, NOW);
    expect(r.result.findings.find((f) => f.rule === 'scan-error')).toMatchObject({ file: 'bad.py', properties: { placement: 'unplaced' } });
    expect(r.result.reasons).toContain('scan-errors');
  });
});

describe('a path that exists as given but is another file', () => {
  const APPX = 'import subprocess\n\ndef a(cmd):\n    return subprocess.call(cmd, shell=True)\n';
  const sup = (file: string) => `bandit-gate:\n  suppressions:\n    - file: ${file}\n      test_id: B602\n      justification: reviewed by the team\n      expires: 2026-12-31\n`;

  it('cd backend && bandit -r . names ./app.py; the workspace root has its own app.py without that line: placed at backend/app.py, the root suppression does not apply', async () => {
    const ws = workspace(undefined, { 'app.py': 'print("root app")\n', 'backend/app.py': APPX, '.github/chaingate.yml': sup('app.py') });
    const out = join(ws, '..', 'report.json');
    bandit(join(ws, 'backend'), out, ['-r', '.']);
    const r = await runGate(ws, { report: out }, NOW);
    expect(r.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'backend/app.py', properties: expect.objectContaining({ placement: 'placed' }) });
    expect(r.result.outcome).toBe('fail');
  });

  it('true negative: the file was edited since the report (flagged line changed) and no other file holds it: kept as given, its suppression applies', async () => {
    const ws = workspace(undefined, { 'app.py': APPX, '.github/chaingate.yml': sup('app.py') });
    const out = join(ws, '..', 'report.json');
    bandit(ws, out, ['-r', '.']);
    writeFileSync(join(ws, 'app.py'), APPX.replace('subprocess.call(cmd, shell=True)', 'subprocess.call(cmd,  shell=bool(1))'));
    const r = await runGate(ws, { report: out }, NOW);
    const f = r.result.findings.find((x) => x.rule === 'B602')!;
    expect(f.file).toBe('app.py');
    expect(f.properties?.placement).toBeUndefined();
    expect(f.suppressed).toBeDefined();
  });
});

describe('a hand-made report with per-file counts', () => {
  const t = (h: Record<string, number>) => ({ 'SEVERITY.HIGH': 0, 'SEVERITY.MEDIUM': 0, 'SEVERITY.LOW': 0, 'SEVERITY.UNDEFINED': 0, 'CONFIDENCE.HIGH': 0, 'CONFIDENCE.MEDIUM': 0, 'CONFIDENCE.LOW': 0, 'CONFIDENCE.UNDEFINED': 0, ...h });
  it('per-file blocks that do not add up to _totals are not used (the marginal rule decides: report-incomplete)', async () => {
    const ws = workspace(undefined, { 'a.py': 'x = 1\n' });
    const metrics = { _totals: { loc: 1, nosec: 0, ...t({ 'SEVERITY.HIGH': 1, 'CONFIDENCE.HIGH': 1 }) }, './a.py': { loc: 1, nosec: 0, ...t({}) } };
    writeFileSync(join(ws, 'r.json'), JSON.stringify({ errors: [], results: [], metrics }));
    const r = await runGate(ws, { report: 'r.json' });
    expect(r.result.reasons).toContain('report-incomplete');
  });
  it('an UNDEFINED-severity finding dropped by Bandit\'s default filter is never budgeted: a note, not an error', async () => {
    const ws = workspace(undefined, { 'a.py': 'x = 1\n' });
    const block = { loc: 1, nosec: 0, ...t({ 'SEVERITY.UNDEFINED': 1, 'CONFIDENCE.HIGH': 1 }) };
    writeFileSync(join(ws, 'r.json'), JSON.stringify({ errors: [], results: [], metrics: { _totals: block, './a.py': block } }));
    const r = await runGate(ws, { report: 'r.json', 'max-low': '0', 'max-medium': '0' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.messages!.join('\n')).toMatch(/omits 1 finding\(s\).*default filter.*none of them could count/);
  });
});
