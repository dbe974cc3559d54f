// Faults evidence-bundle must turn into `error` (never pass), each leaving exactly one schema-valid record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdirSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import gate from '../../src/gates/evidence-bundle/index.js';
import { executeGate, exitCodeFor } from '../../src/core/runner.js';
import { readRecordsFile } from '../helpers/runner.js';
import { DIGEST, gatesRan, silentLogger, type Workspace } from '../helpers/evidence.js';
import { MockSigstore, githubIdentity } from '../helpers/sigstore.js';
import { startTokenServer, REQUEST_TOKEN, type TokenServer } from '../helpers/oidc.js';
import { CANARY, canaryEnv, collectText, leakedCanaries } from '../helpers/canary.js';

/** A server that answers every request with `status`, or never answers when status is 0. */
async function stubServer(status: number): Promise<{ url: string; close: () => Promise<void> }> {
  const open: Array<() => void> = [];
  const s: Server = createServer((req, res) => {
    if (!status) {
      open.push(() => res.destroy());
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: status, message: 'stub' }));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(s.address() as { port: number }).port}`,
    close: async () => {
      for (const o of open) o();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
}

let ss: MockSigstore;
let tokens: TokenServer;
let s500: { url: string; close: () => Promise<void> };
let hang: { url: string; close: () => Promise<void> };
let notJson: Server;
let notJsonUrl: string;

beforeAll(async () => {
  ss = await MockSigstore.start();
  tokens = await startTokenServer({ sub: githubIdentity('acme/widget'), iss: 'https://token.actions.githubusercontent.com' });
  s500 = await stubServer(500);
  hang = await stubServer(0);
  notJson = createServer((_, res) => res.writeHead(200).end('<html>sign in</html>'));
  await new Promise<void>((r) => notJson.listen(0, '127.0.0.1', () => r()));
  notJsonUrl = `http://127.0.0.1:${(notJson.address() as { port: number }).port}/token`;
});

afterAll(async () => {
  await ss?.close();
  await tokens?.close();
  await s500?.close();
  await hang?.close();
  await new Promise<void>((r) => notJson?.close(() => r()));
});

const CLOSED = 'http://127.0.0.1:9'; // discard port: connection refused

type Make = () => { ws: Workspace; inputs: Record<string, string>; env?: Record<string, string> };
type Fault = [string, string, 'error' | 'fail', Make];

const tokenEnv = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: tokens.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN });

const FAULTS: Fault[] = [
  ['no record file', 'no-files', 'error', () => ({ ws: gatesRan([]), inputs: { sign: 'false', records: 'missing/*.ndjson' } })],
  ['an empty record file', 'no-files', 'error', () => {
    const ws = gatesRan([]);
    writeFileSync(ws.records, '');
    return { ws, inputs: { sign: 'false' } };
  }],
  ['a binary record file', 'invalid-record', 'error', () => {
    const ws = gatesRan([]);
    writeFileSync(ws.records, Buffer.from([0xff, 0xfe, 0, 1, 2]));
    return { ws, inputs: { sign: 'false' } };
  }],
  ['a truncated record line', 'invalid-record', 'error', () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    writeFileSync(ws.records, readFileSync(ws.records, 'utf8').slice(0, 80));
    return { ws, inputs: { sign: 'false' } };
  }],
  ['an output path that is a file', 'output-unwritable', 'error', () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    writeFileSync(join(ws.workspace, 'out'), 'x');
    return { ws, inputs: { sign: 'false', 'output-dir': 'out' } };
  }],
  ['an output path below a file', 'output-unwritable', 'error', () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    writeFileSync(join(ws.workspace, 'out'), 'x');
    return { ws, inputs: { sign: 'false', 'output-dir': 'out/sub' } };
  }],
  ['a malformed subject digest', 'invalid-input', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: { 'subject-digest': 'sha256:xyz' } })],
  ['a bad evidence config section', 'config-error', 'error', () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    mkdirSync(join(ws.workspace, '.github'));
    writeFileSync(join(ws.workspace, '.github/chaingate.yml'), 'evidence:\n  artifact-nam: x\n');
    return { ws, inputs: { sign: 'false' } };
  }],
  ['no OIDC token (id-token: write missing)', 'oidc-unavailable', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: {} })],
  ['token endpoint refuses connections', 'oidc-token-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: {}, env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${CLOSED}/token`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN } })],
  ['token endpoint hangs', 'oidc-token-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: { timeout: '1' }, env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${hang.url}/token`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN } })],
  ['token endpoint answers 500', 'oidc-token-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: {}, env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${s500.url}/token`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN } })],
  ['token endpoint answers HTML', 'oidc-token-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: {}, env: { ACTIONS_ID_TOKEN_REQUEST_URL: notJsonUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN } })],
  ['Fulcio refuses connections', 'signing-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: { 'fulcio-url': CLOSED, 'rekor-url': ss.url }, env: tokenEnv() })],
  ['Fulcio answers 500', 'signing-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: { 'fulcio-url': s500.url, 'rekor-url': ss.url }, env: tokenEnv() })],
  ['Fulcio hangs', 'signing-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: { 'fulcio-url': hang.url, 'rekor-url': ss.url, timeout: '1' }, env: tokenEnv() })],
  ['Rekor answers 500', 'signing-failed', 'error', () => ({ ws: gatesRan([{ gate: 'pin-lint' }]), inputs: { 'fulcio-url': ss.url, 'rekor-url': s500.url }, env: tokenEnv() })],
  ['a record naming another image', 'record-subject-mismatch', 'fail', () => ({ ws: gatesRan([{ gate: 'verify-cosign', digest: `sha256:${'0'.repeat(64)}` }]), inputs: { sign: 'false' } })],
];

describe('evidence-bundle reliability', () => {
  it.each(FAULTS)('%s → %s (%s)', async (_, reason, outcome, make) => {
    const { ws, inputs, env } = make();
    const own_ = join(ws.workspace, 'own-record.ndjson');
    const out = await executeGate(gate, { 'subject-digest': DIGEST, 'record-file': own_, ...inputs }, { cwd: ws.workspace, env: { ...ws.env, ...(env ?? {}) }, logger: silentLogger, sleep: async () => undefined });
    expect(out.result.outcome).toBe(outcome);
    expect(exitCodeFor(out.result.outcome)).not.toBe(0);
    expect(out.result.reasons).toContain(reason);
    const { records: own, problems } = readRecordsFile(own_);
    expect(own).toHaveLength(1);
    expect(problems).toEqual([]);
    expect(own[0].outcome).toBe(outcome);
    expect(own[0].details?.signed).not.toBe(true);
    // no signature was left behind
    const outDir = join(ws.runnerTemp, 'chaingate-evidence');
    try {
      expect(readdirSync(outDir)).not.toContain('statement.sigstore.json');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }, 30_000);

  it('a record that cannot be written (strict) is an error even when signing worked', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    writeFileSync(join(ws.workspace, 'file'), 'x');
    const out = await executeGate(gate, { 'subject-digest': DIGEST, sign: 'false', records: ws.records, 'record-file': join(ws.workspace, 'file', 'r.ndjson') }, { cwd: ws.workspace, env: ws.env, logger: silentLogger });
    expect(out.result.outcome).toBe('error');
    expect(out.result.reasons).toContain('record-write-failed');
  });

  it('canaries: the OIDC request URL, its bearer and the issued token never appear anywhere', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }], { env: canaryEnv() });
    const logs: string[] = [];
    const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), debug: (m: string) => logs.push(m) };
    const env = { ...ws.env, ...canaryEnv(), ...tokenEnv() };
    const before = tokens.issued.length;
    const out = await executeGate(gate, { 'subject-digest': DIGEST, 'fulcio-url': ss.url, 'rekor-url': ss.url }, { cwd: ws.workspace, env, logger });
    expect(out.result.outcome).toBe('pass');
    expect(tokens.issued.length).toBe(before + 1);
    const text = collectText([JSON.stringify(out.result), JSON.stringify(out.record), ...logs], [ws.runnerTemp, ws.workspace]);
    expect(leakedCanaries(text)).toEqual([]);
    for (const secret of [tokens.requestUrl, 'canarySignedUrlSig9f8e7d', REQUEST_TOKEN, ...tokens.issued.slice(before)]) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]) expect(text).not.toContain(form);
    }
    expect(text).not.toMatch(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./); // no JWT of any kind
    void CANARY;
  });

  it('canaries: failures that echo the endpoint do not leak it either', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }], { env: canaryEnv() });
    const out = await executeGate(gate, { 'subject-digest': DIGEST }, { cwd: ws.workspace, env: { ...ws.env, ...canaryEnv() }, logger: silentLogger, sleep: async () => undefined });
    expect(out.result.reasons).toEqual(['oidc-token-failed']); // canary.invalid cannot be reached
    const text = collectText([JSON.stringify(out.result), JSON.stringify(out.record)], [ws.runnerTemp, ws.workspace]);
    expect(leakedCanaries(text)).toEqual([]);
    expect(text).not.toContain('canary.invalid');
  }, 30_000);
});
