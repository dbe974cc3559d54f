// Faults that must never pass: each ends in `error` (or `fail` where the evidence says non-compliant),
// a non-zero exit code, and exactly one schema-valid pipeline_run record. Run through dist/ as the runner does.
import { describe, expect, it, beforeAll } from 'vitest';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDist, runnerFiles, ROOT, type RunnerFiles } from '../helpers/runner.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../helpers/canary.js';

const FIX = join(ROOT, 'test/fixtures/bandit-gate');
const STAND_IN = join(FIX, 'stand-in', 'bandit');
const bin = mkdtempSync(join(tmpdir(), 'cg-bandit-standin-'));

/** The stand-in under the name that selects its fault. */
function standIn(mode: string): string {
  const p = join(bin, `bandit--${mode}`);
  if (!existsSync(p)) symlinkSync(STAND_IN, p);
  return p;
}

function project(name = 'high'): RunnerFiles {
  const f = runnerFiles();
  cpSync(join(FIX, 'projects', name), f.workspace, { recursive: true });
  return f;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/bandit-gate.js'))) throw new Error('dist/bandit-gate.js missing: run npm run build');
  chmodSync(STAND_IN, 0o755);
});

type Case = [name: string, setup: () => { f: RunnerFiles; inputs: Record<string, string> }, outcome: 'error' | 'fail', reason: string | RegExp];

const withStandIn = (mode: string, extra: Record<string, string> = {}) => () => ({ f: project(), inputs: { 'bandit-path': standIn(mode), ...extra } });
const withReport = (file: string, extra: Record<string, string> = {}) => () => {
  const f = runnerFiles();
  cpSync(join(FIX, 'reports'), join(f.workspace, 'reports'), { recursive: true });
  return { f, inputs: { report: `reports/${file}`, ...extra } };
};

const CASES: Case[] = [
  ['bandit not installed', withStandIn('x', { 'bandit-path': '/nonexistent/bin/bandit' }), 'error', 'bandit-missing'],
  ['bandit not executable', () => {
    const f = project();
    const p = join(f.dir, 'bandit');
    writeFileSync(p, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    return { f, inputs: { 'bandit-path': p } };
  }, 'error', 'bandit-missing'],
  ['bandit --version crashes', withStandIn('version-fail'), 'error', 'bandit-failed'],
  ['bandit --version hangs', withStandIn('hang-version', { timeout: '2s' }), 'error', 'bandit-timeout'],
  ['bandit hangs', withStandIn('hang', { timeout: '2s' }), 'error', 'bandit-timeout'],
  ['bandit hangs in a child holding the report path', withStandIn('hang-child', { timeout: '2s' }), 'error', 'bandit-timeout'],
  ['bandit exits 2 (usage/config error)', withStandIn('exit2'), 'error', 'bandit-failed'],
  ['bandit exits with an unexpected code', withStandIn('exit3'), 'error', 'bandit-failed'],
  ['bandit killed by a signal', withStandIn('segv'), 'error', 'bandit-failed'],
  ['truncated JSON report', withStandIn('truncated'), 'error', 'report-invalid'],
  ['no report written', withStandIn('no-report'), 'error', 'report-invalid'],
  ['empty report file', withStandIn('empty-report'), 'error', 'report-invalid'],
  ['JSON on stdout, no -o file', withStandIn('stdout-json'), 'error', 'report-invalid'],
  ['exit 1 but no results', withStandIn('exit1-noresults'), 'error', 'report-invalid'],
  ['report of an unexpected shape', withStandIn('wrong-shape'), 'error', 'report-invalid'],
  ['errors[] entries (files not scanned)', withStandIn('errors'), 'error', 'scan-errors'],
  ['zero lines scanned while targets hold Python', withStandIn('zero-loc'), 'error', 'nothing-scanned'],
  ['the stand-in finds a HIGH issue (evidence of non-compliance)', withStandIn('ok'), 'fail', 'budget-exceeded'],
  ['given report missing', withReport('nope.json'), 'error', 'report-invalid'],
  ['given report truncated', withReport('truncated.json'), 'error', 'report-invalid'],
  ['given report is not Bandit JSON', withReport('not-bandit.json'), 'error', 'report-invalid'],
  ['given report glob matches nothing', withReport('*.bandit.json'), 'error', 'report-invalid'],
  ['given report scanned nothing', withReport('empty-scan.json'), 'error', 'nothing-scanned'],
  ['given report has no metrics (findings within budget)', withReport('bandit-no-metrics.json', { 'max-high': '9' }), 'error', 'report-invalid'],
  ['given report has no metrics (findings over budget)', withReport('bandit-no-metrics.json'), 'error', 'report-invalid'],
  ['given report: appended runs, the last one cut off', withReport('bandit-appended-truncated.json', { 'max-high': '9' }), 'error', 'report-invalid'],
  ['given report holds only Bandit log lines', () => {
    const f = runnerFiles();
    writeFileSync(join(f.workspace, 'bandit.json'), '[main]\tINFO\tprofile include tests: None\n[main]\tERROR\tpyproject.toml : Error parsing file.\n');
    return { f, inputs: { report: 'bandit.json' } };
  }, 'error', 'report-invalid'],
  ['given report: JSON followed by log lines', () => {
    const f = runnerFiles();
    writeFileSync(join(f.workspace, 'bandit.json'), '{"errors": [], "metrics": {"_totals": {"loc": 3}}, "results": []}\n[main]\tERROR\tcrashed\n');
    return { f, inputs: { report: 'bandit.json' } };
  }, 'error', 'report-invalid'],
  ['given report filtered (-iii / --severity-level / -b): metrics count a HIGH finding results[] omits', () => {
    const f = runnerFiles();
    const t: Record<string, number> = { loc: 3, nosec: 0 };
    for (const l of ['HIGH', 'MEDIUM', 'LOW', 'UNDEFINED']) t[`SEVERITY.${l}`] = t[`CONFIDENCE.${l}`] = 0;
    t['SEVERITY.HIGH'] = 1;
    t['CONFIDENCE.MEDIUM'] = 1;
    writeFileSync(join(f.workspace, 'bandit.json'), JSON.stringify({ errors: [], metrics: { _totals: t }, results: [] }));
    return { f, inputs: { report: 'bandit.json' } };
  }, 'error', 'report-incomplete'],
  ['given report is SARIF (bandit-sarif-formatter)', () => {
    const f = runnerFiles();
    writeFileSync(join(f.workspace, 'bandit.sarif'), JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ tool: { driver: { name: 'Bandit' } }, results: [] }] }));
    return { f, inputs: { report: 'bandit.sarif' } };
  }, 'error', 'report-invalid'],
  ['baseline truncated', withReport('bandit-1.8.json', { baseline: 'reports/truncated.json', 'max-high': '9' }), 'error', 'baseline-invalid'],
  ['empty target', () => ({ f: project('empty'), inputs: {} }), 'error', 'no-files'],
  ['target does not exist', () => ({ f: project(), inputs: { targets: 'src' } }), 'error', 'invalid-input'],
  ['malformed config entry', () => {
    const f = project();
    mkdirSync(join(f.workspace, '.github'), { recursive: true });
    writeFileSync(join(f.workspace, '.github/chaingate.yml'), 'bandit-gate:\n  suppressions:\n    - file: pkg/run.py\n      test_id: B602\n');
    return { f, inputs: {} };
  }, 'error', 'config-error'],
  ['invalid config YAML', () => {
    const f = project();
    mkdirSync(join(f.workspace, '.github'), { recursive: true });
    writeFileSync(join(f.workspace, '.github/chaingate.yml'), 'bandit-gate: [\n');
    return { f, inputs: {} };
  }, 'error', 'config-error'],
  ['unwritable record path (strict)', () => {
    const f = project('lowmed');
    writeFileSync(join(f.dir, 'not-a-dir'), 'x');
    return { f, inputs: { 'record-file': join(f.dir, 'not-a-dir', 'r.ndjson'), 'max-medium': '5' } };
  }, 'error', 'record-write-failed'],
];

describe('bandit-gate reliability', () => {
  it.each(CASES)('%s', (_name, setup, outcome, reason) => {
    const { f, inputs } = setup();
    const started = Date.now();
    const r = runDist('bandit-gate', inputs, f);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.outputs.outcome, r.stdout + r.stderr).toBe(outcome);
    expect(r.exitCode).toBe(outcome === 'fail' ? 1 : 2);
    expect(r.outputs.reasons.split(',')).toContain(reason);
    const recordPath = inputs['record-file'] ? undefined : f.records;
    if (recordPath) {
      expect(r.records).toHaveLength(1);
      expect(r.recordProblems).toEqual([]);
      expect(r.records[0].outcome).toBe(outcome);
    }
    // nothing of Bandit's process group survives, and no raw report is left behind
    const temp = join(f.runnerTemp, 'chaingate');
    if (existsSync(temp)) expect(readdirSync(temp).filter((n) => n.startsWith('bandit-') && n.endsWith('.json'))).toEqual([]);
  });

  it('a hung Bandit is killed with its whole process group', async () => {
    const f = project();
    runDist('bandit-gate', { 'bandit-path': standIn('hang-child'), timeout: '1s' }, f);
    await new Promise((r) => setTimeout(r, 400));
    const ps = (await import('node:child_process')).spawnSync('bash', ['-c', `ps -eo pid,args | grep -F '${bin}' | grep -v grep || true`], { encoding: 'utf8' });
    expect(ps.stdout.trim()).toBe('');
  });
});

describe('bandit-gate canaries', () => {
  it('secrets in env, in inputs and in the scanned source never reach output, summary, SARIF or record', () => {
    const f = project('high');
    // source code that holds secrets: Bandit quotes them in its report (B105 "Possible hardcoded password: '…'")
    writeFileSync(
      join(f.workspace, 'pkg/settings.py'),
      `password = "${CANARY.githubToken}"\napi_secret = "${CANARY.plain}"\ntoken = "${CANARY.aws}"\n`,
    );
    const r = runDist('bandit-gate', { 'max-high': '5' }, f, canaryEnv());
    expect(['pass', 'fail']).toContain(r.outputs.outcome);
    expect(r.records).toHaveLength(1);
    const text = collectText([r.stdout, r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp]);
    expect(text).toContain('hardcoded'); // the B105 findings are reported…
    expect(leakedCanaries(text)).toEqual([]); // …without the secrets
  });

  it('canaries in env do not reach a hung or failing Bandit run', () => {
    for (const mode of ['exit2', 'hang']) {
      const f = project();
      const r = runDist('bandit-gate', { 'bandit-path': standIn(mode), timeout: '1s' }, f, canaryEnv());
      expect(r.outputs.outcome).toBe('error');
      expect(leakedCanaries(collectText([r.stdout, r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp]))).toEqual([]);
    }
  });
});
