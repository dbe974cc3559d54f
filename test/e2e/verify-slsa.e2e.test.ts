// verify-slsa as users run it: the CLI (`npx chaingate verify-slsa …`) and the composite action in the
// runner-faithful harness, on provenance made here with a mock Sigstore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE, ROOT, runComposite, runnerFiles } from '../helpers/runner.js';
import { MockSigstore, githubClaims } from '../helpers/sigstore.js';
import { GENERATOR_BUILDER, generatorV02Statement, githubV1Statement, sha256 } from '../gates/verify-slsa/shapes.js';
import { legacyWorkspace } from '../gates/verify-slsa/workspace.js';

const REPO = 'acme/widget';
const BYTES = 'widget v1.2.3 linux-amd64';
const GEN_SAN = `${GENERATOR_BUILDER}@refs/tags/v2.1.0`;
let ss: MockSigstore;

beforeAll(async () => {
  for (const f of ['dist/cli.js', 'dist/verify-slsa.js']) if (!existsSync(join(ROOT, f))) throw new Error(`${f} missing: run npm run build`);
  ss = await MockSigstore.start();
});
afterAll(async () => ss?.close());

async function workspace(statement: Record<string, unknown>, san = GEN_SAN) {
  const f = runnerFiles();
  writeFileSync(join(f.workspace, 'widget'), BYTES);
  const bundle = await ss.signStatement(statement, { identity: san, github: { ...githubClaims(REPO), job_workflow_ref: san.replace('https://github.com/', '') } });
  writeFileSync(join(f.workspace, 'widget.sigstore.json'), JSON.stringify(bundle));
  ss.writeFiles(f.workspace, { root: true });
  return f;
}

const subjects = [{ name: 'widget', sha256: sha256(BYTES) }];

function cli(cwd: string, args: string[]) {
  const r = spawnSync(NODE, [join(ROOT, 'dist/cli.js'), 'verify-slsa', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CHAINGATE_RECORDS: join(cwd, 'records.ndjson') }, timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const DONE = ['--artifact', 'widget', '--provenance', 'widget.sigstore.json', '--source-uri', `github.com/${REPO}`, '--source-tag', 'v1.2.3', '--trusted-root', 'trusted_root.json'];

describe('npx chaingate verify-slsa', () => {
  it('passes on a test-made provenance (the issue\'s command line)', async () => {
    const f = await workspace(generatorV02Statement({ subjects, builderId: GEN_SAN }));
    const r = cli(f.workspace, DONE);
    expect(r.out).toContain('verify-slsa: PASS (ok)');
    expect(r.code).toBe(0);
  });
  it.each([
    ['wrong repository', { repo: 'evil/widget' }, [], 'source-mismatch'],
    ['built from a branch', { ref: 'refs/heads/main' }, [], 'ref-mismatch'],
    ['missing subject', { subjects: [{ name: 'x', sha256: sha256('x') }] }, [], 'subject-mismatch'],
    ['builder mismatch', {}, ['--builder-id', `${GENERATOR_BUILDER}@v2.0.0`], 'builder-mismatch'],
  ] as const)('fails with a precise reason: %s', async (_n, shape, extra, reason) => {
    const f = await workspace(generatorV02Statement({ subjects, builderId: GEN_SAN, ...shape }));
    const r = cli(f.workspace, [...DONE, ...extra]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(reason);
  });
  it('usage errors exit 2', async () => {
    const f = await workspace(generatorV02Statement({ subjects, builderId: GEN_SAN }));
    expect(cli(f.workspace, [...DONE, '--source-branch', 'main']).code).toBe(2);
  });
});

describe('actions/verify-slsa in the runner harness', () => {
  it('passes on a GitHub artifact attestation: outputs, summary with each claim, one record', async () => {
    const san = `https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.2.3`;
    const f = await workspace(githubV1Statement({ subjects }), san);
    const r = runComposite('verify-slsa', { artifact: 'widget', provenance: 'widget.sigstore.json', 'source-uri': `github.com/${REPO}`, 'source-tag': 'v1.2.3', 'trusted-root': 'trusted_root.json', workflow: '.github/workflows/release.yml' }, f);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: 'pass', 'subject-digests': `sha256:${sha256(BYTES)}`, 'builder-id': san, 'source-ref': 'refs/tags/v1.2.3', 'source-uri': `git+https://github.com/${REPO}`, 'verified-by': 'in-process' });
    expect(r.summary).toContain('chaingate verify-slsa: pass');
    for (const label of ['| signature', '| certificate issuer', '| builder ref', '| subject digests', '| source tag', '| workflow']) expect(r.summary).toContain(label);
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    expect(r.records[0]).toMatchObject({ gate: 'verify-slsa', outcome: 'pass', subject: { digest: `sha256:${sha256(BYTES)}`, name: 'widget' }, details: { 'builder-id': san, 'source-ref': 'refs/tags/v1.2.3', 'verified-by': 'in-process' } });
  });
  it('fails on a tag/branch mismatch with the reason in outputs, summary and record', async () => {
    const f = await workspace(generatorV02Statement({ subjects, builderId: GEN_SAN, ref: 'refs/heads/main' }));
    const r = runComposite('verify-slsa', { artifact: 'widget', provenance: 'widget.sigstore.json', 'source-uri': `github.com/${REPO}`, 'source-tag': 'v1.2.3', 'trusted-root': 'trusted_root.json' }, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.outcome).toBe('fail');
    expect(r.outputs.reasons).toBe('ref-mismatch');
    expect(r.summary).toContain('**fail** (`ref-mismatch`)');
    expect(r.records[0]).toMatchObject({ outcome: 'fail', reasons: ['ref-mismatch'] });
  });
  it('auto mode runs slsa-verifier for a legacy .intoto.jsonl and records its verdict', () => {
    const w = legacyWorkspace();
    const r = runComposite('verify-slsa', { artifact: w.artifact, provenance: w.provenance, 'source-uri': `github.com/${REPO}`, 'source-tag': 'v1.2.3', 'slsa-verifier-path': w.verifier }, w.f);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.outputs['verified-by']).toBe('slsa-verifier');
    expect(r.summary).toContain('PASSED');
    expect(r.records[0]).toMatchObject({ outcome: 'pass', tool: { name: 'slsa-verifier', version: 'custom' }, details: { 'slsa-verifier': 'PASSED' } });
  });
});
