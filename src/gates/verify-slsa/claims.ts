// The claims a provenance must prove, as pure functions over parsed facts, the signer's certificate
// identity and what the caller expects. Each check returns a Claim (what was expected, what was found,
// pass or not, and the bounded reason code when not) so the summary can show every one of them.
import { InputError } from '../../core/types.js';
import type { ProvenanceFacts, Subject } from './provenance.js';
import { isPlainReleaseTag, versionedTagMismatch } from './semver.js';

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

const GENERATOR = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows';
/**
 * Builders trusted when no `builder-id` is given: slsa-verifier's defaults for GitHub Actions artifacts and
 * containers (slsa-github-generator's reusable workflows). A workflow of the source repository itself (what
 * actions/attest-build-provenance produces) is accepted too, as `gh attestation verify --repo` does.
 */
export const DEFAULT_TRUSTED_BUILDERS: readonly string[] = [
  `${GENERATOR}/generator_generic_slsa3.yml`,
  `${GENERATOR}/generator_container_slsa3.yml`,
  `${GENERATOR}/builder_go_slsa3.yml`,
  `${GENERATOR}/builder_container-based_slsa3.yml`,
  `${GENERATOR}/delegator_generic_slsa3.yml`,
  `${GENERATOR}/delegator_lowperms-generic_slsa3.yml`,
];

/** Identity from the (verified) Fulcio certificate. */
export interface SignerIdentity {
  /** subjectAlternativeName: for GitHub, `https://github.com/<o>/<r>/<path>@<ref>` of the (reusable) workflow */
  san: string;
  /** OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8, or the legacy .1.1) */
  issuer?: string;
  /** Source Repository URI of the caller (extension 1.3.6.1.4.1.57264.1.12) */
  sourceRepositoryUri?: string;
  /** Source Repository Ref (extension 1.3.6.1.4.1.57264.1.14) */
  sourceRepositoryRef?: string;
  /** Build Config URI (extension 1.3.6.1.4.1.57264.1.18): the top-level workflow file at its ref */
  buildConfigUri?: string;
}

export interface ArtifactDigests {
  name: string;
  /** `sha256:<hex>` */
  digest: string;
  /** `sha512:<hex>`, files only, computed when a subject names a sha512 digest */
  sha512?: string;
}

/**
 * A subject names the artifact when every digest of it chaingate can compute agrees and at least one was
 * compared: sha256 always, sha512 for files (npm provenance names the tarball by sha512 only). A subject
 * whose sha256 matches but whose sha512 does not is not the artifact.
 */
export function subjectMatches(s: Subject, a: ArtifactDigests): boolean {
  // a malformed sha256 / sha512 value names nothing: "a subject with both digests must match both"
  if (s.malformed?.length) return false;
  let compared = false;
  if (s.digest) {
    if (s.digest !== a.digest) return false;
    compared = true;
  }
  if (s.sha512 && a.sha512) {
    if (s.sha512 !== a.sha512) return false;
    compared = true;
  }
  return compared;
}

/** Whether chaingate can compare this subject with the artifact at all. */
export const subjectComparable = (s: Subject, a: ArtifactDigests): boolean => !!s.malformed?.length || !!s.digest || (!!s.sha512 && !!a.sha512);

export interface BuilderIdSpec {
  name: string;
  /** `vX.Y.Z` when a version was given */
  version?: string;
}

export interface Expectations {
  /** normalised: `git+https://github.com/o/r` */
  sourceUri: string;
  sourceTag?: string;
  sourceVersionedTag?: string;
  sourceBranch?: string;
  builderId?: BuilderIdSpec;
  workflow?: string;
  /** normalised digests of the artifacts (files and images) with a display name; `sha512` for files when a
   *  subject names a sha512 digest (npm provenance) */
  artifacts: ArtifactDigests[];
  trustedBuilders: readonly string[];
}

export type ClaimReason =
  | 'payload-type-invalid'
  | 'statement-invalid'
  | 'predicate-type-invalid'
  | 'signature-invalid'
  | 'untrusted-issuer'
  | 'builder-mismatch'
  | 'untrusted-builder'
  | 'builder-ref-invalid'
  | 'caller-mismatch'
  | 'subject-mismatch'
  | 'source-mismatch'
  | 'ref-mismatch'
  | 'workflow-mismatch'
  | 'records-subject-mismatch';

export const CLAIM_REASONS: readonly ClaimReason[] = [
  'payload-type-invalid',
  'statement-invalid',
  'predicate-type-invalid',
  'signature-invalid',
  'untrusted-issuer',
  'builder-mismatch',
  'untrusted-builder',
  'builder-ref-invalid',
  'caller-mismatch',
  'subject-mismatch',
  'source-mismatch',
  'ref-mismatch',
  'workflow-mismatch',
  'records-subject-mismatch',
];

export interface Claim {
  id: string;
  label: string;
  expected: string;
  actual: string;
  ok: boolean;
  reason?: ClaimReason;
  /** precise explanation when not ok */
  message?: string;
  /** who checked it */
  by?: 'chaingate' | 'slsa-verifier';
}

// ---------------------------------------------------------------------------------------------------------
// Input normalisation (mirrors slsa-verifier)

/** `github.com/o/r` → `git+https://github.com/o/r`; `https://…` → `git+https://…`; `git+…` unchanged. */
export function normalizeSourceUri(input: string): string {
  let s = input.trim().replace(/\/+$/, '').replace(/\.git$/i, '');
  if (!s) throw new InputError('source-uri: empty');
  // the SSH clone URL users copy from GitHub: git@github.com:owner/repo(.git)
  const scp = /^git@([^:/\s]+):([^/\s]+\/[^/\s]+)$/.exec(s);
  if (scp) s = `https://${scp[1]}/${scp[2]}`;
  if (!s.startsWith('git+')) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
    s = `git+${s}`;
  }
  if (!/^git\+https:\/\/[^/\s@]+\/[^/\s@]+\/[^/\s@]+$/.test(s)) {
    throw new InputError(`source-uri: "${input}" is not of the form github.com/<owner>/<repo>`);
  }
  return s;
}

/**
 * `…/owner/repo@<ref>` → repository and ref (the provenance's own spelling, e.g.
 * `git+https://github.com/o/r@refs/tags/v1`). The SSH form `git@host:o/r` and user-info (`https://u@host/…`)
 * are not refs: only an `@` after `/owner/repo` counts.
 */
export function splitSourceUriRef(input: string): { uri: string; ref?: string } {
  const m = /^(?!git@)(.+?\/[^/@\s]+\/[^/@\s]+)@(\S+)$/.exec(input.trim());
  return m ? { uri: m[1], ref: m[2] } : { uri: input };
}

/** `name`, `name@vX.Y.Z` or `name@refs/tags/vX.Y.Z`. */
export function parseBuilderId(input: string): BuilderIdSpec {
  const s = input.trim();
  const at = s.indexOf('@');
  if (at < 0) return { name: s };
  const name = s.slice(0, at);
  let version = s.slice(at + 1);
  if (version.startsWith('refs/tags/')) version = version.slice('refs/tags/'.length);
  if (!name) throw new InputError(`builder-id: "${input}" has no name before "@"`);
  if (!isPlainReleaseTag(version)) throw new InputError(`builder-id: version "${s.slice(at + 1)}" is not of the form vX.Y.Z`);
  return { name, version };
}

/** `https://github.com/o/r/.github/workflows/x.yml@refs/tags/v1` → parts. */
export function parseWorkflowIdentity(id: string): { name: string; ref?: string; repository?: string; host?: string } {
  const at = id.indexOf('@');
  const name = at < 0 ? id : id.slice(0, at);
  const ref = at < 0 ? undefined : id.slice(at + 1);
  const m = /^https:\/\/([^/]+)\/([^/]+\/[^/]+)\//.exec(name);
  return { name, ref, repository: m?.[2], host: m?.[1] };
}

function repoOfSource(sourceUri: string): string {
  return sourceUri.replace(/^git\+https:\/\/[^/]+\//, '');
}
function hostOfSource(sourceUri: string): string {
  return /^git\+https:\/\/([^/]+)\//.exec(sourceUri)?.[1] ?? '';
}

const eqRepo = (a: string | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();

/**
 * Comparison key of a repository URI: GitHub owner and repository names (and host names) are
 * case-insensitive and a `.git` suffix names the same repository, so `https://github.com/Acme/Widget.git`
 * and `git+https://github.com/acme/widget` are one repository; `acme/widget-evil` or `acme/widget.evil` are not.
 */
export function repoKey(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  return uri.trim().replace(/^git\+/, '').replace(/\/+$/, '').replace(/\.git$/i, '').toLowerCase();
}
export const sameRepo = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && repoKey(a) === repoKey(b);

/**
 * Builder names compare as GitHub resolves them: host, owner and repository case-insensitively, the
 * workflow's path exactly (file paths are case-sensitive).
 */
export function builderNameKey(name: string): string {
  const m = /^(https:\/\/[^/]+\/[^/]+\/[^/]+)(\/.*)?$/.exec(name.trim());
  return m ? `${m[1].toLowerCase()}${m[2] ?? ''}` : name.trim();
}
const sameBuilder = (a: string, b: string) => builderNameKey(a) === builderNameKey(b);

/** The SLSA v1 builder.id npm writes (and GitHub's workflow build type allows): the runner, not a workflow. */
export const GITHUB_HOSTED_RUNNER_BUILDER = 'https://github.com/actions/runner/github-hosted';

// ---------------------------------------------------------------------------------------------------------
// Checks

/** A workflow file of the source repository itself, on the source's host. */
function isOwnWorkflow(b: ReturnType<typeof parseWorkflowIdentity>, exp: Expectations): boolean {
  return eqRepo(b.repository, repoOfSource(exp.sourceUri)) && (b.host ?? '').toLowerCase() === hostOfSource(exp.sourceUri).toLowerCase() && b.name.includes('/.github/workflows/');
}

const ok = (id: string, label: string, expected: string, actual: string): Claim => ({ id, label, expected, actual, ok: true });
const bad = (id: string, label: string, expected: string, actual: string, reason: ClaimReason, message: string): Claim => ({ id, label, expected, actual, ok: false, reason, message });

export function checkIssuer(identity: SignerIdentity): Claim {
  const label = 'certificate issuer';
  if (identity.issuer === GITHUB_OIDC_ISSUER) return ok('issuer', label, GITHUB_OIDC_ISSUER, identity.issuer);
  return bad('issuer', label, GITHUB_OIDC_ISSUER, identity.issuer ?? '(none)', 'untrusted-issuer', `certificate issuer is "${identity.issuer ?? '(none)'}", not GitHub Actions' OIDC issuer`);
}

/**
 * The builder: its identity (the certificate SAN when signed, else the provenance builder.id) against
 * `builder-id` or the trusted list; its ref must be a plain `refs/tags/vX.Y.Z` — except for a workflow of the
 * source repository itself, whose ref is the source ref.
 */
export function checkBuilder(builderIdentity: string | undefined, facts: ProvenanceFacts, exp: Expectations): Claim[] {
  const out: Claim[] = [];
  if (!builderIdentity) {
    out.push(bad('builder', 'builder', exp.builderId?.name ?? 'trusted builder', '(none)', exp.builderId ? 'builder-mismatch' : 'untrusted-builder', 'the provenance names no builder'));
    return out;
  }
  const b = parseWorkflowIdentity(builderIdentity);
  const own = isOwnWorkflow(b, exp);
  if (exp.builderId) {
    const want = exp.builderId.version ? `${exp.builderId.name}@refs/tags/${exp.builderId.version}` : exp.builderId.name;
    if (!sameBuilder(b.name, exp.builderId.name)) {
      out.push(bad('builder', 'builder', want, builderIdentity, 'builder-mismatch', `builder "${b.name}" is not "${exp.builderId.name}"`));
    } else if (exp.builderId.version && b.ref !== `refs/tags/${exp.builderId.version}`) {
      out.push(bad('builder', 'builder', want, builderIdentity, 'builder-mismatch', `builder version "${b.ref ?? '(none)'}" is not refs/tags/${exp.builderId.version}`));
    } else out.push(ok('builder', 'builder', want, builderIdentity));
  } else {
    const expected = `one of ${exp.trustedBuilders.length} trusted builders or a workflow of ${repoOfSource(exp.sourceUri)}`;
    if (exp.trustedBuilders.some((t) => sameBuilder(t, b.name)) || own) out.push(ok('builder', 'builder', expected, builderIdentity));
    else out.push(bad('builder', 'builder', expected, builderIdentity, 'untrusted-builder', `builder "${b.name}" is not a trusted builder (give builder-id to trust it)`));
  }
  // the builder's version
  const ref = b.ref;
  if (own && !exp.builderId?.version) {
    const src = facts.configSourceRef ?? facts.materialSourceRef;
    if (ref && src && ref === src) out.push(ok('builder-ref', 'builder ref', 'the source ref (workflow of the source repository)', ref));
    else out.push(bad('builder-ref', 'builder ref', src ?? 'the source ref', ref ?? '(none)', 'builder-ref-invalid', `the source repository's workflow ran at "${ref ?? '(none)'}", not at the source ref "${src ?? '(none)'}"`));
  } else if (!ref || !ref.startsWith('refs/tags/') || !isPlainReleaseTag(ref.slice('refs/tags/'.length))) {
    out.push(bad('builder-ref', 'builder ref', 'refs/tags/vX.Y.Z', ref ?? '(none)', 'builder-ref-invalid', `builder ref "${ref ?? '(none)'}" is not a release tag refs/tags/vX.Y.Z`));
  } else out.push(ok('builder-ref', 'builder ref', 'refs/tags/vX.Y.Z', ref));
  return out;
}

/**
 * The provenance's builder.id must be the identity that signed it. One exception, what the npm CLI writes
 * (buildType github-actions-buildtypes/workflow/v1): builder.id is GitHub's hosted runner
 * `https://github.com/actions/runner/github-hosted` while a workflow of the source repository itself signed
 * it; the builder checked is then that signing workflow. A self-hosted runner is not accepted.
 */
export function checkBuilderConsistent(facts: ProvenanceFacts, identity: SignerIdentity, exp?: Expectations): Claim {
  const label = 'builder.id = certificate identity';
  if (facts.builderId === identity.san) return ok('builder-consistent', label, identity.san, facts.builderId);
  if (facts.builderId === GITHUB_HOSTED_RUNNER_BUILDER && exp && isOwnWorkflow(parseWorkflowIdentity(identity.san), exp)) {
    return ok('builder-consistent', label, `${identity.san} (or the hosted runner, when signed by the source repository's workflow)`, facts.builderId);
  }
  if (facts.builderId?.startsWith('https://github.com/actions/runner/')) {
    const own = exp && isOwnWorkflow(parseWorkflowIdentity(identity.san), exp);
    return bad(
      'builder-consistent',
      label,
      identity.san,
      facts.builderId,
      'builder-mismatch',
      own ? `provenance builder.id "${facts.builderId}" is not GitHub's hosted runner (${GITHUB_HOSTED_RUNNER_BUILDER})` : `provenance builder.id "${facts.builderId}" (a runner) was signed by "${identity.san}", not by a workflow of the source repository`,
    );
  }
  return bad('builder-consistent', label, identity.san, facts.builderId ?? '(none)', 'builder-mismatch', `provenance builder.id "${facts.builderId ?? '(none)'}" is not the signing workflow "${identity.san}"`);
}

/** With a reusable workflow from another repository, the caller repository (Fulcio ext .12) must be the source. */
export function checkCaller(identity: SignerIdentity, exp: Expectations): Claim | undefined {
  const label = 'caller repository (cert 1.3.6.1.4.1.57264.1.12)';
  const b = parseWorkflowIdentity(identity.san);
  const reusable = !eqRepo(b.repository, repoOfSource(exp.sourceUri));
  const got = identity.sourceRepositoryUri;
  if (!got) {
    if (!reusable) return undefined;
    return bad('caller-repository', label, exp.sourceUri, '(none)', 'caller-mismatch', 'the certificate of a reusable-workflow builder does not name the calling repository');
  }
  if (sameRepo(got, exp.sourceUri)) return ok('caller-repository', label, exp.sourceUri, got);
  return bad('caller-repository', label, exp.sourceUri, got, 'caller-mismatch', `the workflow was called from "${got}", not "${exp.sourceUri.slice(4)}"`);
}

/**
 * The provenance's source ref must be the ref the certificate was issued for (Fulcio ext .14). This matters
 * most for a repository's own workflow: its steps could sign any predicate, but not another certificate.
 */
export function checkCertificateRef(facts: ProvenanceFacts, identity: SignerIdentity): Claim | undefined {
  const cert = identity.sourceRepositoryRef;
  if (!cert) return undefined;
  const label = 'source ref = certificate ref (1.3.6.1.4.1.57264.1.14)';
  const ref = sourceRefOf(facts);
  if (ref === cert) return ok('certificate-ref', label, cert, ref);
  return bad('certificate-ref', label, cert, ref ?? '(none)', 'source-mismatch', `the provenance says the source ref is "${ref ?? '(none)'}", the certificate was issued for "${cert}"`);
}

/**
 * The document names at least one of the artifacts. Which artifacts are covered is decided per artifact (each
 * must be named by a document that passes every claim), so one attestation per file — `gh attestation
 * download` output of several files, or separate attest steps — verifies a release of several files; a
 * document naming none of them fails this claim.
 */
export function checkSubjects(facts: ProvenanceFacts, exp: Expectations): Claim {
  const have = facts.subjects.flatMap((s) => [s.digest, s.sha512]).filter((d): d is string => !!d);
  const missing = exp.artifacts.filter((a) => !facts.subjects.some((s) => subjectMatches(s, a)));
  const expected = exp.artifacts.map((a) => `${a.name} ${a.digest}`).join(', ');
  if (!missing.length) return ok('subjects', 'subject digests', expected, `${facts.subjects.length} subject(s) cover every artifact`);
  if (missing.length < exp.artifacts.length) {
    const named = exp.artifacts.filter((a) => !missing.includes(a));
    return ok('subjects', 'subject digests', expected, `names ${named.map((a) => a.name).join(', ')} (${named.length} of ${exp.artifacts.length} artifacts; the others must be named by another document)`);
  }
  return bad(
    'subjects',
    'subject digests',
    expected,
    have.slice(0, 20).join(', ') || `(no sha256 or sha512 subject: ${[...new Set(facts.subjects.flatMap((s) => s.algorithms))].join(', ') || 'no digests'})`,
    'subject-mismatch',
    `no subject of the provenance has the digest of ${missing.map((m) => `${m.name} (${m.digest})`).join(', ')}${malformedNote(facts)}`,
  );
}

function malformedNote(facts: ProvenanceFacts): string {
  const bad = facts.subjects.find((s) => s.malformed?.length);
  return bad ? `; subject "${bad.name.slice(0, 120)}" has a malformed ${bad.malformed!.join(' and ')} digest, which names nothing` : '';
}

export function checkSource(facts: ProvenanceFacts, exp: Expectations): Claim {
  const label = facts.slsaVersion === 'v1' ? 'source (workflow.repository, resolvedDependencies[0])' : 'source (configSource, materials[0])';
  const cfg = facts.configSourceUri;
  const mat = facts.materialSourceUri;
  const actual = cfg === mat ? cfg ?? '(none)' : `${cfg ?? '(none)'} / ${mat ?? '(none)'}`;
  if (!sameRepo(cfg, exp.sourceUri)) return bad('source-uri', label, exp.sourceUri, actual, 'source-mismatch', `expected source "${exp.sourceUri}", the build configuration names "${cfg ?? '(none)'}"`);
  if (!sameRepo(mat, exp.sourceUri)) return bad('source-uri', label, exp.sourceUri, actual, 'source-mismatch', `expected source "${exp.sourceUri}", the first material names "${mat ?? '(none)'}"`);
  return ok('source-uri', label, exp.sourceUri, actual);
}

/** The source ref: both places must agree, then tag / versioned tag / branch as asked. */
export function sourceRefOf(facts: ProvenanceFacts): string | undefined {
  return facts.configSourceRef ?? facts.materialSourceRef;
}

export function checkSourceRef(facts: ProvenanceFacts, exp: Expectations): Claim | undefined {
  const cfg = facts.configSourceRef;
  const mat = facts.materialSourceRef;
  const ref = sourceRefOf(facts);
  if (cfg && mat && cfg !== mat) {
    return bad('source-ref', 'source ref', cfg, `${cfg} / ${mat}`, 'source-mismatch', `the provenance is inconsistent: the build configuration names ref "${cfg}", the first material "${mat}"`);
  }
  if (exp.sourceTag !== undefined) {
    const want = `refs/tags/${exp.sourceTag}`;
    return ref === want ? ok('source-ref', 'source tag', want, ref) : bad('source-ref', 'source tag', want, ref ?? '(none)', 'ref-mismatch', `source ref is "${ref ?? '(none)'}", expected "${want}"`);
  }
  if (exp.sourceBranch !== undefined) {
    const want = `refs/heads/${exp.sourceBranch}`;
    return ref === want ? ok('source-ref', 'source branch', want, ref) : bad('source-ref', 'source branch', want, ref ?? '(none)', 'ref-mismatch', `source ref is "${ref ?? '(none)'}", expected "${want}"`);
  }
  if (exp.sourceVersionedTag !== undefined) {
    const want = `refs/tags/${exp.sourceVersionedTag} (semver-compatible)`;
    if (!ref?.startsWith('refs/tags/')) return bad('source-ref', 'source versioned tag', want, ref ?? '(none)', 'ref-mismatch', `source ref "${ref ?? '(none)'}" is not a tag`);
    const why = versionedTagMismatch(ref.slice('refs/tags/'.length), exp.sourceVersionedTag);
    return why ? bad('source-ref', 'source versioned tag', want, ref, 'ref-mismatch', why) : ok('source-ref', 'source versioned tag', want, ref);
  }
  return undefined;
}

export function checkWorkflow(facts: ProvenanceFacts, exp: Expectations, identity?: SignerIdentity): Claim | undefined {
  if (exp.workflow === undefined) return undefined;
  const want = exp.workflow.replace(/^\.\//, '');
  const got = facts.workflowPath?.replace(/^\.\//, '');
  if (got !== want) return bad('workflow', 'workflow', want, got ?? '(none)', 'workflow-mismatch', `the build ran workflow "${got ?? '(none)'}", expected "${want}"`);
  // the certificate's Build Config URI names the top-level workflow too: it must agree
  const cfg = identity?.buildConfigUri;
  if (cfg) {
    const path = parseWorkflowIdentity(cfg).name.replace(/^https:\/\/[^/]+\/[^/]+\/[^/]+\//, '');
    if (path !== want) return bad('workflow', 'workflow', want, `${got} (certificate: ${path})`, 'workflow-mismatch', `the certificate was issued for workflow "${path}", expected "${want}"`);
  }
  return ok('workflow', 'workflow', want, got);
}

/**
 * Every claim for one document whose statement decoded. `identity` is the verified certificate identity;
 * undefined when the signature is checked elsewhere (slsa-verifier) and the certificate could not be read.
 */
export function checkDocument(facts: ProvenanceFacts, identity: SignerIdentity | undefined, exp: Expectations): Claim[] {
  const claims: Claim[] = [];
  if (identity) claims.push(checkIssuer(identity));
  claims.push(...checkBuilder(identity?.san ?? facts.builderId, facts, exp));
  if (identity) {
    claims.push(checkBuilderConsistent(facts, identity, exp));
    const c = checkCaller(identity, exp);
    if (c) claims.push(c);
  }
  claims.push(checkSubjects(facts, exp));
  claims.push(checkSource(facts, exp));
  const r = checkSourceRef(facts, exp);
  if (r) claims.push(r);
  if (identity) {
    const c = checkCertificateRef(facts, identity);
    if (c) claims.push(c);
  }
  const w = checkWorkflow(facts, exp, identity);
  if (w) claims.push(w);
  return claims;
}
