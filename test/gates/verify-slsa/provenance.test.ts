import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeStatement, parseProvenanceText, ProvenanceFormatError } from '../../../src/gates/verify-slsa/provenance.js';
import { crossCheckRecords } from '../../../src/gates/verify-slsa/records.js';
import { generatorV02Statement, githubV1Statement, legacyEnvelope, sha256, COMMIT } from './shapes.js';

const bundleOf = (env: Record<string, unknown>) => ({
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: { certificate: { rawBytes: 'AAAA' }, tlogEntries: [] },
  dsseEnvelope: { payloadType: env.payloadType, payload: env.payload, signatures: [{ sig: 'c2ln', keyid: '' }] },
});

describe('provenance files', () => {
  const env = legacyEnvelope(githubV1Statement());
  it('one pretty-printed sigstore bundle', () => {
    const docs = parseProvenanceText(JSON.stringify(bundleOf(env), null, 2));
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ index: 1, format: 'sigstore-bundle', envelope: { payloadType: 'application/vnd.in-toto+json' } });
  });
  it('JSONL of bundles (gh attestation download) with line numbers', () => {
    const docs = parseProvenanceText(`${JSON.stringify(bundleOf(env))}\n\n${JSON.stringify(bundleOf(env))}\n`);
    expect(docs.map((d) => [d.index, d.line, d.format])).toEqual([[1, 1, 'sigstore-bundle'], [2, 3, 'sigstore-bundle']]);
  });
  it('the GitHub attestations API response', () => {
    const docs = parseProvenanceText(JSON.stringify({ attestations: [{ bundle: bundleOf(env), repository_id: 1 }] }));
    expect(docs[0].format).toBe('sigstore-bundle');
  });
  it('slsa-github-generator .intoto.jsonl envelope with its certificate', () => {
    const docs = parseProvenanceText(`${JSON.stringify(env)}\n`);
    expect(docs[0]).toMatchObject({ format: 'dsse-envelope' });
    expect(docs[0].envelope.signatures[0].cert).toContain('BEGIN CERTIFICATE');
  });
  it.each([
    ['', /empty/],
    ['{"a":1}', /neither a sigstore bundle nor a DSSE envelope/],
    [`${JSON.stringify(env)}\n{not json`, /^invalid JSON/], // the line is e.line (the gate prints file:line:), see below
    [JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', messageSignature: {} }), /no dsseEnvelope/],
    [JSON.stringify({ payloadType: 'x', payload: 'eA==' }), /no signatures array/],
    [JSON.stringify({ attestations: [] }), /empty/],
  ])('refuses %j precisely', (text, re) => {
    expect(() => parseProvenanceText(text)).toThrow(ProvenanceFormatError);
    expect(() => parseProvenanceText(text)).toThrow(re);
  });
});

it('bad JSON carries its line number for the file:line: prefix', () => {
  let err: unknown;
  try {
    parseProvenanceText(`\n{not json`);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ProvenanceFormatError);
  expect((err as ProvenanceFormatError).line).toBe(2);
});

describe('SLSA facts', () => {
  it('v1: workflow, resolved dependency, builder', () => {
    const d = decodeStatement(legacyEnvelope(githubV1Statement()) as never);
    expect('facts' in d && d.facts).toMatchObject({
      slsaVersion: 'v1',
      builderId: 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.2.3',
      configSourceUri: 'git+https://github.com/acme/widget',
      configSourceRef: 'refs/tags/v1.2.3',
      materialSourceUri: 'git+https://github.com/acme/widget',
      materialSourceRef: 'refs/tags/v1.2.3',
      workflowPath: '.github/workflows/release.yml',
      sourceCommit: COMMIT,
      subjects: [{ name: 'widget.tgz', digest: `sha256:${sha256('widget')}` }],
    });
  });
  it('v0.2: configSource, materials, entryPoint', () => {
    const d = decodeStatement(legacyEnvelope(generatorV02Statement({ ref: 'refs/heads/main' })) as never);
    expect('facts' in d && d.facts).toMatchObject({
      slsaVersion: 'v0.2',
      configSourceUri: 'git+https://github.com/acme/widget',
      configSourceRef: 'refs/heads/main',
      materialSourceRef: 'refs/heads/main',
      workflowPath: '.github/workflows/release.yml',
    });
  });
  it('subjects without a usable sha256 have no digest (never match)', () => {
    const st = githubV1Statement();
    (st.subject as unknown[]).push({ name: 'x', digest: { sha512: 'ab' } }, { name: 'y', digest: { sha256: 'zz' } });
    const d = decodeStatement(legacyEnvelope(st) as never);
    expect('facts' in d && d.facts.subjects.map((s) => s.digest)).toEqual([`sha256:${sha256('widget')}`, undefined, undefined]);
  });
});

describe('records cross-check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-rec-'));
  const D = `sha256:${sha256('widget')}`;
  const rec = (run_id: string, digest?: string, gate = 'verify-cosign') =>
    JSON.stringify({ schema: 'chaingate.pipeline_run/v1', record_id: 'abcdef0123456789', gate, outcome: 'pass', run: { run_id, repository: 'acme/widget' }, ...(digest ? { subject: { digest } } : {}) });
  it('passes when every record of the run names the verified digest (other runs ignored)', () => {
    const p = join(dir, 'ok.ndjson');
    writeFileSync(p, [rec('1', D), rec('1'), rec('2', `sha256:${'e'.repeat(64)}`)].join('\n'));
    const r = crossCheckRecords(p, [D], { runId: '1', repository: 'acme/widget' });
    expect(r.claim?.ok).toBe(true);
    expect(r.considered).toBe(1);
  });
  it('fails when a record of the run names another digest', () => {
    const p = join(dir, 'bad.ndjson');
    writeFileSync(p, [rec('1', D), rec('1', `SHA256:${'E'.repeat(64)}`, 'sbom')].join('\n'));
    const r = crossCheckRecords(p, [D], { runId: '1' });
    expect(r.claim).toMatchObject({ ok: false, reason: 'records-subject-mismatch' });
    expect(r.claim?.message).toContain(`sha256:${'e'.repeat(64)}`);
  });
  it('a local run compares every record of the file', () => {
    const p = join(dir, 'local.ndjson');
    writeFileSync(p, [rec('7', `sha256:${'e'.repeat(64)}`)].join('\n'));
    expect(crossCheckRecords(p, [D], {}).claim?.ok).toBe(false);
  });
  it('an unreadable or corrupt file is an error, not a pass', () => {
    expect(crossCheckRecords(join(dir, 'missing.ndjson'), [D], {}).error).toMatch(/ENOENT/);
    const p = join(dir, 'corrupt.ndjson');
    writeFileSync(p, `${rec('1', D)}\n{"half":`);
    expect(crossCheckRecords(p, [D], {}).error).toMatch(/:2: invalid JSON/);
  });
});
