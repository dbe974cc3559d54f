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
