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
] as const;
export type CosignReason = (typeof COSIGN_REASONS)[number];

/** Network trouble cosign reports on stderr: worth another attempt. */
const TRANSIENT = [
  /i\/o timeout/i,
  /connection (?:refused|reset)/i,
  /no such host/i,
  /temporary failure in name resolution/i,
  /TLS handshake timeout/i,
  /context deadline exceeded/i,
  /network is unreachable/i,
  /server misbehaving/i,
  /unexpected EOF/i,
  /\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout|429 Too Many Requests)\b/i,
];
const NO_MATCH = /no matching (?:signatures|attestations)/i;

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
  if (NO_MATCH.test(r.stderr)) return { kind: 'fail', reason: 'no-matching-signature', message: `cosign: ${lastLines(r.stderr)}`, exec: r };
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
    try {
      out.push(JSON.parse(l));
    } catch {
      return undefined;
    }
  }
  return out.length ? out : undefined;
}

/** `cosign verify` output: every verified signature must name the requested manifest digest. */
export function checkVerifyOutput(stdout: string, digest: string): ImageCheck {
  const items = parseJsonOutput(stdout);
  if (!items || items.length === 0) return { ok: false, reason: 'cosign-output-unparseable', message: 'cosign verify printed no JSON signature list' };
  let identity: string | undefined;
  let issuer: string | undefined;
  for (const it of items) {
    const o = it as { critical?: { image?: Record<string, unknown> }; optional?: Record<string, unknown> };
    const got = tryNormalizeDigest(o?.critical?.image?.['docker-manifest-digest']);
    if (!got) return { ok: false, reason: 'cosign-output-unparseable', message: 'a signature in cosign output has no critical.image.docker-manifest-digest' };
    if (got !== digest) return { ok: false, reason: 'verified-digest-mismatch', message: `cosign verified ${got}, not the requested ${digest}` };
    if (typeof o.optional?.Subject === 'string') identity ??= o.optional.Subject;
    if (typeof o.optional?.Issuer === 'string') issuer ??= o.optional.Issuer;
  }
  return { ok: true, identity, issuer, count: items.length };
}

/** `cosign verify-attestation` output: DSSE envelopes; some statement must name the digest (and the type). */
export function checkAttestationOutput(stdout: string, digest: string, predicateType?: string): ImageCheck {
  const items = parseJsonOutput(stdout);
  if (!items || items.length === 0) return { ok: false, reason: 'cosign-output-unparseable', message: 'cosign verify-attestation printed no attestation' };
  let matched = 0;
  for (const it of items) {
    const env = it as { payloadType?: unknown; payload?: unknown };
    if (typeof env.payload !== 'string') return { ok: false, reason: 'cosign-output-unparseable', message: 'an attestation in cosign output has no payload' };
    let st: { subject?: { digest?: Record<string, unknown> }[]; predicateType?: unknown };
    try {
      st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
    } catch {
      return { ok: false, reason: 'cosign-output-unparseable', message: 'an attestation payload in cosign output is not JSON' };
    }
    if (predicateType !== undefined && st.predicateType !== predicateType) continue;
    if ((st.subject ?? []).some((s) => tryNormalizeDigest(s?.digest?.sha256) === digest)) matched++;
  }
  if (!matched) {
    return { ok: false, reason: 'verified-digest-mismatch', message: `no verified attestation${predicateType ? ` of type ${predicateType}` : ''} names ${digest} as its subject` };
  }
  return { ok: true, count: matched };
}

/** `cosign version` → `v3.0.2` (best effort; 'unknown' when it cannot tell). */
export async function cosignVersion(ctx: GateContext, cosign: string): Promise<string> {
  const r = await ctx.exec(cosign, ['version'], { cwd: ctx.cwd, env: ctx.env, timeoutMs: 15_000, graceMs: 1000, maxOutputBytes: 64 * 1024 });
  const m = /GitVersion:\s*(v?[0-9][\w.+-]*)/.exec(`${r.stdout}\n${r.stderr}`);
  return m ? m[1] : 'unknown';
}
