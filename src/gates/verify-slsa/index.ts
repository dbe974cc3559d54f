// verify-slsa: a release must not promote an artifact unless its SLSA provenance proves it was built from the
// expected repository, ref and builder. In-process and offline through chaingate's sigstore core where the
// provenance carries what is needed (sigstore bundles); through slsa-verifier, with a hard timeout, where it
// does not (slsa-github-generator's older envelopes, whose log entry must be looked up in Rekor).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Gate, GateContext } from '../../core/gate.js';
import type { GateResult } from '../../core/types.js';
import { InputError } from '../../core/types.js';
import { normalizeDigest, sha256File } from '../../core/digest.js';
import { parseTimeout } from '../../core/timeout.js';
import { splitList, fsErrorText } from '../../core/files.js';
import {
  CLAIM_REASONS,
  DEFAULT_TRUSTED_BUILDERS,
  checkDocument,
  normalizeSourceUri,
  splitSourceUriRef,
  sameRepo,
  subjectComparable,
  subjectMatches,
  parseBuilderId,
  sourceRefOf,
  type BuilderIdSpec,
  type Claim,
  type Expectations,
} from './claims.js';
import { decodeStatement, parseProvenanceText, ProvenanceFormatError, type ProvenanceDoc, type ProvenanceFacts } from './provenance.js';
import { crossCheckRecords } from './records.js';
import { createSignatureVerifier, type SignatureVerdict } from './signature.js';
import {
  SLSA_VERIFIER_VERSION,
  ToolInstallError,
  installSlsaVerifier,
  runSlsaVerifier,
  slsaVerifierArgs,
  type RunVerdict,
} from './slsa-verifier.js';

export type Mode = 'auto' | 'in-process' | 'slsa-verifier';

export interface VerifySlsaInputs {
  artifacts: string[];
  images: Array<{ ref: string; digest: string }>;
  provenance: string;
  sourceUriInput: string;
  sourceUri: string;
  sourceTag?: string;
  sourceVersionedTag?: string;
  sourceBranch?: string;
  builderIdInput?: string;
  builderId?: BuilderIdSpec;
  workflow?: string;
  records?: string;
  mode: Mode;
  trustedRoot?: string;
  trustInstance: 'public-good' | 'github';
  slsaVerifierPath?: string;
  slsaVerifierDownloadUrl?: string;
  slsaVerifierSha256?: string;
  timeoutMs: number;
  trustedBuilders: readonly string[];
}

interface VerifySlsaConfig {
  'trusted-builders'?: string[];
  /** a duration or a number of seconds (YAML may give it as a number) */
  timeout?: string | number;
}

const RUN_REASONS = [
  'provenance-unreadable',
  'provenance-invalid',
  'artifact-unreadable',
  'trusted-root-invalid',
  'rekor-required',
  'records-unreadable',
  'slsa-verifier-failed',
  'tool-timeout',
  'tool-error',
  'tool-output-invalid',
  'tool-unpinned',
  'tool-download-failed',
  'tool-checksum-mismatch',
  'tool-unsupported-platform',
  'subject-digest-unsupported',
] as const;

export const REASONS: readonly string[] = [...CLAIM_REASONS, ...RUN_REASONS];

const opt = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};

const gate: Gate<VerifySlsaInputs> = {
  id: 'verify-slsa',
  title: 'verify-slsa',
  description: 'SLSA provenance proves the artifact was built from the expected repository, ref and builder',
  static: false,
  inputs: [
    { name: 'artifact', description: 'Artifact files whose provenance is verified, one per line (relative to the workspace).', positional: true, multiple: true },
    { name: 'image', description: 'Container images, one per line, as `name@sha256:<hex>` (or a bare `sha256:<hex>`): their digest must be a subject.', multiple: true },
    { name: 'provenance', description: 'Provenance file: a sigstore bundle, JSONL of bundles (`gh attestation download`), or slsa-github-generator `.intoto.jsonl`.', required: true },
    { name: 'source-uri', description: 'Repository the artifact must be built from, e.g. `github.com/owner/repo` (normalised to `git+https://github.com/owner/repo` as slsa-verifier does; a ref written as the provenance does, `git+https://github.com/owner/repo@refs/tags/v1`, is required like `source-tag` / `source-branch`).', required: true },
    { name: 'source-tag', description: 'The source ref must be exactly `refs/tags/<source-tag>`.' },
    { name: 'source-versioned-tag', description: 'The source ref must be a tag semver-compatible with this version (`v1`, `v1.2`, `v1.2.3`), as slsa-verifier compares it.' },
    { name: 'source-branch', description: 'The source ref must be exactly `refs/heads/<source-branch>`.' },
    { name: 'builder-id', description: 'Builder that must have produced the provenance: `<workflow URI>` or `<workflow URI>@vX.Y.Z`. Default: the trusted builders listed in docs/verify-slsa.md.' },
    { name: 'workflow', description: 'Path of the workflow file that must have run the build, e.g. `.github/workflows/release.yml`.' },
    { name: 'records', description: 'A pipeline_run NDJSON file: fail when any record of this run names another subject digest than the verified artifacts.' },
    { name: 'mode', description: '`in-process` (chaingate verifies offline with the trusted root), `slsa-verifier` (run the pinned slsa-verifier), or `auto` (in-process for sigstore bundles, slsa-verifier for envelopes that need Rekor).', default: 'auto' },
    { name: 'trusted-root', description: 'Sigstore `trusted_root.json` for in-process verification. Default: the public-good root embedded in chaingate.' },
    { name: 'trust-instance', description: '`public-good` or `github` (GitHub\'s own Sigstore instance for private-repository attestations: needs `trusted-root`; no Rekor, one signed timestamp).', default: 'public-good' },
    { name: 'slsa-verifier-path', description: 'Use this slsa-verifier executable instead of downloading the pinned release.' },
    { name: 'slsa-verifier-download-url', description: 'Base URL the pinned slsa-verifier release assets are downloaded from (a mirror: `<url>/<version>/<asset>`); the SHA-256 check still applies.' },
    { name: 'slsa-verifier-sha256', description: 'SHA-256 of the slsa-verifier release asset, required while chaingate holds no recorded value for it (see docs/verify-slsa.md).' },
    { name: 'timeout', description: 'Hard timeout of one slsa-verifier run (e.g. `5m`, or a bare number of seconds; 1 second to 1 hour).', default: '5m' },
  ],
  outputs: [
    { name: 'subject-digests', description: 'The verified artifact digests (`sha256:<hex>`), comma-separated; empty when the provenance did not verify.' },
    { name: 'builder-id', description: 'Builder identity of the verified provenance (workflow URI at its ref).' },
    { name: 'source-uri', description: 'Source repository of the verified provenance (`git+https://…`).' },
    { name: 'source-ref', description: 'Source ref of the verified provenance (`refs/tags/…` or `refs/heads/…`).' },
    { name: 'verified-by', description: '`in-process` or `slsa-verifier`.' },
  ],
  rules: [],
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = (ctx.config.config['verify-slsa'] ?? {}) as VerifySlsaConfig;
    const artifacts = splitList(raw.artifact);
    const images = splitList(raw.image).map((ref) => {
      const at = ref.lastIndexOf('@');
      const digest = at >= 0 ? ref.slice(at + 1) : ref;
      if (at < 0 && /[/:.]/.test(ref) && !/^sha256:/i.test(ref)) {
        // `ghcr.io/o/r:1.0`: a tag names whatever it points to now, not what the provenance proves
        throw new InputError(`image: "${ref}" is not pinned by digest: give name@sha256:<hex> (e.g. the digest output of docker/build-push-action)`);
      }
      return { ref, digest: normalizeDigest(digest, `image ${ref}`) };
    });
    if (!artifacts.length && !images.length) throw new InputError('give at least one artifact (file) or image (name@sha256:…) to verify');
    const provenance = opt(raw.provenance);
    if (!provenance) throw new InputError('provenance: required (path of the provenance file)');
    const sourceUriInput = opt(raw['source-uri']);
    if (!sourceUriInput) throw new InputError('source-uri: required (e.g. github.com/owner/repo)');
    let sourceTag = opt(raw['source-tag']);
    const sourceVersionedTag = opt(raw['source-versioned-tag']);
    let sourceBranch = opt(raw['source-branch']);
    // `git+https://github.com/o/r@refs/tags/v1`: the form the provenance itself uses (materials, configSource).
    // The ref is a requirement the user wrote down: it becomes source-tag / source-branch, never dropped.
    const withRef = splitSourceUriRef(sourceUriInput);
    if (withRef.ref !== undefined) {
      const tag = /^refs\/tags\/(.+)$/.exec(withRef.ref)?.[1];
      const branch = /^refs\/heads\/(.+)$/.exec(withRef.ref)?.[1];
      if (tag === undefined && branch === undefined) {
        throw new InputError(`source-uri: "${sourceUriInput}" names the ref "${withRef.ref}": give refs/tags/<tag> or refs/heads/<branch> (or the repository alone with source-tag / source-branch)`);
      }
      const conflict = (tag !== undefined && ((sourceTag !== undefined && sourceTag !== tag) || sourceBranch !== undefined || sourceVersionedTag !== undefined)) || (branch !== undefined && ((sourceBranch !== undefined && sourceBranch !== branch) || sourceTag !== undefined || sourceVersionedTag !== undefined));
      if (conflict) throw new InputError(`source-uri: the ref "${withRef.ref}" in "${sourceUriInput}" contradicts source-tag / source-branch / source-versioned-tag: give the ref once`);
      if (tag !== undefined) sourceTag = tag;
      else sourceBranch = branch;
    }
    const given = [['source-tag', sourceTag], ['source-versioned-tag', sourceVersionedTag], ['source-branch', sourceBranch]].filter(([, v]) => v !== undefined);
    if (given.length > 1) throw new InputError(`${given.map(([k]) => k).join(', ')}: give only one (they are mutually exclusive, as in slsa-verifier)`);
    if (sourceTag?.startsWith('refs/')) throw new InputError(`source-tag: give the tag name ("${sourceTag.replace(/^refs\/tags\//, '')}"), not the ref`);
    if (sourceBranch?.startsWith('refs/')) throw new InputError(`source-branch: give the branch name ("${sourceBranch.replace(/^refs\/heads\//, '')}"), not the ref`);
    const mode = (opt(raw.mode) ?? 'auto') as Mode;
    if (!['auto', 'in-process', 'slsa-verifier'].includes(mode)) throw new InputError(`mode: "${mode}" is not one of auto, in-process, slsa-verifier`);
    const timeoutMs = parseTimeout(opt(raw.timeout) ?? (cfg.timeout === undefined ? undefined : String(cfg.timeout)), { name: 'timeout', default: '5m', minMs: 1000, maxMs: 3_600_000 });
    const trustInstance = (opt(raw['trust-instance']) ?? 'public-good') as 'public-good' | 'github';
    if (!['public-good', 'github'].includes(trustInstance)) throw new InputError(`trust-instance: "${trustInstance}" is not one of public-good, github`);
    if (trustInstance === 'github' && !opt(raw['trusted-root'])) throw new InputError("trust-instance github: give GitHub's trusted_root.json as trusted-root");
    const builderIdInput = opt(raw['builder-id']);
    return {
      artifacts,
      images,
      provenance,
      sourceUriInput,
      sourceUri: normalizeSourceUri(withRef.uri),
      sourceTag,
      sourceVersionedTag,
      sourceBranch,
      builderIdInput,
      builderId: builderIdInput ? parseBuilderId(builderIdInput) : undefined,
      workflow: opt(raw.workflow),
      records: opt(raw.records),
      mode,
      trustedRoot: opt(raw['trusted-root']),
      trustInstance,
      slsaVerifierPath: opt(raw['slsa-verifier-path']),
      slsaVerifierDownloadUrl: mirrorUrl(opt(raw['slsa-verifier-download-url'])),
      slsaVerifierSha256: opt(raw['slsa-verifier-sha256']),
      timeoutMs,
      trustedBuilders: cfg['trusted-builders'] ?? DEFAULT_TRUSTED_BUILDERS,
    };
  },

  run(inputs, ctx) {
    return runVerifySlsa(inputs, ctx);
  },
};

export default gate;

// ---------------------------------------------------------------------------------------------------------

interface DocEval {
  doc: ProvenanceDoc;
  facts?: ProvenanceFacts;
  /** another attestation (not SLSA provenance) in the file: its type and subjects */
  other?: { predicateType: string; subjects: ProvenanceFacts['subjects'] };
  claims: Claim[];
  /** a reason that means "could not judge" (error, not fail) */
  errorReason?: string;
  errorMessage?: string;
}

const abs = (cwd: string, p: string) => (isAbsolute(p) ? p : join(cwd, p));
const shown = (cwd: string, p: string) => (isAbsolute(p) ? relative(cwd, p) || p : p);

function policyOf(i: VerifySlsaInputs): Record<string, string | number | boolean | null> {
  return {
    'source-uri': i.sourceUri,
    'source-tag': i.sourceTag ?? null,
    'source-versioned-tag': i.sourceVersionedTag ?? null,
    'source-branch': i.sourceBranch ?? null,
    'builder-id': i.builderIdInput ?? null,
    'trusted-builders': i.builderIdInput ? null : i.trustedBuilders.length,
    workflow: i.workflow ?? null,
    mode: i.mode,
    'trusted-root': i.trustedRoot ? (i.trustInstance === 'github' ? 'github' : 'file') : 'public-good',
    records: !!i.records,
  };
}

function errorOut(i: VerifySlsaInputs, reason: string, message: string, extra: Partial<GateResult> = {}): GateResult {
  return { outcome: 'error', reasons: [reason], findings: [], messages: [message], policy: policyOf(i), ...extra };
}

export async function runVerifySlsa(inputs: VerifySlsaInputs, ctx: GateContext): Promise<GateResult> {
  // 1. what is being verified
  const artifacts: Array<{ name: string; digest: string; sha512?: string; path?: string }> = [];
  for (const a of inputs.artifacts) {
    const p = abs(ctx.cwd, a);
    try {
      if (!statSync(p).isFile()) return errorOut(inputs, 'artifact-unreadable', `artifact ${a}: not a file`);
      artifacts.push({ name: a, digest: await sha256File(p), path: p });
    } catch (e) {
      return errorOut(inputs, 'artifact-unreadable', `artifact ${a}: ${fsErrorText(e)}`);
    }
  }
  for (const im of inputs.images) artifacts.push({ name: im.ref, digest: im.digest });
  const exp: Expectations = {
    sourceUri: inputs.sourceUri,
    sourceTag: inputs.sourceTag,
    sourceVersionedTag: inputs.sourceVersionedTag,
    sourceBranch: inputs.sourceBranch,
    builderId: inputs.builderId,
    workflow: inputs.workflow,
    artifacts: [],
    trustedBuilders: inputs.trustedBuilders,
  };

  // 2. the provenance
  const provPath = abs(ctx.cwd, inputs.provenance);
  let text: string;
  try {
    text = readFileSync(provPath, 'utf8');
  } catch (e) {
    return errorOut(inputs, 'provenance-unreadable', `provenance ${inputs.provenance}: ${fsErrorText(e)}`);
  }
  let docs: ProvenanceDoc[];
  try {
    docs = parseProvenanceText(text);
  } catch (e) {
    const line = e instanceof ProvenanceFormatError ? e.line : 1;
    return errorOut(inputs, 'provenance-invalid', `${shown(ctx.cwd, inputs.provenance)}:${line}: ${(e as Error).message}`);
  }
  if (docs.length > 1000) return errorOut(inputs, 'provenance-invalid', `provenance ${inputs.provenance}: ${docs.length} documents (more than 1000)`);

  const legacy = docs.some((d) => d.format === 'dsse-envelope');
  const verifiedBy: 'in-process' | 'slsa-verifier' = inputs.mode === 'slsa-verifier' || (inputs.mode === 'auto' && legacy) ? 'slsa-verifier' : 'in-process';

  // 3. statements
  const evals: DocEval[] = docs.map((doc) => {
    const d = decodeStatement(doc.envelope);
    if ('problem' in d) {
      const id = d.problem.reason === 'payload-type-invalid' ? 'payload-type' : d.problem.reason === 'predicate-type-invalid' ? 'predicate-type' : 'statement';
      return { doc, other: d.problem.other, claims: [{ id, label: id.replace('-', ' '), expected: 'SLSA provenance', actual: d.problem.message, ok: false, reason: d.problem.reason, message: `document ${doc.index}: ${d.problem.message}` }] };
    }
    return {
      doc,
      facts: d.facts,
      claims: [
        { id: 'payload-type', label: 'payload type', expected: 'application/vnd.in-toto+json', actual: doc.envelope.payloadType, ok: true },
        { id: 'predicate-type', label: 'predicate type', expected: 'SLSA provenance v0.2 / v1', actual: d.facts.predicateType, ok: true },
      ],
    };
  });

  // npm provenance names the tarball by sha512 only: hash the files with sha512 too when a subject has one
  if (evals.some((e) => (e.facts ?? e.other)?.subjects.some((s) => s.sha512))) {
    for (const a of artifacts) {
      if (!a.path) continue;
      try {
        a.sha512 = await sha512File(a.path);
      } catch (e) {
        return errorOut(inputs, 'artifact-unreadable', `artifact ${a.name}: ${fsErrorText(e)}`);
      }
    }
  }
  exp.artifacts = artifacts.map(({ name, digest, sha512 }) => ({ name, digest, sha512 }));

  // 4. signatures (in-process) and claims
  let tool: RunVerdict | undefined;
  let toolInfo: { name: string; version: string } | undefined;
  let toolSource: string | undefined;
  let trustDetails: Record<string, string> | undefined;
  if (verifiedBy === 'in-process') {
    let verifier;
    try {
      verifier = await createSignatureVerifier(inputs.trustedRoot ? abs(ctx.cwd, inputs.trustedRoot) : undefined, inputs.trustInstance);
    } catch (e) {
      return errorOut(inputs, 'trusted-root-invalid', `trusted root: ${(e as Error).message}`);
    }
    trustDetails = { 'trusted-root-sha256': verifier.trustSha256, 'trusted-root-version': verifier.trustVersion };
    for (const ev of evals) {
      let v: SignatureVerdict;
      try {
        v = await verifier.verify(ev.doc);
      } catch (e) {
        v = { ok: false, reason: 'signature-invalid', message: (e as Error).message };
      }
      if (v.ok) {
        ev.claims.push({ id: 'signature', label: 'signature', expected: 'valid for the trusted root', actual: v.detail, ok: true, by: 'chaingate' });
        if (ev.facts) ev.claims.push(...checkDocument(ev.facts, v.identity, exp));
      } else {
        ev.claims.push({ id: 'signature', label: 'signature', expected: 'valid for the trusted root', actual: v.message, ok: false, reason: 'signature-invalid', message: `document ${ev.doc.index}: ${v.message}` });
        if ('error' in v) {
          ev.errorReason = v.reason;
          ev.errorMessage = v.message;
        }
      }
    }
  } else {
    // slsa-verifier checks the signature, the certificate and the log entry; chaingate still checks every
    // claim it can read from the provenance (defence in depth: both must agree).
    for (const ev of evals) if (ev.facts) ev.claims.push(...checkDocument(ev.facts, undefined, exp));
    let binary = inputs.slsaVerifierPath;
    toolSource = binary ? 'path' : undefined;
    toolInfo = { name: 'slsa-verifier', version: binary ? 'custom' : SLSA_VERIFIER_VERSION };
    if (!binary) {
      try {
        const inst = await installSlsaVerifier({
          sha256: inputs.slsaVerifierSha256,
          baseUrl: inputs.slsaVerifierDownloadUrl,
          tempDir: join(ctx.tempDir, 'slsa-verifier'),
          useToolCache: !!ctx.env.RUNNER_TOOL_CACHE && !!process.env.RUNNER_TOOL_CACHE,
          log: (m) => ctx.logger.info(m),
          timeoutMs: inputs.timeoutMs,
          fetch: ctx.fetch,
          sleep: (ms) => ctx.sleep(ms),
        });
        binary = inst.path;
        toolSource = inst.fromCache ? 'cache' : 'download';
      } catch (e) {
        if (e instanceof ToolInstallError) return errorOut(inputs, e.reason, e.message, { tool: toolInfo });
        return errorOut(inputs, 'tool-download-failed', `slsa-verifier: ${(e as Error).message}`, { tool: toolInfo });
      }
    } else {
      binary = abs(ctx.cwd, binary);
      if (!existsSync(binary)) return errorOut(inputs, 'tool-error', `slsa-verifier-path: ${inputs.slsaVerifierPath}: no such file`, { tool: toolInfo });
    }
    tool = await runTool(binary, inputs, artifacts, provPath, ctx, toolSourceUri(inputs, evals));
  }

  const result = conclude(inputs, ctx, artifacts, evals, verifiedBy, tool, toolInfo, docs.length);
  if (toolSource) result.details = { ...(result.details ?? {}), 'slsa-verifier-source': toolSource };
  if (trustDetails) result.details = { ...(result.details ?? {}), ...trustDetails };
  return result;
}

async function sha512File(path: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha512');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return `sha512:${h.digest('hex')}`;
}

/** Minimal environment for the child: no tokens or other secrets of the step. */
export function toolEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = /^(PATH|HOME|TMPDIR|TEMP|TMP|LANG|LC_ALL|SSL_CERT_FILE|SSL_CERT_DIR|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|SIGSTORE_[A-Z_]+|TUF_[A-Z_]+|SYSTEMROOT|USERPROFILE)$/;
  return Object.fromEntries(Object.entries(env).filter(([k]) => keep.test(k)));
}

/**
 * The `--source-uri` slsa-verifier gets. It compares the provenance's URI exactly, while GitHub names are
 * case-insensitive (and `.git` names the same repository): once chaingate has matched the provenance's
 * repository to `source-uri` (sameRepo), slsa-verifier is given the provenance's own spelling, so a
 * `github.com/acme/widget` for `Acme/Widget` is not a false failure. Otherwise the normalised input
 * (`host/owner/repo`, so an SSH `git@github.com:o/r.git` reaches slsa-verifier in a form it takes).
 */
function toolSourceUri(inputs: VerifySlsaInputs, evals: DocEval[]): string {
  const spellings = new Set(evals.map((e) => e.facts?.configSourceUri).filter((u): u is string => !!u && sameRepo(u, inputs.sourceUri)));
  if (spellings.size !== 1) return inputs.sourceUri.replace(/^git\+https:\/\//, '');
  return [...spellings][0].replace(/^git\+https:\/\//, '');
}

async function runTool(binary: string, inputs: VerifySlsaInputs, artifacts: Array<{ name: string; path?: string }>, provPath: string, ctx: GateContext, sourceUri: string): Promise<RunVerdict> {
  const req = {
    artifacts: inputs.artifacts,
    images: inputs.images.map((i) => i.ref),
    provenancePath: provPath,
    sourceUri,
    sourceTag: inputs.sourceTag,
    sourceVersionedTag: inputs.sourceVersionedTag,
    sourceBranch: inputs.sourceBranch,
    builderId: inputs.builderIdInput,
  };
  const o = { exec: ctx.exec, binary, timeoutMs: inputs.timeoutMs, retries: 2, sleep: (ms: number) => ctx.sleep(ms), cwd: ctx.cwd, env: toolEnv(ctx.env), log: (m: string) => ctx.logger.info(m) };
  const files = artifacts.filter((a) => a.path).map((a) => a.path!);
  const runs: Array<{ kind: 'artifact' | 'image'; targets: string[] }> = [];
  if (files.length) runs.push({ kind: 'artifact', targets: files });
  for (const im of req.images) runs.push({ kind: 'image', targets: [im] });
  let last: RunVerdict | undefined;
  let attempts = 0;
  for (const r of runs) {
    const v = await runSlsaVerifier(slsaVerifierArgs(req, r.kind, r.targets), r.targets, o);
    attempts += v.attempts;
    if (v.kind !== 'pass') return { ...v, attempts };
    last = v;
  }
  return { ...(last as RunVerdict), attempts };
}

function claimTable(title: string, claims: Claim[]): string[] {
  const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 300);
  const out = [`**${md(title)}**`, '', '| claim | expected | found | result |', '|---|---|---|---|'];
  for (const c of claims) out.push(`| ${md(c.label)} | \`${md(c.expected)}\` | \`${md(c.actual)}\` | ${c.ok ? 'pass' : `**fail** (\`${c.reason}\`)`} |`);
  out.push('');
  return out;
}

function conclude(
  inputs: VerifySlsaInputs,
  ctx: GateContext,
  artifacts: Array<{ name: string; digest: string; sha512?: string }>,
  evals: DocEval[],
  verifiedBy: 'in-process' | 'slsa-verifier',
  tool: RunVerdict | undefined,
  toolInfo: { name: string; version: string } | undefined,
  docCount: number,
): GateResult {
  const messages: string[] = [];
  const summary: string[] = [];
  const reasons = new Set<string>();
  const details: Record<string, string | number | boolean | null> = { documents: docCount, 'verified-by': verifiedBy };
  const policy = policyOf(inputs);

  // For each artifact: the documents whose subjects name it; it is verified when one of them passes every claim.
  const covering = (a: { name: string; digest: string; sha512?: string }) => evals.filter((e) => e.facts?.subjects.some((s) => subjectMatches(s, a)));
  // keyed by the artifact itself, not its digest: two files with the same bytes are two artifacts (keyed by
  // digest they counted once, and the release failed with no reason)
  const accepted = new Map<(typeof artifacts)[number], DocEval>();
  const shownEvals = new Set<DocEval>();
  let couldNotJudge: DocEval | undefined;
  let unsupported: string | undefined;
  for (const a of artifacts) {
    const cands = covering(a);
    const good = cands.find((e) => e.claims.every((c) => c.ok) && !e.errorReason);
    if (good) {
      accepted.set(a, good);
      shownEvals.add(good);
      continue;
    }
    // nothing names it: show why each document did not — but other attestations in the file (an SBOM, npm's
    // publish attestation) are not failed provenance when the file does hold SLSA provenance: their
    // "predicate type" is no reason for this artifact
    const judged = cands.length ? cands : evals.some((e) => e.facts) ? evals.filter((e) => !e.other) : evals;
    // … and when some subject could not even be compared (a digest algorithm chaingate cannot compute for
    // this artifact), nothing is proved either way: error, never a pass or a plain mismatch
    const incomparable = cands.length ? undefined : evals.flatMap((e) => e.facts?.subjects ?? []).find((s) => !subjectComparable(s, a));
    if (incomparable) {
      for (const e of judged.slice(0, 5)) shownEvals.add(e);
      unsupported ??= `${a.name}: no subject has a digest chaingate can compare (subject "${incomparable.name.slice(0, 200)}" names ${incomparable.algorithms.join(', ') || 'no digest'}; chaingate compares sha256, and sha512 for files)`;
      continue;
    }
    for (const e of judged.slice(0, 5)) shownEvals.add(e);
    const errored = judged.find((e) => e.errorReason);
    if (errored) {
      couldNotJudge ??= errored;
      continue;
    }
    for (const e of judged) for (const c of e.claims) if (!c.ok && c.reason) reasons.add(c.reason);
    if (!cands.length) reasons.add('subject-mismatch');
    const failed = judged.flatMap((e) => e.claims.filter((c) => !c.ok));
    for (const c of failed.slice(0, 20)) messages.push(`${a.name}: ${c.message ?? c.label}`);
    if (!cands.length) {
      // other attestations of the same artifact (an SBOM next to the provenance in `gh attestation download`
      // output) do name it: say that the provenance is what is missing, not the artifact
      const others = evals.filter((e) => e.other?.subjects.some((s) => subjectMatches(s, a)));
      if (others.length) {
        const types = [...new Set(others.map((e) => e.other!.predicateType))].slice(0, 5).join(', ');
        messages.push(`${a.name}: no SLSA provenance in the file names it (${a.digest}); ${others.length} other attestation(s) of it are not provenance (${types})`);
      } else if (!failed.some((c) => c.reason === 'subject-mismatch')) messages.push(`${a.name}: no document of the provenance has a subject with digest ${a.digest}`);
    }
  }

  for (const e of [...shownEvals].slice(0, 10)) {
    const title = `document ${e.doc.index} (${e.doc.format}${e.facts ? `, ${e.facts.predicateType}` : ''})`;
    summary.push(...claimTable(title, e.claims));
  }

  // the tool's verdict
  if (tool) {
    details['slsa-verifier'] = tool.kind === 'pass' ? 'PASSED' : tool.kind === 'fail' ? `FAILED: ${tool.message}`.slice(0, 300) : `error: ${tool.message}`.slice(0, 300);
    details['slsa-verifier-attempts'] = tool.attempts;
    const parsed = tool.kind === 'error' ? tool.parsed : tool.parsed;
    summary.push(
      ...claimTable('slsa-verifier', [
        {
          id: 'slsa-verifier',
          label: `slsa-verifier ${toolInfo?.version ?? ''}`.trim(),
          expected: 'PASSED: SLSA verification passed',
          actual: tool.kind === 'pass' ? `PASSED${parsed?.builderId ? ` (builder ${parsed.builderId})` : ''}` : tool.message,
          ok: tool.kind === 'pass',
          by: 'slsa-verifier',
        },
      ]),
    );
    if (tool.kind === 'fail') {
      reasons.add('slsa-verifier-failed');
      messages.push(tool.message);
    } else if (tool.kind === 'error') {
      return { outcome: 'error', reasons: [tool.reason], findings: [], messages: [...messages, tool.message], summary, details, policy, tool: toolInfo, subject: subjectOf(artifacts) };
    }
  }

  if (unsupported) {
    return { outcome: 'error', reasons: ['subject-digest-unsupported'], findings: [], messages: [...messages, unsupported], summary, details, policy, tool: toolInfo, subject: subjectOf(artifacts) };
  }
  if (couldNotJudge && accepted.size < artifacts.length) {
    return {
      outcome: 'error',
      reasons: [couldNotJudge.errorReason!],
      findings: [],
      messages: [...messages, `document ${couldNotJudge.doc.index}: ${couldNotJudge.errorMessage}`],
      summary,
      details,
      policy,
      tool: toolInfo,
      subject: subjectOf(artifacts),
    };
  }

  const verified = accepted.size === artifacts.length && !reasons.size;
  const first = [...accepted.values()][0];
  const builderId = first?.facts?.builderId ?? '';
  const sourceRef = first?.facts ? sourceRefOf(first.facts) ?? '' : '';
  if (first?.facts) {
    details['builder-id'] = builderId;
    details['source-uri'] = first.facts.configSourceUri ?? null;
    details['source-ref'] = sourceRef;
    details['predicate-type'] = first.facts.predicateType;
    if (first.facts.sourceCommit) details['source-commit'] = first.facts.sourceCommit;
  }
  details['claims-checked'] = [...shownEvals].reduce((n, e) => n + e.claims.length, 0);

  // 5. the run's records must name the verified subject
  if (verified && inputs.records) {
    const rc = crossCheckRecords(abs(ctx.cwd, inputs.records), artifacts.map((a) => a.digest), { runId: ctx.env.GITHUB_RUN_ID || undefined, repository: ctx.env.GITHUB_REPOSITORY || undefined });
    details['records-considered'] = rc.considered;
    if (rc.error) {
      return { outcome: 'error', reasons: ['records-unreadable'], findings: [], messages: [rc.error], summary, details, policy, tool: toolInfo, subject: subjectOf(artifacts) };
    }
    if (rc.claim) {
      summary.push(...claimTable('pipeline_run records', [rc.claim]));
      if (!rc.claim.ok) {
        reasons.add('records-subject-mismatch');
        messages.push(rc.claim.message!);
      }
    }
  }

  const pass = verified && !reasons.size;
  const uniq = [...new Set(messages)];
  messages.length = 0;
  messages.push(...uniq);
  const digests = artifacts.map((a) => a.digest);
  if (pass) messages.unshift(`verified ${artifacts.length} artifact(s) against ${new Set(accepted.values()).size === 1 ? 'the provenance' : 'the provenance documents'}: built by ${builderId} from ${first?.facts?.configSourceUri ?? ''} at ${sourceRef} (${verifiedBy})`);
  return {
    outcome: pass ? 'pass' : 'fail',
    reasons: pass ? ['ok'] : [...reasons],
    findings: [],
    messages,
    summary,
    details,
    policy,
    tool: toolInfo,
    subject: subjectOf(artifacts),
    outputs: {
      'subject-digests': pass ? digests.join(',') : '',
      'builder-id': pass ? builderId : '',
      'source-uri': pass ? first?.facts?.configSourceUri ?? '' : '',
      'source-ref': pass ? sourceRef : '',
      'verified-by': verifiedBy,
    },
  };
}

function subjectOf(artifacts: Array<{ name: string; digest: string }>): { digest?: string; name?: string } | undefined {
  if (!artifacts.length) return undefined;
  return { digest: artifacts[0].digest, name: artifacts.length === 1 ? artifacts[0].name : `${artifacts[0].name} (+${artifacts.length - 1})` };
}

/** `slsa-verifier-download-url`: an http(s) URL without credentials; never echoed (it may hold a token). */
function mirrorUrl(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let u: URL | undefined;
  try {
    u = new URL(v);
  } catch {
    u = undefined;
  }
  if (!u || !/^https?:$/.test(u.protocol)) throw new InputError('slsa-verifier-download-url must be an http(s) URL');
  if (u.username || u.password) {
    throw new InputError('slsa-verifier-download-url must not hold credentials (user:password@host): they could reach logs; use a mirror that needs no credentials, or slsa-verifier-path');
  }
  return v;
}
