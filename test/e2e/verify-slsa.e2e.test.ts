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
  // the certificate is issued for the run the provenance describes (source ref → Fulcio extension 1.14)
  const pred = statement.predicate as any;
  const ref = pred.buildDefinition?.externalParameters?.workflow?.ref ?? String(pred.invocation?.configSource?.uri).split('@')[1];
  const bundle = await ss.signStatement(statement, { identity: san, github: { ...githubClaims(REPO, ref), job_workflow_ref: san.replace('https://github.com/', '') } });
  writeFileSync(join(f.workspace, 'widget.sigstore.json'), JSON.stringify(bundle));
  ss.writeFiles(f.workspace, { root: true });
  return f;
}

const subjects = [{ name: 'widget', sha256: sha256(BYTES) }];

/** Node 24 (the devDependency) and the machine's own Node (20 here), as users may run `npx chaingate`. */
const NODES = [NODE, ...['/usr/bin/node', '/usr/local/bin/node'].filter((p) => existsSync(p) && p !== NODE)].filter((v, i, a) => a.indexOf(v) === i);

function cli(cwd: string, args: string[], node = NODE) {
  const r = spawnSync(node, [join(ROOT, 'dist/cli.js'), 'verify-slsa', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CHAINGATE_RECORDS: join(cwd, 'records.ndjson') }, timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const DONE = ['--artifact', 'widget', '--provenance', 'widget.sigstore.json', '--source-uri', `github.com/${REPO}`, '--source-tag', 'v1.2.3', '--trusted-root', 'trusted_root.json'];

describe('npx chaingate verify-slsa', () => {
  it.each(NODES)('passes on a test-made provenance (the issue\'s command line) with %s', async (node) => {
    const f = await workspace(generatorV02Statement({ subjects, builderId: GEN_SAN }));
    const r = cli(f.workspace, DONE, node);
    expect(r.out).toContain('verify-slsa: PASS (ok)');
    expect(r.out).toContain(`verified 1 artifact(s) against the provenance: built by ${GEN_SAN} from git+https://github.com/${REPO} at refs/tags/v1.2.3 (in-process)`);
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
    expect(r.out).toContain(`verify-slsa: FAIL (${reason})`);
    if (reason === 'ref-mismatch') expect(r.out).toContain('widget: source ref is "refs/heads/main", expected "refs/tags/v1.2.3"');
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
    expect(r.records[0]).toMatchObject({ gate: 'verify-slsa', outcome: 'pass', subject: { digest: `sha256:${sha256(BYTES)}`, name: 'widget' }, details: { 'builder-id': san, 'source-ref': 'refs/tags/v1.2.3', 'verified-by': 'in-process', 'trusted-root-version': 'file' } });
    expect(r.records[0].details['trusted-root-sha256']).toMatch(/^sha256:[0-9a-f]{64}$|^[0-9a-f]{64}$/);
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

describe('slsa-verifier downloaded by tool-cache from a local mirror (127.0.0.1)', () => {
  it('downloads, checks the SHA-256, caches, reuses the cache; a wrong SHA-256 is never executed', async () => {
    const { createServer } = await import('node:http');
    const { readFileSync, mkdtempSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    const { execWithTimeout } = await import('../../src/core/exec.js');
    const { parseOutputFile, readRecordsFile, runnerEnv } = await import('../helpers/runner.js');
    const { SLSA_VERIFIER_VERSION, assetName } = await import('../../src/gates/verify-slsa/slsa-verifier.js');
    const { STANDIN } = await import('../gates/verify-slsa/workspace.js');
    const body = readFileSync(STANDIN);
    const hash = createHash('sha256').update(body).digest('hex');
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === `/${SLSA_VERIFIER_VERSION}/${assetName()}`) res.writeHead(200).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const toolCache = mkdtempSync(join((await import('node:os')).tmpdir(), 'cg-toolcache-'));
    try {
      const runOnce = async (sha: string) => {
        const w = legacyWorkspace();
        const inputs = { artifact: w.artifact, provenance: w.provenance, 'source-uri': `github.com/${REPO}`, 'source-tag': 'v1.2.3', mode: 'slsa-verifier', 'slsa-verifier-download-url': url, 'slsa-verifier-sha256': sha };
        const env: Record<string, string> = { ...runnerEnv(w.f), RUNNER_TOOL_CACHE: toolCache };
        for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
        const r = await execWithTimeout(NODE, [join(ROOT, 'dist/verify-slsa.js')], { cwd: w.f.workspace, env, timeoutMs: 60_000 });
        return { r, outputs: parseOutputFile(readFileSync(w.f.output, 'utf8')), records: readRecordsFile(w.f.records) };
      };
      const first = await runOnce(hash);
      expect(first.r.exitCode, first.r.stdout).toBe(0);
      expect(first.records.records[0]).toMatchObject({ outcome: 'pass', tool: { name: 'slsa-verifier', version: SLSA_VERIFIER_VERSION }, details: { 'slsa-verifier-source': 'download' } });
      const second = await runOnce(hash);
      expect(second.records.records[0].details['slsa-verifier-source']).toBe('cache');
      expect(hits).toHaveLength(1);
      const bad = await runOnce('0'.repeat(64));
      expect(bad.r.exitCode).toBe(2);
      expect(bad.outputs.reasons).toBe('tool-checksum-mismatch');
    } finally {
      server.close();
      const { rmSync } = await import('node:fs');
      rmSync(toolCache, { recursive: true, force: true });
    }
  });
});
