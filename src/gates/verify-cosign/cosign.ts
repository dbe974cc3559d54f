// Running cosign: hard timeout with process-group kill (core exec), bounded output, retries only for
// transient classes, and a check of what cosign says it verified.
import type { GateContext } from '../../core/gate.js';
import type { ExecResult } from '../../core/exec.js';
import { retry } from '../../core/retry.js';
import { tryNormalizeDigest } from '../../core/digest.js';

/** cosign's documented exit codes for verification failures (never retried). */
export const COSIGN_EXIT = { NO_SIGNATURE: 10, TAG_NOT_FOUND: 11, NO_MATCHING_SIGNATURE: 12, NO_CERTIFICATE: 13 } as const;

export const COSIGN_REASONS = [
  'no-signature',
  'signature-tag-not-found',
  'no-matching-signature',
  'no-certificate',
  'verified-digest-mismatch',
  'cosign-timeout',
  'network-error',
  'cosign-crashed',
  'cosign-failed',
  'cosign-not-found',
  'cosign-output-unparseable',
  'cosign-output-too-large',
  'registry-auth-failed',
  'predicate-type-mismatch',
] as const;
export type CosignReason = (typeof COSIGN_REASONS)[number];

/**
 * Network trouble cosign reports on stderr (registry, Rekor, Fulcio, TUF CDN): worth another attempt.
 * HTTP statuses only in the shapes Go clients print them ("status code 503", "503 Service Unavailable",
 * go-openapi's "][502]"), so a digest or path holding "503" is not taken for one.
 */
const TRANSIENT = [
  /i\/o timeout/i,
  /connection (?:refused|reset|timed out)/i,
  /no route to host/i,
  /no such host/i,
  /temporary failure in name resolution/i,
  /TLS handshake timeout/i,
  /context deadline exceeded/i,
  /Client\.Timeout exceeded/i,
  /network is unreachable/i,
  /server misbehaving/i,
  /broken pipe/i,
  /server sent GOAWAY/i,
  /\bEOF\b/,
  /\b(?:500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout|429 Too Many Requests)\b/i,
  /\bstatus(?: code)?:? (?:429|5\d\d)\b/i,
  /\]\[(?:429|5\d\d)\]/,
  /\bTOOMANYREQUESTS\b/,
];
/** Verification said no: final whatever the exit code (checked before anything transient). */
const FINAL: Array<[RegExp, CosignReason]> = [
  [/none of the attestations matched the predicate type/i, 'predicate-type-mismatch'],
  [/no matching (?:signatures|attestations)/i, 'no-matching-signature'],
  [/none of the expected identities matched/i, 'no-matching-signature'],
  [/certificate identity mismatch|expected identity not found/i, 'no-matching-signature'],
  // CheckCertificatePolicy: --certificate-github-workflow-{sha,trigger,name,repository,ref}, --certificate-oidc-issuer
  [/expected (?:GitHub Workflow (?:Trigger|SHA|Name|Repository|Ref)|oidc issuer) not found in certificate/i, 'no-matching-signature'],
  [/no (?:signatures|attestations) found/i, 'no-signature'],
];
/** The registry refused the credentials (or their absence): another attempt gets the same answer. */
const AUTH = [/\bUNAUTHORIZED\b/, /\bDENIED\b/, /\b401 Unauthorized\b/i, /\b403 Forbidden\b/i, /\bstatus(?: code)?:? 40[13]\b/i, /\]\[40[13]\]/, /authentication required/i];

export type Attempt =
  | { kind: 'ok'; exec: ExecResult }
  | { kind: 'fail'; reason: CosignReason; message: string; exec: ExecResult }
  | { kind: 'error'; reason: CosignReason; message: string; exec: ExecResult; transient: boolean };

function lastLines(s: string, n = 3): string {
  return s.trim().split('\n').slice(-n).join(' | ').slice(0, 500);
}

/** Classify one cosign run. Verification failures are `fail`; anything that proves nothing is `error`. */
export function classify(r: ExecResult): Attempt {
  if (r.status === 'timed-out') return { kind: 'error', reason: 'cosign-timeout', message: `cosign did not finish within the timeout (${r.durationMs} ms); its process group was killed`, exec: r, transient: true };
  if (r.status === 'spawn-failed') return { kind: 'error', reason: 'cosign-not-found', message: `cannot start cosign: ${r.error ?? 'spawn failed'}`, exec: r, transient: false };
  if (r.status === 'killed') return { kind: 'error', reason: 'cosign-crashed', message: `cosign was killed by ${r.signal}`, exec: r, transient: false };
  const code = r.exitCode ?? -1;
  if (code === 0) return { kind: 'ok', exec: r };
  if (code === COSIGN_EXIT.NO_SIGNATURE) return { kind: 'fail', reason: 'no-signature', message: `cosign: no signature found (exit 10): ${lastLines(r.stderr)}`, exec: r };
  if (code === COSIGN_EXIT.TAG_NOT_FOUND) return { kind: 'fail', reason: 'signature-tag-not-found', message: `cosign: signature tag not found (exit 11): ${lastLines(r.stderr)}`, exec: r };
  if (code === COSIGN_EXIT.NO_MATCHING_SIGNATURE) return { kind: 'fail', reason: 'no-matching-signature', message: `cosign: no matching signature (exit 12): ${lastLines(r.stderr)}`, exec: r };
  if (code === COSIGN_EXIT.NO_CERTIFICATE) return { kind: 'fail', reason: 'no-certificate', message: `cosign: no certificate found on the signature (exit 13): ${lastLines(r.stderr)}`, exec: r };
  const final = FINAL.find(([re]) => re.test(r.stderr));
  if (final) return { kind: 'fail', reason: final[1], message: `cosign: ${lastLines(r.stderr)}`, exec: r };
  if (AUTH.some((re) => re.test(r.stderr))) return { kind: 'error', reason: 'registry-auth-failed', message: `cosign: the registry refused access (exit ${code}; not retried, check the registry login): ${lastLines(r.stderr)}`, exec: r, transient: false };
  if (TRANSIENT.some((re) => re.test(r.stderr))) return { kind: 'error', reason: 'network-error', message: `cosign network error (exit ${code}): ${lastLines(r.stderr)}`, exec: r, transient: true };
  return { kind: 'error', reason: 'cosign-failed', message: `cosign exited ${code}: ${lastLines(r.stderr) || '(no output)'}`, exec: r, transient: false };
}

export interface RunCosignOptions {
  cosign: string;
  args: string[];
  timeoutMs: number;
  retries: number;
  graceMs?: number;
  maxOutputBytes?: number;
}

export async function runCosign(ctx: GateContext, o: RunCosignOptions): Promise<{ attempt: Attempt; attempts: number }> {
  const { value, attempts } = await retry(
    async () =>
      classify(
        await ctx.exec(o.cosign, o.args, {
          cwd: ctx.cwd,
          env: ctx.env,
          timeoutMs: o.timeoutMs,
          graceMs: o.graceMs ?? 2000,
          maxOutputBytes: o.maxOutputBytes ?? 4 * 1024 * 1024,
        }),
      ),
    {
      retries: o.retries,
      baseDelayMs: 1000,
      isTransientResult: (a) => a.kind === 'error' && a.transient,
      sleep: (ms) => ctx.sleep(ms),
      onRetry: (n, ms) => ctx.logger.warn(`cosign attempt ${n} failed with a transient error; retrying in ${ms} ms`),
    },
  );
  return { attempt: value, attempts };
}

export interface ImageCheck {
  ok: boolean;
  reason?: CosignReason;
  message?: string;
  identity?: string;
  issuer?: string;
  count?: number;
}

/** Parse stdout that is one JSON value or JSON lines. */
export function parseJsonOutput(stdout: string): unknown[] | undefined {
  const t = stdout.trim();
  if (!t) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) ? v : [v];
  } catch {
    /* JSON lines? */
  }
  const out: unknown[] = [];
  for (const line of t.split('\n')) {
    const l = line.trim();
    if (!l) continue;
    if (!l.startsWith('{') && !l.startsWith('[')) continue; // cosign prints human lines too
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      return undefined;
    }
    // `cosign verify` prints one array; with log lines merged in front it is found here, not as a whole
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out.length ? out : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `cosign verify` output: every verified signature must name the requested manifest digest.
 * cosign prints only the signatures it verified, and it verifies a signature only when its claim names the
 * image's digest; an entry for another digest therefore means the output is not cosign's answer for this
 * image (another image's run merged in, a wrapper, a different tool): nothing in it is trusted (`fail`).
 */
export function checkVerifyOutput(
  stdout: string,
  digest: string,
  signer?: { identity?: (v: string) => boolean; issuer?: (v: string) => boolean; workflowSha?: string; workflowTrigger?: string },
): ImageCheck {
  const items = parseJsonOutput(stdout);
  if (!items || items.length === 0) return { ok: false, reason: 'cosign-output-unparseable', message: 'cosign verify printed no JSON signature list (an empty list proves nothing)' };
  let identity: string | undefined;
  let issuer: string | undefined;
  for (const it of items) {
    const o = isObject(it) ? (it as { critical?: { image?: Record<string, unknown> }; optional?: Record<string, unknown> }) : undefined;
    const got = tryNormalizeDigest(isObject(o?.critical?.image) ? o.critical.image['docker-manifest-digest'] : undefined);
    if (!o || !got) return { ok: false, reason: 'cosign-output-unparseable', message: 'a signature in cosign output has no critical.image.docker-manifest-digest (sha256)' };
    if (got !== digest) return { ok: false, reason: 'verified-digest-mismatch', message: `cosign output names ${got}, not the requested ${digest}: every verified signature must be for the requested digest` };
    // cosign 2.x names each keyless signature's signer in optional.Subject / optional.Issuer (next to Bundle
    // and the raw Fulcio OIDs). cosign printed only signatures it matched to the policy, so one naming another
    // signer means, as with the digest, that this is not cosign's answer to this policy.
    const subj = typeof o.optional?.Subject === 'string' ? o.optional.Subject : undefined;
    const iss = typeof o.optional?.Issuer === 'string' ? o.optional.Issuer : undefined;
    if (subj !== undefined && signer?.identity && !signer.identity(subj)) {
      return { ok: false, reason: 'no-matching-signature', message: `cosign output names signer ${JSON.stringify(subj.slice(0, 200))}, which does not match the certificate identity asked for` };
    }
    if (iss !== undefined && signer?.issuer && !signer.issuer(iss)) {
      return { ok: false, reason: 'no-matching-signature', message: `cosign output names issuer ${JSON.stringify(iss.slice(0, 200))}, which does not match the certificate OIDC issuer asked for` };
    }
    // likewise the legacy GitHub fields cosign checked for --certificate-github-workflow-sha / -trigger (it
    // prints them by name and by OID)
    for (const [want, fields, what] of [
      [signer?.workflowSha, ['githubWorkflowSha', '1.3.6.1.4.1.57264.1.3'], 'commit SHA'],
      [signer?.workflowTrigger, ['githubWorkflowTrigger', '1.3.6.1.4.1.57264.1.2'], 'trigger'],
    ] as const) {
      if (want === undefined) continue;
      for (const f of fields) {
        const got = o.optional?.[f];
        if (typeof got === 'string' && got !== want) {
          return { ok: false, reason: 'no-matching-signature', message: `cosign output names workflow ${what} ${JSON.stringify(got.slice(0, 100))} (${f}), not the ${JSON.stringify(want)} asked for` };
        }
      }
    }
    if (subj !== undefined) identity ??= subj;
    if (iss !== undefined) issuer ??= iss;
  }
  return { ok: true, identity, issuer, count: items.length };
}

const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$|^[A-Za-z0-9_-]+={0,2}$/;

/**
 * `cosign verify-attestation` output: one DSSE envelope per line, for EVERY verified attestation of the
 * image (cosign filters by `--type` only to decide success, not what it prints). Some statement of the
 * expected predicate type must name the digest as a subject. Every envelope must be readable: one that is not
 * base64/JSON/in-toto makes the whole output untrusted (`error`). `predicateType` is the expanded URI and is
 * required: without it nothing matches.
 */
export function checkAttestationOutput(stdout: string, digest: string, predicateType: string | undefined): ImageCheck {
  if (!predicateType) return { ok: false, reason: 'cosign-output-unparseable', message: 'no predicate type to compare the attestations with' };
  const items = parseJsonOutput(stdout);
  if (!items || items.length === 0) return { ok: false, reason: 'cosign-output-unparseable', message: 'cosign verify-attestation printed no attestation' };
  let matched = 0;
  let ofType = 0;
  const seen = new Set<string>();
  for (const it of items) {
    const env = isObject(it) ? it : {};
    if (typeof env.payload !== 'string') return { ok: false, reason: 'cosign-output-unparseable', message: 'an attestation in cosign output is not a DSSE envelope with a payload' };
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) return { ok: false, reason: 'cosign-output-unparseable', message: `an attestation in cosign output has payloadType ${JSON.stringify(String(env.payloadType)).slice(0, 80)}, not ${IN_TOTO_PAYLOAD_TYPE}` };
    const b64 = env.payload.replace(/\s+/g, '');
    let st: unknown;
    try {
      if (!STRICT_BASE64.test(b64)) throw new Error('not base64');
      st = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    } catch {
      return { ok: false, reason: 'cosign-output-unparseable', message: 'an attestation payload in cosign output is not base64-encoded JSON' };
    }
    if (!isObject(st) || typeof st.predicateType !== 'string' || !Array.isArray(st.subject)) {
      return { ok: false, reason: 'cosign-output-unparseable', message: 'an attestation payload in cosign output is not an in-toto statement (predicateType, subject list)' };
    }
    seen.add(st.predicateType);
    if (st.predicateType !== predicateType) continue;
    ofType++;
    if (st.subject.some((s: unknown) => isObject(s) && isObject(s.digest) && tryNormalizeDigest(s.digest.sha256) === digest)) matched++;
  }
  if (!ofType) {
    return { ok: false, reason: 'predicate-type-mismatch', message: `no verified attestation has predicate type ${predicateType} (found: ${[...seen].join(', ').slice(0, 300)})` };
  }
  if (!matched) {
    return { ok: false, reason: 'verified-digest-mismatch', message: `no verified attestation of type ${predicateType} names ${digest} as its subject` };
  }
  return { ok: true, count: matched };
}

/** `cosign version` → `v3.0.2` (best effort; 'unknown' when it cannot tell). */
export async function cosignVersion(ctx: GateContext, cosign: string): Promise<string> {
  const r = await ctx.exec(cosign, ['version'], { cwd: ctx.cwd, env: ctx.env, timeoutMs: 15_000, graceMs: 1000, maxOutputBytes: 64 * 1024 });
  const m = /GitVersion:\s*(v?[0-9][\w.+-]*)/.exec(`${r.stdout}\n${r.stderr}`);
  return m ? m[1] : 'unknown';
}
