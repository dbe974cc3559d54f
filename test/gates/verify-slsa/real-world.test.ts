// Provenance as real users feed it (GitHub artifact attestations, slsa-github-generator v0.2/v1, npm
// provenance) and the source/builder matching edge cases around it: each case a true positive and a true
// negative, signed by the mock Sigstore and verified in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gate from '../../../src/gates/verify-slsa/index.js';
import { executeGate } from '../../../src/core/runner.js';
import { gateRunner, why } from './run.js';
import { MockSigstore, githubClaims } from '../../helpers/sigstore.js';
import { GENERATOR_BUILDER, generatorV02Statement, generatorV1Statement, githubV1Statement, npmV1Statement, sha256, sha512, type ShapeOptions } from './shapes.js';

const REPO = 'Acme/Widget';
const BYTES = 'widget-1.2.3 bytes';
const TGZ = 'acme-widget-1.2.3.tgz bytes';
const GEN_SAN = `${GENERATOR_BUILDER}@refs/tags/v2.1.0`;
const own = (repo = REPO, ref = 'refs/tags/v1.2.3', path = '.github/workflows/release.yml') => `https://github.com/${repo}/${path}@${ref}`;

let ss: MockSigstore;
let dir: string;
beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-slsa-real-'));
  writeFileSync(join(dir, 'widget'), BYTES);
  writeFileSync(join(dir, 'widget-darwin'), `${BYTES} darwin`);
  writeFileSync(join(dir, 'widget.tgz'), TGZ);
  ss.writeFiles(dir, { root: true });
});
afterAll(async () => ss?.close());

const subjects = [{ name: 'widget', sha256: sha256(BYTES) }];

/** a GitHub artifact attestation of `repo`'s own workflow (SAN = builder.id = job_workflow_ref) */
function signOwn(shape: ShapeOptions = {}, o: { repo?: string; ref?: string; san?: string; statement?: Record<string, unknown> } = {}) {
  const repo = o.repo ?? REPO;
  const ref = o.ref ?? 'refs/tags/v1.2.3';
  const san = o.san ?? own(repo, ref);
  const st = o.statement ?? githubV1Statement({ subjects, repo, ref, builderId: san, ...shape });
  return ss.signStatement(st, { identity: san, github: { ...githubClaims(repo, ref), job_workflow_ref: san.replace('https://github.com/', '') } });
}
/** slsa-github-generator (reusable workflow in another repository, called by `repo`) */
function signGen(st: Record<string, unknown>, repo = REPO, ref = 'refs/tags/v1.2.3') {
  return ss.signStatement(st, { identity: GEN_SAN, github: { ...githubClaims(repo, ref), job_workflow_ref: GEN_SAN.replace('https://github.com/', '') } });
}

const run = gateRunner(() => dir, { 'source-uri': `github.com/${REPO}` }, '.json');

describe('source-uri matching', () => {
  it.each([
    ['github.com/acme/widget (owner/repo in another case than GitHub has them)', 'github.com/acme/widget'],
    ['https://GitHub.com/ACME/WIDGET', 'https://GitHub.com/ACME/WIDGET'],
    ['the .git suffix', 'https://github.com/Acme/Widget.git'],
  ])('passes: %s', async (_n, uri) => {
    const r = await run(await signOwn(), { 'source-uri': uri, 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
    const g = await run(await signGen(generatorV02Statement({ subjects, repo: REPO, builderId: GEN_SAN })), { 'source-uri': uri });
    expect(g.outcome, why(g)).toBe('pass');
  });
  it.each(['Acme/Widget-evil', 'Acme/Widget.evil', 'Acme-evil/Widget', 'Acme/Widge'])('fails: the provenance names the look-alike %s', async (repo) => {
    const r = await run(await signOwn({}, { repo }));
    expect(r.outcome, why(r)).toBe('fail');
    expect(r.reasons).toContain('source-mismatch');
    const g = await run(await signGen(generatorV02Statement({ subjects, repo, builderId: GEN_SAN }), repo));
    expect(g.outcome, why(g)).toBe('fail');
    expect(g.reasons).toEqual(expect.arrayContaining(['source-mismatch', 'caller-mismatch']));
  });
  it('a provenance material with a .git suffix names the same repository', async () => {
    const r = await run(await signOwn({ materialUri: `git+https://github.com/${REPO}.git@refs/tags/v1.2.3` }));
    expect(r.outcome, why(r)).toBe('pass');
  });
  it('fails: a workflow of the same owner/repo on another host is not the source repository\'s workflow', async () => {
    const san = 'https://github.evil.example/Acme/Widget/.github/workflows/release.yml@refs/tags/v1.2.3';
    const r = await run(await signOwn({}, { san }));
    expect(r.outcome, why(r)).toBe('fail');
    expect(r.reasons).toContain('untrusted-builder');
  });
});

describe('GitHub artifact attestations (actions/attest-build-provenance)', () => {
  const bundle = () => signOwn();
  it('gh attestation download JSONL: {"bundle": …} wrapper lines, and bare bundle lines', async () => {
    const b = await bundle();
    const wrapped = `${JSON.stringify({ bundle: b, bundle_url: 'https://example.invalid/b' })}\n${JSON.stringify({ bundle: b })}\n`;
    expect((await run(wrapped, { 'source-tag': 'v1.2.3' })).outcome).toBe('pass');
    expect((await run(`${JSON.stringify(b)}\r\n${JSON.stringify(b)}\r\n`, { 'source-tag': 'v1.2.3' })).outcome).toBe('pass');
  });
  it('the REST API response {"attestations":[{"bundle":…,"repository_id":…}]}', async () => {
    const r = await run({ attestations: [{ bundle: await bundle(), repository_id: 123456, bundle_url: 'https://example.invalid/b' }] }, { 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
  });
  it('an API attestation with only a bundle_url (no inline bundle) is an error that says so', async () => {
    const r = await run({ attestations: [{ bundle: null, repository_id: 123456, bundle_url: 'https://example.invalid/b' }] });
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['provenance-invalid']);
    expect(why(r)).toMatch(/bundle_url/);
  });
  it('a reusable workflow of the source repository (SAN = build.yml, workflow.path = the calling release.yml)', async () => {
    const san = own(REPO, 'refs/tags/v1.2.3', '.github/workflows/build.yml');
    const b = await ss.signStatement(githubV1Statement({ subjects, repo: REPO, builderId: san }), { identity: san, github: githubClaims(REPO, 'refs/tags/v1.2.3') });
    const r = await run(b, { 'source-tag': 'v1.2.3', workflow: '.github/workflows/release.yml' });
    expect(r.outcome, why(r)).toBe('pass');
    expect((await run(b, { workflow: '.github/workflows/build.yml' })).reasons).toEqual(['workflow-mismatch']);
  });
  it('source-versioned-tag v1 against refs/tags/v1.2.3, and not against v2.0.0', async () => {
    expect((await run(await bundle(), { 'source-versioned-tag': 'v1' })).outcome).toBe('pass');
    const r = await run(await signOwn({}, { ref: 'refs/tags/v2.0.0' }), { 'source-versioned-tag': 'v1' });
    expect(r.reasons).toEqual(['ref-mismatch']);
  });
  it('source-branch main', async () => {
    const b = await signOwn({}, { ref: 'refs/heads/main' });
    expect((await run(b, { 'source-branch': 'main' })).outcome).toBe('pass');
    expect((await run(b, { 'source-branch': 'mai' })).reasons).toEqual(['ref-mismatch']);
    expect((await run(b, { 'source-tag': 'main' })).reasons).toEqual(['ref-mismatch']);
  });
});

describe('slsa-github-generator', () => {
  const two = [
    { name: 'dist/widget', sha256: sha256(BYTES) },
    { name: './out/widget-darwin', sha256: sha256(`${BYTES} darwin`) },
    { name: 'checksums.txt', sha256: sha256('sums') },
  ];
  it.each([
    ['v0.2', () => generatorV02Statement({ subjects: two, repo: REPO, builderId: GEN_SAN })],
    ['v1', () => generatorV1Statement({ subjects: two, repo: REPO })],
  ])('%s: a release of several artifacts (subject names with paths) verifies each artifact', async (_v, st) => {
    const b = await signGen(st());
    const r = await run(b, { artifact: 'widget\nwidget-darwin', 'source-tag': 'v1.2.3', workflow: '.github/workflows/release.yml' });
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.outputs?.['subject-digests']).toBe(`sha256:${sha256(BYTES)},sha256:${sha256(`${BYTES} darwin`)}`);
    writeFileSync(join(dir, 'widget-windows.exe'), 'not released');
    const bad = await run(b, { artifact: 'widget\nwidget-windows.exe' });
    expect(bad.outcome).toBe('fail');
    expect(bad.reasons).toEqual(['subject-mismatch']);
    expect(why(bad)).toContain('widget-windows.exe');
  });
  it('.intoto.jsonl holding a sigstore bundle per line', async () => {
    const b = await signGen(generatorV02Statement({ subjects, repo: REPO, builderId: GEN_SAN }));
    expect((await run(`${JSON.stringify(b)}\n`, { 'source-tag': 'v1.2.3' })).outcome).toBe('pass');
  });
});

describe('npm provenance (pkg:npm subject, sha512 digest, builder.id the hosted runner)', () => {
  const npmSubjects = { sha512: sha512(TGZ) };
  const signNpm = (o: Parameters<typeof npmV1Statement>[0] = {}) => signOwn({}, { statement: npmV1Statement({ repo: REPO, ...npmSubjects, ...o }), san: own(REPO, 'refs/tags/v1.2.3', '.github/workflows/publish.yml') });
  it('passes: the tarball\'s sha512 is the subject, built by the source repository\'s workflow on a GitHub-hosted runner', async () => {
    const r = await run(await signNpm(), { artifact: 'widget.tgz', 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.outputs?.['subject-digests']).toBe(`sha256:${sha256(TGZ)}`);
  });
  it('the npm registry attestations response (SLSA + publish attestation)', async () => {
    const slsa = await signNpm();
    const publish = await ss.signStatement({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'pkg:npm/%40acme/widget@1.2.3', digest: { sha512: sha512(TGZ) } }], predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', predicate: { name: '@acme/widget', version: '1.2.3', registry: 'https://registry.npmjs.org' } }, { identity: own(REPO) });
    const r = await run({ attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: slsa }, { predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', bundle: publish }] }, { artifact: 'widget.tgz' });
    expect(r.outcome, why(r)).toBe('pass');
  });
  it('fails: another tarball (sha512 differs)', async () => {
    const r = await run(await signNpm({ sha512: sha512('other tarball') }), { artifact: 'widget.tgz' });
    expect(r.outcome, why(r)).toBe('fail');
    expect(r.reasons).toEqual(['subject-mismatch']);
  });
  it('fails: a self-hosted runner, or a runner builder.id signed by another repository\'s workflow', async () => {
    const r = await run(await signNpm({ runner: 'self-hosted' }), { artifact: 'widget.tgz' });
    expect(r.outcome, why(r)).toBe('fail');
    expect(r.reasons).toContain('builder-mismatch');
    const g = await run(await signGen(npmV1Statement({ repo: REPO, ...npmSubjects })), { artifact: 'widget.tgz' });
    expect(g.outcome, why(g)).toBe('fail');
    expect(g.reasons).toContain('builder-mismatch');
  });
  it('a subject whose digests disagree (sha256 matches, sha512 does not) fails', async () => {
    const st = npmV1Statement({ repo: REPO, sha512: sha512('something else') });
    (st.subject as any)[0].digest.sha256 = sha256(TGZ);
    const r = await run(await signOwn({}, { statement: st, san: own(REPO, 'refs/tags/v1.2.3', '.github/workflows/publish.yml') }), { artifact: 'widget.tgz' });
    expect(r.outcome, why(r)).toBe('fail');
    expect(r.reasons).toEqual(['subject-mismatch']);
  });
  it('an image against sha512-only subjects, or subjects with only other algorithms: error, never pass', async () => {
    const im = await run(await signNpm(), { artifact: '', image: `ghcr.io/acme/widget@sha256:${sha256(TGZ)}` });
    expect(im.outcome, why(im)).toBe('error');
    expect(im.reasons).toEqual(['subject-digest-unsupported']);
    const st = npmV1Statement({ repo: REPO });
    (st.subject as any)[0].digest = { sha1: 'a'.repeat(40) };
    const r = await run(await signOwn({}, { statement: st, san: own(REPO, 'refs/tags/v1.2.3', '.github/workflows/publish.yml') }), { artifact: 'widget.tgz' });
    expect(r.outcome, why(r)).toBe('error');
    expect(r.reasons).toEqual(['subject-digest-unsupported']);
    expect(why(r)).toMatch(/sha1/);
  });
});

describe('slsa-github-generator .intoto.jsonl through slsa-verifier (stand-in)', () => {
  it('source-uri in another case than the provenance: slsa-verifier (which compares exactly) is given the provenance\'s spelling once chaingate matched it', async () => {
    const { legacyWorkspace } = await import('./workspace.js');
    const w = legacyWorkspace({ shape: { repo: 'Acme/Widget' } });
    const go = (uri: string) =>
      executeGate(
        gate,
        { artifact: w.artifact, provenance: w.provenance, 'source-uri': uri, 'source-tag': 'v1.2.3', 'slsa-verifier-path': w.verifier, 'record-file': join(w.f.dir, 'r.ndjson') },
        { cwd: w.f.workspace, env: { PATH: process.env.PATH ?? '' }, logger: { info: () => undefined, warn: () => undefined, debug: () => undefined } },
      ).then((o) => o.result);
    const r = await go('github.com/acme/widget');
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.outputs?.['verified-by']).toBe('slsa-verifier');
    const ssh = await go('git@github.com:acme/widget.git');
    expect(ssh.outcome, why(ssh)).toBe('pass');
    const evil = await go('github.com/acme/widget-evil');
    expect(evil.outcome, why(evil)).toBe('fail');
    expect(evil.reasons).toEqual(expect.arrayContaining(['source-mismatch', 'slsa-verifier-failed']));
  });
});

describe('trusted-builders configuration', () => {
  it('an entry with @ref is a configuration error, not a silent untrusted-builder for every provenance', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, '.github'), { recursive: true });
    const b = await signGen(generatorV02Statement({ subjects, repo: REPO, builderId: GEN_SAN }));
    writeFileSync(join(dir, '.github/chaingate.yml'), `verify-slsa:\n  trusted-builders:\n    - ${GEN_SAN}\n`);
    try {
      const r = await run(b);
      expect(r.outcome).toBe('error');
      expect(r.reasons).toEqual(['config-error']);
      writeFileSync(join(dir, '.github/chaingate.yml'), `verify-slsa:\n  trusted-builders:\n    - ${GENERATOR_BUILDER}\n`);
      expect((await run(b)).outcome).toBe('pass');
      writeFileSync(join(dir, '.github/chaingate.yml'), `verify-slsa:\n  trusted-builders:\n    - https://github.com/acme/build/.github/workflows/b.yml\n`);
      expect((await run(b)).reasons).toEqual(['untrusted-builder']);
    } finally {
      writeFileSync(join(dir, '.github/chaingate.yml'), '');
    }
  });
});

describe('builder-id', () => {
  const b = () => signGen(generatorV02Statement({ subjects, repo: REPO, builderId: GEN_SAN }));
  it('owner/repository in another case names the same builder; the workflow path does not', async () => {
    const upper = GENERATOR_BUILDER.replace('slsa-framework/slsa-github-generator', 'SLSA-Framework/SLSA-GitHub-Generator');
    const r = await run(await b(), { 'builder-id': `${upper}@v2.1.0` });
    expect(r.outcome, why(r)).toBe('pass');
    const path = await run(await b(), { 'builder-id': GENERATOR_BUILDER.replace('generator_generic_slsa3.yml', 'Generator_Generic_SLSA3.yml') });
    expect(path.reasons).toEqual(['builder-mismatch']);
  });
  it.each([
    ['a look-alike repository', GENERATOR_BUILDER.replace('slsa-github-generator', 'slsa-github-generator-evil')],
    ['another workflow of the builder repository', GENERATOR_BUILDER.replace('generator_generic_slsa3.yml', 'builder_go_slsa3.yml')],
  ])('fails: %s', async (_n, id) => {
    expect((await run(await b(), { 'builder-id': id })).reasons).toEqual(['builder-mismatch']);
  });
});
