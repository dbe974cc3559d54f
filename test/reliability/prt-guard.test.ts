// Faults for prt-guard and gate-integrity: each ends in error (or fail), never pass, with one valid record.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDist, runnerFiles, ROOT, workspaceWith } from '../helpers/runner.js';
import { canaryEnv, CANARY, collectText, leakedCanaries } from '../helpers/canary.js';

const ws = workspaceWith;
const WF = '.github/workflows/w.yml';
const OK_WF = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo hi\n';

beforeAll(() => {
  for (const g of ['prt-guard', 'gate-integrity']) if (!existsSync(join(ROOT, `dist/${g}.js`))) throw new Error(`dist/${g}.js missing: run npm run build`);
});

type Fault = [string, 'prt-guard' | 'gate-integrity', Record<string, string | Buffer>, Record<string, string>, Record<string, string>, 'error' | 'fail', string];
const faults: Fault[] = [
  ['malformed YAML', 'prt-guard', { [WF]: 'on: push\njobs: [\n' }, {}, {}, 'error', 'parse-error'],
  ['malformed YAML', 'gate-integrity', { [WF]: 'on: push\njobs: [\n' }, {}, {}, 'error', 'parse-error'],
  ['binary workflow file', 'prt-guard', { [WF]: Buffer.from([0, 1, 2, 3]) }, {}, {}, 'error', 'parse-error'],
  ['workflow without jobs', 'gate-integrity', { [WF]: 'on: push\nname: x\n' }, {}, {}, 'error', 'parse-error'],
  ['missing path', 'prt-guard', {}, { paths: 'nope/' }, {}, 'error', 'invalid-input'],
  ['bad fail-on', 'gate-integrity', { [WF]: OK_WF }, { 'fail-on': 'severe' }, {}, 'error', 'invalid-input'],
  ['bad mode', 'prt-guard', { [WF]: OK_WF }, { mode: 'dynamic' }, {}, 'error', 'invalid-input'],
  ['approval without justification', 'prt-guard', { [WF]: OK_WF, '.github/chaingate.yml': 'prt-guard:\n  approved:\n    - workflow: w.yml\n      expires: 2999-01-01\n' }, {}, {}, 'error', 'config-error'],
  ['approval without expiry', 'prt-guard', { [WF]: OK_WF, '.github/chaingate.yml': 'prt-guard:\n  approved:\n    - workflow: w.yml\n      justification: x\n' }, {}, {}, 'error', 'config-error'],
  ['allowlist entry with a bad date', 'gate-integrity', { [WF]: OK_WF, '.github/chaingate.yml': 'gate-integrity:\n  allow:\n    - workflow: w.yml\n      justification: x\n      expires: next-year\n' }, {}, {}, 'error', 'config-error'],
  ['expired approval', 'prt-guard', { [WF]: OK_WF, '.github/chaingate.yml': 'prt-guard:\n  approved:\n    - workflow: w.yml\n      justification: x\n      expires: 2020-01-01\n' }, {}, {}, 'fail', 'approval-expired'],
  ['runtime: event payload missing', 'prt-guard', { [WF]: OK_WF }, { mode: 'runtime' }, { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: '/nonexistent/event.json', GITHUB_WORKFLOW_REF: 'acme/widget/.github/workflows/w.yml@refs/heads/main' }, 'error', 'event-unavailable'],
  ['runtime: event path unset', 'prt-guard', { [WF]: OK_WF }, { mode: 'runtime' }, { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_WORKFLOW_REF: 'acme/widget/.github/workflows/w.yml@refs/heads/main' }, 'error', 'event-unavailable'],
  ['runtime: event payload not JSON', 'prt-guard', { [WF]: OK_WF, 'ev.json': '{not json' }, { mode: 'runtime' }, { GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: 'EV', GITHUB_WORKFLOW_REF: 'acme/widget/.github/workflows/w.yml@refs/heads/main' }, 'error', 'event-unavailable'],
  ['runtime: no workflow ref', 'prt-guard', { [WF]: OK_WF, 'ev.json': '{}' }, { mode: 'runtime' }, { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: 'EV' }, 'error', 'event-unavailable'],
  ['runtime: event name unset', 'prt-guard', { [WF]: OK_WF, 'ev.json': '{}' }, { mode: 'runtime' }, { GITHUB_EVENT_NAME: '', GITHUB_EVENT_PATH: 'EV' }, 'error', 'event-unavailable'],
  ['unwritable record path', 'gate-integrity', { [WF]: OK_WF, 'not-a-dir': 'x' }, { 'record-file': 'not-a-dir/records.ndjson' }, {}, 'error', 'record-write-failed'],
];

describe('reliability', () => {
  it.each(faults)('%s (%s) → %s', (_name, gate, files, inputs, env, outcome, reason) => {
    const f = ws(files);
    const e = { ...env };
    if (e.GITHUB_EVENT_PATH === 'EV') e.GITHUB_EVENT_PATH = join(f.workspace, 'ev.json');
    const recordPath = inputs['record-file'] ? undefined : f.records;
    const r = runDist(gate, inputs, f, e);
    expect(r.exitCode).not.toBe(0);
    expect(r.outputs.outcome).toBe(outcome);
    expect(r.outputs.reasons.split(',')).toContain(reason);
    if (recordPath) {
      expect(r.records).toHaveLength(1);
      expect(r.recordProblems).toEqual([]);
      expect(r.records[0].outcome).toBe(outcome);
    }
  });

  it.each(['prt-guard', 'gate-integrity'])('%s never leaks a canary', (gate) => {
    const f = ws({ [WF]: `on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    env:\n      T: ${CANARY.plain}\n    steps:\n      - run: echo \${{ github.event.pull_request.title }} && bandit -r . || true\n` });
    const r = runDist(gate, {}, f, canaryEnv());
    expect(r.exitCode).toBe(1);
    expect(leakedCanaries(collectText([r.stdout, r.stderr, JSON.stringify(r.outputs), r.summary], [f.runnerTemp]))).toEqual([]);
  });
});
