// Real-world Bandit use the first version of the gate had not seen: reports of Bandit 1.7 / 1.8 / 1.9 as users
// produce them (hand-written from the observed JSON shape), Windows and container paths, stdout captures,
// appended runs, stripped metrics; and real Bandit runs on awkward projects (spaces, excludes, symlinks,
// encodings, TOML config, # nosec forms). Each case names the decision it pins down.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIX, runGate, workspace } from './helpers.js';
import { parseBanditReport, parseBanditReports, ReportError } from '../../../src/gates/bandit-gate/report.js';
import { normalizePath } from '../../../src/gates/bandit-gate/suppressions.js';
import { banditExcludes } from '../../../src/gates/bandit-gate/index.js';
import { annotations } from '../../../src/core/format.js';

const REPORTS = join(FIX, 'reports');
const SRC = {
  'src/app.py': 'import subprocess\n\n\n\n\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n',
  'src/conf.py': "\n\nPASSWORD = 'hunter2'\n\nx = 1\n",
};

/** A workspace holding the source files the reports name, and the report fixtures under reports/. */
function ws(extra: Record<string, string> = {}) {
  const w = workspace(undefined, { ...SRC, ...extra });
  cpSync(REPORTS, join(w, 'reports'), { recursive: true });
  return w;
}

const sarifOf = (r: { sarifPath?: string }) => JSON.parse(readFileSync(r.sarifPath!, 'utf8'));

describe('reports of Bandit 1.7, 1.8 and 1.9 as users produce them', () => {
  it('1.7.5 (`bandit -r .`: ./ paths, issue_cwe {} for a plugin without CWE, col_offset -1): parsed, not rejected', async () => {
    const r = await runGate(ws(), { report: 'reports/bandit-1.7.json' });
    expect(r.result.reasons).not.toContain('report-invalid');
    expect(r.result.outcome).toBe('fail');
    expect(r.result.outputs).toMatchObject({ high: '1', medium: '1', low: '2', 'lines-scanned': '20' });
    const custom = r.result.findings.find((f) => f.rule === 'B999')!;
    // Bandit's "no column" (-1) is column 1, never column 0
    expect(custom).toMatchObject({ file: 'src/conf.py', line: 5, column: 1 });
    expect(custom.endColumn).toBeUndefined();
    expect(custom.properties?.cwe).toBeUndefined();
  });

  it('1.8.6 (`bandit -r src`): UNDEFINED severity is counted and shown, never budgeted; errors[] still an error', async () => {
    const r = await runGate(ws(), { report: 'reports/bandit-1.8-errors.json', 'max-high': '1' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('scan-errors');
    expect(r.records[0].details).toMatchObject({ new_undefined: 1, new_high: 1, scan_errors: 1 });
    expect(r.result.findings.find((f) => f.rule === 'scan-error')).toMatchObject({ file: 'src/legacy.py', line: 1, column: 1 });
  });

  it('severity/confidence must be exactly as Bandit emits them (upper case): "high" is not guessed at', () => {
    const d = JSON.parse(readFileSync(join(REPORTS, 'bandit-1.7.json'), 'utf8'));
    d.results[1].issue_severity = 'high';
    expect(() => parseBanditReport(JSON.stringify(d), 'r')).toThrow(/issue_severity: expected one of UNDEFINED, LOW, MEDIUM, HIGH, got "high"/);
  });

  it('a report written by `bandit -b baseline.json -f json` (results carry "candidates") is read', () => {
    const d = JSON.parse(readFileSync(join(REPORTS, 'bandit-1.7.json'), 'utf8'));
    d.results[1].candidates = [{ ...d.results[1] }];
    expect(parseBanditReport(JSON.stringify(d), 'r').results).toHaveLength(4);
  });

  it('Bandit 1.6 metrics with float counts and null line_range/code are read', () => {
    const d = JSON.parse(readFileSync(join(REPORTS, 'bandit-1.7.json'), 'utf8'));
    d.metrics._totals['SEVERITY.HIGH'] = 1.0;
    d.results[0].code = null;
    d.results[0].line_range = null;
    d.results[0].end_col_offset = null;
    const rep = parseBanditReport(JSON.stringify(d), 'r');
    expect(rep.results[0]).toMatchObject({ line_number: 1, col_offset: 0 });
    expect(rep.results[0].end_col_offset).toBeUndefined();
  });

  it('Windows paths (backslashes, .\\ prefix): workspace-relative forward-slash paths in findings, annotations and SARIF', async () => {
    const r = await runGate(ws(), { report: 'reports/bandit-windows.json' });
    expect(r.result.outcome).toBe('fail');
    const b602 = r.result.findings.find((f) => f.rule === 'B602')!;
    expect(b602).toMatchObject({ file: 'src/app.py', line: 9, column: 12, endColumn: 48 });
    // an absolute drive path from the developer's machine is placed at the workspace file with that suffix
    expect(r.result.findings.find((f) => f.rule === 'B105')).toMatchObject({ file: 'src/conf.py', line: 3, column: 12 });
    const ann = annotations('bandit-gate', r.result.findings).join('\n');
    expect(ann).toContain('file=src/app.py,line=9,col=12');
    const loc = sarifOf(r).runs[0].results.find((x: any) => x.ruleId === 'B602').locations[0].physicalLocation;
    expect(loc).toEqual({ artifactLocation: { uri: 'src/app.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 9, startColumn: 12, endColumn: 48 } });
  });

  it('a Windows runner: the workspace drive path is stripped whatever the drive letter case', () => {
    expect(normalizePath('d:\\a\\proj\\proj\\src\\app.py', 'D:\\a\\proj\\proj')).toBe('src/app.py');
    expect(normalizePath('.\\src\\.\\app.py', 'D:\\a\\proj\\proj')).toBe('src/app.py');
  });

  it('1.9 in a container (absolute /src/... paths): placed at the workspace file, so suppressions by file match', async () => {
    const cfg = 'bandit-gate:\n  suppressions:\n    - file: src/app.py\n      test_id: B602\n      justification: cmd is a constant list\n      expires: 2026-12-31\n';
    const r = await runGate(ws({ '.github/chaingate.yml': cfg }), { report: 'reports/bandit-1.9-container.json' }, { now: () => new Date('2026-11-20T00:00:00Z') });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs).toMatchObject({ suppressed: '1', high: '0', low: '1' });
    expect(r.result.findings.map((f) => f.file).sort()).toEqual(['src/app.py', 'src/conf.py']);
    expect(r.result.summary!.join('\n')).toMatch(/placed 2 path\(s\) from outside the workspace/);
  });

  it('files a report names that are not in the workspace are said so (annotations cannot be placed)', async () => {
    const r = await runGate(workspace(undefined, {}), { report: join(REPORTS, 'bandit-1.9-container.json') });
    expect(r.result.summary!.join('\n')).toMatch(/2 file\(s\) named in the report are not in the workspace/);
    expect(r.result.outcome).toBe('fail');
  });

  it('a report made in a subdirectory (`cd backend && bandit -r .`): placed at the one workspace file with that path', async () => {
    const w = workspace(undefined, { 'backend/src/app.py': SRC['src/app.py'], 'backend/src/conf.py': SRC['src/conf.py'] });
    cpSync(REPORTS, join(w, 'reports'), { recursive: true });
    const r = await runGate(w, { report: 'reports/bandit-1.7.json' });
    expect(r.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'backend/src/app.py', line: 9, column: 12 });
    // two candidates: not guessed, left as named and said so
    const two = workspace(undefined, { 'a/src/app.py': SRC['src/app.py'], 'b/src/app.py': SRC['src/app.py'], 'a/src/conf.py': SRC['src/conf.py'] });
    cpSync(REPORTS, join(two, 'reports'), { recursive: true });
    const r2 = await runGate(two, { report: 'reports/bandit-1.7.json' });
    expect(r2.result.findings.find((f) => f.rule === 'B602')!.file).toBe('src/app.py');
    expect(r2.result.findings.find((f) => f.rule === 'B105')!.file).toBe('a/src/conf.py');
    expect(r2.result.findings.find((f) => f.rule === 'B602')!.properties?.placement).toBe('unplaced');
    expect(r2.result.summary!.join('\n')).toMatch(/1 path\(s\) not placed because several workspace files fit.*\.\/src\/app\.py \(a\/src\/app\.py, b\/src\/app\.py\)/);
  });

  it('stdout capture with progress/log lines before the JSON: read, with a warning', async () => {
    const r = await runGate(ws(), { report: 'reports/bandit-stdout-progress.json' });
    expect(r.result.reasons).not.toContain('report-invalid');
    expect(r.result.outputs).toMatchObject({ high: '1', 'lines-scanned': '20' });
    expect(r.warnings.join('\n')).toMatch(/skipped 3 line\(s\) of non-JSON output before the report/);
  });

  it('log lines AFTER the JSON, or nothing but log lines, are not a report', () => {
    const text = readFileSync(join(REPORTS, 'bandit-1.7.json'), 'utf8');
    expect(() => parseBanditReport(`${text}[main]\tERROR\tsomething broke\n`, 'r')).toThrow(/unexpected text after a JSON document/);
    expect(() => parseBanditReport('[main]\tINFO\tprofile include tests: None\n', 'r')).toThrow(/no JSON object in the file/);
  });

  it('several runs appended to one file: each is checked, and they are summed', async () => {
    const r = await runGate(ws(), { report: 'reports/bandit-appended.json' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.outputs).toMatchObject({ high: '1', low: '1', 'lines-scanned': '20' });
    expect(r.records[0].details).toMatchObject({ reports: 2 });
    expect(r.warnings.join('\n')).toMatch(/holds 2 concatenated Bandit reports/);
    const { reports } = parseBanditReports(readFileSync(join(REPORTS, 'bandit-appended.json'), 'utf8'), 'r');
    expect(reports.map((x) => x.loc)).toEqual([14, 6]);
  });

  it('an appended run that was cut off makes the whole file invalid', async () => {
    const r = await runGate(ws(), { report: 'reports/bandit-appended-truncated.json', 'max-high': '5' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['report-invalid']);
    expect(r.result.messages!.join('\n')).toMatch(/document 2 of 2\): not valid JSON/);
  });

  it('metrics stripped: never a pass (report-invalid) but its findings are still shown and counted', async () => {
    const over = await runGate(ws(), { report: 'reports/bandit-no-metrics.json' });
    expect(over.result.outcome).toBe('error');
    expect(over.result.reasons).toEqual(expect.arrayContaining(['report-invalid', 'budget-exceeded']));
    expect(over.result.findings.some((f) => f.rule === 'B602')).toBe(true);
    const within = await runGate(ws(), { report: 'reports/bandit-no-metrics.json', 'max-high': '5' });
    expect(within.result.outcome).toBe('error');
    expect(within.result.reasons).toContain('report-invalid');
    expect(within.result.messages!.join('\n')).toMatch(/no metrics\._totals\.loc: cannot tell how much code Bandit scanned/);
    expect(within.records).toHaveLength(1);
    expect(within.recordProblems).toEqual([]);
  });

  it('metrics stripped and no results: an error, not a pass', async () => {
    const w = ws({ 'r.json': JSON.stringify({ errors: [], generated_at: '2026-01-01T00:00:00Z', results: [] }) });
    const r = await runGate(w, { report: 'r.json' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['report-invalid']);
  });

  it('a metrics value of the wrong type is still rejected outright', () => {
    expect(() => parseBanditReport(JSON.stringify({ errors: [], results: [], metrics: [] }), 'r')).toThrow(ReportError);
  });
});

describe('real Bandit on awkward projects', () => {
  beforeAll(() => {
    const v = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
    if (v.status !== 0) throw new Error('these tests need the real Bandit on PATH (apt-get install bandit; .ci/run does it)');
  });
  // a non-constant command: B602 HIGH (a constant string is only LOW)
  const SHELL = 'import subprocess\nimport sys\nsubprocess.call(sys.argv[1], shell=True)\n';
  const CLEAN = 'def add(a, b):\n    return a + b\n';

  it('targets and files with spaces in their names', async () => {
    const w = workspace(undefined, { 'my src/sub dir/a b.py': SHELL });
    const r = await runGate(w, { targets: 'my src' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'my src/sub dir/a b.py', line: 3, column: 1 });
  });

  it('a target outside the workspace: Bandit\'s absolute paths are kept, not "placed" at a workspace file with the same name', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cg-bandit-out-'));
    writeFileSync(join(outside, 'util.py'), SHELL);
    const w = workspace(undefined, { 'util.py': CLEAN });
    const r = await runGate(w, { targets: outside });
    expect(r.result.findings.find((f) => f.rule === 'B602')!.file).toBe(join(outside, 'util.py'));
    // an absolute target inside the workspace gives workspace-relative paths
    const w2 = workspace(undefined, { 'pkg/a.py': SHELL });
    const abs = await runGate(w2, { targets: join(w2, 'pkg') });
    expect(abs.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'pkg/a.py', line: 3 });
  });

  it('excludes: `tests` (as users write it) excludes ./tests under the default target `.`', async () => {
    const w = workspace(undefined, { 'app/main.py': CLEAN, 'tests/test_x.py': SHELL });
    const r = await runGate(w, { excludes: 'tests' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings).toEqual([]);
  });

  it('excludes: comma lists and globs, with spaces around entries', async () => {
    const w = workspace(undefined, { 'app/main.py': CLEAN, 'tests/test_x.py': SHELL, 'build/gen.py': SHELL, 'app/fixtures/f.py': SHELL });
    expect((await runGate(w, { excludes: 'tests, build ,*/fixtures/*' })).result.outcome).toBe('pass');
    const partial = await runGate(w, { excludes: 'tests,build' });
    expect(partial.result.outcome).toBe('fail');
    expect(partial.result.findings.filter((f) => f.rule === 'B602').map((f) => f.file)).toEqual(['app/fixtures/f.py']);
  });

  it('banditExcludes adds the ./ form only to plain relative entries', () => {
    expect(banditExcludes(['tests', './docs', '/abs', '*/fixtures/*', 'src/gen/'])).toEqual(['tests', './tests', './docs', '/abs', '*/fixtures/*', 'src/gen/', './src/gen/']);
  });

  it('# nosec and # nosec B602 forms are Bandit\'s business: skipped lines are counted in the record', async () => {
    const w = workspace(undefined, { 'a.py': 'import subprocess  # nosec\nimport sys\nsubprocess.call(sys.argv[1], shell=True)  # nosec B602\nsubprocess.call(cmd, shell=True)  #nosec\n' });
    const r = await runGate(w);
    expect(r.result.outcome).toBe('pass');
    expect(r.records[0].details).toMatchObject({ nosec: 3 });
    expect((await runGate(w, { 'ignore-nosec': 'true' })).result.outcome).toBe('fail');
  });

  it('skips (-s) as a comma list', async () => {
    const w = workspace(undefined, { 'a.py': SHELL });
    const r = await runGate(w, { skips: 'B404, B602,B607' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings).toEqual([]);
  });

  it('a .bandit ini file in the target is honoured by Bandit itself (skips)', async () => {
    const w = workspace(undefined, { 'a.py': SHELL, '.bandit': '[bandit]\nskips: B602\n' });
    const r = await runGate(w);
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings.some((f) => f.rule === 'B602')).toBe(false);
  });

  it('pyproject.toml [tool.bandit] without bandit-config: a warning that Bandit does not read it', async () => {
    const w = workspace(undefined, { 'a.py': CLEAN, 'pyproject.toml': '[project]\nname = "x"\n\n[tool.bandit]\nskips = ["B602"]\n' });
    const r = await runGate(w);
    expect(r.result.outcome).toBe('pass');
    expect(r.warnings.join('\n')).toMatch(/\[tool\.bandit\] section but `bandit-config` is empty/);
    const none = await runGate(workspace(undefined, { 'a.py': CLEAN }));
    expect(none.warnings).toEqual([]);
  });

  it('bandit-config: pyproject.toml on a Bandit that cannot read TOML (1.6) is an error that says why', async () => {
    const w = workspace(undefined, { 'a.py': CLEAN, 'pyproject.toml': '[tool.bandit]\nskips = ["B602"]\n' });
    const r = await runGate(w, { 'bandit-config': 'pyproject.toml' });
    const version = spawnSync('bandit', ['--version'], { encoding: 'utf8' }).stdout;
    if (!/bandit 1\.6\./.test(version)) return; // newer Bandit reads it
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['bandit-failed']);
    expect(r.result.messages!.join('\n')).toMatch(/bandit-config is TOML/);
  });

  it('a project with no Python files is an error (no-files); Python files all excluded is an error (nothing-scanned)', async () => {
    const none = await runGate(workspace(undefined, { 'README.md': '# x\n', 'setup.cfg': '[x]\n' }));
    expect(none.result).toMatchObject({ outcome: 'error', reasons: ['no-files'] });
    const excluded = await runGate(workspace(undefined, { 'tests/test_a.py': SHELL }), { excludes: 'tests' });
    expect(excluded.result).toMatchObject({ outcome: 'error', reasons: ['nothing-scanned'] });
  });

  it('non-UTF-8 sources: a latin-1 file with a coding line is scanned; undecodable bytes are a scan error', async () => {
    const w = workspace();
    writeFileSync(join(w, 'lat.py'), Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nimport subprocess\ns = "caf'), Buffer.from([0xe9]), Buffer.from('"\nsubprocess.call(s, shell=True)\n')]));
    const ok = await runGate(w);
    expect(ok.result.outcome).toBe('fail');
    expect(ok.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'lat.py', line: 4 });
    writeFileSync(join(w, 'bad.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xff, 0xfe, 0x22, 0x0a]));
    const bad = await runGate(w, { 'max-high': '5' });
    expect(bad.result.outcome).toBe('error');
    expect(bad.result.reasons).toContain('scan-errors');
  });

  it('a target holding only a symlink to a Python file is scanned (Bandit follows it), not "no-files"', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cg-bandit-real-'));
    writeFileSync(join(outside, 'real.py'), SHELL);
    const w = workspace(undefined, {});
    mkdirSync(join(w, 'links'));
    symlinkSync(join(outside, 'real.py'), join(w, 'links', 'l.py'));
    const r = await runGate(w, { targets: 'links' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'links/l.py', line: 3 });
  });

  it('a dangling symlink named *.py holds no code: a warning, not a scan error', async () => {
    const w = workspace(undefined, { 'a.py': CLEAN });
    symlinkSync(join(w, 'generated_later.py'), join(w, 'gen.py'));
    const r = await runGate(w);
    expect(r.result.outcome).toBe('pass');
    expect(r.warnings.join('\n')).toMatch(/gen\.py: a dangling symlink/);
    // a real unparseable file next to it still is
    writeFileSync(join(w, 'broken.py'), 'def (:\n');
    expect((await runGate(w)).result.reasons).toContain('scan-errors');
  });

  it('a large file (> 1 MB) is scanned and its finding placed', async () => {
    const body = 'x = 1\n'.repeat(180_000);
    const w = workspace(undefined, { 'big.py': `${body}import subprocess\nimport sys\nsubprocess.call(sys.argv[1], shell=True)\n` });
    const r = await runGate(w);
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'big.py', line: 180_003 });
    expect(Number(r.result.outputs!['lines-scanned'])).toBeGreaterThan(180_000);
  }, 120_000);

  it('Bandit warnings on stderr with exit 0 and a clean report are a pass (the exit code and the report decide)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-bandit-warn-'));
    const fake = join(dir, 'bandit');
    writeFileSync(
      fake,
      `#!/usr/bin/env bash
if [ "$1" = "--version" ]; then echo "bandit 1.9.2"; exit 0; fi
while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
echo "[tester]	WARNING	nosec encountered (B602), but no failed test on line 3" >&2
echo "[manager]	WARNING	Skipping directory (docs), use -r flag to scan contents" >&2
printf '%s' '{"errors": [], "generated_at": "2026-02-20T12:00:00Z", "metrics": {"_totals": {"loc": 2, "nosec": 1, "skipped_tests": 1}}, "results": []}' > "$out"
exit 0
`,
    );
    chmodSync(fake, 0o755);
    const r = await runGate(workspace(undefined, { 'a.py': CLEAN }), { 'bandit-path': fake });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.tool).toEqual({ name: 'bandit', version: '1.9.2' });
  });
});
