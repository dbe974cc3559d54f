// Placement of report paths that are not workspace files as given (decision 0200, "Placement"): only a unique
// match by whole-component path suffix, confirmed by the flagged source line where the report quotes it.
// Anything else keeps the report's path, marks it unplaced, and no path-scoped suppression applies by a guess.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate, workspace } from './helpers.js';

const DB = 'import subprocess\ndef q(cmd):\n    return subprocess.call(cmd, shell=True)\n';
const OTHER = 'import subprocess\ndef other(cmd):\n    subprocess.Popen(cmd, shell=True).wait()\n';
const NOW = { now: () => new Date('2026-11-20T00:00:00Z') };

function result(filename: string, extra: Record<string, unknown> = {}) {
  return {
    filename,
    test_id: 'B602',
    test_name: 'subprocess_popen_with_shell_equals_true',
    issue_severity: 'HIGH',
    issue_confidence: 'HIGH',
    issue_text: 'subprocess call with shell=True identified, security issue.',
    line_number: 3,
    line_range: [3],
    code: '2 def q(cmd):\n3     return subprocess.call(cmd, shell=True)\n',
    ...extra,
  };
}

function report(results: object[], errors: object[] = []) {
  return JSON.stringify({
    errors,
    generated_at: '2026-11-19T10:00:00Z',
    metrics: { _totals: { loc: 3, nosec: 0, 'SEVERITY.HIGH': results.length, 'CONFIDENCE.HIGH': results.length } },
    results,
  });
}

function suppress(file: string, list = 'suppressions', test = 'B602') {
  return `bandit-gate:\n  ${list}:\n    - file: ${file}\n${list === 'suppressions' ? `      test_id: ${test}\n` : ''}      justification: reviewed by the team\n      expires: 2026-12-31\n`;
}

async function judge(files: Record<string, string>, rep: string, cfg?: string) {
  const w = workspace(undefined, { ...files, ...(cfg ? { '.github/chaingate.yml': cfg } : {}) });
  writeFileSync(join(w, 'bandit.json'), rep);
  return runGate(w, { report: 'bandit.json' }, NOW);
}

describe('placement: the wrong file is never chosen', () => {
  it('report /build/src/app/db.py, workspace has vendor/app/db.py but not src/app/db.py: kept as written, the vendor suppression does not apply', async () => {
    const r = await judge({ 'vendor/app/db.py': DB }, report([result('/build/src/app/db.py')]), suppress('vendor/app/db.py'));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.outputs).toMatchObject({ high: '1', suppressed: '0' });
    const f = r.result.findings[0];
    expect(f.file).toBe('/build/src/app/db.py');
    expect(f.suppressed).toBeUndefined();
    expect(f.properties?.placement).toBe('unplaced');
    expect(r.records[0].details).toMatchObject({ unplaced_paths: 1, placed_paths: 0 });
    expect(r.result.summary!.join('\n')).toMatch(/1 file\(s\) named in the report are not in the workspace.*\/build\/src\/app\/db\.py/);
  });

  it('relative report path app/db.py (made in src/): vendor/app/db.py has the suffix but not the flagged line, so it is not chosen', async () => {
    const r = await judge({ 'vendor/app/db.py': OTHER }, report([result('app/db.py')]), suppress('vendor/app/db.py'));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings[0]).toMatchObject({ file: 'app/db.py', properties: expect.objectContaining({ placement: 'unplaced' }) });
    expect(r.result.findings[0].suppressed).toBeUndefined();
    expect(r.result.summary!.join('\n')).toMatch(/no workspace file with that path suffix holds the flagged source line.*app\/db\.py \(vendor\/app\/db\.py\)/);
  });

  it('a bare file name match is not enough: db.py at the workspace root holds another line, so /build/src/app/db.py stays unplaced', async () => {
    const r = await judge({ 'db.py': OTHER }, report([result('/build/src/app/db.py')]), suppress('db.py'));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings[0].file).toBe('/build/src/app/db.py');
  });

  it('errors[] quote no source line: a bare file name match does not place them, so a scan-errors entry for db.py does not accept them', async () => {
    const r = await judge({ 'db.py': DB }, report([], [{ filename: '/build/src/app/db.py', reason: 'syntax error while parsing AST from file' }]), suppress('db.py', 'scan-errors'));
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toContain('scan-errors');
    const f = r.result.findings.find((x) => x.rule === 'scan-error')!;
    expect(f).toMatchObject({ file: '/build/src/app/db.py', properties: { placement: 'unplaced' } });
    expect(f.suppressed).toBeUndefined();
    expect(r.result.summary!.join('\n')).toMatch(/only the file name matches/);
  });
});

describe('placement: ambiguous matches are not guessed', () => {
  it('app/db.py with a/app/db.py and b/app/db.py both holding the flagged line: unplaced, a suppression for either does not apply', async () => {
    const r = await judge({ 'a/app/db.py': DB, 'b/app/db.py': DB }, report([result('app/db.py')]), suppress('a/app/db.py'));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings[0]).toMatchObject({ file: 'app/db.py', properties: expect.objectContaining({ placement: 'unplaced' }) });
    expect(r.result.summary!.join('\n')).toMatch(/several workspace files fit.*app\/db\.py \(a\/app\/db\.py, b\/app\/db\.py\)/);
  });

  it('an absolute path two workspace files are suffixes of (src/app/db.py and app/db.py, same line): unplaced', async () => {
    const r = await judge({ 'src/app/db.py': DB, 'app/db.py': DB }, report([result('/build/src/app/db.py')]), suppress('src/app/db.py'));
    expect(r.result.outcome).toBe('fail');
    expect(r.result.findings[0].file).toBe('/build/src/app/db.py');
  });
});

describe('placement: the unique correct file is placed', () => {
  it('/build/src/app/db.py with src/app/db.py present (and a vendored copy beside it): placed, its suppression applies', async () => {
    const r = await judge({ 'src/app/db.py': DB, 'vendor/app/db.py': DB }, report([result('/build/src/app/db.py')]), suppress('src/app/db.py'));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs).toMatchObject({ high: '0', suppressed: '1' });
    expect(r.result.findings[0]).toMatchObject({
      file: 'src/app/db.py',
      line: 3,
      properties: expect.objectContaining({ placement: 'placed', reported_path: '/build/src/app/db.py' }),
    });
    expect(r.records[0].details).toMatchObject({ placed_paths: 1, unplaced_paths: 0 });
  });

  it('the flagged line may have moved (a report from a slightly different revision): still placed by its text', async () => {
    const r = await judge({ 'src/app/db.py': `# header\n\n${DB}` }, report([result('/build/src/app/db.py')]), suppress('src/app/db.py'));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings[0].file).toBe('src/app/db.py');
  });

  it('a report made in a subdirectory (app/db.py) and one backend/app/db.py holding the line: placed', async () => {
    const r = await judge({ 'backend/app/db.py': DB }, report([result('app/db.py')]), suppress('backend/app/db.py'));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings[0].file).toBe('backend/app/db.py');
  });

  it('a baseline naming the same reported path follows the same placement (baselined, not new)', async () => {
    const w = workspace(undefined, { 'src/app/db.py': DB });
    writeFileSync(join(w, 'bandit.json'), report([result('/build/src/app/db.py')]));
    writeFileSync(join(w, 'base.json'), report([result('/build/src/app/db.py', { line_number: 1, code: '1 x\n' })]));
    const r = await runGate(w, { report: 'bandit.json', baseline: 'base.json' }, NOW);
    expect(r.result.outcome).toBe('pass');
    expect(r.result.outputs).toMatchObject({ high: '0', baselined: '1' });
  });

  it('a file present as given is used as is, whatever else shares its suffix', async () => {
    const r = await judge({ 'app/db.py': DB, 'vendor/app/db.py': DB }, report([result('./app/db.py')]), suppress('app/db.py'));
    expect(r.result.outcome).toBe('pass');
    expect(r.result.findings[0].file).toBe('app/db.py');
    expect(r.result.findings[0].properties?.placement).toBeUndefined();
  });
});

describe('placement of a real Bandit report made under another root (a container or another checkout)', () => {
  it('`bandit -r /elsewhere/build` → /elsewhere/build/src/app/db.py: placed at src/app/db.py only when that file is there', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdirSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const other = mkdtempSync(join(tmpdir(), 'cg-elsewhere-'));
    mkdirSync(join(other, 'build/src/app'), { recursive: true });
    writeFileSync(join(other, 'build/src/app/db.py'), DB);
    const out = join(other, 'report.json');
    spawnSync('bandit', ['-r', join(other, 'build'), '-f', 'json', '-o', out], { encoding: 'utf8' });
    const { readFileSync } = await import('node:fs');
    const rep = readFileSync(out, 'utf8');
    expect(JSON.parse(rep).results.map((x: { filename: string }) => x.filename)).toContain(join(other, 'build/src/app/db.py'));
    const right = await judge({ 'src/app/db.py': DB, 'vendor/app/db.py': DB }, rep, suppress('src/app/db.py'));
    expect(right.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: 'src/app/db.py', suppressed: expect.anything() });
    expect(right.result.outputs).toMatchObject({ high: '0' });
    const wrong = await judge({ 'vendor/app/db.py': DB }, rep, suppress('vendor/app/db.py'));
    expect(wrong.result.outcome).toBe('fail');
    expect(wrong.result.findings.find((f) => f.rule === 'B602')).toMatchObject({ file: join(other, 'build/src/app/db.py'), properties: expect.objectContaining({ placement: 'unplaced' }) });
  });
});
