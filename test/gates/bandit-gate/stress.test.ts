// Stress review against real code and real command lines (Bandit 1.6.2 here; 1.7–1.9 shapes hand-built from
// their documented output). Each case is a defect found in that review (the test failed before the fix) or a
// true negative next to it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate, workspace } from './helpers.js';
import { utf16Offset } from '../../../src/gates/bandit-gate/report.js';

const sarifOf = (r: { sarifPath?: string }) => JSON.parse(readFileSync(r.sarifPath!, 'utf8'));

/** Python's own AST offsets (what Bandit >= 1.7.3 copies into col_offset/end_col_offset) of the Call on `line`. */
function astOffsets(src: string, line: number): { col: number; end: number } {
  const py = `import ast,sys,json\nt=ast.parse(sys.stdin.read())\nn=[c for c in ast.walk(t) if isinstance(c,ast.Call) and c.lineno==${line} and getattr(c.func,'attr','')=='call'][0]\nprint(json.dumps([n.col_offset,n.end_col_offset]))`;
  const r = spawnSync('python3', ['-c', py], { input: src, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [col, end] = JSON.parse(r.stdout) as [number, number];
  return { col, end };
}

/** A Bandit 1.8-shaped report with one B602 finding at `line` of `file`. */
function report18(file: string, src: string, line: number, opts: { code?: boolean } = {}) {
  const { col, end } = astOffsets(src, line);
  const lines = src.split('\n');
  const res: Record<string, unknown> = {
    col_offset: col,
    end_col_offset: end,
    filename: `./${file}`,
    issue_confidence: 'HIGH',
    issue_cwe: { id: 78, link: 'https://cwe.mitre.org/data/definitions/78.html' },
    issue_severity: 'HIGH',
    issue_text: 'subprocess call with shell=True identified, security issue.',
    line_number: line,
    line_range: [line],
    more_info: 'https://bandit.readthedocs.io/en/1.8.6/plugins/b602_subprocess_popen_with_shell_equals_true.html',
    test_id: 'B602',
    test_name: 'subprocess_popen_with_shell_equals_true',
  };
  if (opts.code !== false) res.code = `${line - 1} ${lines[line - 2]}\n${line} ${lines[line - 1]}\n`;
  const counts = { 'CONFIDENCE.HIGH': 1, 'CONFIDENCE.LOW': 0, 'CONFIDENCE.MEDIUM': 0, 'CONFIDENCE.UNDEFINED': 0, 'SEVERITY.HIGH': 1, 'SEVERITY.LOW': 0, 'SEVERITY.MEDIUM': 0, 'SEVERITY.UNDEFINED': 0 };
  return {
    errors: [],
    generated_at: '2026-03-01T10:00:00Z',
    metrics: { _totals: { ...counts, loc: lines.filter(Boolean).length, nosec: 0, skipped_tests: 0 }, [`./${file}`]: { ...counts, loc: lines.filter(Boolean).length, nosec: 0, skipped_tests: 0 } },
    results: [res],
  };
}

describe('columns: Bandit 1.7.3+ col_offset is a UTF-8 byte offset (Python AST), annotations and SARIF count characters', () => {
  const UNICODE = 'import subprocess\n\n\ndef run(cmd):\n    log("Grüße, 世界 🚀"); subprocess.call(cmd, shell=True)\n';
  const token = UNICODE.split('\n')[4].indexOf('subprocess');

  it('non-ASCII text before the flagged call: the column is the character column of `subprocess`, not the byte offset + 1', async () => {
    const w = workspace(undefined, { 'app/run.py': UNICODE });
    const rep = report18('app/run.py', UNICODE, 5);
    expect((rep.results[0] as { col_offset: number }).col_offset).toBeGreaterThan(token); // bytes, as Python gives them
    writeFileSync(join(w, 'bandit.json'), JSON.stringify(rep));
    const r = await runGate(w, { report: 'bandit.json' });
    expect(r.result.outcome).toBe('fail');
    const f = r.result.findings.find((x) => x.rule === 'B602')!;
    expect(f).toMatchObject({ file: 'app/run.py', line: 5, column: token + 1, endColumn: token + 1 + 'subprocess.call(cmd, shell=True)'.length });
    const region = sarifOf(r).runs[0].results[0].locations[0].physicalLocation.region;
    expect(region).toEqual({ startLine: 5, startColumn: token + 1, endColumn: token + 1 + 'subprocess.call(cmd, shell=True)'.length });
  });

  it('a report that quotes no code (stripped): the workspace file line is used for the conversion', async () => {
    const w = workspace(undefined, { 'app/run.py': UNICODE });
    writeFileSync(join(w, 'bandit.json'), JSON.stringify(report18('app/run.py', UNICODE, 5, { code: false })));
    const r = await runGate(w, { report: 'bandit.json' });
    expect(r.result.findings.find((x) => x.rule === 'B602')).toMatchObject({ line: 5, column: token + 1 });
  });

  it('a latin-1 source (PEP 263): offsets are bytes of the decoded text re-encoded as UTF-8, converted the same way', async () => {
    const text = '# -*- coding: latin-1 -*-\nimport subprocess\n\n\ndef run(cmd):\n    s = "café"; subprocess.call(cmd, shell=True)\n';
    const w = workspace();
    writeFileSync(join(w, 'lat.py'), Buffer.from(text, 'latin1'));
    writeFileSync(join(w, 'bandit.json'), JSON.stringify(report18('lat.py', text, 6, { code: false })));
    const r = await runGate(w, { report: 'bandit.json' });
    expect(r.result.findings.find((x) => x.rule === 'B602')).toMatchObject({ line: 6, column: text.split('\n')[5].indexOf('subprocess') + 1 });
  });

  it('true negative: an ASCII line keeps col_offset + 1 (and Bandit 1.6 reports, without col_offset, column 1)', async () => {
    const ascii = 'import subprocess\n\n\ndef run(cmd):\n    log("plain"); subprocess.call(cmd, shell=True)\n';
    const w = workspace(undefined, { 'app/run.py': ascii });
    const rep = report18('app/run.py', ascii, 5);
    writeFileSync(join(w, 'bandit.json'), JSON.stringify(rep));
    const r = await runGate(w, { report: 'bandit.json' });
    const { col, end } = astOffsets(ascii, 5);
    expect(r.result.findings.find((x) => x.rule === 'B602')).toMatchObject({ column: col + 1, endColumn: end + 1 });
  });

  it('utf16Offset: astral characters count two units; an offset inside a character or past the line is refused', () => {
    expect(utf16Offset('🚀x', 4)).toBe(2);
    expect(utf16Offset('éx', 2)).toBe(1);
    expect(utf16Offset('éx', 1)).toBeUndefined();
    expect(utf16Offset('ab', 3)).toBeUndefined();
    expect(utf16Offset('ab', 2)).toBe(2);
  });
});

describe('run mode with the option shapes real workflows use (real Bandit)', () => {
  // a non-constant command: B602 HIGH
  const SHELL = 'import subprocess\nimport sys\nsubprocess.call(sys.argv[1], shell=True)\n';
  const CLEAN = 'def add(a, b):\n    return a + b\n';

  it('an absolute target (`${{ github.workspace }}/src`) with `excludes: src/tests`: the tests are excluded (Bandit walks absolute paths there)', async () => {
    const w = workspace(undefined, { 'src/app.py': CLEAN, 'src/tests/test_app.py': SHELL });
    const r = await runGate(w, { targets: join(w, 'src'), excludes: 'src/tests' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings).toEqual([]);
    // the whole workspace as an absolute target, `tests/` with a trailing slash
    const w2 = workspace(undefined, { 'app.py': CLEAN, 'tests/test_app.py': SHELL });
    expect((await runGate(w2, { targets: w2, excludes: 'tests/' })).result.outcome).toBe('pass');
  });

  it('`excludes: ./src/tests` with target `src` (paths read src/tests/…): excluded', async () => {
    const w = workspace(undefined, { 'src/app.py': CLEAN, 'src/tests/test_app.py': SHELL });
    const r = await runGate(w, { targets: 'src', excludes: './src/tests' });
    expect(r.result.outcome).toBe('pass');
  });

  it('true negative: a file entry `./setup.py` is not widened to `setup.py` (Bandit would then drop every path containing it)', async () => {
    const w = workspace(undefined, { 'setup.py': SHELL, 'pkg/mysetup.py': SHELL });
    const r = await runGate(w, { excludes: './setup.py' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings.filter((f) => f.rule === 'B602').map((f) => f.file)).toEqual(['pkg/mysetup.py']);
  });

  it('bandit-config naming a `.bandit`-style INI file: passed as --ini (as `bandit --ini` would read it), not -c (Bandit would exit 2 parsing it as YAML)', async () => {
    const w = workspace(undefined, { 'src/a.py': SHELL, 'config/bandit.ini': '[bandit]\nskips = B404,B602,B607\n' });
    const r = await runGate(w, { targets: 'src', 'bandit-config': 'config/bandit.ini' });
    expect(r.result.reasons).not.toContain('bandit-failed');
    expect(r.result.outcome).toBe('pass');
    // true negative: the same file without its skips still fails on the finding (the INI is what passed it)
    writeFileSync(join(w, 'config/bandit.ini'), '[bandit]\nskips = B404\n');
    expect((await runGate(w, { targets: 'src', 'bandit-config': 'config/bandit.ini' })).result.outcome).toBe('fail');
  });

  it('true negative: a YAML bandit-config is still passed with -c', async () => {
    const w = workspace(undefined, { 'src/a.py': SHELL, 'bandit.yaml': "skips: ['B404', 'B602', 'B607']\n" });
    expect((await runGate(w, { targets: 'src', 'bandit-config': 'bandit.yaml' })).result.outcome).toBe('pass');
  });

  it('one of several targets holds no Python code: said so (named), the others decide', async () => {
    const w = workspace(undefined, { 'src/a.py': CLEAN, 'scripts/deploy.sh': 'echo hi\n' });
    const r = await runGate(w, { targets: 'src\nscripts' });
    expect(r.result.outcome).toBe('pass');
    expect(r.warnings.join('\n')).toMatch(/target\(s\) scripts hold no Python code/);
    // true negative: no such note when every target has code
    expect((await runGate(w, { targets: 'src' })).warnings).toEqual([]);
  });
});

describe('report files as CI steps capture them (real Bandit)', () => {
  it('`bandit -r . -d -f json > report.json 2>&1`: debug lines that print Python dicts ({\'raw\': …}) are skipped, the report is judged', async () => {
    const w = workspace(undefined, { 'app/a.py': 'import subprocess\nimport sys\nsubprocess.call(sys.argv[1], shell=True)\n' });
    const b = spawnSync('bash', ['-c', 'bandit -r app -d -f json > report.json 2>&1'], { cwd: w, encoding: 'utf8' });
    expect(b.status).toBe(1);
    expect(readFileSync(join(w, 'report.json'), 'utf8')).toMatch(/^\s*\{'/m); // the shape that used to be taken for the report
    const r = await runGate(w, { report: 'report.json' });
    expect(r.result.reasons).not.toContain('report-invalid');
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'app/a.py', line: 3 });
    expect(r.warnings.join('\n')).toMatch(/skipped \d+ line\(s\) of non-JSON output/);
  });

  it('true negative: a Python-dict line AFTER the report still makes the file invalid (the JSON must end the file)', async () => {
    const w = workspace(undefined, { 'app/a.py': 'x = 1\n' });
    spawnSync('bash', ['-c', "bandit -r app -f json -o report.json; echo \"\t{'raw': 1}\" >> report.json"], { cwd: w });
    const r = await runGate(w, { report: 'report.json' });
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['report-invalid'] });
  });
});

describe('excludes written as absolute paths (real Bandit)', () => {
  const SHELL = 'import subprocess\nimport sys\nsubprocess.call(sys.argv[1], shell=True)\n';
  it('`excludes: ${{ github.workspace }}/tests` with the default target `.`: the tests are excluded', async () => {
    const w = workspace(undefined, { 'app.py': 'x = 1\n', 'tests/test_app.py': SHELL });
    const r = await runGate(w, { excludes: join(w, 'tests') });
    expect(r.result.outcome).toBe('pass');
    // true negative: an absolute entry naming a file is not widened (Bandit would drop every path containing it)
    const w2 = workspace(undefined, { 'app.py': 'x = 1\n', 'gen.py': SHELL, 'pkg/gen.py': SHELL });
    const r2 = await runGate(w2, { excludes: join(w2, 'gen.py') });
    expect(r2.result.findings.filter((f) => f.rule === 'B602').map((f) => f.file).sort()).toEqual(['gen.py', 'pkg/gen.py']);
  });
});

describe('a .bandit file below a target root (real Bandit applies it to the whole scan)', () => {
  const SHELL = 'import subprocess\nimport sys\nsubprocess.call(sys.argv[1], shell=True)\n';
  const files = { 'src/app.py': SHELL, 'third_party/lib/m.py': 'x = 1\n', 'third_party/lib/.bandit': '[bandit]\nskips = B602,B404\n' };

  it('vendored third_party/lib/.bandit with skips: Bandit silently skips B602 in src too; the gate refuses the run (config-error) instead of passing', async () => {
    const w = workspace(undefined, files);
    // what Bandit itself does with it: B602 in src/app.py is gone
    const b = spawnSync('bandit', ['-r', '.', '-f', 'json', '-q'], { cwd: w, encoding: 'utf8' });
    expect(JSON.parse(b.stdout.slice(b.stdout.indexOf('{'))).results).toEqual([]);
    const r = await runGate(w);
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
    expect(r.result.messages!.join('\n')).toMatch(/third_party\/lib\/\.bandit: Bandit would apply .* \(skips = B602,B404\)/);
    expect(r.records).toHaveLength(1);
  });

  it('declared as bandit-config, the same file is applied deliberately (--ini): judged as Bandit ran it', async () => {
    const w = workspace(undefined, files);
    expect((await runGate(w, { 'bandit-config': 'third_party/lib/.bandit' })).result.outcome).toBe('pass');
  });

  it('true negatives: a .bandit at the target root is the project\'s own; a nested one that sets nothing is harmless; a target not holding it is not affected', async () => {
    const root = workspace(undefined, { 'src/app.py': SHELL, '.bandit': '[bandit]\nskips = B602,B404\n' });
    expect((await runGate(root)).result.outcome).toBe('pass');
    const empty = workspace(undefined, { 'src/app.py': SHELL, 'third_party/lib/m.py': 'x = 1\n', 'third_party/lib/.bandit': '[bandit]\n# nothing set\n' });
    expect((await runGate(empty)).result).toMatchObject({ outcome: 'fail', reasons: ['budget-exceeded'] });
    const other = workspace(undefined, files);
    expect((await runGate(other, { targets: 'src' })).result).toMatchObject({ outcome: 'fail', reasons: ['budget-exceeded'] });
  });
});
