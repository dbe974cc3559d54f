// The evidence bundle's layout and documents (shared by evidence-bundle and evidence-verify).
//
//   manifest.json              every file below with sha256 and size, suite version, subject, each gate's outcome
//   statement.intoto.json      in-toto Statement v1: subject = the release digest, predicate = gates summary
//                              (+ the manifest's digest, which binds every file)
//   statement.sigstore.json    sigstore bundle (DSSE over the Statement), absent when signing was skipped
//   records/<name>.ndjson      the pipeline_run records, as the gates wrote them
//   reports/<name>             SARIF, Bandit JSON, provenance, summaries
import type { PipelineRunRecord } from '../../core/record.js';
import { digestHex, normalizeDigest } from '../../core/digest.js';

export const MANIFEST_FILE = 'manifest.json';
export const STATEMENT_FILE = 'statement.intoto.json';
export const SIGSTORE_FILE = 'statement.sigstore.json';
export const RESERVED_FILES = [MANIFEST_FILE, STATEMENT_FILE, SIGSTORE_FILE] as const;

export const MANIFEST_SCHEMA = 'chaingate.evidence-manifest/v1';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://chaingate.dev/evidence/v1';
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export type FileKind = 'records' | 'sarif' | 'bandit' | 'provenance' | 'summary' | 'other';

export interface ManifestFile {
  path: string;
  sha256: string; // 64 lowercase hex
  size: number;
  kind: FileKind;
}

export interface GateSummary {
  gate: string;
  outcome: PipelineRunRecord['outcome'];
  reasons: string[];
  record_id: string;
  started_at: string;
  finished_at: string;
  subject_digest: string | null;
}

export interface RunInfo {
  repository: string | null;
  ref: string | null;
  sha: string | null;
  workflow: string | null;
  workflow_ref: string | null;
  run_id: string | null;
  run_attempt: string | null;
  server_url: string | null;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  suite: { name: 'chaingate'; version: string };
  created_at: string;
  subject: { name: string; digest: string };
  run: RunInfo;
  files: ManifestFile[];
  gates: GateSummary[];
}

export interface EvidencePredicate {
  suite: { name: 'chaingate'; version: string };
  createdAt: string;
  run: RunInfo;
  manifest: { path: typeof MANIFEST_FILE; digest: { sha256: string } };
  /** PASSED when every record passed (or skipped), FAILED otherwise; promotion decides with required gates */
  result: 'PASSED' | 'FAILED';
  gates: GateSummary[];
  counts: { records: number; reports: number; files: number };
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof PREDICATE_TYPE;
  predicate: EvidencePredicate;
}

export function runInfo(env: NodeJS.ProcessEnv): RunInfo {
  const v = (n: string, max: number) => (env[n] ? String(env[n]).slice(0, max) : null);
  return {
    repository: v('GITHUB_REPOSITORY', 200),
    ref: v('GITHUB_REF', 300),
    sha: v('GITHUB_SHA', 64),
    workflow: v('GITHUB_WORKFLOW', 300),
    workflow_ref: v('GITHUB_WORKFLOW_REF', 500),
    run_id: v('GITHUB_RUN_ID', 32),
    run_attempt: v('GITHUB_RUN_ATTEMPT', 16),
    server_url: v('GITHUB_SERVER_URL', 200),
  };
}

export function gateSummary(r: PipelineRunRecord): GateSummary {
  return {
    gate: r.gate,
    outcome: r.outcome,
    reasons: [...r.reasons],
    record_id: r.record_id,
    started_at: r.started_at,
    finished_at: r.finished_at,
    subject_digest: r.subject?.digest ? normalizeDigest(r.subject.digest) : null,
  };
}

/** Sniff what a report is, for the manifest (never trusted for a decision). */
export function classify(path: string, data: Buffer): FileKind {
  if (/\.ndjson$/i.test(path) && data.includes('"chaingate.pipeline_run/v1"')) return 'records';
  if (/\.md$/i.test(path)) return 'summary';
  if (data.length > 16 * 1024 * 1024) return 'other';
  let v: any;
  try {
    v = JSON.parse(data.toString('utf8'));
  } catch {
    return 'other';
  }
  if (!v || typeof v !== 'object') return 'other';
  if (v.version === '2.1.0' && Array.isArray(v.runs)) return 'sarif';
  if (Array.isArray(v.results) && v.metrics && 'generated_at' in v) return 'bandit';
  const pt: unknown = v.predicateType ?? v.dsseEnvelope?.payloadType ?? v.payloadType;
  if (typeof pt === 'string' && /slsa|in-toto/i.test(pt)) return 'provenance';
  if (typeof v.mediaType === 'string' && v.mediaType.includes('sigstore.bundle')) return 'provenance';
  return 'other';
}

export function buildStatement(subject: { name: string; digest: string }, predicate: EvidencePredicate): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: subject.name, digest: { sha256: digestHex(subject.digest) } }],
    predicateType: PREDICATE_TYPE,
    predicate,
  };
}

/** The bytes written and signed: canonical enough (stable key order from construction) and readable. */
export function serialise(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
