import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRUSTED_BUILDERS,
  GITHUB_OIDC_ISSUER,
  checkDocument,
  normalizeSourceUri,
  parseBuilderId,
  type Expectations,
  type SignerIdentity,
} from '../../../src/gates/verify-slsa/claims.js';
import { decodeStatement, type ProvenanceFacts } from '../../../src/gates/verify-slsa/provenance.js';
import { isPlainReleaseTag, parseSemver, versionedTagMismatch } from '../../../src/gates/verify-slsa/semver.js';
import { GENERATOR_BUILDER, generatorV02Statement, githubV1Statement, legacyEnvelope, sha256, type ShapeOptions } from './shapes.js';

const DIGEST = `sha256:${sha256('widget')}`;

function facts(st: Record<string, unknown>): ProvenanceFacts {
  const d = decodeStatement(legacyEnvelope(st) as never);
  if ('problem' in d) throw new Error(d.problem.message);
  return d.facts;
}

function exp(o: Partial<Expectations> = {}): Expectations {
  return { sourceUri: 'git+https://github.com/acme/widget', artifacts: [{ name: 'widget', digest: DIGEST }], trustedBuilders: DEFAULT_TRUSTED_BUILDERS, ...o };
}

const generatorIdentity = (o: Partial<SignerIdentity> = {}): SignerIdentity => ({
  san: `${GENERATOR_BUILDER}@refs/tags/v2.1.0`,
  issuer: GITHUB_OIDC_ISSUER,
  sourceRepositoryUri: 'https://github.com/acme/widget',
  ...o,
});

const ownIdentity = (ref = 'refs/tags/v1.2.3'): SignerIdentity => ({
  san: `https://github.com/acme/widget/.github/workflows/release.yml@${ref}`,
  issuer: GITHUB_OIDC_ISSUER,
  sourceRepositoryUri: 'https://github.com/acme/widget',
});

const failing = (claims: ReturnType<typeof checkDocument>) => claims.filter((c) => !c.ok).map((c) => c.reason);

describe('source-uri normalisation (as slsa-verifier)', () => {
  it.each([
    ['github.com/acme/widget', 'git+https://github.com/acme/widget'],
    ['https://github.com/acme/widget', 'git+https://github.com/acme/widget'],
    ['git+https://github.com/acme/widget', 'git+https://github.com/acme/widget'],
    ['github.com/acme/widget.git', 'git+https://github.com/acme/widget'],
    ['git@github.com:acme/widget.git', 'git+https://github.com/acme/widget'],
    ['https://github.com/acme/widget/', 'git+https://github.com/acme/widget'],
  ])('%s → %s', (a, b) => expect(normalizeSourceUri(a)).toBe(b));
  it.each(['', 'acme/widget', 'github.com/acme', 'github.com/acme/widget/extra', 'github.com/acme/wid get'])('refuses %j', (a) => expect(() => normalizeSourceUri(a)).toThrow(/source-uri/));
});

describe('builder-id input', () => {
  it('takes a name, name@vX.Y.Z and name@refs/tags/vX.Y.Z', () => {
    expect(parseBuilderId(GENERATOR_BUILDER)).toEqual({ name: GENERATOR_BUILDER });
    expect(parseBuilderId(`${GENERATOR_BUILDER}@v2.1.0`)).toEqual({ name: GENERATOR_BUILDER, version: 'v2.1.0' });
    expect(parseBuilderId(`${GENERATOR_BUILDER}@refs/tags/v2.1.0`)).toEqual({ name: GENERATOR_BUILDER, version: 'v2.1.0' });
  });
  it.each(['@v1.2.3', 'x@main', 'x@v1.2', 'x@v1.2.3-rc.1', 'x@refs/heads/main'])('refuses %j', (s) => expect(() => parseBuilderId(s)).toThrow(/builder-id/));
});

describe('semver (Go dialect)', () => {
  it('parses what x/mod/semver accepts', () => {
    expect(parseSemver('v1')).toMatchObject({ major: '1', minor: undefined });
    expect(parseSemver('v1.2')).toMatchObject({ major: '1', minor: '2', patch: undefined });
    expect(parseSemver('v1.2.3-rc.1+b5')).toMatchObject({ patch: '3', prerelease: '-rc.1', build: '+b5' });
    for (const bad of ['1.2.3', 'v01.2.3', 'v1.2-rc1', 'v1.2.3-01', 'v1.2.3.4', 'vx']) expect(parseSemver(bad)).toBeUndefined();
  });
  it('plain release tags only for builders', () => {
    expect(isPlainReleaseTag('v2.1.0')).toBe(true);
    for (const t of ['v2', 'v2.1', 'v2.1.0-rc.1', 'v2.1.0+meta', 'main']) expect(isPlainReleaseTag(t)).toBe(false);
  });
  it('versioned tags compare as slsa-verifier does', () => {
    expect(versionedTagMismatch('v1.2.3', 'v1')).toBeUndefined();
    expect(versionedTagMismatch('v1.2.3', 'v1.2')).toBeUndefined();
    expect(versionedTagMismatch('v1.2.3', 'v1.2.3')).toBeUndefined();
    expect(versionedTagMismatch('v1.2.3-rc.1', 'v1.2')).toBeUndefined();
    expect(versionedTagMismatch('v2.0.0', 'v1')).toMatch(/major/);
    expect(versionedTagMismatch('v1.3.0', 'v1.2')).toMatch(/minor/);
    expect(versionedTagMismatch('v1.2.4', 'v1.2.3')).toMatch(/patch/);
    expect(versionedTagMismatch('v1.2.3', 'v1.2.3-rc.1')).toMatch(/prerelease/);
    // a release candidate is not the release it precedes (before: v1.2.3-rc.1 met v1.2.3)
    expect(versionedTagMismatch('v1.2.3-rc.1', 'v1.2.3')).toMatch(/prerelease of v1.2.3-rc.1 is not \(none\)/);
    expect(versionedTagMismatch('v1.2.3-rc.1', 'v1.2.3-rc.1')).toBeUndefined();
    expect(versionedTagMismatch('v1.2.3-rc.2', 'v1.2.3-rc.1')).toMatch(/prerelease/);
    expect(versionedTagMismatch('v1.3.0-beta', 'v1')).toBeUndefined();
    expect(versionedTagMismatch('release-1', 'v1')).toMatch(/not a semantic version/);
  });
});

describe('claims on a slsa-github-generator v0.2 provenance (reusable-workflow builder)', () => {
  const f = (o: ShapeOptions = {}) => facts(generatorV02Statement(o));

  it('passes with the default trusted builders, tag and workflow, and checks the caller repository', () => {
    const claims = checkDocument(f(), generatorIdentity(), exp({ sourceTag: 'v1.2.3', workflow: '.github/workflows/release.yml' }));
    expect(failing(claims)).toEqual([]);
    expect(claims.map((c) => c.id)).toEqual(['issuer', 'builder', 'builder-ref', 'builder-consistent', 'caller-repository', 'subjects', 'source-uri', 'source-ref', 'workflow']);
  });
  it('wrong issuer', () => expect(failing(checkDocument(f(), generatorIdentity({ issuer: 'https://accounts.google.com' }), exp()))).toEqual(['untrusted-issuer']));
  it('wrong repository (source and caller)', () => {
    const claims = checkDocument(f({ repo: 'evil/widget' }), generatorIdentity({ sourceRepositoryUri: 'https://github.com/evil/widget' }), exp());
    expect(failing(claims)).toEqual(['caller-mismatch', 'source-mismatch']);
    expect(claims.find((c) => c.id === 'source-uri')?.message).toContain('git+https://github.com/evil/widget');
  });
  it('caller repository missing from a reusable-workflow certificate', () => {
    expect(failing(checkDocument(f(), generatorIdentity({ sourceRepositoryUri: undefined }), exp()))).toEqual(['caller-mismatch']);
  });
  it('a material naming another repository than the config source', () => {
    expect(failing(checkDocument(f({ materialUri: 'git+https://github.com/evil/widget@refs/tags/v1.2.3' }), generatorIdentity(), exp()))).toEqual(['source-mismatch']);
  });
  it('tag vs branch', () => {
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ sourceBranch: 'v1.2.3' })))).toEqual(['ref-mismatch']);
    expect(failing(checkDocument(f({ ref: 'refs/heads/main' }), generatorIdentity(), exp({ sourceTag: 'main' })))).toEqual(['ref-mismatch']);
    expect(failing(checkDocument(f({ ref: 'refs/heads/main' }), generatorIdentity(), exp({ sourceBranch: 'main' })))).toEqual([]);
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ sourceTag: 'v1.2.4' })))).toEqual(['ref-mismatch']);
  });
  it('versioned tag', () => {
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ sourceVersionedTag: 'v1.2' })))).toEqual([]);
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ sourceVersionedTag: 'v2' })))).toEqual(['ref-mismatch']);
    expect(failing(checkDocument(f({ ref: 'refs/heads/v1.2.3' }), generatorIdentity(), exp({ sourceVersionedTag: 'v1' })))).toEqual(['ref-mismatch']);
  });
  it('non-semver builder ref', () => {
    const id = generatorIdentity({ san: `${GENERATOR_BUILDER}@refs/heads/main` });
    const claims = checkDocument(f({ builderId: id.san }), id, exp());
    expect(failing(claims)).toEqual(['builder-ref-invalid']);
    const rc = generatorIdentity({ san: `${GENERATOR_BUILDER}@refs/tags/v2.1.0-rc.1` });
    expect(failing(checkDocument(f({ builderId: rc.san }), rc, exp()))).toEqual(['builder-ref-invalid']);
  });
  it('builder-id: name exact, version vX.Y.Z = refs/tags/vX.Y.Z', () => {
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ builderId: { name: GENERATOR_BUILDER, version: 'v2.1.0' } })))).toEqual([]);
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ builderId: { name: GENERATOR_BUILDER } })))).toEqual([]);
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ builderId: { name: GENERATOR_BUILDER, version: 'v2.0.0' } })))).toEqual(['builder-mismatch']);
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ builderId: { name: `${GENERATOR_BUILDER}x` } })))).toEqual(['builder-mismatch']);
  });
  it('an untrusted builder without builder-id', () => {
    const id = generatorIdentity({ san: 'https://github.com/someone/builder/.github/workflows/b.yml@refs/tags/v1.0.0' });
    expect(failing(checkDocument(f({ builderId: id.san }), id, exp()))).toEqual(['untrusted-builder']);
  });
  it('builder.id that is not the signing identity', () => {
    expect(failing(checkDocument(f({ builderId: `${GENERATOR_BUILDER}@refs/tags/v2.0.0` }), generatorIdentity(), exp()))).toEqual(['builder-mismatch']);
  });
  it('missing subject, extra subjects fine', () => {
    const other = `sha256:${sha256('other')}`;
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ artifacts: [{ name: 'other', digest: other }] })))).toEqual(['subject-mismatch']);
    const many = f({ subjects: [{ name: 'a', sha256: sha256('widget') }, { name: 'b', sha256: sha256('other') }, { name: 'c', sha256: sha256('c') }] });
    expect(failing(checkDocument(many, generatorIdentity(), exp({ artifacts: [{ name: 'a', digest: DIGEST }, { name: 'b', digest: other }] })))).toEqual([]);
  });
  it('digests compare after normalisation (upper-case hex in the provenance)', () => {
    const up = f({ subjects: [{ name: 'a', sha256: sha256('widget').toUpperCase() }] });
    expect(failing(checkDocument(up, generatorIdentity(), exp()))).toEqual([]);
  });
  it('workflow path', () => {
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ workflow: './.github/workflows/release.yml' })))).toEqual([]);
    expect(failing(checkDocument(f(), generatorIdentity(), exp({ workflow: '.github/workflows/other.yml' })))).toEqual(['workflow-mismatch']);
  });
});

describe('claims on a GitHub artifact attestation (SLSA v1, the repository\'s own workflow)', () => {
  const f = (o: ShapeOptions = {}) => facts(githubV1Statement(o));
  it('passes: the own workflow is trusted and runs at the source ref', () => {
    expect(failing(checkDocument(f(), ownIdentity(), exp({ sourceTag: 'v1.2.3' })))).toEqual([]);
    expect(failing(checkDocument(f({ ref: 'refs/heads/main' }), ownIdentity('refs/heads/main'), exp({ sourceBranch: 'main' })))).toEqual([]);
  });
  it('the workflow ran at another ref than the source', () => {
    expect(failing(checkDocument(f(), ownIdentity('refs/heads/main'), exp()))).toContain('builder-ref-invalid');
  });
  it('with builder-id and a version, the semver rule applies to the own workflow too', () => {
    const name = 'https://github.com/acme/widget/.github/workflows/release.yml';
    expect(failing(checkDocument(f(), ownIdentity(), exp({ builderId: { name, version: 'v1.2.3' } })))).toEqual([]);
    const main = f({ ref: 'refs/heads/main' });
    expect(failing(checkDocument(main, ownIdentity('refs/heads/main'), exp({ builderId: { name, version: 'v1.2.3' } })))).toEqual(['builder-mismatch', 'builder-ref-invalid']);
  });
  it('wrong repository', () => {
    expect(failing(checkDocument(f({ repo: 'evil/widget' }), ownIdentity(), exp()))).toContain('source-mismatch');
  });
  it('workflow.ref and resolvedDependencies disagree', () => {
    const claims = checkDocument(f({ materialUri: 'git+https://github.com/acme/widget@refs/tags/v9.9.9' }), ownIdentity(), exp({ sourceTag: 'v1.2.3' }));
    expect(failing(claims)).toContain('source-mismatch');
  });
});

describe('statements that are not SLSA provenance', () => {
  it('wrong payload type', () => {
    const d = decodeStatement(legacyEnvelope(githubV1Statement(), 'text/plain') as never);
    expect(d).toMatchObject({ problem: { reason: 'payload-type-invalid' } });
  });
  it('wrong predicate type', () => {
    const d = decodeStatement(legacyEnvelope(githubV1Statement({ predicateType: 'https://spdx.dev/Document' })) as never);
    expect(d).toMatchObject({ problem: { reason: 'predicate-type-invalid' } });
  });
  it('not an in-toto statement', () => {
    expect(decodeStatement(legacyEnvelope(githubV1Statement({ statementType: 'x' })) as never)).toMatchObject({ problem: { reason: 'statement-invalid' } });
    expect(decodeStatement({ payloadType: 'application/vnd.in-toto+json', payload: '!!!', signatures: [] })).toMatchObject({ problem: { reason: 'statement-invalid' } });
  });
});
