import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, mkdirSync, appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import gate from '../../../src/gates/evidence-bundle/index.js';
import { executeGate } from '../../../src/core/runner.js';
import { validateAgainst } from '../../../src/core/schema.js';
import { readRecordsFile } from '../../helpers/runner.js';
import manifestSchema from '../../../schemas/evidence-manifest.v1.schema.json' with { type: 'json' };
import predicateSchema from '../../../schemas/evidence-predicate.v1.schema.json' with { type: 'json' };
import { BANDIT, DIGEST, OTHER_DIGEST, SARIF, gatesRan, silentLogger, type Workspace } from '../../helpers/evidence.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bundle(ws: Workspace, inputs: Record<string, string>, fetchFn?: typeof fetch) {
  const out = await executeGate(gate, { 'subject-digest': DIGEST, ...inputs }, { cwd: ws.workspace, env: ws.env, logger: silentLogger, fetch: fetchFn, sleep: async () => undefined });
  const own = readRecordsFile(ws.records).records.filter((r) => r.gate === 'evidence-bundle');
  return { ...out, own };
}

describe('evidence-bundle', () => {
  it('collects records and reports into manifest + in-toto Statement; sign: false says so in the record', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST.toUpperCase().replace('SHA256', 'sha256') }, { gate: 'bandit-gate', at: 2 }], {
      reports: { 'pin-lint.sarif': SARIF, 'bandit.json': BANDIT, 'summary.md': '# summary\n' },
    });
    const reports = `${ws.runnerTemp}/chaingate/*.sarif\n${ws.runnerTemp}/chaingate/bandit.json\n${ws.runnerTemp}/chaingate/summary.md`;
    const r = await bundle(ws, { sign: 'false', reports, 'subject-name': 'ghcr.io/acme/widget' });
    expect(r.result.outcome).toBe('pass');
    expect(r.result.reasons).toEqual(['signing-skipped']);
    const dir = r.result.outputs?.path as string;
    expect(dir).toBe(join(ws.runnerTemp, 'chaingate-evidence'));
    expect(r.result.outputs).toMatchObject({ 'artifact-name': 'chaingate-evidence', signed: 'false' });
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'records', 'reports', 'statement.intoto.json']);

    const manBytes = readFileSync(join(dir, 'manifest.json'));
    const manifest = JSON.parse(manBytes.toString());
    expect(validateAgainst(manifestSchema, manifest)).toEqual([]);
    expect(manifest.subject).toEqual({ name: 'ghcr.io/acme/widget', digest: DIGEST });
    expect(manifest.files.map((f: any) => [f.path, f.kind])).toEqual([
      ['records/pipeline_run.ndjson', 'records'],
      ['reports/bandit.json', 'bandit'],
      ['reports/pin-lint.sarif', 'sarif'],
      ['reports/summary.md', 'summary'],
    ]);
    for (const f of manifest.files) {
      const b = readFileSync(join(dir, f.path));
      expect(f.sha256).toBe(sha(b));
      expect(f.size).toBe(b.length);
    }
    // records are copied byte for byte (the bundle's own record is appended after, not included)
    expect(readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(manifest.gates.map((g: any) => [g.gate, g.outcome, g.subject_digest])).toEqual([
      ['bandit-gate', 'pass', null],
      ['pin-lint', 'pass', null],
      ['verify-cosign', 'pass', DIGEST],
    ]);

    const st = JSON.parse(readFileSync(join(dir, 'statement.intoto.json'), 'utf8'));
    expect(st._type).toBe('https://in-toto.io/Statement/v1');
    expect(st.predicateType).toBe('https://chaingate.dev/evidence/v1');
    expect(st.subject).toEqual([{ name: 'ghcr.io/acme/widget', digest: { sha256: 'd'.repeat(64) } }]);
    validateAgainst(manifestSchema, {});
    expect(validateAgainst(predicateSchema, st.predicate)).toEqual([]);
    expect(st.predicate.manifest.digest.sha256).toBe(sha(manBytes));
    expect(st.predicate.result).toBe('PASSED');
    expect(st.predicate.run).toMatchObject({ repository: 'acme/widget', sha: 'a'.repeat(40), run_id: '4242' });

    expect(r.own).toHaveLength(1);
    expect(r.own[0]).toMatchObject({ outcome: 'pass', reasons: ['signing-skipped'], subject: { digest: DIGEST }, details: { signed: false, signing: 'skipped (sign: false)' } });
  });

  it('the default reports are the SARIF files gates left under $RUNNER_TEMP/chaingate', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }], { reports: { 'pin-lint.sarif': SARIF, 'other.json': '{}' } });
    const r = await bundle(ws, { sign: 'false' });
    const m = JSON.parse(readFileSync(join(r.result.outputs!.path, 'manifest.json'), 'utf8'));
    expect(m.files.map((f: any) => f.path)).toEqual(['records/pipeline_run.ndjson', 'reports/pin-lint.sarif']);
  });

  it('predicate result is FAILED when a gate failed (the evidence of a failure is still bundled)', async () => {
    const ws = gatesRan([{ gate: 'pin-lint', outcome: 'fail' }]);
    const r = await bundle(ws, { sign: 'false' });
    expect(r.result.outcome).toBe('pass');
    const st = JSON.parse(readFileSync(join(r.result.outputs!.path, 'statement.intoto.json'), 'utf8'));
    expect(st.predicate.result).toBe('FAILED');
  });

  it('refuses to bundle a record that names another digest than the release (the audit finding)', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: OTHER_DIGEST }]);
    const r = await bundle(ws, { sign: 'false' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['record-subject-mismatch']);
    expect(r.result.messages?.join('\n')).toContain(OTHER_DIGEST);
    expect(r.result.messages?.join('\n')).toContain('pipeline_run.ndjson:2');
    expect(existsSync(join(ws.runnerTemp, 'chaingate-evidence'))).toBe(false);
    expect(r.own[0]).toMatchObject({ outcome: 'fail', reasons: ['record-subject-mismatch'] });
  });

  it.each([
    ['another repository', { GITHUB_REPOSITORY: 'mallory/other' }],
    ['another workflow run', { GITHUB_RUN_ID: '9999' }],
    ['another commit', { GITHUB_SHA: 'b'.repeat(40) }],
  ])('refuses to bundle a record from %s (it is not evidence of this run), even naming the right digest', async (_, env) => {
    const ws = gatesRan([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST, env }]);
    const r = await bundle(ws, { sign: 'false' });
    expect(r.result.outcome).toBe('fail');
    expect(r.result.reasons).toEqual(['record-run-mismatch']);
    expect(r.result.messages?.join('\n')).toContain('pipeline_run.ndjson:2');
    expect(existsSync(join(ws.runnerTemp, 'chaingate-evidence'))).toBe(false);
  });

  it('records of another attempt or job of the same run are bundled', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST, env: { GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'scan' } }]);
    expect((await bundle(ws, { sign: 'false' })).result.outcome).toBe('pass');
  });

  it('report names that differ only in case get distinct names (a case-insensitive unpack would merge them)', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    mkdirSync(join(ws.workspace, 'a'), { recursive: true });
    mkdirSync(join(ws.workspace, 'b'), { recursive: true });
    writeFileSync(join(ws.workspace, 'a', 'Scan.sarif'), SARIF);
    writeFileSync(join(ws.workspace, 'b', 'scan.sarif'), `${SARIF}\n`);
    const r = await bundle(ws, { sign: 'false', reports: 'a/Scan.sarif\nb/scan.sarif' });
    expect(r.result.outcome).toBe('pass');
    const manifest = JSON.parse(readFileSync(join(r.result.outputs?.path as string, 'manifest.json'), 'utf8'));
    const paths = manifest.files.map((f: any) => f.path);
    expect(paths).toEqual(['records/pipeline_run.ndjson', 'reports/Scan.sarif', 'reports/scan-2.sarif']);
    expect(new Set(paths.map((p: string) => p.toLowerCase())).size).toBe(paths.length);
  });

  it('an invalid record line is an error naming file and line', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    appendFileSync(ws.records, '{"schema":"chaingate.pipeline_run/v1","gate":"x"}\n');
    const r = await bundle(ws, { sign: 'false' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['invalid-record']);
    expect(r.result.messages?.[0]).toMatch(/pipeline_run\.ndjson:2: record does not match the schema/);
  });

  it('a record counted twice is an error', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    const copy = join(ws.workspace, 'copy.ndjson');
    writeFileSync(copy, readFileSync(ws.records));
    const r = await bundle(ws, { sign: 'false', records: `${ws.records}\n${copy}` });
    expect(r.result.reasons).toEqual(['duplicate-record']);
  });

  it('no records at all is an error, never an empty signed bundle', async () => {
    const ws = gatesRan([]);
    const r = await bundle(ws, { sign: 'false' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['no-files']);
  });

  it('a named report that does not exist is an error', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    const r = await bundle(ws, { sign: 'false', reports: 'bandit.json' });
    expect(r.result.outcome).toBe('error');
    expect(r.result.messages?.[0]).toContain('bandit.json: report file not found');
  });

  it('refuses a non-empty output directory', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    mkdirSync(join(ws.workspace, 'out'));
    writeFileSync(join(ws.workspace, 'out', 'stale.json'), '{}');
    const r = await bundle(ws, { sign: 'false', 'output-dir': 'out' });
    expect(r.result.reasons).toEqual(['output-not-empty']);
  });

  it('an invalid subject digest or a plain-http Fulcio is an input error', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    expect((await bundle(ws, { 'subject-digest': 'sha512:abc' })).result.reasons).toEqual(['invalid-input']);
    expect((await bundle(ws, { 'fulcio-url': 'http://fulcio.example.com' })).result.reasons).toEqual(['invalid-input']);
    expect((await bundle(ws, { 'artifact-name': 'a/b' })).result.reasons).toEqual(['invalid-input']);
  });

  it('signing without an OIDC token is an error that says how to fix it', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }]);
    const r = await bundle(ws, {});
    expect(r.result.outcome).toBe('error');
    expect(r.result.reasons).toEqual(['oidc-unavailable']);
    expect(r.result.messages?.[0]).toContain('id-token: write');
    expect(r.own[0].details).toMatchObject({ signed: false });
  });

  it('a 403 from the token endpoint is an error with a hint; the request URL and token never appear', async () => {
    const url = 'https://pipelines.example.invalid/token?api-version=2.0&sig=SECRETSIGvalue123456';
    const ws = gatesRan([{ gate: 'pin-lint' }], { env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret-value-xyz' } });
    const seen: string[] = [];
    const fakeFetch = (async (u: string, init: RequestInit) => {
      seen.push(String(u), String((init.headers as Record<string, string>).Authorization));
      return new Response('forbidden', { status: 403 });
    }) as unknown as typeof fetch;
    const r = await bundle(ws, {}, fakeFetch);
    expect(seen[0]).toContain('audience=sigstore');
    expect(seen[1]).toBe('Bearer bearer-secret-value-xyz');
    expect(r.result.reasons).toEqual(['oidc-token-failed']);
    expect(r.result.messages?.[0]).toContain('HTTP 403');
    expect(r.result.messages?.[0]).toContain('id-token: write');
    const all = JSON.stringify(r.result) + readFileSync(ws.records, 'utf8');
    expect(all).not.toContain('SECRETSIG');
    expect(all).not.toContain('bearer-secret');
  });

  it('retries a 5xx from the token endpoint, then reports it', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }], { env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t.invalid/x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret-value-xyz' } });
    let calls = 0;
    const fakeFetch = (async () => {
      calls++;
      return new Response('oops', { status: 503 });
    }) as unknown as typeof fetch;
    const r = await bundle(ws, {}, fakeFetch);
    expect(calls).toBe(3);
    expect(r.result.reasons).toEqual(['oidc-token-failed']);
  });

  it('a token endpoint answer without a JWT is an error', async () => {
    const ws = gatesRan([{ gate: 'pin-lint' }], { env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t.invalid/x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret-value-xyz' } });
    const fakeFetch = (async () => new Response(JSON.stringify({ value: 'not-a-jwt' }), { status: 200 })) as unknown as typeof fetch;
    const r = await bundle(ws, {}, fakeFetch);
    expect(r.result.reasons).toEqual(['oidc-token-failed']);
  });
});
