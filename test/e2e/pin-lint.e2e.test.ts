import { describe, expect, it, beforeAll } from 'vitest';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runComposite, runDist, runnerFiles, ROOT, workspaceWith } from '../helpers/runner.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';


beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/pin-lint.js'))) throw new Error('dist/pin-lint.js missing: run npm run build');
});

describe('pin-lint as the runner runs it', () => {
  it('fails on a tag ref, with an annotation at the exact position, outputs, summary, SARIF and a valid record', () => {
    const f = workspaceWith({
      '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@${SHA} # v4.0.2\n`,
    });
    const r = runComposite('pin-lint', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error title=pin-lint%3A unpinned-action (high),file=.github/workflows/ci.yml,line=6,col=15');
    expect(r.outputs.outcome).toBe('fail');
    expect(r.outputs.findings).toBe('1');
    expect(r.outputs.reasons).toBe('unpinned');
    expect(r.summary).toContain('chaingate pin-lint: fail');
    expect(r.summary).toContain('`.github/workflows/ci.yml:6:15`');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'pin-lint', outcome: 'fail', reasons: ['unpinned'], findings: { total: 1, high: 1 }, run: { repository: 'acme/widget', run_id: '4242' } });
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region).toMatchObject({ startLine: 6, startColumn: 15 });
    // the upload step is skipped unless asked for
    expect(r.steps.find((s) => s.name === 'Upload SARIF')?.ran).toBe(false);
  });

  it('passes on a fully pinned repository and says so', () => {
    const f = workspaceWith({
      '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container: node:22@sha256:${'c'.repeat(64)}\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.1\n      - uses: ./local-action\n`,
    });
    const r = runDist('pin-lint', {}, f);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.outcome).toBe('pass');
    expect(r.records[0].outcome).toBe('pass');
    expect(r.recordProblems).toEqual([]);
  });

  it('reports invalid YAML as error, never a silent pass', () => {
    const f = workspaceWith({ '.github/workflows/bad.yml': 'on: push\njobs: [\n' });
    const r = runDist('pin-lint', {}, f);
    expect(r.exitCode).toBe(2);
    expect(r.outputs.outcome).toBe('error');
    expect(r.stdout).toContain('.github/workflows/bad.yml');
    expect(r.records[0]).toMatchObject({ outcome: 'error', findings: { errors: 1 } });
  });

  it('errors when the record cannot be written in strict mode, and only warns in best-effort mode', () => {
    const f = workspaceWith({ '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${SHA} # v4\n` });
    writeFileSync(join(f.dir, 'not-a-dir'), 'x');
    const strict = runDist('pin-lint', { 'record-file': join(f.dir, 'not-a-dir', 'r.ndjson') }, f);
    expect(strict.exitCode).toBe(2);
    expect(strict.outputs.outcome).toBe('error');
    expect(strict.outputs.reasons).toContain('record-write-failed');
    const lax = runDist('pin-lint', { 'record-file': join(f.dir, 'not-a-dir', 'r.ndjson'), 'record-mode': 'best-effort' }, f);
    expect(lax.exitCode).toBe(0);
    expect(lax.stdout).toContain('::warning::cannot write pipeline_run record');
  });
});

describe('root action', () => {
  it('runs the static gates by default, one record each, worst outcome wins', () => {
    const f = workspaceWith({ '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n` });
    const r = runComposite('.', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.outcome).toBe('fail');
    expect(JSON.parse(r.outputs.outcomes)['pin-lint']).toBe('fail');
    expect(r.records.map((x) => x.gate)).toContain('pin-lint');
    expect(r.recordProblems).toEqual([]);
  });

  it('refuses an unknown gate name', () => {
    const f = workspaceWith({});
    const r = runComposite('.', { gates: 'pin-lint,no-such-gate' }, f);
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('unknown gate(s) no-such-gate');
    expect(r.outputs.outcome).toBe('error');
  });
});
