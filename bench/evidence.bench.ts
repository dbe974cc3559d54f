// evidence-bundle / evidence-verify: time to bundle, sign (mock Sigstore on loopback), read archives, verify.
// Prints numbers; asserts nothing about time.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendRecord } from '../src/core/record.js';
import { executeGate } from '../src/core/runner.js';
import bundleGate from '../src/gates/evidence-bundle/index.js';
import verifyGate from '../src/gates/evidence-verify/index.js';
import { readEvidenceTree } from '../src/gates/evidence/tree.js';
import { DIGEST, gatesRan, makeRecord, silentLogger } from '../test/helpers/evidence.js';
import { MockSigstore, githubIdentity, GITHUB_ISSUER } from '../test/helpers/sigstore.js';
import { startTokenServer, REQUEST_TOKEN } from '../test/helpers/oidc.js';
import { zip, tgz, type Entry } from '../test/helpers/archive.js';

const IDENTITY = githubIdentity('acme/widget');

async function time<T>(label: string, n: number, fn: () => Promise<T> | T): Promise<T> {
  let last: T | undefined;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) last = await fn();
  const ms = (performance.now() - t0) / n;
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms`);
  return last as T;
}

function entries(dir: string, prefix = ''): Entry[] {
  const out: Entry[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...entries(dir, rel));
    else out.push({ name: rel, data: readFileSync(join(dir, rel)) });
  }
  return out;
}

const ss = await MockSigstore.start();
const tokens = await startTokenServer({ sub: IDENTITY, iss: GITHUB_ISSUER });
const root = join(mkdtempSync(join(tmpdir(), 'cg-bench-')), 'trusted_root.json');
writeFileSync(root, JSON.stringify(ss.trustedRootJSON()));

for (const [records, reports, reportKb] of [
  [10, 3, 20],
  [500, 30, 200],
] as const) {
  console.log(`\n${records} records, ${reports} reports of ${reportKb} KiB`);
  const reportFiles: Record<string, string> = {};
  for (let i = 0; i < reports; i++) reportFiles[`r${i}.sarif`] = JSON.stringify({ version: '2.1.0', runs: [{ results: [], pad: 'x'.repeat(reportKb * 1024) }] });
  let dir = '';
  await time('evidence-bundle sign: false', 3, async () => {
    const ws = gatesRan([], { reports: reportFiles });
    for (let i = 0; i < records; i++) appendRecord(ws.records, makeRecord({ gate: `gate-${i % 8}`, digest: i % 2 ? DIGEST : undefined }, ws.env));
    await executeGate(bundleGate, { 'subject-digest': DIGEST, sign: 'false' }, { cwd: ws.workspace, env: ws.env, logger: silentLogger });
  });
  await time('evidence-bundle signed (mock Fulcio + Rekor on loopback)', 3, async () => {
    const ws = gatesRan([], { reports: reportFiles });
    for (let i = 0; i < records; i++) appendRecord(ws.records, makeRecord({ gate: `gate-${i % 8}`, digest: i % 2 ? DIGEST : undefined }, ws.env));
    const out = await executeGate(
      bundleGate,
      { 'subject-digest': DIGEST, 'fulcio-url': ss.url, 'rekor-url': ss.url },
      { cwd: ws.workspace, env: { ...ws.env, ACTIONS_ID_TOKEN_REQUEST_URL: tokens.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN }, logger: silentLogger },
    );
    dir = out.result.outputs!.path;
  });
  const d = mkdtempSync(join(tmpdir(), 'cg-bench-'));
  const ents = entries(dir);
  writeFileSync(join(d, 'e.zip'), zip(ents));
  writeFileSync(join(d, 'e.tgz'), tgz(ents));
  await time('read directory into memory', 10, () => readEvidenceTree(dir, 'dir'));
  await time('read .zip into memory', 10, () => readEvidenceTree(join(d, 'e.zip'), 'e.zip'));
  await time('read .tar.gz into memory', 10, () => readEvidenceTree(join(d, 'e.tgz'), 'e.tgz'));
  for (const b of [dir, join(d, 'e.zip')]) {
    const out = await time(`evidence-verify ${b.endsWith('.zip') ? 'zip' : 'directory'}`, 5, () =>
      executeGate(verifyGate, { bundle: b, 'certificate-identity': IDENTITY, 'trusted-root': root, 'subject-digest': DIGEST, 'record-file': join(d, 'r.ndjson') }, { cwd: d, env: {}, logger: silentLogger }),
    );
    if (out.result.outcome !== 'pass') throw new Error(`bench bundle did not verify: ${out.result.reasons}`);
  }
}
await ss.close();
await tokens.close();
