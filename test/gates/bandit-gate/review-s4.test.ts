// Second-eyes review of the bandit-gate stress change (columns, widened excludes, INI configs, nested .bandit
// files, crashes). Real Bandit 1.6.2 where it runs; 1.7.3+ column fields added from Python's own AST (what
// Bandit copies into col_offset/end_col_offset). Each describe holds the defect (failed before the fix) and
// the true negatives beside it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate, workspace } from './helpers.js';
import { dotBanditFiles, effectiveIniOptions, readBanditIni } from '../../../src/gates/bandit-gate/ini.js';

// a non-constant command: B602 HIGH
const SHELL = 'import subprocess\nimport sys\nsubprocess.call(sys.argv[1], shell=True)\n';

/** What real Bandit reports for `.` in `w` (test ids), run as the gate would run it without any option. */
function banditTests(w: string, args: string[] = ['.']): string[] {
  const b = spawnSync('bandit', ['-r', '-f', 'json', '-q', ...args], { cwd: w, encoding: 'utf8' });
  const d = JSON.parse(b.stdout.slice(b.stdout.indexOf('{'))) as { results: Array<{ test_id: string }> };
  return [...new Set(d.results.map((r) => r.test_id))].sort();
}

describe('a .bandit Bandit finds where the gate did not look (fail-open before)', () => {
  it('node_modules/<pkg>/.bandit with skips: Bandit walks node_modules and applies it to src; the gate refuses (config-error) instead of passing', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'node_modules/some-pkg/.bandit': '[bandit]\nskips = B602,B404,B607\n' });
    expect(banditTests(w)).toEqual([]); // Bandit itself: B602 in src/app.py is gone
    const r = await runGate(w);
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
    expect(r.result.messages!.join('\n')).toMatch(/node_modules\/some-pkg\/\.bandit: Bandit would apply .*skips = B602,B404,B607/);
    expect(r.records).toHaveLength(1);
  });

  it('.git/…/.bandit is walked by Bandit as well', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, '.git/info/.bandit': '[bandit]\ntests = B101\n' });
    expect(banditTests(w)).toEqual([]);
    expect((await runGate(w)).result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
  });

  it('an upper-case key (`SKIPS = B602`: configparser lower-cases keys) is applied by Bandit; the gate sees it', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'vendor/lib/.bandit': '[bandit]\nSKIPS = B602,B404,B607\n' });
    expect(banditTests(w)).toEqual([]);
    const r = await runGate(w);
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
    expect(r.result.messages!.join('\n')).toMatch(/skips = B602,B404,B607/);
  });

  it('options in [DEFAULT] are part of [bandit] (configparser), and so applied', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'vendor/lib/.bandit': '[DEFAULT]\nskips = B602,B404,B607\n[bandit]\n' });
    expect(banditTests(w)).toEqual([]);
    expect((await runGate(w)).result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
  });
});

describe('nested .bandit files Bandit ignores or that cannot change this run (false config-error before)', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['a YAML .bandit (no section header: configparser refuses it, Bandit warns and ignores it)', 'skips: [B602, B404]\nexclude_dirs: [src]\n', {}],
    ['an INI without a [bandit] section', '[flake8]\nskips = B602\n', {}],
    ['`targets` only (the gate always names targets, and Bandit\'s command line wins)', '[bandit]\ntargets = vendor/lib\n', {}],
    ['`exclude` only, while the gate passes `excludes` (its -x wins)', '[bandit]\nexclude = ./src\n', { excludes: 'build' }],
    ['`skips` only, while the gate passes `skips` (its -s wins)', '[bandit]\nskips = B602\n', { skips: 'B101' }],
    ['a duplicate option (configparser strict mode: the whole file is ignored)', '[bandit]\nskips = B602\nskips = B404\n', {}],
    ['only keys that cannot narrow the run (recursive, format, number)', '[bandit]\nrecursive = false\nformat = txt\nnumber = 1\n', {}],
  ];
  it.each(cases)('%s: Bandit still reports B602; the gate runs and fails on it', async (_name, text, inputs) => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'vendor/lib/m.py': 'x = 1\n', 'vendor/lib/.bandit': text });
    const args = [...(inputs.excludes ? ['-x', inputs.excludes] : []), ...(inputs.skips ? ['-s', inputs.skips] : []), '.'];
    expect(banditTests(w, args)).toContain('B602');
    const r = await runGate(w, inputs);
    expect(r.result).toMatchObject({ outcome: 'fail', reasons: ['budget-exceeded'] });
  });

  it('true positive beside them: the same `exclude`/`skips` files without the gate\'s own -x/-s are applied, so refused', async () => {
    for (const text of ['[bandit]\nexclude = ./src\n', '[bandit]\nskips = B602\n']) {
      const w = workspace(undefined, { 'src/app.py': SHELL, 'vendor/lib/m.py': 'x = 1\n', 'vendor/lib/.bandit': text });
      expect(banditTests(w)).not.toContain('B602');
      expect((await runGate(w)).result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
    }
  });
});

describe('several .bandit files', () => {
  it('Bandit exits 2 ("Multiple .bandit files found"); the gate says so before running, naming them (was: bandit-failed with Bandit\'s log tail)', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, '.bandit': '[bandit]\nskips = B101\n', 'vendor/lib/.bandit': '[bandit]\n' });
    expect(spawnSync('bandit', ['-r', '-f', 'json', '-q', '.'], { cwd: w }).status).toBe(2);
    const r = await runGate(w);
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
    expect(r.result.messages!.join('\n')).toMatch(/finds 2 \.bandit files .*\.bandit, vendor\/lib\/\.bandit|finds 2 \.bandit files .*vendor\/lib\/\.bandit, \.bandit/);
    expect(r.result.messages!.join('\n')).toMatch(/Multiple \.bandit files found/);
  });

  it('true negative: declaring one as bandit-config (--ini) makes Bandit read no other: the run goes on', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, '.bandit': '[bandit]\nskips = B101\n', 'vendor/lib/.bandit': '[bandit]\nskips = B602\n' });
    expect((await runGate(w, { 'bandit-config': '.bandit' })).result).toMatchObject({ outcome: 'fail', reasons: ['budget-exceeded'] });
  });

  it('overlapping targets reach one target-root .bandit twice: Bandit counts two and exits 2; so does the gate', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'src/.bandit': '[bandit]\nskips = B101\n' });
    expect(spawnSync('bandit', ['-r', '-f', 'json', '-q', '.', 'src'], { cwd: w }).status).toBe(2);
    const r = await runGate(w, { targets: '.\nsrc' });
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['config-error'] });
    expect(r.result.messages!.join('\n')).toMatch(/reached through two targets/);
  });
});

describe('a .bandit the gate lets Bandit apply says what it changes', () => {
  it('`tests = B101` at the target root: Bandit runs ONLY B101 (B602 is never looked for); the gate says so and records it (was: a silent pass)', async () => {
    const w = workspace(undefined, { 'src/app.py': `${SHELL}assert sys.argv\n`, '.bandit': '[bandit]\ntests = B101\n' });
    expect(banditTests(w)).toEqual(['B101']);
    const r = await runGate(w);
    expect(r.result.outcome).toBe('pass'); // the project's own configuration, at its root
    expect(r.result.messages!.join('\n')).toMatch(/\.bandit: Bandit applies tests = B101 .*runs only the tests it selects/);
    expect(r.warnings.join('\n')).toMatch(/runs only the tests it selects/);
    expect(r.records[0].policy).toMatchObject({ 'bandit-ini': '.bandit', 'bandit-ini-options': 'tests = B101' });
  });

  it('the same from a declared INI bandit-config', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'ci/bandit.ini': '[bandit]\ntests = B101,B102\n' });
    const r = await runGate(w, { 'bandit-config': 'ci/bandit.ini' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.messages!.join('\n')).toMatch(/ci\/bandit\.ini: Bandit applies tests = B101,B102 from this INI file: Bandit runs only/);
  });

  it('true negatives: a root `skips` is recorded but not warned about; a root file whose skips lose to the gate\'s `skips` records nothing', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, '.bandit': '[bandit]\nskips = B101\n' });
    const r = await runGate(w);
    expect(r.result).toMatchObject({ outcome: 'fail', reasons: ['budget-exceeded'] });
    expect(r.warnings).toEqual([]);
    expect(r.records[0].policy).toMatchObject({ 'bandit-ini': '.bandit', 'bandit-ini-options': 'skips = B101' });
    const r2 = await runGate(w, { skips: 'B404' });
    expect(r2.records[0].policy!['bandit-ini']).toBeUndefined();
  });
});

describe('bandit-config detection on real files', () => {
  it('a YAML file (no .yaml extension) with a `[bandit]` line inside a block scalar is YAML: passed with -c and applied (was: --ini, which Bandit ignored, dropping its skips)', async () => {
    const yaml = "# chaingate CI\ndescription: |\n  [bandit]\n  reads this file\nskips: ['B404', 'B602', 'B607']\n";
    const w = workspace(undefined, { 'src/app.py': SHELL, 'ci/bandit.conf': yaml });
    expect(spawnSync('bandit', ['-r', '-q', '-f', 'json', '-c', 'ci/bandit.conf', 'src'], { cwd: w }).status).toBe(0); // Bandit reads it as YAML
    const r = await runGate(w, { 'bandit-config': 'ci/bandit.conf' });
    expect(r.result.outcome).toBe('pass');
  });

  it('setup.cfg with a [bandit] section among others is INI (--ini): its skips apply', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'setup.cfg': '[metadata]\nname = app\n\n[bandit]\nskips = B404,B602,B607\n\n[flake8]\nmax-line-length = 120\n' });
    expect((await runGate(w, { 'bandit-config': 'setup.cfg' })).result.outcome).toBe('pass');
  });

  it('setup.cfg without a [bandit] section: Bandit exits 2 parsing it as YAML; the gate says why (bandit-failed, with the reason)', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'setup.cfg': '[metadata]\nname = app\n' });
    const r = await runGate(w, { 'bandit-config': 'setup.cfg' });
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['bandit-failed'] });
    expect(r.result.messages!.join('\n')).toMatch(/setup\.cfg looks like an INI file but has no \[bandit\] section/);
  });

  it('an empty bandit-config: Bandit 1.6 crashes (traceback, exit 1, empty report); the gate says it crashed (was: report-invalid "the report is empty")', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'bandit.yaml': '' });
    const b = spawnSync('bandit', ['-r', '-f', 'json', '-c', 'bandit.yaml', 'src'], { cwd: w, encoding: 'utf8' });
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/Traceback/);
    const r = await runGate(w, { 'bandit-config': 'bandit.yaml' });
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['bandit-failed'] });
    expect(r.result.messages!.join('\n')).toMatch(/Bandit crashed .*bandit\.yaml is empty/s);
    expect(r.records).toHaveLength(1);
  });

  it('true negative: a TOML file is passed with -c (Bandit 1.6 exits 2 on it: bandit-failed, saying TOML)', async () => {
    const w = workspace(undefined, { 'src/app.py': SHELL, 'pyproject.toml': '[tool.bandit]\nskips = ["B602"]\n' });
    const r = await runGate(w, { 'bandit-config': 'pyproject.toml' });
    expect(r.result).toMatchObject({ outcome: 'error', reasons: ['bandit-failed'] });
    expect(r.result.messages!.join('\n')).toMatch(/TOML/);
  });
});

describe('columns: offsets measured on another line', () => {
  /** Bandit 1.6.2's real report for `src`, with col_offset/end_col_offset as 1.7.3+ adds them (the Call node's AST offsets). */
  function withOffsets(w: string, file: string, callLine: number, code?: (c: string) => string): string {
    const b = spawnSync('bandit', ['-r', '-f', 'json', '-q', file], { cwd: w, encoding: 'utf8' });
    const rep = JSON.parse(b.stdout.slice(b.stdout.indexOf('{')));
    const py = `import ast,json,sys\nt=ast.parse(open(sys.argv[1],'rb').read())\nn=[c for c in ast.walk(t) if isinstance(c,ast.Call) and c.lineno==${callLine}][0]\nprint(json.dumps([n.col_offset,n.end_col_offset]))`;
    const [col, end] = JSON.parse(spawnSync('python3', ['-c', py, file], { cwd: w, encoding: 'utf8' }).stdout) as [number, number];
    for (const r of rep.results) {
      r.col_offset = col;
      r.end_col_offset = end;
      if (code) r.code = code(r.code);
    }
    writeFileSync(join(w, 'bandit.json'), JSON.stringify(rep));
    return 'bandit.json';
  }

  it('B602 on a multi-line call: Bandit moves line_number to the `shell=True` line, the offsets stay those of the call\'s first line: no column is claimed there (was: the call\'s column on the shell= line)', async () => {
    const src = 'import subprocess\nimport sys\nresult = subprocess.Popen(\n    sys.argv[1],\n    shell=True)\n';
    const w = workspace(undefined, { 'app.py': src });
    const r = await runGate(w, { report: withOffsets(w, 'app.py', 3) });
    const f = r.result.findings.find((x) => x.rule === 'B602')!;
    expect(f).toMatchObject({ line: 5, column: 1 }); // Bandit: line_number 5, line_range [3, 4, 5]
    expect(f.endColumn).toBeUndefined();
    // true negative: the one-line call keeps its converted column and end column
    const one = 'import subprocess\nimport sys\nresult = subprocess.Popen(sys.argv[1], shell="é" or True)\n';
    const w2 = workspace(undefined, { 'app.py': one });
    const f2 = (await runGate(w2, { report: withOffsets(w2, 'app.py', 3) })).result.findings.find((x) => x.rule === 'B602')!;
    expect(f2).toMatchObject({ line: 3, column: one.split('\n')[2].indexOf('subprocess') + 1, endColumn: one.split('\n')[2].length + 1 });
  });

  it('a quoted line that is cut short (or otherwise does not fit the offset): the workspace file converts it (was: the byte offset + 1)', async () => {
    const src = 'import subprocess\nimport sys\nx = "Grüße 世界"; subprocess.call(sys.argv[1], shell=True)\n';
    const w = workspace(undefined, { 'app.py': src });
    const cut = (c: string) => c.replace(/x = "Grüße 世界"; subprocess.*/, 'x = "Grüße');
    const f = (await runGate(w, { report: withOffsets(w, 'app.py', 3, cut) })).result.findings.find((x) => x.rule === 'B602')!;
    expect(f.column).toBe(src.split('\n')[2].indexOf('subprocess') + 1);
  });
});

describe('ini.ts units', () => {
  it('readBanditIni follows configparser: BOM, continuation lines, comments, `:` delimiter', () => {
    expect(readBanditIni('\ufeff[bandit]\nskips = B602\n').applies).toBe(false); // Python opens it as UTF-8: `\ufeff[bandit]` is no header
    const r = readBanditIni('# c\n[bandit]\ntests: B101,\n    B102\n; x\n');
    expect(r.applies).toBe(true);
    expect(r.options.get('tests')).toBe('B101,\nB102');
    expect(effectiveIniOptions(r, { skips: false, excludes: false })).toEqual(['tests = B101, B102']);
    expect(effectiveIniOptions(readBanditIni('[bandit]\nskips =\nexclude = \n'), { skips: false, excludes: false })).toEqual([]);
  });

  it('dotBanditFiles: a symlinked directory is not entered (os.walk), a dangling .bandit symlink is listed (Bandit counts it)', () => {
    const w = workspace(undefined, { 'a/x.py': 'x = 1\n', 'elsewhere/.bandit': '[bandit]\n' });
    mkdirSync(join(w, 'b'));
    symlinkSync(join(w, 'elsewhere'), join(w, 'b', 'link'));
    symlinkSync(join(w, 'missing'), join(w, 'a', '.bandit'));
    expect(dotBanditFiles(['a', 'b'], w).map((f) => f.file)).toEqual(['a/.bandit']);
  });
});
