// GitHub-shaped SLSA v1 and v0.2 statements signed as DSSE bundles by a mock Sigstore (Fulcio certificate
// with GitHub-style SAN and extensions), verified in-process against the mock's trusted root: a pass for each
// shape, and a precise failure for every claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SerializedBundle } from '@sigstore/bundle';
import gate from '../../../src/gates/verify-slsa/index.js';
import { executeGate } from '../../../src/core/runner.js';
import { GOOGLE_ISSUER, MockSigstore, cloneBundle, githubClaims, keyPairWithPem } from '../../helpers/sigstore.js';
import { GENERATOR_BUILDER, generatorV02Statement, githubV1Statement, sha256, type ShapeOptions } from './shapes.js';

const REPO = 'acme/widget';
const BYTES = 'widget-1.2.3.tgz bytes';
const DIGEST = `sha256:${sha256(BYTES)}`;
const GEN_SAN = `${GENERATOR_BUILDER}@refs/tags/v2.1.0`;
const OWN_SAN = `https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.2.3`;

let ss: MockSigstore;
let other: MockSigstore;
let dir: string;

beforeAll(async () => {
  ss = await MockSigstore.start();
  other = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-slsa-signed-'));
  writeFileSync(join(dir, 'widget.tgz'), BYTES);
  ss.writeFiles(dir, { root: true });
});
afterAll(async () => {
  await ss?.close();
  await other?.close();
});

const subjects = [{ name: 'widget.tgz', sha256: sha256(BYTES) }];
/** generator (reusable workflow): SAN names the generator, the caller is acme/widget */
const genClaims = (repo = REPO, ref = 'refs/tags/v1.2.3') => ({ ...githubClaims(repo, ref), job_workflow_ref: GEN_SAN.replace('https://github.com/', '') });

async function signGenerator(shape: ShapeOptions = {}, o: { san?: string; repo?: string; issuer?: string; signer?: MockSigstore } = {}): Promise<SerializedBundle> {
  const san = o.san ?? GEN_SAN;
  return (o.signer ?? ss).signStatement(generatorV02Statement({ subjects, builderId: san, ...shape }), { identity: san, issuer: o.issuer, github: genClaims(o.repo) });
}
async function signOwn(shape: ShapeOptions = {}, ref = 'refs/tags/v1.2.3'): Promise<SerializedBundle> {
  const san = OWN_SAN.replace('refs/tags/v1.2.3', ref);
  return ss.signStatement(githubV1Statement({ subjects, ref, ...shape }), { identity: san, github: githubClaims(REPO, ref) });
}

let n = 0;
async function run(provenance: unknown | string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  const p = join(dir, `prov-${++n}.json`);
  writeFileSync(p, typeof provenance === 'string' ? provenance : JSON.stringify(provenance));
  const out = await executeGate(
    gate,
    { artifact: 'widget.tgz', provenance: p, 'source-uri': `github.com/${REPO}`, 'trusted-root': 'trusted_root.json', mode: 'auto', timeout: '5m', 'record-file': join(dir, 'records.ndjson'), ...inputs },
    { cwd: dir, env: { ...env }, logger: { info: () => undefined, warn: () => undefined, debug: () => undefined } },
  );
  return out.result;
}

describe('verify-slsa in-process, signed provenance', () => {
  it('passes on slsa-github-generator v0.2 provenance with the default trusted builders', async () => {
    const r = await run(await signGenerator(), { 'source-tag': 'v1.2.3', workflow: '.github/workflows/release.yml' });
    expect(r.messages?.join('\n')).toContain('verified 1 artifact');
    expect(r.outcome).toBe('pass');
    expect(r.outputs).toMatchObject({ 'subject-digests': DIGEST, 'builder-id': GEN_SAN, 'source-ref': 'refs/tags/v1.2.3', 'source-uri': `git+https://github.com/${REPO}`, 'verified-by': 'in-process' });
    const table = r.summary!.join('\n');
    for (const label of ['signature', 'certificate issuer', 'builder', 'builder ref', 'caller repository', 'subject digests', 'source', 'source tag', 'workflow']) expect(table).toContain(`| ${label}`);
    expect(r.details).toMatchObject({ 'builder-id': GEN_SAN, 'source-ref': 'refs/tags/v1.2.3', 'predicate-type': 'https://slsa.dev/provenance/v0.2' });
  });
  it('passes on a GitHub artifact attestation (SLSA v1) from the repository\'s own workflow', async () => {
    const r = await run(await signOwn(), { 'source-tag': 'v1.2.3' });
    expect(r.outcome, r.messages?.join('\n')).toBe('pass');
    expect(r.outputs?.['builder-id']).toBe(OWN_SAN);
  });
  it('passes with builder-id name@vX.Y.Z and with source-versioned-tag', async () => {
    const b = await signGenerator();
    expect((await run(b, { 'builder-id': `${GENERATOR_BUILDER}@v2.1.0`, 'source-versioned-tag': 'v1.2' })).outcome).toBe('pass');
  });
  it.each(['0.1', '0.2'] as const)('passes on an older bundle format (v%s, x509CertificateChain)', async (version) => {
    const b = await ss.signStatement(generatorV02Statement({ subjects, builderId: GEN_SAN }), { identity: GEN_SAN, github: genClaims(), version });
    const r = await run(b, { 'source-tag': 'v1.2.3' });
    expect(r.outcome, r.messages?.join('\n')).toBe('pass');
  });
  it('finds the SLSA bundle among other attestations (JSONL)', async () => {
    const sbom = await ss.signStatement({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'widget.tgz', digest: { sha256: sha256(BYTES) } }], predicateType: 'https://spdx.dev/Document', predicate: {} }, { identity: OWN_SAN, github: githubClaims(REPO) });
    const r = await run(`${JSON.stringify(sbom)}\n${JSON.stringify(await signOwn())}\n`, { 'source-tag': 'v1.2.3' });
    expect(r.outcome, r.messages?.join('\n')).toBe('pass');
    expect(r.details?.documents).toBe(2);
  });

  it('verifies an image digest against the subjects (normalised), and fails a digest that is not one', async () => {
    const b = await signGenerator();
    const ok = await run(b, { artifact: '', image: `ghcr.io/acme/widget@SHA256:${sha256(BYTES).toUpperCase()}` });
    expect(ok.outcome, ok.messages?.join('\n')).toBe('pass');
    expect(ok.outputs?.['subject-digests']).toBe(DIGEST);
    const bad = await run(b, { artifact: '', image: `ghcr.io/acme/widget@sha256:${'e'.repeat(64)}` });
    expect(bad.outcome).toBe('fail');
    expect(bad.reasons).toEqual(['subject-mismatch']);
  });
  it('every artifact must be a subject: one missing among two fails', async () => {
    writeFileSync(join(dir, 'extra.bin'), 'not in the provenance');
    const r = await run(await signGenerator(), { artifact: 'widget.tgz\nextra.bin' });
    expect(r.outcome).toBe('fail');
    expect(r.messages?.join('\n')).toContain('extra.bin');
  });

  const negatives: Array<[string, () => Promise<unknown>, Record<string, string>, string, RegExp]> = [
    ['wrong repository', () => signGenerator({ repo: 'evil/widget' }, { repo: 'evil/widget' }), {}, 'source-mismatch', /expected source "git\+https:\/\/github.com\/acme\/widget"/],
    ['caller repository differs from the provenance (reusable workflow)', () => signGenerator({}, { repo: 'evil/widget' }), {}, 'caller-mismatch', /called from "https:\/\/github.com\/evil\/widget"/],
    ['tag expected, built from a branch', () => signGenerator({ ref: 'refs/heads/v1.2.3' }), { 'source-tag': 'v1.2.3' }, 'ref-mismatch', /source ref is "refs\/heads\/v1.2.3", expected "refs\/tags\/v1.2.3"/],
    ['branch expected, built from a tag', () => signGenerator(), { 'source-branch': 'main' }, 'ref-mismatch', /expected "refs\/heads\/main"/],
    ['non-semver builder ref', () => signGenerator({}, { san: `${GENERATOR_BUILDER}@refs/heads/main` }), {}, 'builder-ref-invalid', /not a release tag refs\/tags\/vX.Y.Z/],
    ['builder mismatch (builder-id)', () => signGenerator(), { 'builder-id': `${GENERATOR_BUILDER}@v2.0.0` }, 'builder-mismatch', /builder version "refs\/tags\/v2.1.0" is not refs\/tags\/v2.0.0/],
    ['untrusted builder', () => signGenerator({}, { san: 'https://github.com/mallory/builder/.github/workflows/b.yml@refs/tags/v1.0.0' }), {}, 'untrusted-builder', /not a trusted builder/],
    ['builder.id is not the signer', () => ss.signStatement(generatorV02Statement({ subjects, builderId: `${GENERATOR_BUILDER}@refs/tags/v9.9.9` }), { identity: GEN_SAN, github: genClaims() }), {}, 'builder-mismatch', /is not the signing workflow/],
    ['certificate from another OIDC issuer', () => signGenerator({}, { issuer: GOOGLE_ISSUER }), {}, 'untrusted-issuer', /not GitHub Actions' OIDC issuer/],
    ['missing subject', () => signGenerator({ subjects: [{ name: 'other', sha256: sha256('other') }] }), {}, 'subject-mismatch', /widget.tgz/],
    ['workflow mismatch', () => signGenerator(), { workflow: '.github/workflows/ci.yml' }, 'workflow-mismatch', /expected ".github\/workflows\/ci.yml"/],
    ['the provenance claims another ref than its certificate', () => ss.signStatement(githubV1Statement({ subjects }), { identity: OWN_SAN, github: githubClaims(REPO, 'refs/heads/feature') }), { 'source-tag': 'v1.2.3' }, 'source-mismatch', /the certificate was issued for "refs\/heads\/feature"/],
    ['the certificate names another top-level workflow', () => ss.signStatement(githubV1Statement({ subjects }), { identity: OWN_SAN, github: githubClaims(REPO, 'refs/tags/v1.2.3', '.github/workflows/other.yml') }), { workflow: '.github/workflows/release.yml' }, 'workflow-mismatch', /certificate was issued for workflow ".github\/workflows\/other.yml"/],
    ['wrong predicate type', () => ss.signStatement({ ...githubV1Statement({ subjects }), predicateType: 'https://slsa.dev/provenance/v0.1' }, { identity: OWN_SAN, github: githubClaims(REPO) }), {}, 'predicate-type-invalid', /predicateType is "https:\/\/slsa.dev\/provenance\/v0.1"/],
    ['wrong payload type', () => ss.signDsse(Buffer.from(JSON.stringify(githubV1Statement({ subjects }))), 'application/json', { identity: OWN_SAN, github: githubClaims(REPO) }), {}, 'payload-type-invalid', /payloadType is "application\/json"/],
    ['unsigned envelope (signature removed)', async () => { const b = cloneBundle(await signOwn()) as any; b.dsseEnvelope.signatures = []; return b; }, {}, 'signature-invalid', /./],
    ['payload swapped after signing', async () => { const b = cloneBundle(await signOwn()) as any; b.dsseEnvelope.payload = Buffer.from(JSON.stringify(githubV1Statement({ subjects, repo: REPO, ref: 'refs/tags/v9.9.9' }))).toString('base64'); return b; }, {}, 'signature-invalid', /./],
    ['re-signed with a key pair instead of a Fulcio certificate', () => ss.signStatement(generatorV02Statement({ subjects, builderId: GEN_SAN }), { keyPair: keyPairWithPem().keyPair }), {}, 'signature-invalid', /verification-material-mismatch/],
    ['re-signed by an untrusted Sigstore', () => signGenerator({}, { signer: other }), {}, 'signature-invalid', /./],
  ];
  it.each(negatives)('fails: %s', async (_name, make, inputs, reason, message) => {
    const r = await run(await make(), inputs);
    expect(r.outcome, r.messages?.join('\n')).toBe('fail');
    expect(r.reasons).toContain(reason);
    expect(r.messages?.join('\n')).toMatch(message);
    expect(r.outputs?.['subject-digests']).toBe('');
  });

  it('fails when a record of the run names another subject digest', async () => {
    const recs = join(dir, 'run.ndjson');
    const rec = (digest: string) => JSON.stringify({ schema: 'chaingate.pipeline_run/v1', record_id: '0123456789abcdef', gate: 'verify-cosign', outcome: 'pass', run: { run_id: '77', repository: REPO }, subject: { digest } });
    writeFileSync(recs, `${rec(DIGEST)}\n${rec(`sha256:${'d'.repeat(64)}`)}\n`);
    const r = await run(await signGenerator(), { records: recs }, { GITHUB_RUN_ID: '77', GITHUB_REPOSITORY: REPO });
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toEqual(['records-subject-mismatch']);
    writeFileSync(recs, `${rec(DIGEST)}\n`);
    expect((await run(await signGenerator(), { records: recs }, { GITHUB_RUN_ID: '77', GITHUB_REPOSITORY: REPO })).outcome).toBe('pass');
  });

  it('a legacy envelope in-process is an error (its signing time needs Rekor), never a pass', async () => {
    const b = (await signGenerator()) as any;
    const env = { ...b.dsseEnvelope, signatures: [{ ...b.dsseEnvelope.signatures[0], cert: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----' }] };
    const r = await run(`${JSON.stringify(env)}\n`, { mode: 'in-process' });
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['rekor-required']);
  });
  it('an unreadable trusted root is an error', async () => {
    writeFileSync(join(dir, 'bad_root.json'), '{"mediaType":"nope"}');
    const r = await run(await signGenerator(), { 'trusted-root': 'bad_root.json' });
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['trusted-root-invalid']);
  });
});
