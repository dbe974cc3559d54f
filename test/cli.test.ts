import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main, parseArgs } from '../src/cli.js';
import type { InputSpec } from '../src/core/types.js';
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
      { name: 'paths', description: '', positional: true, multiple: true },
      { name: 'artifact', description: 'Artifacts, one per line.', multiple: true },
      { name: 'fix', description: '', flag: true },
    ];
    expect(parseArgs(['a', '--artifact', 'x', '--artifact=y', '--fix', '--', '--weird'], specs).raw).toEqual({ paths: 'a\n--weird', artifact: 'x\ny', fix: 'true' });
  });

  it('repetition follows the explicit `multiple` flag, not the description; a single-value positional takes one argument', async () => {
    const specs = [
      { name: 'bundle', description: 'One per line, says the text, but the flag is what counts.', positional: true },
      { name: 'tag', description: 'A tag.', multiple: true },
    ];
    expect(() => parseArgs(['a', 'b'], specs)).toThrow('bundle takes one value, got 2 ("a", "b")');
    expect(parseArgs(['a', '--tag', 'x', '--tag', 'y'], specs).raw).toEqual({ bundle: 'a', tag: 'x\ny' });
    const r = io('/');
    expect(await main(['evidence-verify', 'one.zip', 'two.zip'], r.io)).toBe(2);
    expect(r.err.join()).toMatch(/bundle takes one value, got 2/);
    const b = io('/');
    expect(await main(['bandit-gate', '--max-high', '1', '--max-high', '2'], b.io)).toBe(2);
    expect(b.err.join()).toContain('--max-high given more than once');
  });

  it('every input whose description says it takes a list is declared `multiple`, and every `multiple` input says so', async () => {
    const { GATES, COMMANDS } = await import('../src/gates/index.js');
    const { COMMON_INPUTS } = await import('../src/core/gate.js');
    const { RECORD_INPUTS } = await import('../src/commands/record.js');
    const SAYS_LIST = /one per line|repeatable|comma[- ]or[- ]newline|comma-separated|newline-separated|comma or newline separated/i;
    const all: Array<[string, InputSpec]> = [...COMMON_INPUTS.map((s) => ['common', s] as [string, InputSpec]), ...RECORD_INPUTS.map((s) => ['record', s] as [string, InputSpec])];
    for (const g of GATES) for (const s of (await g.load()).inputs) all.push([g.id, s]);
    expect(COMMANDS.length).toBeGreaterThan(0);
    const drift = all.filter(([, s]) => SAYS_LIST.test(s.description) !== (s.multiple === true)).map(([g, s]) => `${g}.${s.name}`);
    expect(drift).toEqual([]);
    // and the list inputs the gates split are among them (a sample that must never lose the flag)
    const many = all.filter(([, s]) => s.multiple).map(([g, s]) => `${g}.${s.name}`);
    expect(many).toEqual(expect.arrayContaining(['pin-lint.paths', 'bandit-gate.report', 'bandit-gate.skips', 'verify-slsa.image', 'evidence-verify.required-gates', 'record.detail']));
    expect(many).not.toContain('evidence-verify.bundle');
  });

  it.runIf(existsSync(join(ROOT, '..', 'shared', 'corpus', 'workflows')))('npx chaingate pin-lint ../shared/corpus/workflows finishes and reports exact positions', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'pin-lint', join(ROOT, '..', 'shared', 'corpus', 'workflows'), '--record-file', join(mkdtempSync(join(tmpdir(), 'cg-')), 'r.ndjson')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: ROOT });
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => /:\d+:\d+: (critical|high|medium|low|info) /.test(l));
    expect(lines.length).toBeGreaterThan(1000);
    expect(r.stdout).not.toMatch(/parse-error/);
    expect(r.stdout).toMatch(/pin-lint: FAIL \(unpinned, unpinnable\)/);
  });

  // ---- first-user pass (qa): each of these failed before the fix next to it ----

  it('check: a usage error is reported once, as check, before any gate runs', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD });
    for (const argv of [['check', '--bogus'], ['check', '--token', 'x'], ['check', '--format', 'xml']]) {
      const r = io(dir);
      expect(await main(argv, r.io)).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^chaingate check: /);
      expect(r.err[0]).toContain('chaingate check --help');
      expect(existsSync(join(dir, 'rec.ndjson')), 'no gate ran').toBe(false);
    }
  });

  it('check --help lists every option it takes, with defaults', async () => {
    const r = io('/');
    expect(await main(['check', '--help'], r.io)).toBe(0);
    const h = r.out.join('\n');
    for (const o of ['[paths…]', '--fail-on <value>', '--config', '--record-file', '--record-mode', '--sarif-file', '--format <text|json|sarif|github>']) expect(h).toContain(o);
    expect(h).toContain('(default: medium)');
  });

  it('check --format json and sarif print ONE parseable document for all gates', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD });
    const j = io(dir);
    expect(await main(['check', '--format', 'json'], j.io)).toBe(1);
    const doc = JSON.parse(j.out.join('\n'));
    expect(doc.outcome).toBe('fail');
    expect(doc.gates.map((g: { gate: string }) => g.gate)).toEqual(['pin-lint', 'prt-guard', 'gate-integrity']);
    const s = io(dir);
    expect(await main(['check', '--format=sarif'], s.io)).toBe(1);
    const sarif = JSON.parse(s.out.join('\n'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(3);
    expect(sarif.runs[0].results[0].ruleId).toBe('unpinned-action');
  });

  it('check --sarif-file keeps every gate (one log, one run per gate), and an unwritable path fails before any gate runs', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD });
    const r = io(dir);
    expect(await main(['check', '--sarif-file', 'out/all.sarif'], r.io)).toBe(1);
    const { readFileSync } = await import('node:fs');
    const sarif = JSON.parse(readFileSync(join(dir, 'out/all.sarif'), 'utf8'));
    expect(sarif.runs.map((x: { tool: { driver: { name: string } } }) => x.tool.driver.name)).toEqual(['chaingate pin-lint', 'chaingate prt-guard', 'chaingate gate-integrity']);
    expect(sarif.runs[0].results).toHaveLength(1);
    const bad = io(dir);
    expect(await main(['check', '--sarif-file', '.github'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toContain('cannot write SARIF to .github: is a directory, not a file');
  });

  it('an option where a value belongs is a usage error, not the value', async () => {
    const specs = [{ name: 'gate', description: '' }, { name: 'outcome', description: '' }];
    expect(() => parseArgs(['--gate', '--outcome', 'pass'], specs)).toThrow('--gate needs a value (got the option --outcome');
    expect(parseArgs(['--gate=--odd', '--outcome', '-1'], specs).raw).toMatchObject({ gate: '--odd', outcome: '-1' });
    const r = io('/');
    expect(await main(['record', '--gate', '--outcome', 'pass'], r.io)).toBe(2);
    expect(r.err.join()).toContain('--gate needs a value');
    const f = io('/');
    expect(await main(['pin-lint', '--format'], f.io)).toBe(2);
    expect(f.err.join()).toContain('--format needs a value');
  });

  it.each([
    [['evidence-bundle'], 'missing required --subject-digest'],
    [['evidence-verify', '--certificate-identity', 'x'], 'missing required <bundle> (as an argument)'],
    [['verify-slsa', 'a.bin', '--provenance', 'p.json'], 'missing required --source-uri'],
  ])('%j without a required input is a usage error (exit 2) that names it', async (argv, msg) => {
    const dir = repo({});
    const r = io(dir);
    expect(await main(argv, r.io)).toBe(2);
    expect(r.err.join('\n')).toContain(msg);
    expect(r.err.join('\n')).toContain('--help');
  });

  it('a record that cannot be written is said once, in plain words', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD, 'adir/x': '' });
    const r = io(dir);
    expect(await main(['pin-lint', '--record-file', 'adir'], r.io)).toBe(2);
    const all = [...r.out, ...r.err].join('\n');
    expect(all.match(/cannot write pipeline_run record/g)).toHaveLength(1);
    expect(all).toContain('is a directory, not a file (EISDIR)');
    expect(all).not.toContain('illegal operation');
  });

  it('a --sarif-file that cannot be written is the user\'s input (invalid-input), not an internal error', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD, 'adir/x': '' });
    const r = io(dir);
    expect(await main(['pin-lint', '--sarif-file', 'adir', '--format', 'json'], r.io)).toBe(2);
    const doc = JSON.parse(r.out.join('\n'));
    expect(doc.reasons).toContain('invalid-input');
    expect(doc.reasons).not.toContain('internal-error');
    expect(doc.messages.join()).toContain('cannot write SARIF to adir: is a directory, not a file');
  });

  it('config errors: a directory given as --config and a wrong version say what to do', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD });
    const d = io(dir);
    expect(await main(['pin-lint', '--config', '.github'], d.io)).toBe(2);
    expect(d.out.join('\n')).toContain('.github: cannot read configuration: is a directory, not a file (EISDIR); give the path of the file');
    const v = repo({ '.github/workflows/ci.yml': BAD, '.github/chaingate.yml': 'version: 2\n' });
    const r = io(v);
    expect(await main(['pin-lint'], r.io)).toBe(2);
    expect(r.out.join('\n')).toContain('.github/chaingate.yml:1:10: version: must be 1');
  });

  it.each([
    ['verify-cosign --trusted-root <dir>', ['verify-cosign', '--bundle', 'b.json', '--artifact', 'a.bin', '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y', '--trusted-root', 'adir']],
    ['verify-cosign --bundle <dir>', ['verify-cosign', '--bundle', 'adir', '--artifact', 'a.bin', '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y']],
    ['verify-cosign --bundle <missing>', ['verify-cosign', '--bundle', 'nope.json', '--artifact', 'a.bin', '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y']],
    ['verify-slsa --provenance <dir>', ['verify-slsa', 'a.bin', '--provenance', 'adir', '--source-uri', 'github.com/o/r']],
    ['bandit-gate --report <missing>', ['bandit-gate', '--report', 'nope.json']],
    ['evidence-verify <missing>', ['evidence-verify', 'nope.zip', '--certificate-identity', 'x']],
  ])('%s: a file-system error in plain words, exit 2', async (_name, argv) => {
    const dir = repo({ 'a.bin': 'x', 'b.json': '{}', 'adir/x': '' });
    const r = io(dir);
    expect(await main(argv, r.io)).toBe(2);
    const text = [...r.out, ...r.err].join('\n');
    expect(text).toMatch(/(no such file or directory \(ENOENT\)|is a directory, not a file \(EISDIR\)|not a file)/);
    expect(text).not.toMatch(/illegal operation|: E[A-Z]+$|: E[A-Z]+\n/m);
  });

  it('fsErrorText names the common errno codes in words', async () => {
    const { fsErrorText } = await import('../src/core/files.js');
    expect(fsErrorText(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('no such file or directory (ENOENT)');
    expect(fsErrorText(Object.assign(new Error('x'), { code: 'EISDIR' }))).toBe('is a directory, not a file (EISDIR)');
    expect(fsErrorText(Object.assign(new Error('odd'), { code: 'EWHATEVER' }))).toBe('EWHATEVER');
    expect(fsErrorText(new Error('plain'))).toBe('plain');
  });

  it('a single-valued option given twice is a usage error; list options still repeat', async () => {
    const specs = [
      { name: 'fail-on', description: 'Lowest severity that fails the gate.' },
      { name: 'image', description: 'Container images, one per line.', multiple: true },
      { name: 'fix', description: '', flag: true },
    ];
    expect(() => parseArgs(['--fail-on', 'high', '--fail-on=low'], specs)).toThrow('--fail-on given more than once ("high", then "low"): it takes one value');
    expect(parseArgs(['--image', 'a', '--image', 'b', '--fix'], specs).raw).toMatchObject({ image: 'a\nb', fix: 'true' });
    // a switch given twice was joined to "true\ntrue": an invalid-input error with a record instead of a usage error
    expect(() => parseArgs(['--fix', '--fix'], specs)).toThrow('--fix given more than once');
    expect(() => parseArgs(['--fix=false', '--fix'], specs)).toThrow('--fix given more than once');
    const f = io(repo({ '.github/workflows/a.yml': BAD }));
    expect(await main(['pin-lint', '--fix', '--fix'], f.io)).toBe(2);
    expect(f.err.join()).toContain('--fix given more than once');
    expect(existsSync(join(f.io.cwd, 'rec.ndjson'))).toBe(false);
    const r = io('/');
    expect(await main(['pin-lint', '--fail-on', 'high', '--fail-on', 'low'], r.io)).toBe(2);
    expect(r.err.join()).toContain('--fail-on given more than once');
    const rec = io(repo({}));
    expect(await main(['record', '--gate', 'dr-drill', '--outcome', 'pass', '--detail', 'a=1', '--detail', 'b=2', '--reason', 'ok', '--reason', 'drill'], rec.io)).toBe(0);
  });

  it('a mistyped option names the closest one (bandit\'s own --exclude / --skip, --path)', async () => {
    const b = io('/');
    expect(await main(['bandit-gate', '--exclude', 'tests'], b.io)).toBe(2);
    expect(b.err.join()).toContain('unknown option --exclude (did you mean --excludes?)');
    const s = io('/');
    expect(await main(['bandit-gate', '--skip', 'B101'], s.io)).toBe(2);
    expect(s.err.join()).toContain('(did you mean --skips?)');
    const p = io('/');
    expect(await main(['pin-lint', '--fail-onn', 'high'], p.io)).toBe(2);
    expect(p.err.join()).toContain('(did you mean --fail-on?)');
    const n = io('/');
    expect(await main(['pin-lint', '--zzz'], n.io)).toBe(2);
    expect(n.err.join()).toMatch(/unknown option --zzz\n/);
  });

  it('--help shows a single required positional as <name> and a list as [name…]', async () => {
    const v = io('/');
    expect(await main(['evidence-verify', '--help'], v.io)).toBe(0);
    expect(v.out.join('\n')).toMatch(/Usage: chaingate evidence-verify \[options\] <bundle>\n/);
    const p = io('/');
    expect(await main(['pin-lint', '--help'], p.io)).toBe(0);
    expect(p.out.join('\n')).toMatch(/Usage: chaingate pin-lint \[options\] \[paths…\]\n/);
  });

  it('no command: the help goes to stderr (a usage error, exit 2), not stdout', async () => {
    const r = io('/');
    expect(await main([], r.io)).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err.join()).toContain('Usage: chaingate <command>');
  });

  it('as docs/pin-lint.md says: nothing in the workspace is skip (exit 0, said); named paths without YAML are error', async () => {
    const empty = repo({ 'README.md': 'x' });
    const s = io(empty);
    expect(await main(['pin-lint'], s.io)).toBe(0);
    expect(s.out.join('\n')).toContain('pin-lint: SKIP (no-files)');
    const e = io(repo({ 'src/a.txt': 'x' }));
    expect(await main(['pin-lint', 'src'], e.io)).toBe(2);
    expect(e.out.join('\n')).toContain('pin-lint: ERROR (no-files)');
    const m = io(empty);
    expect(await main(['pin-lint', 'no such dir'], m.io)).toBe(2);
    expect(m.out.join('\n')).toContain('no such dir: no such file or directory');
  });

  it('a records: section in the configuration is not silently ignored: the gate warns that it is not read', async () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD, '.github/chaingate.yml': 'version: 1\nrecords:\n  mode: best-effort\n' });
    const r = io(dir);
    expect(await main(['pin-lint'], r.io)).toBe(1);
    expect(r.err.join('\n')).toContain('warning: .github/chaingate.yml: records.mode is not read');
    const plain = io(repo({ '.github/workflows/ci.yml': BAD, '.github/chaingate.yml': 'version: 1\n' }));
    await main(['pin-lint'], plain.io);
    expect(plain.err.join('\n')).not.toContain('is not read');
  });

  it('verify-slsa: bad JSON in the provenance names file:line once (no "p.jsonl:2: line 2:")', async () => {
    const dir = repo({ 'a.bin': 'x', 'p.jsonl': '\n{oops\n' });
    const r = io(dir);
    expect(await main(['verify-slsa', 'a.bin', '--provenance', 'p.jsonl', '--source-uri', 'github.com/o/r'], r.io)).toBe(2);
    const text = r.out.join('\n');
    expect(text).toMatch(/p\.jsonl:2: invalid JSON: /);
    expect(text).not.toMatch(/line 2: invalid JSON/);
  });

  it('bandit-gate: a bad max-high does not suggest "none", which max-high refuses; max-medium still offers it', async () => {
    const dir = repo({ 'r.json': '{}' });
    const h = io(dir);
    expect(await main(['bandit-gate', '--report', 'r.json', '--max-high', 'lots'], h.io)).toBe(2);
    expect(h.out.join('\n')).toContain('max-high: "lots" is not a whole number ≥ 0');
    expect(h.out.join('\n')).not.toContain('none');
    const m = io(dir);
    expect(await main(['bandit-gate', '--report', 'r.json', '--max-medium', 'lots'], m.io)).toBe(2);
    expect(m.out.join('\n')).toContain('(or "none" for no limit)');
  });

  // Node's mkdirSync(recursive) spins forever when mkdir answers ENOENT under an existing parent (/proc): run
  // the built CLI in a child with a time limit, since a hang in-process would block the test worker itself
  it.runIf(existsSync('/proc/self') && existsSync(join(ROOT, 'dist', 'cli.js')))('a record or SARIF path under /proc is an error at once, not a hang', () => {
    const dir = repo({ '.github/workflows/ci.yml': BAD });
    const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, CHAINGATE_RECORDS: join(dir, 'r.ndjson') } });
    const rec = run(['record', '--gate', 'dr-drill', '--outcome', 'pass', '--record-file', '/proc/nope/x.ndjson']);
    expect(rec.signal, 'killed by the time limit: it hung').toBeNull();
    expect(rec.status).toBe(2);
    expect(rec.stderr).toContain('no such file or directory (ENOENT)');
    const gate = run(['pin-lint', '--record-file', '/proc/nope/x.ndjson', '--sarif-file', '/proc/nope/x.sarif']);
    expect(gate.signal).toBeNull();
    expect(gate.status).toBe(2);
    expect(gate.stdout).toContain('cannot write SARIF to /proc/nope/x.sarif');
    expect(run(['record', '--gate', 'dr-drill', '--outcome', 'pass', '--subject-digest', `sha256:${'a'.repeat(64)}`, '--record-file', 'r.ndjson']).status).toBe(0);
    const bundle = run(['evidence-bundle', '--subject-digest', `sha256:${'a'.repeat(64)}`, '--sign', 'false', '--records', 'r.ndjson', '--output-dir', '/proc/nope/out']);
    expect(bundle.signal).toBeNull();
    expect(bundle.status).toBe(2);
  });
});

describe('a warning is said once on the terminal', () => {
  // bandit-gate logs its notes as warnings AND lists them in its result; the CLI printed both (stderr
  // "warning: X", then X again in the text report on stdout)
  it('bandit-gate: the empty-target note appears once across stdout and stderr', async () => {
    const dir = repo({ 'a.py': 'import os\n', 'sh/x.sh': 'echo hi\n' });
    const h = io(dir);
    const code = await main(['bandit-gate', '.', 'sh', '--timeout', '600'], { ...h.io, env: { ...h.io.env, PATH: process.env.PATH ?? '' } });
    expect(code).toBe(0);
    const all = [...h.out, ...h.err].join('\n');
    const hits = all.split('hold no Python code').length - 1;
    expect(hits).toBe(1);
    expect(h.err.join('\n')).toContain('warning: target(s) sh hold no Python code');
  });

  it('--format json still carries every message in the document', async () => {
    const dir = repo({ 'a.py': 'import os\n', 'sh/x.sh': 'echo hi\n' });
    const h = io(dir);
    await main(['bandit-gate', '.', 'sh', '--format', 'json'], { ...h.io, env: { ...h.io.env, PATH: process.env.PATH ?? '' } });
    expect(JSON.parse(h.out.join('\n')).messages.join('\n')).toContain('hold no Python code');
  });
});
