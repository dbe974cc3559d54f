// evidence-verify: for promotion jobs. Verifies an evidence bundle (directory or archive) end to end: the
// keyless signature and signer identity, the Statement, every manifest digest, every record, the required
// gates, the subject digest of every record, and the time window the records lie in.
import { isAbsolute, resolve as resolvePath, relative } from 'node:path';
import type { Gate, GateContext } from '../../core/gate.js';
import type { Finding, GateResult, RuleInfo } from '../../core/types.js';
import { InputError } from '../../core/types.js';
import { normalizeDigest, sha256Hex, tryNormalizeDigest, DigestError } from '../../core/digest.js';
import { parseDuration } from '../../core/config.js';
import { parseBool, splitList } from '../../core/files.js';
import { Fingerprinter } from '../../core/fingerprint.js';
import { validateAgainst } from '../../core/schema.js';
import type { PipelineRunRecord } from '../../core/record.js';
import manifestSchema from '../../../schemas/evidence-manifest.v1.schema.json' with { type: 'json' };
import predicateSchema from '../../../schemas/evidence-predicate.v1.schema.json' with { type: 'json' };
import {
  INTOTO_PAYLOAD_TYPE,
  MANIFEST_FILE,
  PREDICATE_TYPE,
  RESERVED_FILES,
  SIGSTORE_FILE,
  STATEMENT_FILE,
  STATEMENT_TYPE,
  type GateSummary,
  type Manifest,
  type Statement,
} from '../evidence/format.js';
import { parseRecordLines } from '../evidence/collect.js';
import { gateSummary } from '../evidence/format.js';
import { DEFAULT_LIMITS, TreeError, cleanEntryPath, readEvidenceTree, type EvidenceTree } from '../evidence/tree.js';
import { DEFAULT_ISSUER, TrustRootError, evidenceIdentityPolicy, loadTrust, verifyEvidenceSignature, type IdentityInputs } from '../evidence/signature.js';
import type { IdentityPolicy } from '../../core/sigstore/index.js';

export interface EvidenceVerifyInputs {
  bundle: string;
  bundleShown: string;
  subjectDigest?: string;
  requiredGates: string[];
  requiredFrom: 'input' | 'config' | 'all-recorded';
  maxSpreadMs: number;
  maxSpreadText: string;
  requireSubject: boolean;
  identity: IdentityInputs;
  policy: IdentityPolicy;
  trustedRoot?: string;
  maxFiles: number;
  maxBytes: number;
}

interface EvidenceConfig {
  'required-gates'?: string[];
  'max-spread'?: string;
  'require-subject'?: boolean;
  'certificate-identity'?: string;
  'certificate-identity-regexp'?: string;
  'certificate-oidc-issuer'?: string;
}

type Kind = 'fail' | 'error';
interface Check {
  id: string;
  kind: Kind;
  name: string;
  description: string;
}

/** Every reason this gate emits, with its rule (findings carry the same id). */
export const CHECKS: Check[] = [
  { id: 'unsafe-path', kind: 'error', name: 'UnsafePath', description: 'An archive entry has an absolute path or `..`: extracting it could write outside the bundle.' },
  { id: 'link-entry', kind: 'error', name: 'LinkEntry', description: 'The bundle holds a symbolic or hard link: a link can make a verified name read a file outside the bundle.' },
  { id: 'special-file', kind: 'error', name: 'SpecialFile', description: 'The bundle holds a device, FIFO or socket: evidence is regular files only.' },
  { id: 'limits-exceeded', kind: 'error', name: 'LimitsExceeded', description: 'The bundle exceeds the file-count or size cap: an oversized archive can exhaust the promotion runner.' },
  { id: 'archive-error', kind: 'error', name: 'ArchiveError', description: 'The archive is corrupt, ambiguous (duplicate names) or uses an unsupported feature: its contents cannot be trusted to be what was signed.' },
  { id: 'trust-root-error', kind: 'error', name: 'TrustRootError', description: 'The trusted root could not be loaded: without it no signature can be checked.' },
  { id: 'signature-missing', kind: 'fail', name: 'SignatureMissing', description: 'The bundle is not signed: anyone could have written it.' },
  { id: 'signature-invalid', kind: 'fail', name: 'SignatureInvalid', description: 'The sigstore bundle does not verify against the trusted root: the Statement may have been altered or forged.' },
  { id: 'identity-mismatch', kind: 'fail', name: 'IdentityMismatch', description: 'The Statement was signed by an identity other than the release workflow the policy names.' },
  { id: 'statement-invalid', kind: 'fail', name: 'StatementInvalid', description: 'The signed payload is not a chaingate evidence in-toto Statement v1 with one sha256 subject.' },
  { id: 'statement-mismatch', kind: 'fail', name: 'StatementMismatch', description: 'statement.intoto.json or the manifest disagrees with the signed Statement.' },
  { id: 'subject-mismatch', kind: 'fail', name: 'SubjectMismatch', description: 'The Statement is about another digest than the one being promoted.' },
  { id: 'manifest-invalid', kind: 'fail', name: 'ManifestInvalid', description: 'manifest.json is missing or does not match its schema: the file list cannot be checked.' },
  { id: 'digest-mismatch', kind: 'fail', name: 'DigestMismatch', description: 'A file differs from the digest or size the signed manifest lists: evidence was changed after signing.' },
  { id: 'file-missing', kind: 'fail', name: 'FileMissing', description: 'A file the signed manifest lists is not in the bundle: evidence was removed.' },
  { id: 'unlisted-file', kind: 'fail', name: 'UnlistedFile', description: 'The bundle holds a file the signed manifest does not list: evidence was added after signing.' },
  { id: 'invalid-record', kind: 'fail', name: 'InvalidRecord', description: 'A record line is not a valid pipeline_run v1 record.' },
  { id: 'duplicate-record', kind: 'fail', name: 'DuplicateRecord', description: 'The same record id appears twice: one gate run counted twice.' },
  { id: 'record-missing', kind: 'fail', name: 'RecordMissing', description: 'A record the signed Statement lists is not in the bundle: a gate run was removed.' },
  { id: 'record-unlisted', kind: 'fail', name: 'RecordUnlisted', description: 'A record in the bundle is not in the signed Statement: a gate run was added.' },
  { id: 'record-subject-mismatch', kind: 'fail', name: 'RecordSubjectMismatch', description: 'A record names another digest than the release: it is evidence about a different artifact.' },
  { id: 'record-subject-missing', kind: 'fail', name: 'RecordSubjectMissing', description: 'A record names no subject digest although the policy requires every record to.' },
  { id: 'record-run-mismatch', kind: 'fail', name: 'RecordRunMismatch', description: 'A record comes from another repository, workflow run or commit than the bundle: it is not evidence of this release run.' },
  { id: 'required-gate-missing', kind: 'fail', name: 'RequiredGateMissing', description: 'A gate the promotion requires left no record: it did not run for this release.' },
  { id: 'required-gate-failed', kind: 'fail', name: 'RequiredGateFailed', description: 'A gate the promotion requires did not pass.' },
  { id: 'time-window', kind: 'fail', name: 'TimeWindow', description: 'The records do not lie within the configured time window of each other (or postdate the Statement): they were not made by one release run.' },
];
const KIND = new Map(CHECKS.map((c) => [c.id, c.kind]));
const RULES: RuleInfo[] = CHECKS.map((c) => ({ id: c.id, name: c.name, description: c.description, defaultSeverity: c.kind === 'error' ? 'high' : 'critical' }));
export const REASONS = CHECKS.map((c) => c.id);

function positiveInt(v: string | undefined, name: string, def: number): number {
  if (v === undefined || v.trim() === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`${name}: "${v}" is not a positive integer`);
  return n;
}

const gate: Gate<EvidenceVerifyInputs> = {
  id: 'evidence-verify',
  title: 'evidence-verify',
  description: 'verify a signed evidence bundle before promotion: signature and signer, every digest, every record, required gates, subject and time window',
  static: false,
  inputs: [
    { name: 'bundle', description: 'Evidence bundle: the downloaded artifact directory, or a .zip, .tar or .tar.gz file.', required: true, positional: true },
    { name: 'subject-digest', description: 'Digest being promoted (sha256:<64 hex>); the Statement subject must equal it. Strongly recommended.' },
    { name: 'required-gates', description: 'Gates that must be present and `pass` (comma or newline separated). Default: config `evidence.required-gates`, else every gate recorded in the bundle.', multiple: true },
    { name: 'certificate-identity', description: 'Exact signer identity (certificate SAN), e.g. https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main. Default: config.' },
    { name: 'certificate-identity-regexp', description: 'Signer identity as a regular expression; it must be anchored ^…$ (an unanchored pattern also matches look-alike repositories). Default: config.' },
    { name: 'certificate-oidc-issuer', description: `OIDC issuer of the signer (exact). Default: config, else ${DEFAULT_ISSUER}.` },
    { name: 'trusted-root', description: 'sigstore trusted_root.json to verify against. Default: the public-good root embedded in chaingate (offline).' },
    { name: 'max-spread', description: 'Longest time between the earliest record start and the latest record finish (e.g. 6h, P1D). Default: config `evidence.max-spread`, else 24h.' },
    { name: 'require-subject', description: 'Every record must name the release digest (default: config, else false).' },
    { name: 'max-files', description: 'Most files the bundle may hold.', default: String(DEFAULT_LIMITS.maxFiles) },
    { name: 'max-bytes', description: 'Most bytes (uncompressed) the bundle may hold.', default: String(DEFAULT_LIMITS.maxBytes) },
  ],
  outputs: [
    { name: 'subject-digest', description: 'The verified subject digest of the Statement (empty unless the outcome is pass).' },
    { name: 'signer-identity', description: 'The verified signer identity (certificate SAN; empty unless the outcome is pass).' },
    { name: 'gates', description: 'Comma-separated `gate=outcome` pairs from the verified records.' },
    { name: 'files', description: 'Number of files verified against the manifest.' },
  ],
  rules: RULES,
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = (ctx.config.config.evidence ?? {}) as EvidenceConfig;
    const bundle = raw.bundle?.split('\n').map((s) => s.trim()).filter(Boolean) ?? [];
    if (bundle.length !== 1) throw new InputError(`bundle: give exactly one directory or archive (got ${bundle.length})`);
    const abs = resolvePath(ctx.cwd, bundle[0]);
    const rel = relative(ctx.cwd, abs);
    let subjectDigest: string | undefined;
    if (raw['subject-digest']?.trim()) {
      try {
        subjectDigest = normalizeDigest(raw['subject-digest'], 'subject-digest');
      } catch (e) {
        if (e instanceof DigestError) throw new InputError(e.message);
        throw e;
      }
    }
    const fromInput = splitList(raw['required-gates']);
    const requiredGates = fromInput.length ? fromInput : (cfg['required-gates'] ?? []);
    for (const g of requiredGates) if (!/^[a-z][a-z0-9-]{1,40}$/.test(g)) throw new InputError(`required-gates: "${g}" is not a gate id`);
    const maxSpreadText = raw['max-spread']?.trim() || cfg['max-spread'] || '24h';
    let maxSpreadMs: number;
    try {
      maxSpreadMs = parseDuration(maxSpreadText, 'max-spread');
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const exact = raw['certificate-identity']?.trim() || cfg['certificate-identity'];
    const regexp = raw['certificate-identity-regexp']?.trim() || cfg['certificate-identity-regexp'];
    if (!exact && !regexp) {
      throw new InputError('a signer identity is required: set certificate-identity (or certificate-identity-regexp), e.g. https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main');
    }
    const identity: IdentityInputs = { certificateIdentity: exact, certificateIdentityRegexp: regexp, certificateOidcIssuer: raw['certificate-oidc-issuer']?.trim() || cfg['certificate-oidc-issuer'] || DEFAULT_ISSUER };
    return {
      bundle: abs,
      bundleShown: !rel.startsWith('..') && !isAbsolute(rel) ? rel || '.' : bundle[0],
      subjectDigest,
      requiredGates: [...new Set(requiredGates)],
      requiredFrom: fromInput.length ? 'input' : cfg['required-gates']?.length ? 'config' : 'all-recorded',
      maxSpreadMs,
      maxSpreadText,
      requireSubject: raw['require-subject']?.trim() ? parseBool(raw['require-subject'], 'require-subject') : (cfg['require-subject'] ?? false),
      identity,
      policy: evidenceIdentityPolicy(identity),
      trustedRoot: raw['trusted-root']?.trim() ? resolvePath(ctx.cwd, raw['trusted-root'].trim()) : undefined,
      maxFiles: positiveInt(raw['max-files'], 'max-files', DEFAULT_LIMITS.maxFiles),
      maxBytes: positiveInt(raw['max-bytes'], 'max-bytes', DEFAULT_LIMITS.maxBytes),
    };
  },

  run: runEvidenceVerify,
};

export default gate;

function parseJson(data: Buffer | undefined): { ok: true; value: any } | { ok: false; message: string } {
  if (!data) return { ok: false, message: 'missing' };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)) };
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
  }
}

export async function runEvidenceVerify(inputs: EvidenceVerifyInputs, ctx: GateContext): Promise<GateResult> {
  const fp = new Fingerprinter();
  const findings: Finding[] = [];
  const messages: string[] = [];
  const at = (entry: string) => (entry ? `${inputs.bundleShown}/${entry}` : inputs.bundleShown);
  const add = (id: string, entry: string, message: string, line = 1, token = message) => {
    findings.push({ rule: id, severity: KIND.get(id) === 'error' ? 'high' : 'critical', message, file: at(entry), line, column: 1, fingerprint: fp.make(id, at(entry), token), isError: KIND.get(id) === 'error' });
  };
  const finish = (extra: Partial<GateResult> = {}): GateResult => {
    const reasons = [...new Set(findings.map((f) => f.rule))];
    const outcome = findings.some((f) => f.isError) ? 'error' : findings.length ? 'fail' : 'pass';
    // "verified" outputs only for a bundle that verified: a later step must not promote what failed here
    if (outcome !== 'pass' && extra.outputs) extra = { ...extra, outputs: { ...extra.outputs, 'subject-digest': '', 'signer-identity': '' } };
    return {
      outcome,
      reasons: reasons.length ? reasons : ['ok'],
      findings,
      messages,
      policy: {
        'required-gates': inputs.requiredGates.join(',') || null,
        'required-from': inputs.requiredFrom,
        'max-spread': inputs.maxSpreadText,
        'require-subject': inputs.requireSubject,
        'certificate-identity': inputs.identity.certificateIdentity ?? null,
        'certificate-identity-regexp': inputs.identity.certificateIdentityRegexp ?? null,
        'certificate-oidc-issuer': inputs.identity.certificateOidcIssuer,
        'trusted-root': inputs.trustedRoot ? 'custom' : 'public-good',
      },
      ...extra,
    };
  };

  // 1. read the container safely
  let tree: EvidenceTree;
  try {
    tree = readEvidenceTree(inputs.bundle, inputs.bundleShown, { maxFiles: inputs.maxFiles, maxBytes: inputs.maxBytes });
  } catch (e) {
    if (e instanceof TreeError) {
      const id = e.reason === 'unreadable-file' ? 'unreadable-file' : e.reason;
      findings.push({ rule: id, severity: 'high', message: e.message, file: e.file === inputs.bundleShown ? e.file : at(e.file), line: 1, column: 1, fingerprint: fp.make(id, e.file, e.reason), isError: true });
      return finish({ details: { bundle: 'unreadable' } });
    }
    throw e;
  }
  const files = tree.files;

  // 2. signature and signer identity (over the DSSE envelope; the payload is the Statement)
  const sig = files.get(SIGSTORE_FILE);
  let payload: Buffer | undefined;
  let signer: string | undefined;
  if (!sig) {
    add('signature-missing', SIGSTORE_FILE, `${SIGSTORE_FILE} is missing: the bundle was not signed (sign: false?) and cannot be trusted`);
  } else {
    const parsed = parseJson(sig);
    if (!parsed.ok) add('signature-invalid', SIGSTORE_FILE, `sigstore bundle is ${parsed.message}`);
    else {
      let trust;
      try {
        trust = loadTrust(inputs.trustedRoot);
      } catch (e) {
        if (!(e instanceof TrustRootError)) throw e;
        findings.push({ rule: 'trust-root-error', severity: 'high', message: `${e.reason}: ${e.message}`, file: inputs.trustedRoot ? 'trusted-root' : '@sigstore/tuf', line: 1, column: 1, fingerprint: fp.make('trust-root-error', 'trusted-root', e.reason), isError: true });
        return finish({ details: { bundle_kind: tree.kind } });
      }
      const v = verifyEvidenceSignature(parsed.value, inputs.policy, trust, ctx.now());
      if (v.ok) {
        signer = v.identity;
        if (v.payloadType !== INTOTO_PAYLOAD_TYPE) add('statement-invalid', SIGSTORE_FILE, `DSSE payload type is "${v.payloadType}", not ${INTOTO_PAYLOAD_TYPE}`);
        else payload = v.payload;
      } else add(v.reason, SIGSTORE_FILE, v.message);
    }
  }

  // 3. the Statement: the signed payload is authoritative; the file beside it must be the same bytes
  const stmtFile = files.get(STATEMENT_FILE);
  if (!stmtFile) add('statement-mismatch', STATEMENT_FILE, `${STATEMENT_FILE} is missing`);
  else if (payload && !stmtFile.equals(payload)) add('statement-mismatch', STATEMENT_FILE, `${STATEMENT_FILE} differs from the signed payload`);
  const stmtParsed = parseJson(payload ?? stmtFile);
  let statement: Statement | undefined;
  let subject: string | undefined;
  if (stmtParsed.ok) {
    const s = stmtParsed.value as Statement;
    const problems: string[] = [];
    if (s?._type !== STATEMENT_TYPE) problems.push(`_type is not ${STATEMENT_TYPE}`);
    if (s?.predicateType !== PREDICATE_TYPE) problems.push(`predicateType is not ${PREDICATE_TYPE}`);
    if (!Array.isArray(s?.subject) || s.subject.length !== 1) problems.push('needs exactly one subject');
    else {
      subject = tryNormalizeDigest(s.subject[0]?.digest?.sha256);
      if (!subject) problems.push('the subject has no valid sha256 digest');
    }
    compileOrder();
    for (const p of validateAgainst(predicateSchema, s?.predicate).slice(0, 5)) problems.push(`predicate${p.path}: ${p.message}`);
    if (problems.length) add('statement-invalid', STATEMENT_FILE, `not a chaingate evidence Statement: ${problems.join('; ')}`);
    else statement = s;
  } else if (stmtFile || payload) add('statement-invalid', STATEMENT_FILE, `Statement is ${stmtParsed.message}`);

  if (statement && subject && inputs.subjectDigest && subject !== inputs.subjectDigest) {
    add('subject-mismatch', STATEMENT_FILE, `the Statement is about ${subject}, not ${inputs.subjectDigest} (the digest being promoted)`);
  }

  // 4. the manifest: its digest is in the Statement; it lists every other file
  const manBytes = files.get(MANIFEST_FILE);
  let manifest: Manifest | undefined;
  if (!manBytes) add('manifest-invalid', MANIFEST_FILE, `${MANIFEST_FILE} is missing`);
  else {
    const mp = parseJson(manBytes);
    if (!mp.ok) add('manifest-invalid', MANIFEST_FILE, `${MANIFEST_FILE} is ${mp.message}`);
    else {
      compileOrder();
      const problems = validateAgainst(manifestSchema, mp.value);
      if (problems.length) add('manifest-invalid', MANIFEST_FILE, `${MANIFEST_FILE} does not match its schema: ${problems.slice(0, 3).map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
      else manifest = mp.value as Manifest;
    }
    if (statement && sha256Hex(manBytes) !== statement.predicate.manifest.digest.sha256) {
      add('digest-mismatch', MANIFEST_FILE, `${MANIFEST_FILE} has sha256 ${sha256Hex(manBytes)}, the signed Statement says ${statement.predicate.manifest.digest.sha256}`);
    }
  }
  if (manifest && statement) {
    if (normalizeDigest(manifest.subject.digest) !== subject) add('statement-mismatch', MANIFEST_FILE, `manifest subject ${manifest.subject.digest} differs from the Statement subject ${subject}`);
    if (JSON.stringify(manifest.gates) !== JSON.stringify(statement.predicate.gates)) add('statement-mismatch', MANIFEST_FILE, 'the manifest gate list differs from the signed Statement');
  }

  // 5. every listed file, nothing unlisted
  let verifiedFiles = 0;
  const listed = new Set<string>();
  if (manifest) {
    for (const f of manifest.files) {
      let path: string;
      try {
        path = cleanEntryPath(f.path);
      } catch {
        add('manifest-invalid', MANIFEST_FILE, `manifest lists an unsafe path "${f.path}"`);
        continue;
      }
      if (listed.has(path)) {
        add('manifest-invalid', MANIFEST_FILE, `manifest lists ${path} twice`);
        continue;
      }
      listed.add(path);
      const data = files.get(path);
      if (!data) add('file-missing', path, `${path} is listed in the signed manifest but missing from the bundle`);
      else if (data.length !== f.size || sha256Hex(data) !== f.sha256) {
        add('digest-mismatch', path, `${path} has sha256 ${sha256Hex(data)} (${data.length} bytes); the signed manifest lists ${f.sha256} (${f.size} bytes)`);
      } else verifiedFiles++;
    }
    for (const path of [...files.keys()].sort()) {
      if ((RESERVED_FILES as readonly string[]).includes(path) || listed.has(path)) continue;
      add('unlisted-file', path, `${path} is not listed in the signed manifest (added after signing?)`);
    }
  }

  // 6. records: parse every records file in the bundle
  const records: Array<{ file: string; line: number; record: PipelineRunRecord }> = [];
  const recordFiles = manifest ? manifest.files.filter((f) => f.kind === 'records').map((f) => f.path) : [...files.keys()].filter((k) => k.startsWith('records/'));
  const seen = new Map<string, string>();
  for (const path of recordFiles) {
    const data = files.get(path);
    if (!data) continue;
    for (const l of parseRecordLines(path, data)) {
      if (!l.record) {
        add('invalid-record', path, `${path}:${l.line}: ${l.problem}`, l.line);
        continue;
      }
      if (seen.has(l.record.record_id)) {
        add('duplicate-record', path, `record ${l.record.record_id} appears twice (${seen.get(l.record.record_id)} and ${path}:${l.line})`, l.line);
        continue;
      }
      seen.set(l.record.record_id, `${path}:${l.line}`);
      records.push({ file: path, line: l.line, record: l.record });
    }
  }
  const signedGates: GateSummary[] = statement?.predicate.gates ?? [];
  if (statement) {
    const signedIds = new Set(signedGates.map((g) => g.record_id));
    for (const g of signedGates) if (!seen.has(g.record_id)) add('record-missing', 'records', `the signed Statement lists a ${g.gate} record (${g.record_id}, ${g.outcome}) that is not in the bundle`, 1, g.record_id);
    for (const r of records) if (!signedIds.has(r.record.record_id)) add('record-unlisted', r.file, `record ${r.record.record_id} (${r.record.gate}) is not in the signed Statement`, r.line);
    // the signed summary of each record (what an auditor reads in the Statement) must say what the record says
    const signedById = new Map(signedGates.map((g) => [g.record_id, g]));
    for (const r of records) {
      const g = signedById.get(r.record.record_id);
      if (!g) continue;
      const mine = gateSummary(r.record);
      const differ = (Object.keys(mine) as Array<keyof GateSummary>).filter((k) => JSON.stringify(mine[k]) !== JSON.stringify(g[k]));
      if (differ.length) add('statement-mismatch', r.file, `record ${r.record.record_id} (${r.record.gate}) differs from its summary in the signed Statement (${differ.join(', ')})`, r.line);
    }
  }

  // 7. subject and run of every record. Every record, with or without a subject, must come from the run that
  // made the bundle (same repository, workflow run and commit; another attempt of that run is the same run):
  // a passing record of the same gate from another run or repository would otherwise stand in for this run's.
  const run = statement?.predicate.run;
  for (const { file, line, record } of records) {
    const d = record.subject?.digest ? tryNormalizeDigest(record.subject.digest) : undefined;
    if (d && subject && d !== subject) add('record-subject-mismatch', file, `record of ${record.gate} (${record.record_id}) names ${d}, not the release ${subject}`, line);
    else if (!d && inputs.requireSubject) add('record-subject-missing', file, `record of ${record.gate} (${record.record_id}) names no subject digest`, line);
    if (run) {
      const differ = (['repository', 'run_id', 'sha'] as const).filter((k) => run[k] && record.run[k] !== run[k]);
      if (differ.length) {
        const where = (r: { repository: string | null; run_id: string | null; sha: string | null }) => `${r.repository ?? '?'} run ${r.run_id ?? '?'} @${r.sha ?? '?'}`;
        add('record-run-mismatch', file, `record of ${record.gate} (${record.record_id}) comes from ${where(record.run)}, the bundle from ${where(run)} (${differ.join(', ')} differ)`, line);
      }
    }
  }

  // 8. time window
  if (records.length) {
    const starts = records.map((r) => Date.parse(r.record.started_at));
    const ends = records.map((r) => Date.parse(r.record.finished_at));
    const spread = Math.max(...ends) - Math.min(...starts);
    if (spread > inputs.maxSpreadMs) {
      const first = records[starts.indexOf(Math.min(...starts))];
      const last = records[ends.indexOf(Math.max(...ends))];
      add('time-window', last.file, `records span ${Math.round(spread / 60000)} min (${first.record.gate} started ${first.record.started_at}, ${last.record.gate} finished ${last.record.finished_at}); the limit is ${inputs.maxSpreadText}`, last.line);
    }
    if (statement) {
      const created = Date.parse(statement.predicate.createdAt);
      const late = records.filter((r) => Date.parse(r.record.finished_at) > created + 5 * 60_000);
      for (const r of late) add('time-window', r.file, `record of ${r.record.gate} finished ${r.record.finished_at}, after the Statement was made (${statement.predicate.createdAt})`, r.line);
    }
  }

  // 9. required gates
  const byGate = new Map<string, PipelineRunRecord[]>();
  for (const { record } of records) byGate.set(record.gate, [...(byGate.get(record.gate) ?? []), record]);
  const required = inputs.requiredGates.length ? inputs.requiredGates : [...byGate.keys()].sort();
  if (!required.length && records.length === 0 && statement) add('required-gate-missing', 'records', 'the bundle holds no records at all');
  // with no list of required gates, `skip` records are tolerated — but a bundle where nothing passed proves nothing
  if (inputs.requiredFrom === 'all-recorded' && records.length && !records.some(({ record }) => record.outcome === 'pass')) {
    add('required-gate-missing', 'records', 'no gate in the bundle passed (every record is skip or worse): name the gates the promotion requires (required-gates)');
  }
  for (const g of required) {
    const rs = byGate.get(g);
    if (!rs?.length) add('required-gate-missing', 'records', `required gate ${g} has no record in the bundle`, 1, g);
    else {
      const bad = rs.filter((r) => r.outcome !== 'pass' && !(inputs.requiredFrom === 'all-recorded' && r.outcome === 'skip'));
      for (const r of bad) add('required-gate-failed', 'records', `required gate ${g} ended ${r.outcome} (${r.reasons.join(', ')}), record ${r.record_id}`, 1, r.record_id);
    }
  }

  // summary: gate by gate
  const requiredSet = new Set(required);
  const gateNames = [...new Set([...required, ...byGate.keys()])].sort();
  const summary = [
    `Bundle \`${inputs.bundleShown}\` (${tree.kind}, ${files.size} files). Subject: \`${subject ?? 'unknown'}\`. Signer: \`${signer ?? 'not verified'}\`.`,
    '',
    '| gate | required | records | outcome | reasons |',
    '|---|---|---|---|---|',
    ...gateNames.map((g) => {
      const rs = byGate.get(g) ?? [];
      const outcomes = [...new Set(rs.map((r) => r.outcome))];
      const outcome = rs.length ? outcomes.join(', ') : 'missing';
      const icon = !rs.length ? '❌' : outcomes.every((o) => o === 'pass') ? '✅' : outcomes.every((o) => o === 'pass' || o === 'skip') ? '⏭️' : '❌';
      return `| ${g} | ${requiredSet.has(g) ? 'yes' : 'no'} | ${rs.length} | ${icon} ${outcome} | ${[...new Set(rs.flatMap((r) => r.reasons))].join(', ')} |`;
    }),
    '',
  ];
  const gatesOut = gateNames.filter((g) => byGate.has(g)).map((g) => `${g}=${[...new Set((byGate.get(g) ?? []).map((r) => r.outcome))].join('+')}`).join(',');
  if (!findings.length) messages.push(`evidence verified: ${verifiedFiles} files, ${records.length} records, required gates ${required.join(', ')} passed, signed by ${signer}`);
  if (!findings.length && !inputs.subjectDigest) messages.push(`the Statement is about ${subject}; no subject-digest was given, so it was not compared with the digest being promoted (compare the subject-digest output before promoting)`);
  return finish({
    subject: subject ? { digest: subject, name: statement?.subject[0]?.name } : undefined,
    metrics: { files: files.size, verified_files: verifiedFiles, records: records.length },
    details: { bundle_kind: tree.kind, signer: signer ?? null, records: records.length, files: files.size, required: required.join(',').slice(0, 500) || null },
    outputs: { 'subject-digest': subject ?? '', 'signer-identity': signer ?? '', gates: gatesOut, files: String(verifiedFiles) },
    summary,
  });
}

let compiled = false;
/** The predicate schema refers to the manifest schema's $defs: compile the manifest schema first. */
function compileOrder(): void {
  if (compiled) return;
  validateAgainst(manifestSchema, {});
  compiled = true;
}
