// A second pass of shapes real users bring to verify-slsa: `gh attestation download` files with several
// attestations of one digest (provenance AND SBOM, several runs, a line that does not verify), source-uri as
// users type it (with the ref the provenance itself writes, SSH, .git, trailing slash, letter case),
// slsa-github-generator v0.2 at v2.0.0, bundle versions and a multi-signature envelope. Tests marked "before:"
// failed on the code before this review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateRunner, why } from './run.js';
import { MockSigstore, githubClaims, setBundleVersion, statement } from '../../helpers/sigstore.js';
import { GENERATOR_BUILDER, generatorV02Statement, githubV1Statement, npmV1Statement, sha256, sha512 } from './shapes.js';

const REPO = 'Acme/Widget';
const BYTES = 'widget-1.2.3 bytes (review 2)';
const TGZ = 'acme-widget-1.2.3.tgz bytes (review 2)';
const GEN_V2 = `${GENERATOR_BUILDER}@refs/tags/v2.0.0`;
const subjects = [{ name: 'widget', sha256: sha256(BYTES) }];
const own = (repo = REPO, ref = 'refs/tags/v1.2.3', path = '.github/workflows/release.yml') => `https://github.com/${repo}/${path}@${ref}`;

let ss: MockSigstore;
let dir: string;
beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-slsa-real2-'));
  writeFileSync(join(dir, 'widget'), BYTES);
  writeFileSync(join(dir, 'widget.tgz'), TGZ);
  ss.writeFiles(dir, { root: true });
});
afterAll(async () => ss?.close());

/** GitHub artifact attestation (actions/attest-build-provenance) of `repo`'s own release workflow at `ref` */
const provenance = (o: { repo?: string; ref?: string } = {}) => {
  const repo = o.repo ?? REPO;
  const ref = o.ref ?? 'refs/tags/v1.2.3';
  const san = own(repo, ref);
  return ss.signStatement(githubV1Statement({ subjects, repo, ref, builderId: san }), { identity: san, github: { ...githubClaims(repo, ref), job_workflow_ref: san.slice('https://github.com/'.length) } });
};
/** the SBOM attestation (actions/attest-sbom) of the same artifact by the same workflow */
const sbom = () =>
  ss.signStatement(statement([{ name: 'widget', digest: { sha256: sha256(BYTES) } }], 'https://spdx.dev/Document', { spdxVersion: 'SPDX-2.3' }), { identity: own(), github: githubClaims(REPO, 'refs/tags/v1.2.3') });
const jsonl = (...lines: unknown[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

const run = gateRunner(() => dir, { 'source-uri': `github.com/${REPO}` }, '.jsonl');

describe('gh attestation download: several attestations of one digest', () => {
  it('SBOM + a branch build + the tag build: the tag build\'s provenance is the one that passes source-tag', async () => {
    const r = await run(jsonl(await sbom(), await provenance({ ref: 'refs/heads/main' }), await provenance()), { 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.outputs?.['source-ref']).toBe('refs/tags/v1.2.3');
    expect(r.details?.documents).toBe(3);
  });

  it('SBOM + only a branch build: fail on the provenance\'s claim alone (the SBOM is ignored, not reported)', async () => {
    const r = await run(jsonl(await sbom(), await provenance({ ref: 'refs/heads/main' })), { 'source-tag': 'v1.2.3' });
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toEqual(['ref-mismatch']);
  });

  it('before: an SBOM alone was reported as "no document has a subject with digest …" (it has); now: no SLSA provenance names it, other attestations do', async () => {
    const r = await run(jsonl(await sbom(), await sbom()));
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toContain('subject-mismatch');
    expect(why(r)).toMatch(/no SLSA provenance in the file names it .*2 other attestation\(s\) of it are not provenance \(https:\/\/spdx\.dev\/Document\)/);
    expect(why(r)).not.toMatch(/no document of the provenance has a subject/);
  });

  it('an SBOM of another artifact does not count as "of it"', async () => {
    const other = await ss.signStatement(statement([{ name: 'other', digest: { sha256: sha256('other') } }], 'https://spdx.dev/Document', {}), { identity: own(), github: githubClaims(REPO) });
    const r = await run(jsonl(other, other));
    expect(r.outcome).toBe('fail');
    expect(why(r)).toMatch(/no document of the provenance has a subject with digest/);
  });

  it('a line that does not verify (tampered) next to a valid matching one: pass on the valid one; alone: never a pass', async () => {
    const good = await provenance();
    const tampered = structuredClone(good) as any;
    tampered.dsseEnvelope.payload = Buffer.from(JSON.stringify(githubV1Statement({ subjects, repo: 'Acme/Widget', ref: 'refs/tags/v9.9.9', builderId: own() }))).toString('base64');
    expect((await run(jsonl(tampered, good), { 'source-tag': 'v1.2.3' })).outcome).toBe('pass');
    const alone = await run(jsonl(tampered, await sbom()), { 'source-tag': 'v9.9.9' });
    expect(alone.outcome).toBe('fail');
    expect(alone.reasons).toEqual(['signature-invalid']);
  });

  it('a verified provenance from a fork (another repository) next to the real one: the real one passes; the fork alone fails', async () => {
    const fork = await provenance({ repo: 'Evil/Widget' });
    expect((await run(jsonl(fork, await provenance()))).outcome).toBe('pass');
    const r = await run(jsonl(fork, await sbom()));
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toContain('source-mismatch');
  });

  it('npm: the tarball against a JSONL of the SLSA provenance and the npm publish attestation (sha512 subjects); before: another file failed with predicate-type-invalid taken from the publish attestation', async () => {
    const san = own(REPO, 'refs/tags/v1.2.3', '.github/workflows/publish.yml');
    const slsa = await ss.signStatement(npmV1Statement({ repo: REPO, sha512: sha512(TGZ) }), { identity: san, github: githubClaims(REPO, 'refs/tags/v1.2.3') });
    const publish = await ss.signStatement(
      { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'pkg:npm/%40acme/widget@1.2.3', digest: { sha512: sha512(TGZ) } }], predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', predicate: { name: '@acme/widget', version: '1.2.3' } },
      { identity: san },
    );
    const r = await run(jsonl(publish, slsa), { artifact: 'widget.tgz', 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
    const other = await run(jsonl(publish, slsa), { artifact: 'widget', 'source-tag': 'v1.2.3' });
    expect(other.outcome).toBe('fail');
    expect(other.reasons).toEqual(['subject-mismatch']);
  });
});

describe('one attestation per file (separate attest steps, or `gh attestation download` of each file concatenated)', () => {
  const signFile = (name: string, data: string, o: { repo?: string; ref?: string } = {}) => {
    const repo = o.repo ?? REPO;
    const ref = o.ref ?? 'refs/tags/v1.2.3';
    const san = own(repo, ref);
    return ss.signStatement(githubV1Statement({ subjects: [{ name, sha256: sha256(data) }], repo, ref, builderId: san }), { identity: san, github: githubClaims(repo, ref) });
  };
  beforeAll(() => {
    writeFileSync(join(dir, 'widget-darwin'), `${BYTES} darwin`);
  });
  it('before: each document failed "subjects" for not naming the other file, so the release failed; now each file is verified by its own document', async () => {
    const r = await run(jsonl(await signFile('widget', BYTES), await signFile('widget-darwin', `${BYTES} darwin`)), { artifact: 'widget\nwidget-darwin', 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.outputs?.['subject-digests']).toBe(`sha256:${sha256(BYTES)},sha256:${sha256(`${BYTES} darwin`)}`);
  });
  it('a file whose own document fails a claim (built at another tag, or in a fork) fails the release', async () => {
    const tag = await run(jsonl(await signFile('widget', BYTES), await signFile('widget-darwin', `${BYTES} darwin`, { ref: 'refs/tags/v1.2.4' })), { artifact: 'widget\nwidget-darwin', 'source-tag': 'v1.2.3' });
    expect(tag.outcome).toBe('fail');
    expect(tag.reasons).toEqual(['ref-mismatch']);
    expect(why(tag)).toMatch(/widget-darwin/);
    const fork = await run(jsonl(await signFile('widget', BYTES), await signFile('widget-darwin', `${BYTES} darwin`, { repo: 'Evil/Widget' })), { artifact: 'widget\nwidget-darwin' });
    expect(fork.outcome).toBe('fail');
    expect(fork.reasons).toContain('source-mismatch');
  });
  it('a file no document names fails subject-mismatch, naming it', async () => {
    const r = await run(jsonl(await signFile('widget', BYTES)), { artifact: 'widget\nwidget-darwin' });
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toEqual(['subject-mismatch']);
    expect(why(r)).toMatch(/widget-darwin: no document of the provenance has a subject/);
  });
});

describe('source-uri as users type it', () => {
  it.each([
    ['github.com/o/r', 'github.com/Acme/Widget'],
    ['https://', 'https://github.com/Acme/Widget'],
    ['git+https://', 'git+https://github.com/Acme/Widget'],
    ['trailing slash', 'https://github.com/Acme/Widget/'],
    ['.git and trailing slash', 'https://github.com/Acme/Widget.git/'],
    ['before: upper-case .GIT (the own workflow was not recognised: untrusted-builder)', 'github.com/Acme/Widget.GIT'],
    ['owner/repo and host in another case', 'GitHub.com/ACME/widget'],
    ['the SSH clone URL', 'git@github.com:Acme/Widget.git'],
  ])('%s → pass', async (_n, uri) => {
    const r = await run(jsonl(await provenance()), { 'source-uri': uri, 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
  });

  it('before: the provenance\'s own spelling git+https://github.com/o/r@refs/tags/v1.2.3 was an input error; now its ref is required', async () => {
    const b = await provenance();
    const r = await run(jsonl(b), { 'source-uri': 'git+https://github.com/Acme/Widget@refs/tags/v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.policy).toMatchObject({ 'source-uri': 'git+https://github.com/Acme/Widget', 'source-tag': 'v1.2.3' });
    // the ref is enforced, never dropped
    expect((await run(jsonl(b), { 'source-uri': 'git+https://github.com/Acme/Widget@refs/tags/v9.9.9' })).reasons).toEqual(['ref-mismatch']);
    expect((await run(jsonl(b), { 'source-uri': 'github.com/Acme/Widget@refs/heads/main' })).reasons).toEqual(['ref-mismatch']);
    const main = await run(jsonl(await provenance({ ref: 'refs/heads/main' })), { 'source-uri': 'https://github.com/Acme/Widget@refs/heads/main' });
    expect(main.outcome, why(main)).toBe('pass');
    expect(main.policy).toMatchObject({ 'source-branch': 'main' });
  });

  it.each([
    ['a ref that is not refs/tags or refs/heads', { 'source-uri': 'git+https://github.com/Acme/Widget@v1.2.3' }, /refs\/tags/],
    ['a commit', { 'source-uri': `git+https://github.com/Acme/Widget@${'a'.repeat(40)}` }, /refs\/tags/],
    ['a ref contradicting source-tag', { 'source-uri': 'github.com/Acme/Widget@refs/tags/v1.2.3', 'source-tag': 'v1.2.4' }, /contradicts/],
    ['a tag ref with source-branch', { 'source-uri': 'github.com/Acme/Widget@refs/tags/v1.2.3', 'source-branch': 'main' }, /contradicts/],
  ])('%s → invalid-input', async (_n, inputs, msg) => {
    const r = await run(jsonl(await provenance()), inputs);
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['invalid-input']);
    expect(why(r)).toMatch(msg);
  });

  it('the same ref given twice (source-uri@ref and source-tag) is accepted', async () => {
    const r = await run(jsonl(await provenance()), { 'source-uri': 'github.com/Acme/Widget@refs/tags/v1.2.3', 'source-tag': 'v1.2.3' });
    expect(r.outcome, why(r)).toBe('pass');
  });

  it.each(['github.com/Acme/Widget-evil', 'github.com/Acme/Widge', 'github.com/Acme-evil/Widget', 'github.com/Acme/Widget/extra'])('fails or refuses %s', async (uri) => {
    const r = await run(jsonl(await provenance()), { 'source-uri': uri });
    expect(r.outcome).not.toBe('pass');
  });

  it('the ref is compared exactly (git refs are case-sensitive)', async () => {
    const r = await run(jsonl(await provenance()), { 'source-tag': 'V1.2.3' });
    expect(r.reasons).toEqual(['ref-mismatch']);
  });
});

describe('slsa-github-generator v0.2 (generator_generic_slsa3.yml@refs/tags/v2.0.0) in a sigstore bundle', () => {
  const gen = (o: { repo?: string; ref?: string; builderId?: string } = {}) => {
    const repo = o.repo ?? REPO;
    const ref = o.ref ?? 'refs/tags/v1.2.3';
    return ss.signStatement(generatorV02Statement({ subjects, repo, ref, builderId: o.builderId ?? GEN_V2 }), { identity: GEN_V2, github: { ...githubClaims(repo, ref), job_workflow_ref: GEN_V2.slice('https://github.com/'.length) } });
  };
  it('source, tag, workflow (configSource.entryPoint) and builder with version in both spellings', async () => {
    const b = await gen();
    for (const builder of [`${GENERATOR_BUILDER}@v2.0.0`, `${GENERATOR_BUILDER}@refs/tags/v2.0.0`, GENERATOR_BUILDER]) {
      const r = await run(jsonl(b), { 'source-tag': 'v1.2.3', workflow: '.github/workflows/release.yml', 'builder-id': builder });
      expect(r.outcome, why(r)).toBe('pass');
      expect(r.outputs?.['builder-id']).toBe(GEN_V2);
    }
  });
  it.each([
    ['another builder version', { 'builder-id': `${GENERATOR_BUILDER}@v2.1.0` }, 'builder-mismatch'],
    ['another workflow', { workflow: '.github/workflows/build.yml' }, 'workflow-mismatch'],
    ['a branch asked, a tag built', { 'source-branch': 'main' }, 'ref-mismatch'],
  ])('fails: %s', async (_n, inputs, reason) => {
    expect((await run(jsonl(await gen()), inputs)).reasons).toEqual([reason]);
  });
  it('a branch build with source-branch passes; builder.id that is not the signer fails', async () => {
    expect((await run(jsonl(await gen({ ref: 'refs/heads/main' })), { 'source-branch': 'main' })).outcome).toBe('pass');
    const r = await run(jsonl(await gen({ builderId: `${GENERATOR_BUILDER}@refs/tags/v1.9.0` })));
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toContain('builder-mismatch');
  });
});

describe('image references', () => {
  it('before: a tag (ghcr.io/o/r:1.0) was refused as "algorithm ghcr.io/o/r is not supported"; now "not pinned by digest"', async () => {
    const r = await run(jsonl(await provenance()), { artifact: '', image: 'ghcr.io/acme/widget:1.2.3' });
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['invalid-input']);
    expect(why(r)).toMatch(/not pinned by digest/);
  });
  it.each([`ghcr.io/acme/widget@SHA256:${sha256(BYTES).toUpperCase()}`, `localhost:5000/acme/widget:1.2.3@sha256:${sha256(BYTES)}`, `sha256:${sha256(BYTES)}`])('%s is the artifact by its digest', async (image) => {
    const r = await run(jsonl(await provenance()), { artifact: '', image });
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.outputs?.['subject-digests']).toBe(`sha256:${sha256(BYTES)}`);
  });
});

describe('bundle forms', () => {
  it.each(['0.1', '0.2', '0.3'] as const)('bundle v%s (certificate chain or single certificate) verifies', async (v) => {
    const r = await run(jsonl(setBundleVersion(await provenance(), v)));
    expect(r.outcome, why(r)).toBe('pass');
  });
  it('a DSSE envelope with two signatures is refused with a message that says why', async () => {
    const b = (await provenance()) as any;
    b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]);
    const r = await run(jsonl(b));
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toEqual(['signature-invalid']);
    expect(why(r)).toMatch(/exactly one signature/);
  });
});
