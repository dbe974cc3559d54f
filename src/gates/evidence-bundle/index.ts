// evidence-bundle: collect the run's pipeline_run records and the gates' reports into one directory with a
// manifest, an in-toto Statement on the release digest, and (unless `sign: false`) a keyless sigstore bundle.
import { existsSync, readdirSync, realpathSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import type { Gate, GateContext } from '../../core/gate.js';
import type { GateResult } from '../../core/types.js';
import { InputError } from '../../core/types.js';
import { normalizeDigest, sha256Hex, DigestError } from '../../core/digest.js';
import { configuredRecordPath, defaultRecordPath, type PipelineRunRecord } from '../../core/record.js';
import { expandGlob } from '../../core/glob.js';
import { parseBool, splitList, fsErrorText, ensureDir } from '../../core/files.js';
import { SUITE_VERSION } from '../../core/version.js';
import { parseTimeout } from '../../core/timeout.js';
import {
  MANIFEST_FILE,
  MANIFEST_SCHEMA,
  PREDICATE_TYPE,
  SIGSTORE_FILE,
  STATEMENT_FILE,
  buildStatement,
  classify,
  gateSummary,
  runInfo,
  serialise,
  type Manifest,
  type ManifestFile,
} from '../evidence/format.js';
import { parseRecordLines } from '../evidence/collect.js';
import { DEFAULT_LIMITS } from '../evidence/tree.js';
import { DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL, SignError, getIdentityToken, signStatement } from '../evidence/sign.js';

export interface EvidenceBundleInputs {
  subjectDigest: string;
  subjectName: string;
  records: string[];
  reports: string[];
  outputDir: string;
  sign: boolean;
  fulcioUrl: string;
  rekorUrl: string;
  tsaUrl?: string;
  audience: string;
  artifactName: string;
  timeoutMs: number;
}

interface EvidenceConfig {
  'artifact-name'?: string;
  reports?: string[];
}

export const REASONS = [
  'signed',
  'signing-skipped',
  'oidc-unavailable',
  'oidc-token-failed',
  'signing-failed',
  'invalid-record',
  'duplicate-record',
  'record-subject-mismatch',
  'record-run-mismatch',
  'limits-exceeded',
  'output-not-empty',
  'output-unwritable',
] as const;

function httpUrl(v: string, name: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InputError(`${name}: "${v}" is not a URL`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))) {
    throw new InputError(`${name}: only https URLs (or http on localhost, for tests) are accepted`);
  }
  if (u.username || u.password || u.search) throw new InputError(`${name}: the URL must not carry credentials or a query`);
  return v.replace(/\/+$/, '');
}

/**
 * `timeout`: a duration like every other gate's (`30s`, `2m`, `PT1M`), or, as before, a bare number of
 * seconds (`60`). Empty means the default. Between 1 second and 1 hour. Returns seconds.
 */
export function timeoutSeconds(raw: string | undefined): number {
  return parseTimeout(raw, { name: 'timeout', default: '60', minMs: 1000, maxMs: 3_600_000 }) / 1000;
}

const gate: Gate<EvidenceBundleInputs> = {
  id: 'evidence-bundle',
  title: 'evidence-bundle',
  description: 'collect records and reports into a manifest and an in-toto Statement on the release digest, signed keyless',
  static: false,
  inputs: [
    { name: 'subject-digest', description: 'Digest of the release (sha256:<64 hex>): the in-toto subject every record is checked against.', required: true },
    { name: 'subject-name', description: 'Name of the release in the Statement subject (e.g. ghcr.io/acme/widget). Default: `$GITHUB_REPOSITORY`.' },
    {
      name: 'records',
      description: 'NDJSON record files or globs, one per line. Default: the record file the gates of this job append to (`$CHAINGATE_RECORDS`, else `records.path` of the config file, else `$RUNNER_TEMP/chaingate/pipeline_run.ndjson`).',
      multiple: true,
    },
    {
      name: 'reports',
      description: 'Report files or globs (SARIF, Bandit JSON, provenance, summaries), one per line. Default: config `evidence.reports`, else the `*.sarif` files under `$RUNNER_TEMP/chaingate/`.',
      positional: true,
      multiple: true,
    },
    { name: 'output-dir', description: 'Directory the bundle is written to (must be empty or absent). Default: `$RUNNER_TEMP/chaingate-evidence`, else `.chaingate/evidence`.' },
    { name: 'sign', description: 'Sign the Statement keyless with the job\'s OIDC token (needs `id-token: write`). `false` skips signing and says so in the record.', default: 'true' },
    { name: 'fulcio-url', description: 'Fulcio base URL.', default: DEFAULT_FULCIO_URL },
    { name: 'rekor-url', description: 'Rekor base URL.', default: DEFAULT_REKOR_URL },
    { name: 'tsa-url', description: 'RFC 3161 timestamp authority base URL (optional).' },
    { name: 'oidc-audience', description: 'Audience of the OIDC token.', default: 'sigstore' },
    { name: 'artifact-name', description: 'Name of the workflow artifact (output only: the composite action uploads it). Default: config `evidence.artifact-name`, else `chaingate-evidence`.' },
    { name: 'timeout', description: 'Timeout of each network call (token, Fulcio, Rekor): a duration (`30s`, `2m`, ISO-8601 `PT1M`), or a bare number of seconds. At most 1 hour.', default: '60' },
  ],
  outputs: [
    { name: 'path', description: 'Directory holding the bundle.' },
    { name: 'artifact-name', description: 'Name to upload the directory under.' },
    { name: 'signed', description: '`true` when the Statement was signed.' },
    { name: 'manifest-digest', description: 'sha256 digest of manifest.json (bound into the signed Statement).' },
  ],
  rules: [],
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = (ctx.config.config.evidence ?? {}) as EvidenceConfig;
    let subjectDigest: string;
    try {
      subjectDigest = normalizeDigest(raw['subject-digest'] ?? '', 'subject-digest');
    } catch (e) {
      if (e instanceof DigestError) throw new InputError(e.message);
      throw e;
    }
    const timeout = timeoutSeconds(raw.timeout);
    const records = splitList(raw.records);
    const reports = raw.reports?.trim() ? raw.reports.split('\n').map((s) => s.trim()).filter(Boolean) : (cfg.reports ?? []);
    const defaultOut = ctx.env.RUNNER_TEMP ? join(ctx.env.RUNNER_TEMP, 'chaingate-evidence') : join(ctx.cwd, '.chaingate', 'evidence');
    const artifactName = (raw['artifact-name']?.trim() || cfg['artifact-name'] || 'chaingate-evidence').trim();
    if (!/^[^"<>|*?:\\/\r\n]{1,200}$/.test(artifactName)) throw new InputError(`artifact-name: "${artifactName}" contains a character artifact names may not hold (" : < > | * ? \\ / or a newline)`);
    const tsa = raw['tsa-url']?.trim();
    return {
      subjectDigest,
      subjectName: (raw['subject-name']?.trim() || ctx.env.GITHUB_REPOSITORY || 'release').slice(0, 500),
      // records.path of the config is checked like the gates check it (it could name a file outside the workspace
      // through a symlink, and the bundle would carry that file's lines)
      records: records.length
        ? records
        : [!ctx.env.CHAINGATE_RECORDS && ctx.config.config.records?.path ? configuredRecordPath(ctx.cwd, ctx.config.config.records.path) : defaultRecordPath(ctx.env, ctx.cwd)],
      reports: reports.length ? reports : ctx.env.RUNNER_TEMP ? [join(ctx.env.RUNNER_TEMP, 'chaingate', '*.sarif')] : [],
      outputDir: raw['output-dir']?.trim() ? resolvePath(ctx.cwd, raw['output-dir'].trim()) : defaultOut,
      sign: parseBool(raw.sign, 'sign', true),
      fulcioUrl: httpUrl(raw['fulcio-url']?.trim() || DEFAULT_FULCIO_URL, 'fulcio-url'),
      rekorUrl: httpUrl(raw['rekor-url']?.trim() || DEFAULT_REKOR_URL, 'rekor-url'),
      tsaUrl: tsa ? httpUrl(tsa, 'tsa-url') : undefined,
      audience: raw['oidc-audience']?.trim() || 'sigstore',
      artifactName,
      timeoutMs: timeout * 1000,
    };
  },

  run: runEvidenceBundle,
};

export default gate;

function shownPath(abs: string, ctx: GateContext): string {
  const rel = relative(ctx.cwd, abs);
  if (!rel.startsWith('..') && !isAbsolute(rel)) return rel.split('\\').join('/');
  if (ctx.env.RUNNER_TEMP) {
    const t = relative(ctx.env.RUNNER_TEMP, abs);
    if (!t.startsWith('..') && !isAbsolute(t)) return `$RUNNER_TEMP/${t.split('\\').join('/')}`;
  }
  return basename(abs);
}

function expand(patterns: string[], ctx: GateContext): { files: string[]; missing: string[] } {
  const seen = new Set<string>();
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of patterns) {
    const found = expandGlob(p, ctx.cwd);
    if (!found.length) missing.push(p);
    for (const abs of found) {
      let real: string;
      try {
        real = realpathSync(abs);
      } catch {
        continue;
      }
      if (seen.has(real)) continue;
      seen.add(real);
      files.push(abs);
    }
  }
  return { files, missing };
}

/**
 * A name inside records/ or reports/ that does not collide with one already taken — compared without case:
 * `a.sarif` and `A.sarif` would overwrite each other when the artifact is unpacked on macOS or Windows, and
 * the bundle would then fail verification there.
 */
function uniqueName(taken: Set<string>, dir: string, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'file';
  let candidate = `${dir}/${safe}`;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const ext = extname(safe);
    candidate = `${dir}/${safe.slice(0, safe.length - ext.length)}-${n}${ext}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

export async function runEvidenceBundle(inputs: EvidenceBundleInputs, ctx: GateContext): Promise<GateResult> {
  const fail = (outcome: 'fail' | 'error', reason: string, messages: string[]): GateResult => ({
    outcome,
    reasons: [reason],
    findings: [],
    subject: { digest: inputs.subjectDigest, name: inputs.subjectName },
    messages,
    details: { signed: false },
  });

  // 1. records
  const rec = expand(inputs.records, ctx);
  if (!rec.files.length) {
    return fail('error', 'no-files', [`no record file found (${inputs.records.map((p) => shownPath(resolvePath(ctx.cwd, p), ctx)).join(', ')}): the gates of this run left no evidence to bundle`]);
  }
  const limits = DEFAULT_LIMITS;
  let totalBytes = 0;
  const entries: Array<{ path: string; data: Buffer }> = [];
  const taken = new Set<string>();
  const records: PipelineRunRecord[] = [];
  const problems: string[] = [];
  const ids = new Map<string, string>();
  let invalid = 0;
  let mismatched = 0;
  let duplicates = 0;
  let otherRun = 0;
  // the Statement's run: evidence-verify refuses records from another repository, workflow run or commit
  const thisRun = runInfo(ctx.env);
  for (const abs of rec.files) {
    const shown = shownPath(abs, ctx);
    const st = statSync(abs);
    totalBytes += st.size;
    if (totalBytes > limits.maxBytes) return fail('error', 'limits-exceeded', [`${shown}: the bundle would exceed ${limits.maxBytes} bytes`]);
    const data = readFileSync(abs);
    for (const l of parseRecordLines(shown, data)) {
      if (!l.record) {
        invalid++;
        problems.push(`${shown}:${l.line}: ${l.problem}`);
        continue;
      }
      const r = l.record;
      if (ids.has(r.record_id)) {
        duplicates++;
        problems.push(`${shown}:${l.line}: record ${r.record_id} appears twice (also at ${ids.get(r.record_id)})`);
        continue;
      }
      ids.set(r.record_id, `${shown}:${l.line}`);
      if (r.subject?.digest && normalizeDigest(r.subject.digest) !== inputs.subjectDigest) {
        mismatched++;
        problems.push(`${shown}:${l.line}: record of ${r.gate} names ${r.subject.digest}, not the release ${inputs.subjectDigest}`);
      }
      const differ = (['repository', 'run_id', 'sha'] as const).filter((k) => thisRun[k] && r.run[k] !== thisRun[k]);
      if (differ.length) {
        otherRun++;
        problems.push(`${shown}:${l.line}: record of ${r.gate} comes from ${r.run.repository ?? '?'} run ${r.run.run_id ?? '?'} @${r.run.sha ?? '?'}, not this run (${differ.join(', ')} differ)`);
      }
      records.push(r);
    }
    entries.push({ path: uniqueName(taken, 'records', basename(abs)), data });
  }
  if (invalid || duplicates) return fail('error', invalid ? 'invalid-record' : 'duplicate-record', problems.slice(0, 20));
  if (mismatched) return fail('fail', 'record-subject-mismatch', problems.slice(0, 20));
  if (otherRun) return fail('fail', 'record-run-mismatch', problems.slice(0, 20));
  if (!records.length) return fail('error', 'no-files', ['the record files hold no records: the gates of this run left no evidence to bundle']);

  // 2. reports
  const rep = expand(inputs.reports, ctx);
  const outReal = existsSync(inputs.outputDir) ? realpathSync(inputs.outputDir) : inputs.outputDir;
  for (const abs of rep.files) {
    if (realpathSync(abs).startsWith(`${outReal}/`)) continue; // never bundle a previous bundle into itself
    const shown = shownPath(abs, ctx);
    const st = statSync(abs);
    totalBytes += st.size;
    if (totalBytes > limits.maxBytes) return fail('error', 'limits-exceeded', [`${shown}: the bundle would exceed ${limits.maxBytes} bytes`]);
    if (entries.length + 1 > limits.maxFiles - 3) return fail('error', 'limits-exceeded', [`${shown}: the bundle would hold more than ${limits.maxFiles} files`]);
    entries.push({ path: uniqueName(taken, 'reports', basename(abs)), data: readFileSync(abs) });
  }
  const explicitMissing = rep.missing.filter((p) => !/[*?{]/.test(p));
  if (explicitMissing.length) {
    return fail('error', 'unreadable-file', explicitMissing.map((p) => `${p}: report file not found`));
  }

  // 3. write the directory
  if (existsSync(inputs.outputDir) && !statSync(inputs.outputDir).isDirectory()) {
    return fail('error', 'output-unwritable', [`${shownPath(inputs.outputDir, ctx)}: output path exists and is not a directory`]);
  }
  if (existsSync(inputs.outputDir) && readdirSync(inputs.outputDir).length) {
    return fail('error', 'output-not-empty', [`${shownPath(inputs.outputDir, ctx)}: output directory is not empty (a bundle must hold only this run's evidence)`]);
  }
  const files: ManifestFile[] = [];
  try {
    ensureDir(join(inputs.outputDir, 'records'));
    if (entries.some((e) => e.path.startsWith('reports/'))) ensureDir(join(inputs.outputDir, 'reports'));
    for (const e of entries) {
      writeFileSync(join(inputs.outputDir, e.path), e.data);
      files.push({ path: e.path, sha256: sha256Hex(e.data), size: e.data.length, kind: e.path.startsWith('records/') ? 'records' : classify(e.path, e.data) });
    }
  } catch (e) {
    return fail('error', 'output-unwritable', [`${shownPath(inputs.outputDir, ctx)}: cannot write the bundle: ${fsErrorText(e)}`]);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const gates = records.map(gateSummary).sort((a, b) => (a.gate < b.gate ? -1 : a.gate > b.gate ? 1 : a.started_at < b.started_at ? -1 : 1));
  const created = ctx.now().toISOString();
  const run = runInfo(ctx.env);
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA,
    suite: { name: 'chaingate', version: SUITE_VERSION },
    created_at: created,
    subject: { name: inputs.subjectName, digest: inputs.subjectDigest },
    run,
    files,
    gates,
  };
  const manifestBytes = serialise(manifest);
  try {
    writeFileSync(join(inputs.outputDir, MANIFEST_FILE), manifestBytes);
  } catch (e) {
    return fail('error', 'output-unwritable', [`${shownPath(inputs.outputDir, ctx)}: cannot write the bundle: ${fsErrorText(e)}`]);
  }
  const manifestHex = sha256Hex(manifestBytes);
  const statement = buildStatement(manifest.subject, {
    suite: manifest.suite,
    createdAt: created,
    run,
    manifest: { path: MANIFEST_FILE, digest: { sha256: manifestHex } },
    result: gates.every((g) => g.outcome === 'pass' || g.outcome === 'skip') ? 'PASSED' : 'FAILED',
    gates,
    counts: { records: records.length, reports: files.filter((f) => f.kind !== 'records').length, files: files.length },
  });
  const statementBytes = serialise(statement);
  try {
    writeFileSync(join(inputs.outputDir, STATEMENT_FILE), statementBytes);
  } catch (e) {
    return fail('error', 'output-unwritable', [`${shownPath(inputs.outputDir, ctx)}: cannot write the bundle: ${fsErrorText(e)}`]);
  }

  const base = {
    subject: { digest: inputs.subjectDigest, name: inputs.subjectName },
    metrics: { records: records.length, files: files.length, bytes: totalBytes },
    policy: { sign: inputs.sign, 'fulcio-url': inputs.fulcioUrl, 'rekor-url': inputs.rekorUrl, 'predicate-type': PREDICATE_TYPE },
    outputs: { path: inputs.outputDir, 'artifact-name': inputs.artifactName, 'manifest-digest': `sha256:${manifestHex}`, signed: 'false' },
  };
  const summary = [
    `Bundle \`${inputs.artifactName}\`: ${records.length} record(s), ${files.length - entries.filter((e) => e.path.startsWith('records/')).length} report(s), subject \`${inputs.subjectDigest}\`.`,
    '',
    '| gate | outcome | reasons |',
    '|---|---|---|',
    ...gates.map((g) => `| ${g.gate} | ${g.outcome} | ${g.reasons.join(', ')} |`),
    '',
  ];

  // 4. sign
  if (!inputs.sign) {
    return {
      ...base,
      outcome: 'pass',
      reasons: ['signing-skipped'],
      findings: [],
      details: { signed: false, signing: 'skipped (sign: false)', records: records.length, files: files.length, artifact: inputs.artifactName },
      summary: [...summary, '> Signing skipped (`sign: false`): evidence-verify will refuse this bundle.'],
      messages: [`evidence bundle written to ${shownPath(inputs.outputDir, ctx)} (${files.length} files); signing skipped (sign: false)`],
    };
  }
  try {
    const { token } = await getIdentityToken(inputs.audience, { env: ctx.env, fetch: ctx.fetch, redactor: ctx.redactor, sleep: ctx.sleep, timeoutMs: inputs.timeoutMs });
    const bundle = await signStatement(statementBytes, token, { fulcioUrl: inputs.fulcioUrl, rekorUrl: inputs.rekorUrl, tsaUrl: inputs.tsaUrl, timeoutMs: inputs.timeoutMs });
    writeFileSync(join(inputs.outputDir, SIGSTORE_FILE), serialise(bundle));
    const tlog = (bundle as { verificationMaterial?: { tlogEntries?: Array<{ logIndex?: string }> } }).verificationMaterial?.tlogEntries?.[0]?.logIndex;
    return {
      ...base,
      outcome: 'pass',
      reasons: ['signed'],
      findings: [],
      outputs: { ...base.outputs, signed: 'true' },
      details: { signed: true, signing: 'keyless', 'rekor-log-index': tlog ?? null, records: records.length, files: files.length, artifact: inputs.artifactName },
      summary,
      messages: [`evidence bundle written to ${shownPath(inputs.outputDir, ctx)} (${files.length} files) and signed keyless${tlog ? ` (Rekor log index ${tlog})` : ''}`],
    };
  } catch (e) {
    if (e instanceof SignError) {
      return { ...base, outcome: 'error', reasons: [e.reason], findings: [], details: { signed: false, signing: 'failed' }, summary, messages: [e.message] };
    }
    throw e;
  }
}
