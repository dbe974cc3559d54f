// Reliability table: every fault must end in `error` (or `fail`), exit != 0, and exactly one valid record.
// Later gates extend this table in their own files (test/reliability/<gate>.test.ts).
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runDist, runnerFiles, type RunnerFiles } from '../helpers/runner.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../helpers/canary.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const GOOD = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.1\n`;

function put(f: RunnerFiles, p: string, content: string | Buffer) {
  mkdirSync(join(f.workspace, p, '..'), { recursive: true });
  writeFileSync(join(f.workspace, p), content);
}

interface Case {
  name: string;
  setup: (f: RunnerFiles) => Record<string, string>;
  outcome: 'error' | 'fail';
  reason: string;
}

const cases: Case[] = [
  { name: 'invalid YAML', setup: (f) => (put(f, '.github/workflows/a.yml', 'on: push\njobs: {\n'), {}), outcome: 'error', reason: 'parse-error' },
  { name: 'binary file', setup: (f) => (put(f, '.github/workflows/a.yml', Buffer.from([0x6f, 0x6e, 0x00, 0x01])), {}), outcome: 'error', reason: 'parse-error' },
  { name: 'non-UTF-8 file', setup: (f) => (put(f, '.github/workflows/a.yml', Buffer.from([0x6f, 0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0a])), {}), outcome: 'error', reason: 'parse-error' },
  { name: 'path that does not exist', setup: () => ({ paths: 'no/such/dir' }), outcome: 'error', reason: 'invalid-input' },
  {
    name: 'dangling symlink given as a path',
    setup: (f) => {
      symlinkSync(join(f.workspace, 'gone.yml'), join(f.workspace, 'link.yml'));
      return { paths: 'link.yml' };
    },
    outcome: 'error',
    reason: 'invalid-input',
  },
  { name: 'explicit directory with no YAML in it', setup: (f) => (mkdirSync(join(f.workspace, 'empty')), { paths: 'empty' }), outcome: 'error', reason: 'no-files' },
  { name: 'configuration file is invalid YAML', setup: (f) => (put(f, '.github/workflows/a.yml', GOOD), put(f, '.github/chaingate.yml', 'pin-lint: [\n'), {}), outcome: 'error', reason: 'config-error' },
  { name: 'configuration with an invalid policy pattern', setup: (f) => (put(f, '.github/workflows/a.yml', GOOD), put(f, '.github/chaingate.yml', 'pin-lint:\n  policy:\n    "act*/x": any\n'), {}), outcome: 'error', reason: 'config-error' },
  { name: 'configuration named but missing', setup: (f) => (put(f, '.github/workflows/a.yml', GOOD), { config: 'other.yml' }), outcome: 'error', reason: 'config-error' },
  { name: 'invalid fail-on', setup: (f) => (put(f, '.github/workflows/a.yml', GOOD), { 'fail-on': 'severe' }), outcome: 'error', reason: 'invalid-input' },
  { name: 'invalid record-mode', setup: (f) => (put(f, '.github/workflows/a.yml', GOOD), { 'record-mode': 'sometimes' }), outcome: 'error', reason: 'invalid-input' },
  { name: 'a tag ref', setup: (f) => (put(f, '.github/workflows/a.yml', GOOD.replace(`${SHA} # v4.1.1`, 'v4')), {}), outcome: 'fail', reason: 'unpinned' },
  { name: 'a GitHub API that is down (online mode)', setup: (f) => (put(f, '.github/workflows/a.yml', GOOD), { token: CANARY.inputToken, 'api-url': 'http://127.0.0.1:9' }), outcome: 'error', reason: 'api-error' },
];

describe('pin-lint reliability: faults never pass', () => {
  it.each(cases)('$name → $outcome ($reason)', ({ setup, outcome, reason }) => {
    const f = runnerFiles();
    const inputs = setup(f);
    const r = runDist('pin-lint', inputs, f);
    expect(r.exitCode).toBe(outcome === 'fail' ? 1 : 2);
    expect(r.outputs.outcome).toBe(outcome);
    expect(r.outputs.reasons.split(',')).toContain(reason);
    expect(r.records).toHaveLength(1);
    expect(r.records[0].outcome).toBe(outcome);
    expect(r.recordProblems).toEqual([]);
  });

  it('an unwritable record path is an error in strict mode (and the step says why)', () => {
    const f = runnerFiles();
    put(f, '.github/workflows/a.yml', GOOD);
    writeFileSync(join(f.dir, 'file'), '');
    const r = runDist('pin-lint', { 'record-file': join(f.dir, 'file', 'sub', 'r.ndjson') }, f);
    expect(r.exitCode).toBe(2);
    expect(r.outputs.reasons).toContain('record-write-failed');
    expect(r.stdout).toContain('cannot write pipeline_run record');
  });
});

describe('pin-lint: canary secrets never leave', () => {
  it('not in stdout, stderr, outputs, summary, records or SARIF — also when the API errors', () => {
    const f = runnerFiles();
    put(f, '.github/workflows/a.yml', GOOD.replace('# v4.1.1', `# v4.1.1 ${CANARY.plain}`).replace('steps:', `env:\n      T: ${CANARY.githubToken}\n    steps:`));
    const r = runDist('pin-lint', { token: CANARY.inputToken, 'api-url': `http://x-access-token:${CANARY.plain}@127.0.0.1:9/?token=${CANARY.runtimeToken}` }, f, canaryEnv());
    expect(r.exitCode).toBe(2);
    const all = collectText([r.stdout, r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp, f.workspace].filter((d) => d !== f.workspace));
    const leaked = leakedCanaries(all);
    expect(leaked, all.split("\n").filter((l) => leaked.some((v) => l.includes(v))).join("\n")).toEqual([]);
    expect(all).toContain('pin-lint');
  });
});
