// GitHub-shaped SLSA provenance statements for tests: what actions/attest-build-provenance (SLSA v1) and
// slsa-github-generator's generic generator (SLSA v0.2) emit, with the values a test wants to vary.
import { createHash } from 'node:crypto';

export const GENERATOR_BUILDER = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml';
export const COMMIT = 'fa84c9e0c3a4f1b2d5e6f7a8b9c0d1e2f3a4b5c6';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ShapeOptions {
  repo?: string;
  ref?: string;
  workflowPath?: string;
  /** builder.id; default: generator at v2.1.0 (v0.2) or the repo's own workflow (v1) */
  builderId?: string;
  subjects?: ReadonlyArray<{ name: string; sha256: string }>;
  /** v1: resolvedDependencies[0].uri override */
  materialUri?: string;
  predicateType?: string;
  statementType?: string;
}

/** SLSA v1 as actions/attest-build-provenance writes it. */
export function githubV1Statement(o: ShapeOptions = {}): Record<string, unknown> {
  const repo = o.repo ?? 'acme/widget';
  const ref = o.ref ?? 'refs/tags/v1.2.3';
  const path = o.workflowPath ?? '.github/workflows/release.yml';
  return {
    _type: o.statementType ?? 'https://in-toto.io/Statement/v1',
    subject: (o.subjects ?? [{ name: 'widget.tgz', sha256: sha256('widget') }]).map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicateType: o.predicateType ?? 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: { workflow: { ref, repository: `https://github.com/${repo}`, path } },
        internalParameters: { github: { event_name: 'push', repository_id: '123456', repository_owner_id: '654321', runner_environment: 'github-hosted' } },
        resolvedDependencies: [{ uri: o.materialUri ?? `git+https://github.com/${repo}@${ref}`, digest: { gitCommit: COMMIT } }],
      },
      runDetails: {
        builder: { id: o.builderId ?? `https://github.com/${repo}/${path}@${ref}` },
        metadata: { invocationId: `https://github.com/${repo}/actions/runs/4242/attempts/1` },
      },
    },
  };
}

/** SLSA v0.2 as slsa-github-generator's generic generator writes it. */
export function generatorV02Statement(o: ShapeOptions = {}): Record<string, unknown> {
  const repo = o.repo ?? 'acme/widget';
  const ref = o.ref ?? 'refs/tags/v1.2.3';
  const path = o.workflowPath ?? '.github/workflows/release.yml';
  return {
    _type: o.statementType ?? 'https://in-toto.io/Statement/v0.1',
    predicateType: o.predicateType ?? 'https://slsa.dev/provenance/v0.2',
    subject: (o.subjects ?? [{ name: 'widget-linux-amd64', sha256: sha256('widget') }]).map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicate: {
      builder: { id: o.builderId ?? `${GENERATOR_BUILDER}@refs/tags/v2.1.0` },
      buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
      invocation: {
        configSource: { uri: `git+https://github.com/${repo}@${ref}`, digest: { sha1: COMMIT }, entryPoint: path },
        parameters: {},
        environment: { github_event_name: 'push', github_ref: ref, github_repository: repo, github_sha1: COMMIT },
      },
      metadata: { buildInvocationID: '4242-1', completeness: { parameters: true, environment: false, materials: false }, reproducible: false },
      materials: [{ uri: o.materialUri ?? `git+https://github.com/${repo}@${ref}`, digest: { sha1: COMMIT } }],
    },
  };
}

/** An unsigned DSSE envelope line as slsa-github-generator's older `.intoto.jsonl` has it (signature + PEM cert). */
export function legacyEnvelope(st: Record<string, unknown>, payloadType = 'application/vnd.in-toto+json'): Record<string, unknown> {
  return {
    payloadType,
    payload: Buffer.from(JSON.stringify(st)).toString('base64'),
    signatures: [{ keyid: '', sig: Buffer.from('not-a-real-signature').toString('base64'), cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }],
  };
}

/** SLSA v1 as slsa-github-generator writes it (buildType github-actions-buildtypes/workflow/v1, the generator as builder). */
export function generatorV1Statement(o: ShapeOptions = {}): Record<string, unknown> {
  const st = githubV1Statement({ builderId: `${GENERATOR_BUILDER}@refs/tags/v2.1.0`, ...o });
  const bd = (st.predicate as any).buildDefinition;
  bd.buildType = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';
  bd.externalParameters.inputs = {};
  bd.externalParameters.vars = {};
  return st;
}

/**
 * SLSA v1 as the npm CLI writes it for `npm publish --provenance`: subject `pkg:npm/<name>@<version>` with a
 * sha512 digest (hex) of the tarball, builder.id the hosted runner (the signer is the repository's workflow).
 */
export function npmV1Statement(o: ShapeOptions & { sha512?: string; runner?: string; name?: string } = {}): Record<string, unknown> {
  const st = githubV1Statement(o);
  st.subject = [{ name: o.name ?? 'pkg:npm/%40acme/widget@1.2.3', digest: { sha512: o.sha512 ?? sha512('widget') } }];
  const pred = st.predicate as any;
  pred.buildDefinition.buildType = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';
  pred.runDetails.builder.id = o.builderId ?? `https://github.com/actions/runner/${o.runner ?? 'github-hosted'}`;
  return st;
}

export function sha512(data: string | Buffer): string {
  return createHash('sha512').update(data).digest('hex');
}
