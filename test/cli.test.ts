import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main, parseArgs } from '../src/cli.js';
import { ROOT } from './helpers/runner.js';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd, env: { CHAINGATE_RECORDS: join(cwd, 'rec.ndjson') }, out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

function repo(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-cli-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}
const BAD = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n';

describe('chaingate CLI', () => {
  it('--help lists the gates and exit codes; no command is a usage error', async () => {
    const h = io('/');
    expect(await main(['--help'], h.io)).toBe(0);
    expect(h.out.join('\n')).toMatch(/pin-lint .*\(static\)/);
    expect(h.out.join('\n')).toContain('Exit codes: 0 pass');
    const none = io('/');
    expect(await main([], none.io)).toBe(2);
  });

  it('gate --help shows every option', async () => {
    const h = io('/');
    expect(await main(['pin-lint', '--help'], h.io)).toBe(0);
    for (const o of ['--fail-on', '--token', '--fix', '--config', '--record-file', '--record-mode', '--sarif-file', '--format']) expect(h.out.join('\n')).toContain(o);
  });

  it('unknown options, commands and formats are usage errors (exit 2) that say what is wrong', async () => {
    const a = io('/');
    expect(await main(['pin-lint', '--bogus'], a.io)).toBe(2);
    expect(a.err.join()).toContain('unknown option --bogus');
    const b = io('/');
    expect(await main(['nope'], b.io)).toBe(2);
    expect(b.err.join()).toContain('unknown command "nope"');
    const c = io('/');
    expect(await main(['pin-lint', '--format', 'xml'], c.io)).toBe(2);
    expect(c.err.join()).toContain('--format: "xml" is not one of text, json, sarif, github');
  });

  it('text format prints file:line:col findings and exits 1 on fail', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD });
    const r = io(dir);
    expect(await main(['pin-lint'], r.io)).toBe(1);
    expect(r.out.join('\n')).toContain('.github/workflows/ci.yml:6:15: high unpinned-action:');
    expect(existsSync(join(dir, 'rec.ndjson'))).toBe(true);
  });

  it('json, sarif and github formats', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD });
    const j = io(dir);
    await main(['pin-lint', '--format=json'], j.io);
    const parsed = JSON.parse(j.out.join('\n'));
    expect(parsed).toMatchObject({ gate: 'pin-lint', outcome: 'fail', record: { gate: 'pin-lint' } });
    const s = io(dir);
    await main(['pin-lint', '--format', 'sarif'], s.io);
    expect(JSON.parse(s.out.join('\n')).runs[0].results[0].ruleId).toBe('unpinned-action');
    const g = io(dir);
    await main(['pin-lint', '--format', 'github'], g.io);
    expect(g.out[0]).toMatch(/^::error title=pin-lint%3A unpinned-action \(high\),file=.github\/workflows\/ci.yml,line=6,col=15/);
  });

  it('check runs every static gate and exits with the worst outcome', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD.replace('@v4', `@${'a'.repeat(40)} # v4.1.1`) });
    const r = io(dir);
    expect(await main(['check'], r.io)).toBe(0);
    expect(r.out.join('\n')).toContain('pin-lint: PASS');
  });

  it('parseArgs: positional paths, repeated options joined by newlines, flags without values, -- ends options', () => {
    const specs = [
      { name: 'paths', description: '', positional: true },
      { name: 'artifact', description: '' },
      { name: 'fix', description: '', flag: true },
    ];
    expect(parseArgs(['a', '--artifact', 'x', '--artifact=y', '--fix', '--', '--weird'], specs).raw).toEqual({ paths: 'a\n--weird', artifact: 'x\ny', fix: 'true' });
  });

  it.runIf(existsSync(join(ROOT, '..', 'shared', 'corpus', 'workflows')))('npx chaingate pin-lint ../shared/corpus/workflows finishes and reports exact positions', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'pin-lint', join(ROOT, '..', 'shared', 'corpus', 'workflows'), '--record-file', join(mkdtempSync(join(tmpdir(), 'cg-')), 'r.ndjson')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: ROOT });
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => /:\d+:\d+: (critical|high|medium|low|info) /.test(l));
    expect(lines.length).toBeGreaterThan(1000);
    expect(r.stdout).not.toMatch(/parse-error/);
    expect(r.stdout).toMatch(/pin-lint: FAIL \(unpinned, unpinnable\)/);
  });
});
