// verify-cosign: verify a Sigstore signature or attestation against an expected signer, in-process
// (bundle + artifact, offline, @sigstore/verify) or with cosign (OCI images by digest), and fail closed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Gate, GateContext } from '../../core/gate.js';
import type { GateResult } from '../../core/types.js';
import { InputError } from '../../core/types.js';
import { parseBool, fsErrorText } from '../../core/files.js';
import { parseTimeout } from '../../core/timeout.js';
import { normalizeDigest, sha256File } from '../../core/digest.js';
import {
  buildIdentityPolicy,
  publicGoodTrust,
  refreshPublicGoodTrust,
  trustFromFile,
  verifyBundle,
  matches,
  SIGSTORE_FAILURE_REASONS,
  TrustRootError,
  type ArtifactInput,
  type IdentityPolicy,
  type LoadedTrust,
  type SigstoreFailureReason,
  type FulcioExtensions,
} from '../../core/sigstore/index.js';
import { COSIGN_REASONS, checkAttestationOutput, checkVerifyOutput, cosignVersion, runCosign } from './cosign.js';
import { InstallError, PINNED_RELEASE, installCosign, type CosignRelease } from './install.js';

export type Mode = 'in-process' | 'cosign' | 'auto';

export interface VerifyCosignInputs {
  mode: 'in-process' | 'cosign';
  artifact?: string;
  artifactDigest?: string;
  image?: { ref: string; digest: string };
  bundle?: string;
  attestationType?: string;
  /** the predicate type URI `attestationType` stands for (cosign's shorthands expanded) */
  predicateType?: string;
  /** raw identity inputs (kept for cosign flags and the record) */
  identity: {
    certificateIdentity?: string;
    certificateIdentityRegexp?: string;
    certificateOidcIssuer?: string;
    certificateOidcIssuerRegexp?: string;
    extensions: FulcioExtensions;
    keyPath?: string;
  };
  policy: IdentityPolicy;
  trustedRoot?: string;
  trustInstance: 'public-good' | 'github';
  tufRefresh: boolean;
  timeoutMs: number;
  retries: number;
  cosignSource: 'install' | 'path';
  cosignRelease: CosignRelease;
}

/** cosign's `--type` shorthands and the predicate types they stand for. */
export const PREDICATE_SHORTHANDS: Record<string, string> = {
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
  link: 'https://in-toto.io/Link/v1',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
};

const FAIL_REASONS = new Set<string>([
  'artifact-digest-mismatch',
  'signature-invalid',
  'certificate-untrusted',
  'certificate-expired',
  'certificate-sct-invalid',
  'tlog-invalid',
  'timestamp-invalid',
  'timestamp-missing',
  'public-key-invalid',
  'identity-mismatch',
  'issuer-mismatch',
  'extension-mismatch',
  'payload-type-mismatch',
  'predicate-type-mismatch',
  'subject-digest-mismatch',
  'content-mismatch',
  'verification-material-mismatch',
]);

const GATE_REASONS = [
  ...new Set([...SIGSTORE_FAILURE_REASONS, ...COSIGN_REASONS]),
  'trust-root-invalid',
  'trust-root-unreadable',
  'trust-root-refresh-failed',
  'bundle-unreadable',
  'artifact-unreadable',
  'cosign-checksum-unknown',
  'cosign-checksum-mismatch',
  'cosign-signature-invalid',
  'cosign-download-failed',
  'cosign-unsupported-platform',
] as const;

// never starts with '-': cosign (cobra) would take it for a flag
const IMAGE_BY_DIGEST = /^([^\s@-][^\s@]*)@((?:sha256|SHA256):[0-9a-fA-F]{64})$/;
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const MAX_IN_MEMORY_ARTIFACT = 256 * 1024 * 1024;

const opt = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

function sigstoreVerifyVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    return (req('@sigstore/verify/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const gate: Gate<VerifyCosignInputs> = {
  id: 'verify-cosign',
  title: 'verify-cosign',
  description: 'the artifact or image carries a valid Sigstore signature or attestation from the expected signer',
  static: false,
  inputs: [
    { name: 'mode', description: '`in-process` (bundle file + artifact, offline, no cosign), `cosign` (run cosign; needed for OCI images), or `auto` (cosign when `image` is set, else in-process).', default: 'auto' },
    { name: 'artifact', description: 'Path of the artifact (blob) the bundle signs or attests.' },
    { name: 'artifact-digest', description: 'The artifact\'s digest (`sha256:<hex>`) when the bytes are not at hand; in-process only. Message signatures are verified against the digest.' },
    { name: 'image', description: 'OCI image reference pinned by digest (`registry/repo@sha256:<hex>`); tags are refused. Verified with cosign.' },
    { name: 'bundle', description: 'Path of the Sigstore bundle (`*.sigstore.json`, v0.1–v0.3) for the artifact; in-process also the legacy `cosign sign-blob --bundle` file (cosign v1/v2), `gh attestation download` JSON Lines and the attestations API answer.' },
    { name: 'attestation-type', description: 'Verify an in-toto attestation with this predicate type (URI, or a cosign shorthand such as `slsaprovenance1`) instead of a plain signature.' },
    { name: 'certificate-identity', description: 'Exact certificate identity (SAN) of the signer, e.g. `https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.2.3`.' },
    { name: 'certificate-identity-regexp', description: 'Regular expression for the identity; must be anchored `^…$`.' },
    { name: 'certificate-oidc-issuer', description: 'Exact OIDC issuer, e.g. `https://token.actions.githubusercontent.com`.' },
    { name: 'certificate-oidc-issuer-regexp', description: 'Regular expression for the issuer; must be anchored `^…$`.' },
    { name: 'source-repository', description: 'Expected source repository (Fulcio extension 1.12), `https://github.com/org/repo` or `org/repo` (the shorthand means github.com, so it is refused with another forge\'s issuer: give the URL).' },
    { name: 'source-ref', description: 'Expected source ref (Fulcio extension 1.14), e.g. `refs/tags/v1.2.3`.' },
    { name: 'workflow', description: 'Expected build config URI (Fulcio extension 1.18): the workflow file at its ref, e.g. `https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.2.3`. In-process only.' },
    { name: 'source-digest', description: 'Expected commit SHA the artifact was built from (Fulcio extension 1.13 Source Repository Digest, or the legacy 1.3 GitHub Workflow SHA in older certificates), e.g. the workflow\'s `github.sha`: 40 hex digits (64 for a SHA-256 repository), any letter case. A certificate without it fails. cosign mode: `--certificate-github-workflow-sha`.' },
    { name: 'build-trigger', description: 'Expected event that triggered the build (Fulcio extension 1.20 Build Trigger, or the legacy 1.2 GitHub Workflow Trigger), exactly, e.g. `push`, `release`, `workflow_dispatch`. A certificate without it fails. cosign mode: `--certificate-github-workflow-trigger`.' },
    { name: 'key', description: 'Path of a PEM public key: verify a key-pair signature (cosign `--key`) instead of a keyless identity.' },
    { name: 'trusted-root', description: 'Path of a `trusted_root.json` to trust instead of the Sigstore public-good root embedded in chaingate.' },
    { name: 'trust-instance', description: '`public-good` or `github` (GitHub\'s own Sigstore instance for private-repo attestations: needs `trusted-root`; no Rekor, one signed timestamp).', default: 'public-good' },
    { name: 'tuf-refresh', description: 'Refresh the public-good trusted root online through TUF before verifying (fails closed when the refresh fails).', flag: true, default: 'false' },
    { name: 'timeout', description: 'Hard time limit for each cosign run, download or TUF refresh (e.g. `120s`, `2m`, or a bare number of seconds; 1 second to 1 hour).', default: '120s' },
    { name: 'retries', description: 'Retries after a transient failure (timeout, network error); never after a verification failure.', default: '2' },
    { name: 'cosign', description: '`install` (download the pinned cosign, checked against its SHA-256 held in the source or, while none is held, its release Sigstore bundle signed by keyless@projectsigstore.iam.gserviceaccount.com) or `path` (use the cosign on PATH).', default: 'install' },
    { name: 'cosign-download-url', description: 'Base URL the pinned cosign release assets are downloaded from (a mirror); the same checks still apply (the pinned SHA-256, or the release signature).' },
  ],
  outputs: [
    { name: 'verified-digest', description: 'The `sha256:<hex>` digest that was verified (empty unless the outcome is pass).' },
    { name: 'signer-identity', description: 'Certificate identity (SAN) of the verified signer, or the key fingerprint in key-pair mode (empty unless pass).' },
    { name: 'signer-issuer', description: 'OIDC issuer of the verified signer (empty unless pass or unknown).' },
    { name: 'method', description: '`in-process` or `cosign`.' },
  ],
  rules: [],
  reasons: GATE_REASONS,

  parseInputs(raw, ctx) {
    const image = opt(raw.image);
    const artifact = opt(raw.artifact);
    const artifactDigest = opt(raw['artifact-digest']);
    const bundle = opt(raw.bundle);
    const modeIn = (opt(raw.mode) ?? 'auto') as Mode;
    if (!['in-process', 'cosign', 'auto'].includes(modeIn)) throw new InputError(`mode: "${modeIn}" is not one of in-process, cosign, auto`);
    const mode: 'in-process' | 'cosign' = modeIn === 'auto' ? (image ? 'cosign' : 'in-process') : modeIn;

    let img: VerifyCosignInputs['image'];
    if (image) {
      const m = IMAGE_BY_DIGEST.exec(image);
      if (!m) {
        throw new InputError(`image: "${image}" is not pinned by digest. Use registry/repo@sha256:<64 hex> (a tag can be moved to another image after it was verified).`);
      }
      img = { ref: `${m[1]}@${normalizeDigest(m[2])}`, digest: normalizeDigest(m[2]) };
      if (mode === 'in-process') throw new InputError('image: OCI images are verified with cosign; set mode to cosign or auto');
      if (bundle && !artifact && !artifactDigest) {
        // e.g. `gh attestation download oci://…` output for an image: verified offline against the image's digest
        throw new InputError(`give either image (verified with cosign from the registry), or bundle with artifact-digest: ${normalizeDigest(m[2])} (an image's downloaded attestations verified in-process), not both`);
      }
      if (artifact || artifactDigest || bundle) throw new InputError('give either image, or artifact (+ bundle), not both');
    } else {
      if (!artifact && !artifactDigest) throw new InputError('nothing to verify: give image (cosign), or artifact / artifact-digest with bundle');
      if (artifact && artifactDigest) throw new InputError('give either artifact or artifact-digest, not both');
      if (!bundle) throw new InputError('bundle: the Sigstore bundle of the artifact is required (cosign sign-blob --bundle, actions/attest)');
      if (mode === 'cosign' && artifactDigest) throw new InputError('artifact-digest: cosign verify-blob needs the artifact file; use mode in-process for a digest');
    }
    let digestNorm: string | undefined;
    if (artifactDigest) digestNorm = normalizeDigest(artifactDigest, 'artifact-digest');

    let attestationType = opt(raw['attestation-type']);
    let predicateType: string | undefined;
    if (attestationType) {
      // as cosign's ParsePredicateType: a shorthand, else a URI; in both modes, so the output check always
      // has the exact type to compare with (an unknown word must never mean "any predicate")
      predicateType = Object.hasOwn(PREDICATE_SHORTHANDS, attestationType) ? PREDICATE_SHORTHANDS[attestationType] : attestationType;
      if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(predicateType)) {
        throw new InputError(`attestation-type: "${attestationType}" is neither a predicate type URI nor one of ${Object.keys(PREDICATE_SHORTHANDS).join(', ')}`);
      }
      if (mode === 'in-process') attestationType = predicateType;
    }

    let sourceRepository = opt(raw['source-repository']);
    // `github.com/org/repo` (no scheme: how slsa-verifier's --source-uri and verify-slsa's source-uri take it)
    // names the URL Fulcio records; left as typed it could never equal the certificate's extension
    if (sourceRepository && /^github\.com\/[\w.-]+\/[\w.-]+\/?$/i.test(sourceRepository)) sourceRepository = `https://github.com/${sourceRepository.slice('github.com/'.length)}`;
    if (sourceRepository && /^[\w.-]+\/[\w.-]+$/.test(sourceRepository)) {
      // `org/repo` is GitHub's shorthand (github.repository); for another forge's issuer it would silently name
      // a github.com repository that can never match: ask for the URL (Fulcio records the full URI in 1.12)
      const iss = opt(raw['certificate-oidc-issuer']);
      if (iss !== undefined && iss !== GITHUB_ISSUER) {
        throw new InputError(`source-repository: "${sourceRepository}" is GitHub's owner/repo shorthand but the issuer is ${iss}: give the repository URL as the certificate records it (e.g. https://gitlab.com/${sourceRepository})`);
      }
      sourceRepository = `https://github.com/${sourceRepository}`;
    }
    // the clone URL users copy (`https://github.com/org/repo.git`, a trailing `/`) names the repository Fulcio
    // records without them
    if (sourceRepository && /^https:\/\/github\.com\//i.test(sourceRepository)) sourceRepository = sourceRepository.replace(/\/+$/, '').replace(/\.git$/i, '');
    const extensions: FulcioExtensions = {};
    if (sourceRepository) extensions.sourceRepositoryURI = sourceRepository;
    if (sourceRepository && mode === 'cosign' && !/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(sourceRepository)) {
      throw new InputError(`source-repository: "${sourceRepository}" is not a github.com repository; cosign can only check --certificate-github-workflow-repository (use mode in-process for other forges)`);
    }
    if (opt(raw['source-ref'])) extensions.sourceRepositoryRef = opt(raw['source-ref']);
    if (opt(raw.workflow)) {
      if (mode === 'cosign') throw new InputError('workflow: cosign has no check for the build config URI; use mode in-process (bundle + artifact)');
      extensions.buildConfigURI = opt(raw.workflow);
    }
    const sourceDigest = opt(raw['source-digest']);
    if (sourceDigest !== undefined) {
      // a commit SHA as Fulcio records it (the OIDC `sha` claim): full, bare hex; compared exactly after
      // lower-casing the input (a prefix, an abbreviation or `sha1:` would never equal the certificate's value)
      if (!/^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(sourceDigest)) {
        throw new InputError(`source-digest: ${JSON.stringify(sourceDigest.length > 80 ? `${sourceDigest.slice(0, 80)}…` : sourceDigest)} is not a full commit SHA: give the 40 hex digits of the commit (64 for a SHA-256 repository), without a prefix and not abbreviated, e.g. \${{ github.sha }}`);
      }
      extensions.sourceRepositoryDigest = sourceDigest.toLowerCase();
    }
    const buildTrigger = opt(raw['build-trigger']);
    if (buildTrigger !== undefined) {
      // one event name, compared exactly (cosign would take a value starting with '-' for a flag)
      if (!/^[^\s-][^\s]{0,99}$/u.test(buildTrigger) || /[\p{Cc}]/u.test(buildTrigger)) {
        throw new InputError(`build-trigger: ${JSON.stringify(buildTrigger.slice(0, 80))} is not an event name: give the one event that triggered the build as the certificate records it, e.g. push, release, workflow_dispatch`);
      }
      extensions.buildTrigger = buildTrigger;
    }
    if (mode === 'cosign' && (sourceDigest !== undefined || buildTrigger !== undefined)) {
      // cosign checks these only through Fulcio's legacy GitHub extensions (1.3 / 1.2), which only GitHub
      // Actions certificates carry: with another issuer cosign could never match
      const iss = opt(raw['certificate-oidc-issuer']);
      if (iss !== undefined && iss !== GITHUB_ISSUER) {
        throw new InputError(`${sourceDigest !== undefined ? 'source-digest' : 'build-trigger'}: cosign checks it only in GitHub Actions certificates (--certificate-github-workflow-${sourceDigest !== undefined ? 'sha' : 'trigger'}, legacy extension ${sourceDigest !== undefined ? '1.3' : '1.2'}), but the issuer is ${iss}: use mode in-process (bundle + artifact), which reads extension ${sourceDigest !== undefined ? '1.13' : '1.20'}`);
      }
    }
    const keyPath = opt(raw.key);
    let publicKeyPem: string | undefined;
    if (keyPath) {
      try {
        publicKeyPem = readFileSync(resolve(ctx.cwd, keyPath), 'utf8');
      } catch (e) {
        throw new InputError(`key: cannot read ${keyPath}: ${fsErrorText(e)}`);
      }
      if (publicKeyPem.trim() === '') throw new InputError(`key: ${keyPath} is empty`);
    }
    const identity = {
      certificateIdentity: opt(raw['certificate-identity']),
      certificateIdentityRegexp: opt(raw['certificate-identity-regexp']),
      certificateOidcIssuer: opt(raw['certificate-oidc-issuer']),
      certificateOidcIssuerRegexp: opt(raw['certificate-oidc-issuer-regexp']),
      extensions,
      keyPath,
    };
    const policy = buildIdentityPolicy({ ...identity, publicKeyPem }); // SigstoreUsageError is an InputError

    const trustInstance = (opt(raw['trust-instance']) ?? 'public-good') as 'public-good' | 'github';
    if (!['public-good', 'github'].includes(trustInstance)) throw new InputError(`trust-instance: "${trustInstance}" is not one of public-good, github`);
    const trustedRoot = opt(raw['trusted-root']);
    if (trustInstance === 'github' && !trustedRoot) {
      throw new InputError("trust-instance github: give trusted-root (GitHub's trusted_root.json, e.g. one line of `gh attestation trusted-root`)");
    }
    if (trustInstance === 'github' && mode === 'cosign') throw new InputError('trust-instance github is supported in-process only (bundle + artifact)');
    const tufRefresh = parseBool(raw['tuf-refresh'], 'tuf-refresh');
    if (tufRefresh && trustedRoot) throw new InputError('tuf-refresh refreshes the public-good root; it cannot be combined with trusted-root');

    const timeoutMs = parseTimeout(raw.timeout, { name: 'timeout', default: '120s', minMs: 1000, maxMs: 3_600_000 });
    const r = opt(raw.retries) ?? '2';
    if (!/^\d+$/.test(r) || Number(r) > 10) throw new InputError(`retries: "${r}" must be a whole number from 0 to 10`);
    const cosignSource = (opt(raw.cosign) ?? 'install') as 'install' | 'path';
    if (!['install', 'path'].includes(cosignSource)) throw new InputError(`cosign: "${cosignSource}" is not one of install, path`);
    const base = opt(raw['cosign-download-url']);
    if (base) {
      // never echo the URL in these messages: it may hold a token
      let u: URL | undefined;
      try {
        u = new URL(base);
      } catch {
        /* below */
      }
      if (!u || !/^https?:$/.test(u.protocol)) throw new InputError('cosign-download-url must be an http(s) URL');
      if (u.username || u.password) {
        throw new InputError('cosign-download-url must not hold credentials (user:password@host): they would be sent nowhere and could reach logs; use a mirror that needs no credentials, or cosign: path');
      }
      // a token in the query (?apikey=…) is a secret whatever its name
      for (const v of u.searchParams.values()) ctx.redactor?.add(v);
    }

    return {
      mode,
      artifact,
      artifactDigest: digestNorm,
      image: img,
      bundle,
      attestationType,
      predicateType,
      identity,
      policy,
      trustedRoot,
      trustInstance,
      tufRefresh,
      timeoutMs,
      retries: Number(r),
      cosignSource,
      cosignRelease: base ? { ...PINNED_RELEASE, baseUrl: base } : PINNED_RELEASE,
    };
  },

  async run(inputs, ctx) {
    return inputs.mode === 'in-process' ? runInProcess(inputs, ctx) : runWithCosign(inputs, ctx);
  },
};

export default gate;

function policyRecord(i: VerifyCosignInputs): Record<string, string | number | boolean | null> {
  return {
    mode: i.mode,
    certificate_identity: i.identity.certificateIdentity ?? null,
    certificate_identity_regexp: i.identity.certificateIdentityRegexp ?? null,
    certificate_oidc_issuer: i.identity.certificateOidcIssuer ?? null,
    certificate_oidc_issuer_regexp: i.identity.certificateOidcIssuerRegexp ?? null,
    source_repository: i.identity.extensions.sourceRepositoryURI ?? null,
    source_ref: i.identity.extensions.sourceRepositoryRef ?? null,
    workflow: i.identity.extensions.buildConfigURI ?? null,
    source_digest: i.identity.extensions.sourceRepositoryDigest ?? null,
    build_trigger: i.identity.extensions.buildTrigger ?? null,
    key: i.policy.kind === 'key' ? i.policy.fingerprint : null,
    attestation_type: i.attestationType ?? null,
    trust_instance: i.trustInstance,
    timeout_ms: i.timeoutMs,
    retries: i.retries,
  };
}

function errorOut(i: VerifyCosignInputs, reason: string, message: string, extra: Partial<GateResult> = {}): GateResult {
  return { outcome: 'error', reasons: [reason], findings: [], messages: [message], policy: policyRecord(i), outputs: emptyOutputs(i), ...extra };
}

function emptyOutputs(i: VerifyCosignInputs): Record<string, string> {
  return { 'verified-digest': '', 'signer-identity': '', 'signer-issuer': '', method: i.mode };
}

async function loadTrust(i: VerifyCosignInputs, ctx: GateContext): Promise<LoadedTrust> {
  if (i.tufRefresh) return refreshPublicGoodTrust({ timeoutMs: i.timeoutMs, cachePath: join(ctx.tempDir, 'tuf-cache') });
  if (i.trustedRoot) return trustFromFile(resolve(ctx.cwd, i.trustedRoot), i.trustInstance === 'github' ? 'github' : 'file');
  return publicGoodTrust();
}

async function runInProcess(i: VerifyCosignInputs, ctx: GateContext): Promise<GateResult> {
  const tool = { name: '@sigstore/verify', version: sigstoreVerifyVersion() };
  let trust: LoadedTrust;
  try {
    trust = await loadTrust(i, ctx);
  } catch (e) {
    if (e instanceof TrustRootError) return errorOut(i, e.reason, e.message, { tool });
    throw e;
  }
  const details: Record<string, string | number | boolean | null> = {
    method: 'in-process',
    trust_source: trust.info.source,
    trust_version: trust.info.version,
    trust_sha256: trust.info.sha256,
  };
  let bundleBytes: Buffer;
  const bundlePath = resolve(ctx.cwd, i.bundle as string);
  try {
    const st = statSync(bundlePath);
    if (!st.isFile()) throw new Error('not a file');
    if (st.size > MAX_BUNDLE_BYTES) throw new Error(`larger than ${MAX_BUNDLE_BYTES} bytes`);
    bundleBytes = readFileSync(bundlePath);
  } catch (e) {
    return errorOut(i, 'bundle-unreadable', `cannot read the bundle ${i.bundle}: ${fsErrorText(e)}`, { tool, details });
  }
  let artifact: ArtifactInput;
  let subjectName: string | undefined;
  if (i.artifact) {
    const p = resolve(ctx.cwd, i.artifact);
    subjectName = i.artifact;
    try {
      const st = statSync(p);
      if (!st.isFile()) throw new Error('not a file');
      artifact = st.size <= MAX_IN_MEMORY_ARTIFACT ? { kind: 'bytes', bytes: readFileSync(p) } : { kind: 'digest', ...(await fileDigests(p)) };
    } catch (e) {
      return errorOut(i, 'artifact-unreadable', `cannot read the artifact ${i.artifact}: ${fsErrorText(e)}`, { tool, details });
    }
  } else {
    artifact = { kind: 'digest', digest: i.artifactDigest as string };
  }
  const r = verifyBundle({
    bundle: bundleBytes,
    artifact,
    policy: i.policy,
    trust,
    // without attestation-type the gate verifies a plain signature: an attestation (SBOM, test result, a
    // FAILED verification summary …) signed by the same identity is not one, whatever it says
    expect: i.attestationType ? { predicateType: i.attestationType } : { content: 'message-signature' },
    now: ctx.now(),
  });
  const subject = { digest: artifact.kind === 'bytes' ? `sha256:${await sha256Of(artifact.bytes)}` : normalizeDigest((artifact as { digest: string }).digest), name: subjectName };
  if (!r.ok) {
    const outcome = FAIL_REASONS.has(r.reason) ? 'fail' : 'error';
    return {
      outcome,
      reasons: [r.reason as SigstoreFailureReason],
      findings: [],
      messages: [`verification ${outcome === 'fail' ? 'failed' : 'could not be completed'}: ${r.message}`],
      subject,
      tool,
      policy: policyRecord(i),
      details: { ...details, bundle_media_type: r.mediaType ?? null, bundle_format: r.format ?? null, bundle_container: r.container ?? null, got_identity: r.signer?.identity ?? null, got_issuer: r.signer?.issuer ?? null },
      outputs: emptyOutputs(i),
    };
  }
  const who = r.signer.identity ?? r.signer.keyFingerprint ?? '';
  return {
    outcome: 'pass',
    reasons: ['ok'],
    findings: [],
    messages: [
      `verified ${r.content === 'dsse' ? `attestation${r.statement ? ` (${r.statement.predicateType})` : ''}` : 'signature'} over ${r.verifiedDigest} signed by ${who}${r.signer.issuer ? ` (issuer ${r.signer.issuer})` : ''}${r.format === 'cosign-legacy-bundle' ? ' (cosign legacy bundle)' : ''}`,
    ],
    subject: { digest: r.verifiedDigest ?? subject.digest, name: subjectName },
    tool,
    policy: policyRecord(i),
    details: {
      ...details,
      bundle_version: r.bundleVersion,
      bundle_format: r.format,
      bundle_container: r.container,
      bundle_candidates: r.candidates,
      content: r.content,
      predicate_type: r.statement?.predicateType ?? null,
      signer_identity: r.signer.identity ?? null,
      signer_issuer: r.signer.issuer ?? null,
      signer_key: r.signer.keyFingerprint ?? null,
      source_repository: r.signer.extensions.sourceRepositoryURI ?? null,
      source_ref: r.signer.extensions.sourceRepositoryRef ?? null,
      workflow: r.signer.extensions.buildConfigURI ?? null,
      source_digest: r.signer.extensions.sourceRepositoryDigest ?? r.signer.extensions.githubWorkflowSha ?? null,
      build_trigger: r.signer.extensions.buildTrigger ?? r.signer.extensions.githubWorkflowTrigger ?? null,
      timestamps_tsa: r.timestamps.tsa,
      timestamps_tlog: r.timestamps.tlog,
      verification_time_fallback: r.timestamps.verificationTime,
      tlog_entries: r.tlogEntries,
    },
    outputs: { 'verified-digest': r.verifiedDigest ?? '', 'signer-identity': who, 'signer-issuer': r.signer.issuer ?? '', method: 'in-process' },
  };
}

/** sha256 and sha512 of a file in one pass (sha512: npm provenance names a tarball by sha512 only). */
async function fileDigests(path: string): Promise<{ digest: string; sha512: string }> {
  const { createHash } = await import('node:crypto');
  const { createReadStream } = await import('node:fs');
  const h256 = createHash('sha256');
  const h512 = createHash('sha512');
  for await (const chunk of createReadStream(path)) {
    h256.update(chunk as Buffer);
    h512.update(chunk as Buffer);
  }
  return { digest: `sha256:${h256.digest('hex')}`, sha512: `sha512:${h512.digest('hex')}` };
}

async function sha256Of(b: Buffer): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(b).digest('hex');
}

function findOnPath(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext);
      try {
        if (existsSync(p) && statSync(p).isFile()) return p;
      } catch {
        /* next */
      }
    }
  }
  return undefined;
}

/** The bundle file as JSON (a UTF-8 BOM skipped), or undefined. */
function readBundleJson(path: string): Record<string, unknown> | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_BUNDLE_BYTES) return undefined;
    const v = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A field as cosign reads it: Go's protojson accepts the JSON name (`dsseEnvelope`) AND the proto field name (`dsse_envelope`). */
const protoField = (v: Record<string, unknown>, jsonName: string, protoName: string): unknown => v[jsonName] ?? v[protoName];

/** A protobuf-specs Sigstore bundle (v0.1–v0.3), as opposed to cosign's legacy `--bundle` file. */
function isSigstoreBundle(path: string): boolean {
  const v = readBundleJson(path);
  const mt = v && protoField(v, 'mediaType', 'media_type');
  return typeof mt === 'string' && mt.startsWith('application/vnd.dev.sigstore.bundle');
}

/**
 * A bundle holding a DSSE envelope, under either spelling cosign accepts: its (unverified) predicate type, ''
 * when unreadable; else undefined. (Checked whatever the mediaType says: cosign decides by the content.)
 */
function attestationIn(path: string): string | undefined {
  const v = readBundleJson(path);
  const inner = v && v.bundle && typeof v.bundle === 'object' && !Array.isArray(v.bundle) ? (v.bundle as Record<string, unknown>) : undefined;
  const env = (v && protoField(v, 'dsseEnvelope', 'dsse_envelope')) ?? (inner && protoField(inner, 'dsseEnvelope', 'dsse_envelope'));
  if (env === undefined || env === null) return undefined;
  try {
    const st = JSON.parse(Buffer.from(String((env as { payload?: unknown }).payload ?? ''), 'base64').toString('utf8')) as { predicateType?: unknown };
    return typeof st?.predicateType === 'string' ? st.predicateType.slice(0, 200) : '';
  } catch {
    return '';
  }
}

/** cosign ≥ 2.4 knows `--new-bundle-format` (v3 defaults to it; v2 needs it for a Sigstore bundle). */
function knowsNewBundleFormat(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return true; // unknown version: assume a current cosign (an older one fails with an unknown-flag error)
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > 2 || (maj === 2 && min >= 4);
}

function cosignArgs(i: VerifyCosignInputs, ctx: GateContext, version: string): string[] {
  const a: string[] = [];
  if (i.image) {
    if (i.attestationType) a.push('verify-attestation', '--type', i.attestationType);
    else a.push('verify', '--output', 'json');
  } else {
    if (i.attestationType) a.push('verify-blob-attestation', '--type', i.attestationType);
    else a.push('verify-blob');
    const bundle = resolve(ctx.cwd, i.bundle as string);
    a.push('--bundle', bundle);
    if (isSigstoreBundle(bundle) && knowsNewBundleFormat(version)) a.push('--new-bundle-format');
  }
  const id = i.identity;
  if (i.policy.kind === 'key') a.push('--key', resolve(ctx.cwd, id.keyPath as string));
  else {
    if (id.certificateIdentity) a.push('--certificate-identity', id.certificateIdentity);
    if (id.certificateIdentityRegexp) a.push('--certificate-identity-regexp', id.certificateIdentityRegexp);
    if (id.certificateOidcIssuer) a.push('--certificate-oidc-issuer', id.certificateOidcIssuer);
    if (id.certificateOidcIssuerRegexp) a.push('--certificate-oidc-issuer-regexp', id.certificateOidcIssuerRegexp);
    const repo = id.extensions.sourceRepositoryURI?.replace(/^https:\/\/github\.com\//, '');
    if (repo) a.push('--certificate-github-workflow-repository', repo);
    if (id.extensions.sourceRepositoryRef) a.push('--certificate-github-workflow-ref', id.extensions.sourceRepositoryRef);
    if (id.extensions.sourceRepositoryDigest) a.push('--certificate-github-workflow-sha', id.extensions.sourceRepositoryDigest);
    if (id.extensions.buildTrigger) a.push('--certificate-github-workflow-trigger', id.extensions.buildTrigger);
  }
  if (i.trustedRoot) a.push('--trusted-root', resolve(ctx.cwd, i.trustedRoot));
  a.push(i.image ? i.image.ref : resolve(ctx.cwd, i.artifact as string));
  return a;
}

async function runWithCosign(i: VerifyCosignInputs, ctx: GateContext): Promise<GateResult> {
  const cleanup: Array<() => void> = [];
  try {
    return await runWithCosignInner(i, ctx, cleanup);
  } finally {
    // this run's private copy of an installed cosign
    for (const f of cleanup) f();
  }
}

async function runWithCosignInner(i: VerifyCosignInputs, ctx: GateContext, cleanup: Array<() => void>): Promise<GateResult> {
  let cosign: string;
  let version: string;
  const details: Record<string, string | number | boolean | null> = { method: 'cosign', cosign_source: i.cosignSource };
  if (i.cosignSource === 'path') {
    const found = findOnPath(ctx.env, 'cosign');
    if (!found) return errorOut(i, 'cosign-not-found', 'cosign: path was asked for but no cosign is on PATH');
    cosign = found;
    version = await cosignVersion(ctx, cosign);
  } else {
    try {
      const trust = i.tufRefresh ? () => refreshPublicGoodTrust({ timeoutMs: i.timeoutMs, cachePath: join(ctx.tempDir, 'tuf-cache') }) : undefined;
      const inst = await installCosign(ctx, { release: i.cosignRelease, timeoutMs: i.timeoutMs, retries: i.retries, trust });
      cleanup.push(inst.dispose);
      cosign = inst.path;
      version = `v${inst.version}`;
      details.cosign_sha256 = `sha256:${inst.sha256}`;
      details.cosign_from_cache = inst.fromCache;
      details.cosign_checked_by = inst.checkedBy;
      if (inst.trustVersion) details.cosign_signature_trust = inst.trustVersion;
    } catch (e) {
      if (e instanceof InstallError) return errorOut(i, e.reason, e.message, { tool: { name: 'cosign', version: `v${i.cosignRelease.version}` }, details });
      throw e;
    }
  }
  const tool = { name: 'cosign', version };
  let subject: GateResult['subject'];
  if (i.image) subject = { digest: i.image.digest, name: i.image.ref.slice(0, 500) };
  else {
    try {
      subject = { digest: await sha256File(resolve(ctx.cwd, i.artifact as string)), name: i.artifact };
    } catch (e) {
      return errorOut(i, 'artifact-unreadable', `cannot read the artifact ${i.artifact}: ${fsErrorText(e)}`, { tool, details });
    }
    if (!existsSync(resolve(ctx.cwd, i.bundle as string))) {
      return errorOut(i, 'bundle-unreadable', `cannot read the bundle ${i.bundle}: ENOENT`, { tool, details, subject });
    }
    // as in-process: without attestation-type a plain signature is asked for, and an attestation bundle (which
    // cosign 3's verify-blob accepts when a subject names the file, whatever its predicate) is not one
    const pt = !i.attestationType ? attestationIn(resolve(ctx.cwd, i.bundle as string)) : undefined;
    if (pt !== undefined) {
      return {
        outcome: 'fail',
        reasons: ['content-mismatch'],
        findings: [],
        messages: [`a plain signature (message signature) was expected, the bundle holds an in-toto attestation${pt ? ` of type ${pt}` : ''} (DSSE): to verify it as an attestation, name its predicate type (attestation-type${pt ? `: ${pt}` : ''})`],
        tool,
        policy: policyRecord(i),
        subject,
        details,
        outputs: emptyOutputs(i),
      };
    }
  }
  const { attempt, attempts } = await runCosign(ctx, { cosign, args: cosignArgs(i, ctx, version), timeoutMs: i.timeoutMs, retries: i.retries });
  details.attempts = attempts;
  const base = { findings: [], tool, policy: policyRecord(i), subject, details };
  if (attempt.kind !== 'ok') {
    return { ...base, outcome: attempt.kind === 'fail' ? 'fail' : 'error', reasons: [attempt.reason], messages: [`${attempt.message}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`], outputs: emptyOutputs(i) };
  }
  if (attempt.exec.truncated) {
    return { ...base, outcome: 'error', reasons: ['cosign-output-too-large'], messages: [`cosign printed more than the output cap (${attempt.exec.stdoutBytes} bytes on stdout): its result cannot be read`], outputs: emptyOutputs(i) };
  }
  let identity = i.policy.kind === 'key' ? i.policy.fingerprint : (i.identity.certificateIdentity ?? '');
  let issuer = i.identity.certificateOidcIssuer ?? '';
  if (i.image) {
    const p = i.policy;
    const signer =
      p.kind === 'keyless'
        ? { identity: (v: string) => matches(p.identity, v), issuer: (v: string) => matches(p.issuer, v), workflowSha: p.extensions.sourceRepositoryDigest, workflowTrigger: p.extensions.buildTrigger }
        : undefined;
    const chk = i.attestationType ? checkAttestationOutput(attempt.exec.stdout, i.image.digest, i.predicateType) : checkVerifyOutput(attempt.exec.stdout, i.image.digest, signer);
    if (!chk.ok) {
      const outcome = chk.reason === 'verified-digest-mismatch' || chk.reason === 'predicate-type-mismatch' || chk.reason === 'no-matching-signature' ? 'fail' : 'error';
      return { ...base, outcome, reasons: [chk.reason as string], messages: [chk.message as string], outputs: emptyOutputs(i) };
    }
    identity = chk.identity ?? identity;
    issuer = chk.issuer ?? issuer;
    details.signatures = chk.count ?? null;
  } else if (!/Verified OK/.test(`${attempt.exec.stderr}\n${attempt.exec.stdout}`)) {
    return { ...base, outcome: 'error', reasons: ['cosign-output-unparseable'], messages: ['cosign exited 0 without reporting "Verified OK"'], outputs: emptyOutputs(i) };
  }
  details.signer_identity = identity || null;
  details.signer_issuer = issuer || null;
  return {
    ...base,
    outcome: 'pass',
    reasons: ['ok'],
    messages: [`cosign ${version} verified ${subject?.digest} signed by ${identity || '(identity pattern)'}${attempts > 1 ? ` after ${attempts} attempts` : ''}`],
    outputs: { 'verified-digest': subject?.digest ?? '', 'signer-identity': identity, 'signer-issuer': issuer, method: 'cosign' },
  };
}
