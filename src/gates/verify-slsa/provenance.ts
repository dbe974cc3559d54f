// Reading provenance files: sigstore bundles (one, a JSONL of several, or the GitHub attestations API
// response) and slsa-github-generator `.intoto.jsonl` (one DSSE envelope per line, the signing certificate
// in `signatures[].cert`, or a sigstore bundle per line in newer releases). Then decoding the in-toto
// statement and pulling out the SLSA v0.2 / v1 facts the claims are checked against. Pure: no I/O.
import { tryNormalizeDigest } from '../../core/digest.js';

export const PAYLOAD_TYPE_INTOTO = 'application/vnd.in-toto+json';
export const STATEMENT_TYPES = ['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1'] as const;
export const PREDICATE_SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
export const PREDICATE_SLSA_V1 = 'https://slsa.dev/provenance/v1';

export interface DsseSignature {
  keyid?: string;
  sig: string;
  /** PEM certificate, present in slsa-github-generator's older envelopes */
  cert?: string;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

export interface ProvenanceDoc {
  /** 1-based position in the file */
  index: number;
  /** 1-based line where the document starts */
  line: number;
  /** `sigstore-bundle`: everything needed offline (certificate, log entry or timestamp).
   *  `dsse-envelope`: envelope plus certificate only; its log entry must be looked up in Rekor. */
  format: 'sigstore-bundle' | 'dsse-envelope';
  /** the bundle JSON as read (for the verification core) */
  bundle?: Record<string, unknown>;
  envelope: DsseEnvelope;
}

export class ProvenanceFormatError extends Error {
  constructor(
    message: string,
    readonly line = 1,
  ) {
    super(message);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function envelopeOf(v: unknown, where: string, line: number): DsseEnvelope {
  if (!isObj(v)) throw new ProvenanceFormatError(`${where}: DSSE envelope is not an object`, line);
  const { payloadType, payload, signatures } = v;
  if (typeof payloadType !== 'string') throw new ProvenanceFormatError(`${where}: DSSE envelope has no payloadType`, line);
  if (typeof payload !== 'string') throw new ProvenanceFormatError(`${where}: DSSE envelope has no payload`, line);
  if (!Array.isArray(signatures)) throw new ProvenanceFormatError(`${where}: DSSE envelope has no signatures array`, line);
  const sigs: DsseSignature[] = [];
  for (const s of signatures) {
    if (!isObj(s) || typeof s.sig !== 'string') throw new ProvenanceFormatError(`${where}: DSSE signature without "sig"`, line);
    sigs.push({ keyid: typeof s.keyid === 'string' ? s.keyid : undefined, sig: s.sig, cert: typeof s.cert === 'string' ? s.cert : undefined });
  }
  return { payloadType, payload, signatures: sigs };
}

function docOf(v: unknown, index: number, line: number): ProvenanceDoc {
  const where = `document ${index} (line ${line})`;
  if (!isObj(v)) throw new ProvenanceFormatError(`${where}: not a JSON object`, line);
  // the GitHub attestations API wraps the bundle: {bundle: {...}, repository_id}
  const obj = isObj(v.bundle) && typeof (v.bundle as Record<string, unknown>).mediaType === 'string' ? (v.bundle as Record<string, unknown>) : v;
  if (obj === v && 'bundle' in v && !('mediaType' in v) && !('payloadType' in v)) {
    const url = typeof v.bundle_url === 'string' ? ' (the API gave only its bundle_url: download the bundle, e.g. with `gh attestation download`, and give that file)' : '';
    throw new ProvenanceFormatError(`${where}: the attestation carries no sigstore bundle${url}`, line);
  }
  if (typeof obj.mediaType === 'string' && obj.mediaType.startsWith('application/vnd.dev.sigstore.bundle')) {
    if (!obj.dsseEnvelope) throw new ProvenanceFormatError(`${where}: sigstore bundle has no dsseEnvelope (a message-signature bundle is not provenance)`, line);
    return { index, line, format: 'sigstore-bundle', bundle: obj, envelope: envelopeOf(obj.dsseEnvelope, where, line) };
  }
  if ('payloadType' in obj || 'payload' in obj) return { index, line, format: 'dsse-envelope', envelope: envelopeOf(obj, where, line) };
  throw new ProvenanceFormatError(`${where}: neither a sigstore bundle nor a DSSE envelope`, line);
}

/** Parse a provenance file's text into its documents. Throws ProvenanceFormatError with a line number. */
export function parseProvenanceText(text: string): ProvenanceDoc[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new ProvenanceFormatError('the provenance file is empty');
  // one JSON document (possibly pretty-printed) …
  let whole: unknown;
  let wholeOk = false;
  try {
    whole = JSON.parse(trimmed);
    wholeOk = true;
  } catch {
    /* … or JSON Lines */
  }
  if (wholeOk) {
    if (isObj(whole) && Array.isArray(whole.attestations)) {
      if (whole.attestations.length === 0) throw new ProvenanceFormatError('the attestations list is empty');
      return whole.attestations.map((a, i) => docOf(a, i + 1, 1));
    }
    if (Array.isArray(whole)) {
      if (whole.length === 0) throw new ProvenanceFormatError('the provenance array is empty');
      return whole.map((a, i) => docOf(a, i + 1, 1));
    }
    return [docOf(whole, 1, 1)];
  }
  const docs: ProvenanceDoc[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '').trim();
    if (!raw) continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      throw new ProvenanceFormatError(`invalid JSON: ${(e as Error).message}`, i + 1);
    }
    docs.push(docOf(v, docs.length + 1, i + 1));
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------------------
// Statement

export interface Subject {
  name: string;
  /** normalised sha256 digest, undefined when the subject has none (or a malformed one) */
  digest?: string;
  /** `sha512:<128 lowercase hex>` (npm provenance names the tarball by sha512), undefined when none or malformed */
  sha512?: string;
  /** every digest algorithm the subject names (for saying why nothing could be compared) */
  algorithms: string[];
  /** sha256 / sha512 entries whose value is not such a digest: the subject names nothing (never matches) */
  malformed?: string[];
}

const HEX128 = /^[0-9a-f]{128}$/;
/** Normalise a sha512 digest (`sha512:<hex>` or bare hex, any case) to `sha512:<lowercase hex>`, or undefined. */
export function tryNormalizeSha512(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let s = v.trim().toLowerCase();
  if (s.startsWith('sha512:')) s = s.slice('sha512:'.length);
  return HEX128.test(s) ? `sha512:${s}` : undefined;
}

export interface ProvenanceFacts {
  statementType: string;
  predicateType: string;
  slsaVersion: 'v0.2' | 'v1';
  subjects: Subject[];
  builderId?: string;
  buildType?: string;
  /** source repository named by the build configuration (v1 externalParameters.workflow.repository, v0.2
   *  invocation.configSource.uri), without the ref, `git+` prefixed */
  configSourceUri?: string;
  configSourceRef?: string;
  /** the first resolved dependency / material, without the ref */
  materialSourceUri?: string;
  materialSourceRef?: string;
  /** commit of the source (gitCommit / sha1), informational */
  sourceCommit?: string;
  /** path of the workflow file (v1 externalParameters.workflow.path, v0.2 configSource.entryPoint) */
  workflowPath?: string;
}

export type StatementProblem = {
  reason: 'payload-type-invalid' | 'statement-invalid' | 'predicate-type-invalid';
  message: string;
  /** predicate-type-invalid: the in-toto statement's own type and subjects (another attestation of the
   *  artifact, such as an SBOM, in the same `gh attestation download` file), to say so instead of "no subject" */
  other?: { predicateType: string; subjects: Subject[] };
};

/** Split `git+https://github.com/o/r@refs/tags/v1` into uri and ref. */
export function splitUriRef(uri: string): { uri: string; ref?: string } {
  const at = uri.indexOf('@');
  return at < 0 ? { uri } : { uri: uri.slice(0, at), ref: uri.slice(at + 1) };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const gitPlus = (u: string | undefined): string | undefined => (u === undefined ? undefined : u.startsWith('git+') ? u : `git+${u}`);

/** Decode the envelope's payload into SLSA facts, or say precisely why it is not SLSA provenance. */
export function decodeStatement(env: DsseEnvelope): { facts: ProvenanceFacts } | { problem: StatementProblem } {
  if (env.payloadType !== PAYLOAD_TYPE_INTOTO) {
    return { problem: { reason: 'payload-type-invalid', message: `payloadType is "${env.payloadType.slice(0, 100)}", expected "${PAYLOAD_TYPE_INTOTO}"` } };
  }
  let st: unknown;
  try {
    st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
  } catch (e) {
    return { problem: { reason: 'statement-invalid', message: `payload is not base64 JSON: ${(e as Error).message}` } };
  }
  if (!isObj(st)) return { problem: { reason: 'statement-invalid', message: 'payload is not a JSON object' } };
  const type = str(st._type);
  if (!type || !(STATEMENT_TYPES as readonly string[]).includes(type)) {
    return { problem: { reason: 'statement-invalid', message: `_type is "${String(st._type).slice(0, 100)}", not an in-toto Statement` } };
  }
  const predicateType = str(st.predicateType) ?? '';
  const subjectsOf = (list: unknown[]): Subject[] =>
    list.map((s) => {
      const o = isObj(s) ? s : {};
      const d = isObj(o.digest) ? o.digest : {};
      const digest = tryNormalizeDigest(d.sha256);
      const sha512 = tryNormalizeSha512(d.sha512);
      const malformed = [...(d.sha256 !== undefined && !digest ? ['sha256'] : []), ...(d.sha512 !== undefined && !sha512 ? ['sha512'] : [])];
      return { name: str(o.name) ?? '', digest, sha512, algorithms: Object.keys(d).slice(0, 10), malformed };
    });
  if (predicateType !== PREDICATE_SLSA_V02 && predicateType !== PREDICATE_SLSA_V1) {
    const other = predicateType && Array.isArray(st.subject) ? { predicateType: predicateType.slice(0, 200), subjects: subjectsOf(st.subject.slice(0, 1000)) } : undefined;
    return { problem: { reason: 'predicate-type-invalid', message: `predicateType is "${predicateType.slice(0, 100)}", expected ${PREDICATE_SLSA_V1} or ${PREDICATE_SLSA_V02}`, other } };
  }
  if (!Array.isArray(st.subject) || st.subject.length === 0) {
    return { problem: { reason: 'statement-invalid', message: 'statement has no subjects' } };
  }
  const subjects: Subject[] = subjectsOf(st.subject);
  const pred = isObj(st.predicate) ? st.predicate : undefined;
  if (!pred) return { problem: { reason: 'statement-invalid', message: 'statement has no predicate' } };

  const facts: ProvenanceFacts = { statementType: type, predicateType, slsaVersion: predicateType === PREDICATE_SLSA_V1 ? 'v1' : 'v0.2', subjects };
  if (facts.slsaVersion === 'v1') {
    const bd = isObj(pred.buildDefinition) ? pred.buildDefinition : {};
    const rd = isObj(pred.runDetails) ? pred.runDetails : {};
    facts.builderId = str(isObj(rd.builder) ? rd.builder.id : undefined);
    facts.buildType = str(bd.buildType);
    const ext = isObj(bd.externalParameters) ? bd.externalParameters : {};
    const wf = isObj(ext.workflow) ? ext.workflow : {};
    facts.configSourceUri = gitPlus(str(wf.repository));
    facts.configSourceRef = str(wf.ref);
    facts.workflowPath = str(wf.path);
    const deps = Array.isArray(bd.resolvedDependencies) ? bd.resolvedDependencies : [];
    const first = isObj(deps[0]) ? deps[0] : {};
    const u = str(first.uri);
    if (u) {
      const s = splitUriRef(u);
      facts.materialSourceUri = gitPlus(s.uri);
      facts.materialSourceRef = s.ref;
    }
    const dg = isObj(first.digest) ? first.digest : {};
    facts.sourceCommit = str(dg.gitCommit) ?? str(dg.sha1);
  } else {
    facts.builderId = str(isObj(pred.builder) ? pred.builder.id : undefined);
    facts.buildType = str(pred.buildType);
    const inv = isObj(pred.invocation) ? pred.invocation : {};
    const cs = isObj(inv.configSource) ? inv.configSource : {};
    const cu = str(cs.uri);
    if (cu) {
      const s = splitUriRef(cu);
      facts.configSourceUri = gitPlus(s.uri);
      facts.configSourceRef = s.ref;
    }
    facts.workflowPath = str(cs.entryPoint);
    const mats = Array.isArray(pred.materials) ? pred.materials : [];
    const first = isObj(mats[0]) ? mats[0] : {};
    const mu = str(first.uri);
    if (mu) {
      const s = splitUriRef(mu);
      facts.materialSourceUri = gitPlus(s.uri);
      facts.materialSourceRef = s.ref;
    }
    const dg = isObj(cs.digest) ? cs.digest : isObj(first.digest) ? first.digest : {};
    facts.sourceCommit = str(dg.sha1) ?? str(dg.gitCommit);
  }
  return { facts };
}
