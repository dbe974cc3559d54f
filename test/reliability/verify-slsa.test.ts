// Faults of every kind must end in `error` (or `fail` where the evidence says non-compliant): never a pass,
// exit code != 0, and exactly one schema-valid pipeline_run record.
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runDist } from '../helpers/runner.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../helpers/canary.js';
import { legacyWorkspace, type SlsaWorkspace } from '../gates/verify-slsa/workspace.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/verify-slsa.js'))) throw new Error('dist/verify-slsa.js missing: run npm run build');
});

type Setup = { ws?: Parameters<typeof legacyWorkspace>[0]; inputs?: (w: SlsaWorkspace) => Record<string, string>; prepare?: (w: SlsaWorkspace) => void };

const base = (w: SlsaWorkspace): Record<string, string> => ({
  artifact: w.artifact,
  provenance: w.provenance,
  'source-uri': 'github.com/acme/widget',
  'source-tag': 'v1.2.3',
  mode: 'slsa-verifier',
  'slsa-verifier-path': w.verifier,
  timeout: '20s',
});

const CASES: Array<[string, Setup, 'error' | 'fail', string]> = [
  ['provenance file missing', { inputs: (w) => ({ ...base(w), provenance: 'nope.intoto.jsonl' }) }, 'error', 'provenance-unreadable'],
  ['provenance not JSON', { ws: { provenanceText: '{oops\n' } }, 'error', 'provenance-invalid'],
  ['provenance empty', { ws: { provenanceText: '\n\n' } }, 'error', 'provenance-invalid'],
  ['provenance of another kind (no envelope)', { ws: { provenanceText: '{"hello":"world"}' } }, 'error', 'provenance-invalid'],
  ['artifact missing', { inputs: (w) => ({ ...base(w), artifact: 'dist/missing' }) }, 'error', 'artifact-unreadable'],
  ['artifact is a directory', { inputs: (w) => ({ ...base(w), artifact: 'dist' }) }, 'error', 'artifact-unreadable'],
  ['slsa-verifier hangs (killed at the timeout)', { ws: { mode: 'hang' }, inputs: (w) => ({ ...base(w), timeout: '1s' }) }, 'error', 'tool-timeout'],
  ['slsa-verifier crashes (signal)', { ws: { mode: 'crash' } }, 'error', 'tool-error'],
  ['slsa-verifier exits with an unexpected code', { ws: { mode: 'exit3' } }, 'error', 'tool-error'],
  ['slsa-verifier prints garbage and exits 0', { ws: { mode: 'garbage' } }, 'error', 'tool-output-invalid'],
  ['slsa-verifier exits 0 without PASSED', { ws: { mode: 'silent-pass' } }, 'error', 'tool-output-invalid'],
  ['slsa-verifier cannot reach Rekor (retried, then error)', { ws: { mode: 'network' } }, 'error', 'tool-error'],
  ['slsa-verifier missing at the given path', { inputs: (w) => ({ ...base(w), 'slsa-verifier-path': join(w.f.dir, 'nope') }) }, 'error', 'tool-error'],
  ['slsa-verifier not executable', { prepare: (w) => chmodSync(w.verifier, 0o644) }, 'error', 'tool-error'],
  ['slsa-verifier download without a pinned SHA-256', { inputs: (w) => ({ ...base(w), 'slsa-verifier-path': '' }) }, 'error', 'tool-unpinned'],
  ['slsa-verifier says FAILED (evidence: wrong tag)', { inputs: (w) => ({ ...base(w), 'source-tag': 'v9.9.9' }) }, 'fail', 'slsa-verifier-failed'],
  ['record path unwritable', { inputs: (w) => ({ ...base(w), 'record-file': join(w.f.dir, 'blocker', 'r.ndjson') }), prepare: (w) => writeFileSync(join(w.f.dir, 'blocker'), 'x') }, 'error', 'record-write-failed'],
  ['records file unreadable', { inputs: (w) => ({ ...base(w), records: 'nope.ndjson' }) }, 'error', 'records-unreadable'],
  ['records file corrupt', { inputs: (w) => ({ ...base(w), records: 'r.ndjson' }), prepare: (w) => writeFileSync(join(w.f.workspace, 'r.ndjson'), '{"schema":') }, 'error', 'records-unreadable'],
  ['legacy envelope in-process (needs a Rekor lookup)', { inputs: (w) => ({ ...base(w), mode: 'in-process' }) }, 'error', ''],
  ['wrong payload type', { ws: { payloadType: 'text/plain' } }, 'fail', 'payload-type-invalid'],
  ['mutually exclusive refs', { inputs: (w) => ({ ...base(w), 'source-branch': 'main' }) }, 'error', 'invalid-input'],
  ['bad mode', { inputs: (w) => ({ ...base(w), mode: 'sometimes' }) }, 'error', 'invalid-input'],
  ['no artifact and no image', { inputs: (w) => ({ ...base(w), artifact: '' }) }, 'error', 'invalid-input'],
  ['malformed image digest', { inputs: (w) => ({ ...base(w), image: 'ghcr.io/acme/widget@sha256:abc' }) }, 'error', 'invalid-input'],
  ['malformed timeout', { inputs: (w) => ({ ...base(w), timeout: 'soon' }) }, 'error', 'invalid-input'],
];

describe('verify-slsa reliability', () => {
  it.each(CASES)('%s → %s', (_name, setup, outcome, reason) => {
    const w = legacyWorkspace(setup.ws);
    setup.prepare?.(w);
    const inputs = (setup.inputs ?? base)(w);
    const recordPath = inputs['record-file'];
    const r = runDist('verify-slsa', inputs, w.f);
    expect(r.outputs.outcome ?? 'error').toBe(outcome);
    expect(r.exitCode).toBe(outcome === 'fail' ? 1 : 2);
    if (reason) expect(r.outputs.reasons?.split(',')).toContain(reason);
    // (a record that cannot be written turns a verified run into an error after the fact: the digests stay)
    if (!recordPath?.includes('blocker')) expect(r.outputs['subject-digests'] ?? '').toBe('');
    if (!recordPath || !recordPath.includes('blocker')) {
      expect(r.records).toHaveLength(1);
      expect(r.recordProblems).toEqual([]);
      expect(r.records[0]).toMatchObject({ gate: 'verify-slsa', outcome });
    }
  });
});

describe('verify-slsa canaries', () => {
  it('no canary reaches slsa-verifier, the outputs, the summary, the record or any file written', () => {
    const w = legacyWorkspace({ mode: 'env' });
    writeFileSync(join(w.f.workspace, 'records.ndjson'), '');
    const r = runDist('verify-slsa', { ...base(w), records: 'records.ndjson' }, w.f, { ...canaryEnv(), CHAINGATE_EXTRA: CANARY.plain });
    expect(r.outputs.outcome).toBe('pass');
    const childEnv = readFileSync(`${w.verifier}.env`, 'utf8');
    expect(leakedCanaries(childEnv)).toEqual([]);
    expect(JSON.parse(childEnv).PATH).toBeTruthy();
    mkdirSync(join(w.f.dir, 'empty'), { recursive: true });
    const text = collectText([r.stdout, r.stderr, JSON.stringify(r.outputs), r.summary], [w.f.runnerTemp, w.f.workspace]);
    expect(leakedCanaries(text)).toEqual([]);
  });
});
