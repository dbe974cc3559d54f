// The config file's `records.path`: the default record file when no record file is named and
// $CHAINGATE_RECORDS is unset — for every gate, `chaingate record`, and evidence-bundle's default input.
// `records.mode` is not read (warned): the record-mode input always has a value (default strict).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { configuredRecordPath, defaultRecordPath } from '../../src/core/record.js';
import { loadConfig } from '../../src/core/config.js';
import bundleGate from '../../src/gates/evidence-bundle/index.js';
import type { GateContext } from '../../src/core/gate.js';

const WF = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n';

function repo(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-rec-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}
function io(cwd: string, env: Record<string, string> = {}) {
  const err: string[] = [];
  return { io: { cwd, env, out: () => undefined, err: (s: string) => void err.push(s) }, err };
}
const lines = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('records.path in .github/chaingate.yml', () => {
  it('defaultRecordPath: $CHAINGATE_RECORDS, then records.path (workspace-relative), then $RUNNER_TEMP, then .chaingate/', () => {
    expect(defaultRecordPath({ CHAINGATE_RECORDS: 'env.ndjson', RUNNER_TEMP: '/rt' }, '/ws', 'cfg.ndjson')).toBe('/ws/env.ndjson');
    expect(defaultRecordPath({ RUNNER_TEMP: '/rt' }, '/ws', 'audit/cfg.ndjson')).toBe('/ws/audit/cfg.ndjson');
    expect(defaultRecordPath({ RUNNER_TEMP: '/rt' }, '/ws', '/abs/cfg.ndjson')).toBe('/abs/cfg.ndjson');
    expect(defaultRecordPath({ RUNNER_TEMP: '/rt' }, '/ws', '  ')).toBe('/rt/chaingate/pipeline_run.ndjson');
    expect(defaultRecordPath({}, '/ws')).toBe('/ws/.chaingate/pipeline_run.ndjson');
  });

  it('a gate writes its record to records.path, with no warning about it', async () => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': 'version: 1\nrecords:\n  path: audit/runs.ndjson\n' });
    const r = io(dir, { RUNNER_TEMP: join(dir, 'rt') });
    expect(await main(['pin-lint'], r.io)).toBe(0);
    expect(lines(join(dir, 'audit/runs.ndjson'))).toMatchObject([{ gate: 'pin-lint', outcome: 'pass' }]);
    expect(existsSync(join(dir, 'rt', 'chaingate', 'pipeline_run.ndjson'))).toBe(false);
    expect(r.err.join('\n')).not.toMatch(/records\.path/);
  });

  it('--record-file and $CHAINGATE_RECORDS win over records.path', async () => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': 'version: 1\nrecords:\n  path: audit/runs.ndjson\n' });
    expect(await main(['pin-lint', '--record-file', 'mine.ndjson'], io(dir).io)).toBe(0);
    expect(await main(['pin-lint'], io(dir, { CHAINGATE_RECORDS: join(dir, 'env.ndjson') }).io)).toBe(0);
    expect(lines(join(dir, 'mine.ndjson'))).toHaveLength(1);
    expect(lines(join(dir, 'env.ndjson'))).toHaveLength(1);
    expect(existsSync(join(dir, 'audit/runs.ndjson'))).toBe(false);
  });

  it('a config that cannot be loaded still leaves its error record, at the default place', async () => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': 'version: 1\nrecords:\n  path: audit/runs.ndjson\n  colour: blue\n' });
    const rt = join(dir, 'rt');
    expect(await main(['pin-lint'], io(dir, { RUNNER_TEMP: rt }).io)).toBe(2);
    expect(lines(join(rt, 'chaingate', 'pipeline_run.ndjson'))).toMatchObject([{ gate: 'pin-lint', outcome: 'error', reasons: ['config-error'] }]);
  });

  it('records.mode is still not read, and says so', async () => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': 'version: 1\nrecords:\n  path: r.ndjson\n  mode: best-effort\n' });
    const r = io(dir);
    expect(await main(['pin-lint'], r.io)).toBe(0);
    expect(r.err.join('\n')).toContain('records.mode is not read');
  });

  it('`chaingate record` follows records.path too (drill records land beside the gates\' records)', async () => {
    const dir = repo({ '.github/chaingate.yml': 'version: 1\nrecords:\n  path: audit/runs.ndjson\n' });
    expect(await main(['record', '--gate', 'dr-drill', '--outcome', 'pass'], io(dir, { RUNNER_TEMP: join(dir, 'rt') }).io)).toBe(0);
    expect(lines(join(dir, 'audit/runs.ndjson'))).toMatchObject([{ gate: 'dr-drill', outcome: 'pass' }]);
    // a broken config: exit 2, nothing written anywhere (the config decides where the record goes)
    const bad = repo({ '.github/chaingate.yml': 'version: 1\nrecords:\n  pth: x\n' });
    const r = io(bad, { RUNNER_TEMP: join(bad, 'rt') });
    expect(await main(['record', '--gate', 'dr-drill', '--outcome', 'pass'], r.io)).toBe(2);
    expect(r.err.join('\n')).toMatch(/records\.pth|pth/);
    expect(existsSync(join(bad, 'rt'))).toBe(false);
    // --record-file needs no config
    expect(await main(['record', '--gate', 'dr-drill', '--outcome', 'pass', '--record-file', 'x.ndjson'], io(bad).io)).toBe(0);
  });

  it('evidence-bundle collects from records.path by default', async () => {
    const dir = repo({ '.github/chaingate.yml': 'version: 1\nrecords:\n  path: audit/runs.ndjson\n' });
    const ctx = { cwd: dir, env: { RUNNER_TEMP: join(dir, 'rt') }, config: await loadConfig(dir), now: () => new Date() } as unknown as GateContext;
    const inputs = bundleGate.parseInputs({ 'subject-digest': `sha256:${'a'.repeat(64)}`, sign: 'false' }, ctx) as { records: string[] };
    expect(inputs.records).toEqual([join(dir, 'audit/runs.ndjson')]);
  });

  it.each([
    ['an absolute path', '/home/runner/work/_temp/_runner_file_commands/set_env_1'],
    ['a parent-directory escape', '../../outside.ndjson'],
    ['a `..` segment inside', 'audit/../../x.ndjson'],
    ['a Windows drive path', 'C:\\temp\\x.ndjson'],
  ])('records.path that leaves the workspace (%s) is a config error, and nothing is written there', async (_n, p) => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': `version: 1\nrecords:\n  path: '${p}'\n` });
    const rt = join(dir, 'rt');
    const text: string[] = [];
    const both = { cwd: dir, env: { RUNNER_TEMP: rt }, out: (x: string) => void text.push(x), err: (x: string) => void text.push(x) };
    expect(await main(['pin-lint'], both)).toBe(2);
    expect(text.join('\n')).toMatch(/chaingate\.yml:3:\d+/);
    expect(lines(join(rt, 'chaingate', 'pipeline_run.ndjson'))).toMatchObject([{ gate: 'pin-lint', outcome: 'error', reasons: ['config-error'] }]);
  });

  it('true negative: names with dots that are not `..` segments are fine', async () => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': 'version: 1\nrecords:\n  path: .chaingate/runs..v1.ndjson\n' });
    expect(await main(['pin-lint'], io(dir, { RUNNER_TEMP: join(dir, 'rt') }).io)).toBe(0);
    expect(lines(join(dir, '.chaingate/runs..v1.ndjson'))).toHaveLength(1);
  });

  // a repository can commit symlinks: records.path's own text stays inside, but the file it names does not.
  // (Before the check, the FIFO case blocked the whole process in openSync: not even a test timeout fired.)
  const outside = () => mkdtempSync(join(tmpdir(), 'cg-outside-'));
  it.each([
    ['a directory of the path is a symlink to a directory outside', (dir: string, out: string) => symlinkSync(out, join(dir, 'audit')), 'audit/runs.ndjson'],
    ['a deeper directory is a symlink outside', (dir: string, out: string) => (mkdirSync(join(dir, 'a')), symlinkSync(out, join(dir, 'a', 'b'))), 'a/b/c/runs.ndjson'],
    ['the file itself is a symlink to a file outside', (dir: string, out: string) => (writeFileSync(join(out, 'env'), ''), symlinkSync(join(out, 'env'), join(dir, 'runs.ndjson'))), 'runs.ndjson'],
    ['the file is a symlink to a device', (dir: string) => symlinkSync('/dev/null', join(dir, 'runs.ndjson')), 'runs.ndjson'],
    ['the file is a FIFO (would block the gate forever)', (dir: string) => execFileSync('mkfifo', [join(dir, 'runs.ndjson')]), 'runs.ndjson'],
    ['the path is a directory', (dir: string) => mkdirSync(join(dir, 'runs.ndjson')), 'runs.ndjson'],
  ])('records.path where %s: config error, nothing written there, the error record at the default place', { timeout: 15_000 }, async (_n, plant, p) => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': `version: 1\nrecords:\n  path: ${p}\n` });
    const out = outside();
    plant(dir, out);
    const rt = join(dir, 'rt');
    const text: string[] = [];
    const both = { cwd: dir, env: { RUNNER_TEMP: rt }, out: (x: string) => void text.push(x), err: (x: string) => void text.push(x) };
    expect(await main(['pin-lint'], both)).toBe(2);
    expect(text.join('\n')).toMatch(/records\.path/);
    expect(lines(join(rt, 'chaingate', 'pipeline_run.ndjson'))).toMatchObject([{ gate: 'pin-lint', outcome: 'error', reasons: ['config-error'] }]);
    expect(execFileSync('find', [out, '-type', 'f', '-size', '+0']).toString()).toBe('');
    // chaingate record and evidence-bundle refuse it too
    const rec = io(dir, { RUNNER_TEMP: rt });
    expect(await main(['record', '--gate', 'dr-drill', '--outcome', 'pass'], rec.io)).toBe(2);
    expect(rec.err.join('\n')).toMatch(/records\.path/);
    const ctx = { cwd: dir, env: { RUNNER_TEMP: rt }, config: await loadConfig(dir), now: () => new Date() } as unknown as GateContext;
    expect(() => bundleGate.parseInputs({ 'subject-digest': `sha256:${'a'.repeat(64)}`, sign: 'false' }, ctx)).toThrow(/records\.path/);
    expect(execFileSync('find', [out, '-type', 'f', '-size', '+0']).toString()).toBe('');
  });

  it('true negative: a symlinked directory that stays inside the workspace is fine', async () => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': 'version: 1\nrecords:\n  path: audit/runs.ndjson\n' });
    mkdirSync(join(dir, 'var', 'audit'), { recursive: true });
    symlinkSync(join(dir, 'var', 'audit'), join(dir, 'audit'));
    expect(await main(['pin-lint'], io(dir, { RUNNER_TEMP: join(dir, 'rt') }).io)).toBe(0);
    expect(lines(join(dir, 'var/audit/runs.ndjson'))).toHaveLength(1);
    expect(configuredRecordPath(dir, 'new/deep/x.ndjson')).toBe(join(dir, 'new/deep/x.ndjson'));
  });

  it('$CHAINGATE_RECORDS set: records.path is not used, so not checked', async () => {
    const dir = repo({ '.github/workflows/ci.yml': WF, '.github/chaingate.yml': 'version: 1\nrecords:\n  path: audit/runs.ndjson\n' });
    symlinkSync(outside(), join(dir, 'audit'));
    expect(await main(['pin-lint'], io(dir, { CHAINGATE_RECORDS: join(dir, 'env.ndjson') }).io)).toBe(0);
    expect(lines(join(dir, 'env.ndjson'))).toHaveLength(1);
  });
});
