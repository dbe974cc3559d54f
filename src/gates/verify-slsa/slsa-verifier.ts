// The slsa-verifier path: install the pinned release (SHA-256 from the table below), run it with the core's
// hard timeout, classify the result, and parse its PASSED/FAILED lines for the record.
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecFn, ExecResult } from '../../core/exec.js';
import { sha256File } from '../../core/digest.js';
import { retry } from '../../core/retry.js';

export const SLSA_VERIFIER_VERSION = 'v2.7.1';
export const SLSA_VERIFIER_REPO = 'https://github.com/slsa-framework/slsa-verifier';

/**
 * SHA-256 of each release asset of SLSA_VERIFIER_VERSION, from the repository's SHA256SUM.md.
 *
 * NOT YET RECORDED: these values could not be obtained where this code was written (no access to the
 * release). `null` means "unknown": the installer refuses to run a download it cannot check, and asks for
 * `slsa-verifier-sha256` (or a preinstalled `slsa-verifier-path`). Fill each value from SHA256SUM.md of the
 * release, and verify the asset's own provenance, before relying on the download path. Never guess one.
 */
export const SLSA_VERIFIER_SHA256: Readonly<Record<string, string | null>> = {
  'slsa-verifier-linux-amd64': null,
  'slsa-verifier-linux-arm64': null,
  'slsa-verifier-darwin-amd64': null,
  'slsa-verifier-darwin-arm64': null,
  'slsa-verifier-windows-amd64.exe': null,
  'slsa-verifier-windows-arm64.exe': null,
};

export function assetName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  const os = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'darwin' : platform === 'win32' ? 'windows' : undefined;
  const a = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  if (!os || !a) return undefined;
  return `slsa-verifier-${os}-${a}${os === 'windows' ? '.exe' : ''}`;
}

export class ToolInstallError extends Error {
  constructor(
    readonly reason: 'tool-unpinned' | 'tool-download-failed' | 'tool-checksum-mismatch' | 'tool-unsupported-platform',
    message: string,
  ) {
    super(message);
  }
}

export interface InstallOptions {
  version?: string;
  /** base of the release downloads (default: the GitHub release); `${base}/${version}/${asset}` */
  baseUrl?: string;
  /** SHA-256 table (default: SLSA_VERIFIER_SHA256) */
  table?: Readonly<Record<string, string | null>>;
  /** expected SHA-256 given by the user, used when the table has no value (must equal it when it has one) */
  sha256?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  /** where to put the download when there is no tool cache */
  tempDir: string;
  /** RUNNER_TOOL_CACHE is set: cache the checked binary */
  useToolCache: boolean;
  log?: (m: string) => void;
  /** hard time limit of each download attempt (default 5 min): a host that never answers must not hang the gate */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface Installed {
  path: string;
  version: string;
  sha256: string;
  fromCache: boolean;
}

/**
 * Download slsa-verifier with @actions/tool-cache and check it against the pinned SHA-256 before it is
 * ever executed. A cached copy is re-hashed too (the cache is writable by earlier steps).
 */
export async function installSlsaVerifier(opts: InstallOptions): Promise<Installed> {
  const version = opts.version ?? SLSA_VERIFIER_VERSION;
  const asset = assetName(opts.platform, opts.arch);
  if (!asset) throw new ToolInstallError('tool-unsupported-platform', `slsa-verifier has no release for ${opts.platform ?? process.platform}/${opts.arch ?? process.arch}`);
  const table = opts.table ?? SLSA_VERIFIER_SHA256;
  const pinned = table[asset] ?? null;
  const given = opts.sha256?.trim().toLowerCase().replace(/^sha256:/, '');
  if (given !== undefined && given !== '' && !/^[0-9a-f]{64}$/.test(given)) {
    throw new ToolInstallError('tool-unpinned', 'slsa-verifier-sha256: not a 64-hex SHA-256');
  }
  if (pinned && given && pinned !== given) {
    throw new ToolInstallError('tool-checksum-mismatch', `slsa-verifier-sha256 ${given} differs from the SHA-256 pinned in chaingate for ${asset} ${version}`);
  }
  const expected = pinned ?? (given || null);
  if (!expected) {
    throw new ToolInstallError(
      'tool-unpinned',
      `no SHA-256 is recorded in chaingate for ${asset} ${version}: give slsa-verifier-sha256 (from the release's SHA256SUM.md) or slsa-verifier-path`,
    );
  }
  const tc = await import('@actions/tool-cache');
  if (opts.useToolCache) {
    const cached = tc.find('slsa-verifier', version.replace(/^v/, ''));
    if (cached) {
      const p = join(cached, binName(asset));
      if (existsSync(p) && (await sha256File(p)) === `sha256:${expected}`) return { path: p, version, sha256: expected, fromCache: true };
      opts.log?.(`cached slsa-verifier at ${p} does not match the pinned SHA-256: downloading again`);
    }
  }
  const base = (opts.baseUrl ?? `${SLSA_VERIFIER_REPO}/releases/download`).replace(/\/+$/, '');
  const url = mirrorAssetUrl(base, `${version}/${asset}`);
  // a mirror may carry a token in its path or query: messages show only its origin
  const shown = opts.baseUrl ? shownMirror(base, `${version}/${asset}`) : url;
  mkdirSync(opts.tempDir, { recursive: true });
  const dest = join(opts.tempDir, `${asset}.download-${process.pid}-${Date.now()}`);
  let file: string;
  try {
    file = await downloadWithTimeout(url, dest, opts);
  } catch (e) {
    const err = e as Error;
    throw new ToolInstallError('tool-download-failed', `cannot download ${shown}: ${err.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs ?? DOWNLOAD_TIMEOUT_MS} ms` : err.message}`);
  }
  const got = await sha256File(file);
  if (got !== `sha256:${expected}`) {
    throw new ToolInstallError('tool-checksum-mismatch', `${asset} ${version} from ${shown} has ${got}, expected sha256:${expected}: not executed`);
  }
  chmodSync(file, 0o755);
  if (opts.useToolCache) {
    const dir = await tc.cacheFile(file, binName(asset), 'slsa-verifier', version.replace(/^v/, ''));
    return { path: join(dir, binName(asset)), version, sha256: expected, fromCache: false };
  }
  const final = join(opts.tempDir, binName(asset));
  copyFileSync(file, final);
  chmodSync(final, 0o755);
  return { path: final, version, sha256: expected, fromCache: false };
}

const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;

/** GET `url` into `dest` with a hard timeout per attempt (tool-cache's downloadTool has none); 5xx/network errors retried twice. */
async function downloadWithTimeout(url: string, dest: string, opts: InstallOptions): Promise<string> {
  const f = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const { value } = await retry(
    async () => {
      const res = await f(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        const err = new Error(`HTTP ${res.status}`) as Error & { status?: number };
        err.status = res.status;
        throw err;
      }
      const len = Number(res.headers.get('content-length') ?? 0);
      if (len > MAX_DOWNLOAD_BYTES) {
        await res.body.cancel().catch(() => undefined);
        throw Object.assign(new Error(`larger than ${MAX_DOWNLOAD_BYTES} bytes`), { status: 0 });
      }
      const buf = Buffer.from(await res.arrayBuffer());
      if (buf.length > MAX_DOWNLOAD_BYTES) throw Object.assign(new Error(`larger than ${MAX_DOWNLOAD_BYTES} bytes`), { status: 0 });
      writeFileSync(dest, buf, { mode: 0o600 });
      return dest;
    },
    {
      retries: 2,
      baseDelayMs: 1000,
      sleep: opts.sleep,
      isTransientError: (e) => {
        const status = (e as { status?: number }).status;
        return status === undefined || status >= 500 || status === 429 || status === 408;
      },
    },
  );
  return value;
}

/** `base`/`rest`, keeping a query of the base URL (a mirror's `?channel=…`) on the asset URL. */
function mirrorAssetUrl(base: string, rest: string): string {
  try {
    const u = new URL(base);
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/${rest}`;
    return u.toString();
  } catch {
    return `${base}/${rest}`;
  }
}

function shownMirror(base: string, rest: string): string {
  try {
    return `${new URL(base).origin}/…/${rest} (slsa-verifier-download-url)`;
  } catch {
    return `${rest} (slsa-verifier-download-url)`;
  }
}

function binName(asset: string): string {
  return asset.endsWith('.exe') ? 'slsa-verifier.exe' : 'slsa-verifier';
}

// ---------------------------------------------------------------------------------------------------------
// Running it

export interface SlsaVerifierRequest {
  artifacts: string[];
  images: string[];
  provenancePath: string;
  sourceUri: string;
  sourceTag?: string;
  sourceVersionedTag?: string;
  sourceBranch?: string;
  builderId?: string;
}

/** Arguments for one invocation (files and images need separate commands). */
export function slsaVerifierArgs(req: SlsaVerifierRequest, kind: 'artifact' | 'image', targets: string[]): string[] {
  const args = [kind === 'artifact' ? 'verify-artifact' : 'verify-image', ...targets, '--provenance-path', req.provenancePath, '--source-uri', req.sourceUri];
  if (req.sourceTag !== undefined) args.push('--source-tag', req.sourceTag);
  if (req.sourceVersionedTag !== undefined) args.push('--source-versioned-tag', req.sourceVersionedTag);
  if (req.sourceBranch !== undefined) args.push('--source-branch', req.sourceBranch);
  if (req.builderId !== undefined) args.push('--builder-id', req.builderId);
  return args;
}

export interface ParsedOutput {
  /** `PASSED: SLSA verification passed` seen */
  passed: boolean;
  /** `FAILED: SLSA verification failed: …` seen; the rest of the line */
  failed?: string;
  /** per artifact: `Verifying artifact X: PASSED` / `FAILED: why` */
  artifacts: Array<{ name: string; passed: boolean; why?: string }>;
  /** `Verified build using builder "ID" at commit SHA` */
  builderId?: string;
  commit?: string;
}

const clean = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

export function parseSlsaVerifierOutput(stdout: string, stderr: string): ParsedOutput {
  const out: ParsedOutput = { passed: false, artifacts: [] };
  for (const raw of `${stderr}\n${stdout}`.split('\n')) {
    const line = clean(raw).trim();
    if (line === 'PASSED: SLSA verification passed') out.passed = true;
    let m = /^FAILED: SLSA verification failed(?:: (.*))?$/.exec(line);
    if (m) out.failed = (m[1] ?? '').slice(0, 500);
    m = /^Verifying (?:artifact|image) (.+?): PASSED$/.exec(line);
    if (m) out.artifacts.push({ name: m[1], passed: true });
    m = /^Verifying (?:artifact|image) (.+?): FAILED: (.*)$/.exec(line);
    if (m) out.artifacts.push({ name: m[1], passed: false, why: m[2].slice(0, 500) });
    m = /^Verified build using builder "([^"]+)" at commit ([0-9a-f]+)/.exec(line);
    if (m) {
      out.builderId = m[1];
      out.commit = m[2];
    }
  }
  return out;
}

export type RunVerdict =
  | { kind: 'pass'; parsed: ParsedOutput; attempts: number }
  | { kind: 'fail'; parsed: ParsedOutput; message: string; attempts: number }
  | { kind: 'error'; reason: 'tool-timeout' | 'tool-error' | 'tool-output-invalid'; message: string; attempts: number; parsed?: ParsedOutput };

/** Failures that another attempt may fix: slsa-verifier could not reach Rekor / TUF. */
const TRANSIENT = /(connection refused|connection reset|no such host|i\/o timeout|TLS handshake timeout|temporary failure in name resolution|unexpected EOF|503 Service Unavailable|502 Bad Gateway|504 Gateway Timeout|429 Too Many Requests)/i;

export function isTransientFailure(r: ExecResult): boolean {
  return r.status === 'exited' && r.exitCode === 1 && TRANSIENT.test(`${r.stderr}\n${r.stdout}`);
}

/** Classify one finished run. Exit 0 needs the PASSED line for every target; exit 1 is a failed verification. */
export function classify(r: ExecResult, targets: string[]): RunVerdict {
  const parsed = parseSlsaVerifierOutput(r.stdout, r.stderr);
  if (r.status === 'timed-out') return { kind: 'error', reason: 'tool-timeout', message: `slsa-verifier did not finish within the timeout and was killed`, attempts: 1, parsed };
  if (r.status === 'spawn-failed') return { kind: 'error', reason: 'tool-error', message: `slsa-verifier could not be started: ${r.error ?? 'spawn failed'}`, attempts: 1 };
  if (r.status === 'killed') return { kind: 'error', reason: 'tool-error', message: `slsa-verifier was killed by ${r.signal}`, attempts: 1, parsed };
  if (r.exitCode === 0) {
    const missing = targets.filter((t) => !parsed.artifacts.some((a) => a.passed && (a.name === t || t.endsWith(`/${a.name}`) || a.name.endsWith(t))));
    if (!parsed.passed || parsed.failed !== undefined || missing.length) {
      return { kind: 'error', reason: 'tool-output-invalid', message: `slsa-verifier exited 0 but did not report PASSED${missing.length ? ` for ${missing.join(', ')}` : ''}`, attempts: 1, parsed };
    }
    return { kind: 'pass', parsed, attempts: 1 };
  }
  if (r.exitCode === 1) {
    if (isTransientFailure(r)) return { kind: 'error', reason: 'tool-error', message: `slsa-verifier could not reach a service it needs: ${firstLine(parsed.failed ?? r.stderr)}`, attempts: 1, parsed };
    const why = parsed.artifacts.find((a) => !a.passed)?.why ?? parsed.failed ?? firstLine(r.stderr);
    return { kind: 'fail', parsed, message: `slsa-verifier: ${why || 'verification failed (exit 1)'}`, attempts: 1 };
  }
  return { kind: 'error', reason: 'tool-error', message: `slsa-verifier exited with unexpected code ${r.exitCode}: ${firstLine(r.stderr)}`, attempts: 1, parsed };
}

function firstLine(s: string): string {
  return clean(s).split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0]?.slice(0, 300) ?? '';
}

export interface RunOptions {
  exec: ExecFn;
  binary: string;
  timeoutMs: number;
  retries: number;
  sleep: (ms: number) => Promise<void>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  log?: (m: string) => void;
}

/** Run one slsa-verifier command; retry only when it could not reach the network services it needs. */
export async function runSlsaVerifier(args: string[], targets: string[], o: RunOptions): Promise<RunVerdict> {
  const { value, attempts } = await retry(() => o.exec(o.binary, args, { cwd: o.cwd, env: o.env, timeoutMs: o.timeoutMs }), {
    retries: o.retries,
    baseDelayMs: 1000,
    sleep: o.sleep,
    isTransientResult: isTransientFailure,
    onRetry: (n, d) => o.log?.(`slsa-verifier could not reach the network: attempt ${n + 1} in ${d} ms`),
  });
  return { ...classify(value, targets), attempts };
}
