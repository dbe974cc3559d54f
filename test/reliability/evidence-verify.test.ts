// Faults evidence-verify must turn into `error` (or `fail` where the evidence says non-compliant), never pass,
// each leaving exactly one schema-valid record; and canaries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bundleGate from '../../src/gates/evidence-bundle/index.js';
import gate from '../../src/gates/evidence-verify/index.js';
import { executeGate, exitCodeFor } from '../../src/core/runner.js';
import { readRecordsFile } from '../helpers/runner.js';
import { DIGEST, gatesRan, silentLogger } from '../helpers/evidence.js';
import { MockSigstore, githubIdentity, GITHUB_ISSUER } from '../helpers/sigstore.js';
import { startTokenServer, REQUEST_TOKEN, type TokenServer } from '../helpers/oidc.js';
import { zip, tgz } from '../helpers/archive.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../helpers/canary.js';

const IDENTITY = githubIdentity('acme/widget');
let ss: MockSigstore;
let tokens: TokenServer;
let rootFile: string;
let good: string; // a valid signed bundle directory (copied before each fault edits it)

beforeAll(async () => {
  ss = await MockSigstore.start();
  tokens = await startTokenServer({ sub: IDENTITY, iss: GITHUB_ISSUER });
  rootFile = join(mkdtempSync(join(tmpdir(), 'cg-root-')), 'trusted_root.json');
  writeFileSync(rootFile, JSON.stringify(ss.trustedRootJSON()));
  const ws = gatesRan([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST }]);
  const out = await executeGate(
    bundleGate,
    { 'subject-digest': DIGEST, 'fulcio-url': ss.url, 'rekor-url': ss.url },
    { cwd: ws.workspace, env: { ...ws.env, ACTIONS_ID_TOKEN_REQUEST_URL: tokens.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN }, logger: silentLogger },
  );
  if (out.result.outcome !== 'pass') throw new Error(`fixture bundle: ${out.result.messages?.join('; ')}`);
  good = out.result.outputs!.path;
});

afterAll(async () => {
  await ss?.close();
  await tokens?.close();
});

function copy(): string {
  const d = join(mkdtempSync(join(tmpdir(), 'cg-rel-')), 'evidence');
  cpSync(good, d, { recursive: true });
  return d;
}

type Make = (cwd: string) => { bundle: string; inputs?: Record<string, string> };
type Fault = [string, string, 'error' | 'fail', Make];

const FAULTS: Fault[] = [
  ['the bundle does not exist', 'unreadable-file', 'error', () => ({ bundle: '/nonexistent/evidence.zip' })],
  ['an empty directory', 'signature-missing', 'fail', (cwd) => {
    mkdirSync(join(cwd, 'empty'));
    return { bundle: join(cwd, 'empty') };
  }],
  ['a corrupt zip', 'archive-error', 'error', (cwd) => {
    writeFileSync(join(cwd, 'e.zip'), Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]));
    return { bundle: join(cwd, 'e.zip') };
  }],
  ['a truncated tar.gz', 'archive-error', 'error', (cwd) => {
    writeFileSync(join(cwd, 'e.tgz'), tgz([{ name: 'manifest.json', data: 'x'.repeat(10000) }]).subarray(0, 100));
    return { bundle: join(cwd, 'e.tgz') };
  }],
  ['an empty file', 'archive-error', 'error', (cwd) => {
    writeFileSync(join(cwd, 'e.zip'), '');
    return { bundle: join(cwd, 'e.zip') };
  }],
  ['a bundle over the size cap', 'limits-exceeded', 'error', () => ({ bundle: copy(), inputs: { 'max-bytes': '1000' } })],
  ['a bundle over the file-count cap', 'limits-exceeded', 'error', (cwd) => {
    writeFileSync(join(cwd, 'many.zip'), zip(Array.from({ length: 50 }, (_, i) => ({ name: `reports/r${i}.json`, data: '{}' }))));
    return { bundle: join(cwd, 'many.zip'), inputs: { 'max-files': '10' } };
  }],
  ['manifest.json is not JSON', 'manifest-invalid', 'fail', () => {
    const d = copy();
    writeFileSync(join(d, 'manifest.json'), '{"schema": ');
    return { bundle: d };
  }],
  ['the sigstore bundle is not JSON', 'signature-invalid', 'fail', () => {
    const d = copy();
    writeFileSync(join(d, 'statement.sigstore.json'), 'garbage');
    return { bundle: d };
  }],
  ['the sigstore bundle is an empty object', 'signature-invalid', 'fail', () => {
    const d = copy();
    writeFileSync(join(d, 'statement.sigstore.json'), '{}');
    return { bundle: d };
  }],
  ['the sigstore bundle signature bytes are altered', 'signature-invalid', 'fail', () => {
    const d = copy();
    const b = JSON.parse(readFileSync(join(d, 'statement.sigstore.json'), 'utf8'));
    const sig = Buffer.from(b.dsseEnvelope.signatures[0].sig, 'base64');
    sig[sig.length - 1] ^= 1;
    b.dsseEnvelope.signatures[0].sig = sig.toString('base64');
    writeFileSync(join(d, 'statement.sigstore.json'), JSON.stringify(b));
    return { bundle: d };
  }],
  ['the signed payload swapped for another Statement', 'signature-invalid', 'fail', () => {
    const d = copy();
    const b = JSON.parse(readFileSync(join(d, 'statement.sigstore.json'), 'utf8'));
    const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString());
    st.subject[0].digest.sha256 = '0'.repeat(64);
    b.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    writeFileSync(join(d, 'statement.sigstore.json'), JSON.stringify(b));
    return { bundle: d };
  }],
  ['the trusted root is missing', 'trust-root-error', 'error', () => ({ bundle: copy(), inputs: { 'trusted-root': '/nonexistent/trusted_root.json' } })],
  ['the trusted root is garbage', 'trust-root-error', 'error', (cwd) => {
    writeFileSync(join(cwd, 'root.json'), '{"mediaType": "nope"}');
    return { bundle: copy(), inputs: { 'trusted-root': join(cwd, 'root.json') } };
  }],
  ['a binary records file', 'invalid-record', 'fail', () => {
    const d = copy();
    writeFileSync(join(d, 'records/pipeline_run.ndjson'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    return { bundle: d };
  }],
  ['max-spread is not a duration', 'invalid-input', 'error', () => ({ bundle: copy(), inputs: { 'max-spread': 'soon' } })],
  ['an unanchored identity regexp', 'invalid-input', 'error', () => ({ bundle: copy(), inputs: { 'certificate-identity': '', 'certificate-identity-regexp': 'acme/widget' } })],
  ['two bundles at once', 'invalid-input', 'error', () => ({ bundle: `${copy()}\n${copy()}` })],
  ['the public-good root (the mock signer is not in it)', 'signature-invalid', 'fail', () => ({ bundle: copy(), inputs: { 'trusted-root': '' } })],
];

describe('evidence-verify reliability', () => {
  it.each(FAULTS)('%s → %s (%s)', async (_, reason, outcome, make) => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-rel-cwd-'));
    const { bundle, inputs } = make(cwd);
    const recordFile = join(cwd, 'records.ndjson');
    const out = await executeGate(gate, { bundle, 'certificate-identity': IDENTITY, 'trusted-root': rootFile, 'subject-digest': DIGEST, 'record-file': recordFile, ...(inputs ?? {}) }, { cwd, env: { RUNNER_TEMP: cwd }, logger: silentLogger });
    expect(out.result.outcome).toBe(outcome);
    expect(exitCodeFor(out.result.outcome)).not.toBe(0);
    expect(out.result.reasons).toContain(reason);
    const { records, problems } = readRecordsFile(recordFile);
    expect(records).toHaveLength(1);
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({ gate: 'evidence-verify', outcome });
  });

  it('the valid fixture passes (the table above is not failing for an unrelated reason)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-rel-cwd-'));
    const out = await executeGate(gate, { bundle: copy(), 'certificate-identity': IDENTITY, 'trusted-root': rootFile, 'subject-digest': DIGEST }, { cwd, env: { RUNNER_TEMP: cwd }, logger: silentLogger });
    expect(out.result.outcome).toBe('pass');
  });

  it('a record that cannot be written (strict) makes a valid bundle an error', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-rel-cwd-'));
    writeFileSync(join(cwd, 'file'), 'x');
    const out = await executeGate(gate, { bundle: copy(), 'certificate-identity': IDENTITY, 'trusted-root': rootFile, 'record-file': join(cwd, 'file', 'r.ndjson') }, { cwd, env: {}, logger: silentLogger });
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toContain('record-write-failed');
  });

  it('canaries in env never reach outputs, summary, SARIF or the record', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-rel-cwd-'));
    const logs: string[] = [];
    const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), debug: (m: string) => logs.push(m) };
    const out = await executeGate(gate, { bundle: copy(), 'certificate-identity': IDENTITY, 'trusted-root': rootFile, 'sarif-file': join(cwd, 'out.sarif') }, { cwd, env: { ...canaryEnv(), RUNNER_TEMP: cwd }, logger });
    expect(out.result.outcome).toBe('pass');
    const text = collectText([JSON.stringify(out.result), JSON.stringify(out.record), ...logs], [cwd]);
    expect(leakedCanaries(text)).toEqual([]);
    void CANARY;
  });
});
