// Shared by the evidence-verify test files: a mock Sigstore (and a second, untrusted one), an OIDC token server,
// and helpers to make, re-sign and verify bundles.
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import bundleGate from '../../../src/gates/evidence-bundle/index.js';
import verifyGate from '../../../src/gates/evidence-verify/index.js';
import { executeGate } from '../../../src/core/runner.js';
import { MockSigstore, githubIdentity, GITHUB_ISSUER } from '../../helpers/sigstore.js';
import { startTokenServer, REQUEST_TOKEN, type TokenServer } from '../../helpers/oidc.js';
import { DIGEST, SARIF, gatesRan, silentLogger, type RecordSpec } from '../../helpers/evidence.js';
import { type Entry } from '../../helpers/archive.js';

export const IDENTITY = githubIdentity('acme/widget', '.github/workflows/release.yml', 'refs/tags/v1.0.0');
export const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export let ss: MockSigstore;
export let other: MockSigstore;
export let tokens: TokenServer;
export let rootFile: string;

/** Register the mock Sigstore instances and the OIDC token server for the calling test file. */
export function useEvidenceFixture(): void {
beforeAll(async () => {
  ss = await MockSigstore.start();
  other = await MockSigstore.start();
  tokens = await startTokenServer({ sub: IDENTITY, iss: GITHUB_ISSUER });
  rootFile = join(mkdtempSync(join(tmpdir(), 'cg-root-')), 'trusted_root.json');
  writeFileSync(rootFile, JSON.stringify(ss.trustedRootJSON()));
});

afterAll(async () => {
  await ss?.close();
  await other?.close();
  await tokens?.close();
});
}

export async function makeBundle(specs: RecordSpec[], inputs: Record<string, string> = {}, sigstore = ss) {
  const ws = gatesRan(specs, { reports: { 'pin-lint.sarif': SARIF } });
  const env = { ...ws.env, ACTIONS_ID_TOKEN_REQUEST_URL: tokens.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN };
  const out = await executeGate(bundleGate, { 'subject-digest': DIGEST, 'subject-name': 'ghcr.io/acme/widget', 'fulcio-url': sigstore.url, 'rekor-url': sigstore.url, timeout: '20', ...inputs }, { cwd: ws.workspace, env, logger: silentLogger });
  return { ws, out, dir: out.result.outputs?.path as string };
}

export async function verify(bundle: string, inputs: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'cg-verify-'));
  const out = await executeGate(
    verifyGate,
    { bundle, 'trusted-root': rootFile, 'certificate-identity': IDENTITY, 'subject-digest': DIGEST, ...inputs },
    { cwd, env: { RUNNER_TEMP: cwd }, logger: silentLogger },
  );
  return out;
}

export const STANDARD: RecordSpec[] = [{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST, at: 1 }, { gate: 'bandit-gate', at: 2 }];
export const REQUIRED = { 'required-gates': 'pin-lint, verify-cosign, bandit-gate' };

/** Re-make manifest and Statement after editing records, and sign them with the right identity: a forger with the
 *  release workflow's identity could do this, and verification must still catch the inconsistency it hides. */
export async function resign(dir: string, edit: (st: any, manifest: any) => void = () => undefined, opts: { identity?: string } = {}) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const f of manifest.files) {
    const b = readFileSync(join(dir, f.path));
    f.sha256 = sha(b);
    f.size = b.length;
  }
  const st = JSON.parse(readFileSync(join(dir, 'statement.intoto.json'), 'utf8'));
  const recs = readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  manifest.gates = recs.map((r) => ({ gate: r.gate, outcome: r.outcome, reasons: r.reasons, record_id: r.record_id, started_at: r.started_at, finished_at: r.finished_at, subject_digest: r.subject?.digest ?? null }));
  edit(st, manifest);
  st.predicate.gates = manifest.gates;
  const manBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'manifest.json'), manBytes);
  st.predicate.manifest.digest.sha256 = sha(manBytes);
  const stBytes = Buffer.from(`${JSON.stringify(st, null, 2)}\n`);
  writeFileSync(join(dir, 'statement.intoto.json'), stBytes);
  const b = await ss.signDsse(stBytes, 'application/vnd.in-toto+json', { identity: opts.identity ?? IDENTITY, issuer: GITHUB_ISSUER });
  writeFileSync(join(dir, 'statement.sigstore.json'), `${JSON.stringify(b, null, 2)}\n`);
}

export function replaceRecords(dir: string, lines: object[]) {
  writeFileSync(join(dir, 'records/pipeline_run.ndjson'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

export function dirEntries(dir: string, prefix = ''): Entry[] {
  const out: Entry[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...dirEntries(dir, rel));
    else out.push({ name: rel, data: readFileSync(join(dir, rel)) });
  }
  return out;
}
