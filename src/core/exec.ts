import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, fstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Node's timers hold a signed 32-bit number of milliseconds: a longer delay is silently set to 1 ms
 * (TimeoutOverflowWarning), so a generous `timeout: 30d` used to kill the tool at once and report that it
 * "did not finish within 2592000 s". The gates bound their limits (core/timeout.ts `parseTimeout`); this cap
 * keeps any other caller of execWithTimeout safe too.
 */
export const MAX_TIMER_MS = 2_147_483_647;

export function timerMs(ms: number): number {
  if (!Number.isFinite(ms)) return MAX_TIMER_MS;
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

export type ExecStatus = 'exited' | 'timed-out' | 'killed' | 'spawn-failed';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** hard timeout in ms; the whole process group is killed when it expires */
  timeoutMs: number;
  /** time between SIGTERM and SIGKILL (default 2000 ms) */
  graceMs?: number;
  /** how many bytes of stdout/stderr to keep (default 4 MiB each); the rest is counted, not kept */
  maxOutputBytes?: number;
  /** directory for the capture files (default: a fresh temp dir, removed afterwards) */
  captureDir?: string;
  /** data written to stdin, then closed; default: stdin is /dev/null */
  input?: string;
}

export interface ExecResult {
  status: ExecStatus;
  /** exit code when status is 'exited' */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  truncated: boolean;
  durationMs: number;
  /** spawn error message when status is 'spawn-failed' (e.g. ENOENT) */
  error?: string;
}

export type ExecFn = (command: string, args: string[], opts: ExecOptions) => Promise<ExecResult>;

/**
 * Run a command with a hard timeout.
 * - spawned detached, in its own process group, so a timeout kills grandchildren too;
 * - stdout/stderr go to files, never to a pipe that can fill up and hang the child;
 * - on timeout: SIGTERM to the group, then SIGKILL after the grace period;
 * - the result is classified: exited / timed-out / killed (signal) / spawn-failed.
 * We do not wait for stdio to close (a grandchild holding stdout cannot keep us waiting):
 * the result is read from the files once the direct child has exited.
 */
export const execWithTimeout: ExecFn = (command, args, opts) => {
  const started = Date.now();
  const grace = opts.graceMs ?? 2000;
  const max = opts.maxOutputBytes ?? 4 * 1024 * 1024;
  const ownDir = !opts.captureDir;
  const dir = opts.captureDir ?? mkdtempSync(join(tmpdir(), 'chaingate-exec-'));
  const outPath = join(dir, `stdout-${process.pid}-${started}-${Math.random().toString(36).slice(2)}`);
  const errPath = `${outPath}.err`;
  const outFd = openSync(outPath, 'w+');
  const errFd = openSync(errPath, 'w+');

  return new Promise<ExecResult>((resolve) => {
    let settled = false;
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;

    const finish = (status: ExecStatus, exitCode: number | null, signal: NodeJS.Signals | null, error?: string) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      const out = readCapped(outFd, max);
      const err = readCapped(errFd, max);
      closeSync(outFd);
      closeSync(errFd);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      else {
        rmSync(outPath, { force: true });
        rmSync(errPath, { force: true });
      }
      resolve({
        status,
        exitCode,
        signal,
        stdout: out.text,
        stderr: err.text,
        stdoutBytes: out.size,
        stderrBytes: err.size,
        truncated: out.truncated || err.truncated,
        durationMs: Date.now() - started,
        error,
      });
    };

    let child;
    try {
      child = spawn(command, args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        detached: process.platform !== 'win32',
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', outFd, errFd],
        windowsHide: true,
      });
    } catch (e) {
      finish('spawn-failed', null, null, (e as Error).message);
      return;
    }
    const pid = child.pid;
    const killGroup = (sig: NodeJS.Signals) => {
      if (pid === undefined) return;
      try {
        if (process.platform === 'win32') child.kill(sig);
        else process.kill(-pid, sig);
      } catch {
        /* already gone */
      }
    };

    child.on('error', (e) => finish('spawn-failed', null, null, e.message));
    child.on('exit', (code, signal) => {
      if (timedOut) {
        // make sure nothing of the group survives us
        killGroup('SIGKILL');
        finish('timed-out', code, signal);
      } else if (signal) {
        killGroup('SIGKILL');
        finish('killed', null, signal);
      } else {
        // kill leftovers (e.g. a grandchild holding stdout) so they cannot outlive the gate
        killGroup('SIGKILL');
        finish('exited', code, null);
      }
    });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
    timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => {
        killGroup('SIGKILL');
        // if the direct child is somehow unkillable we still resolve
        setTimeout(() => finish('timed-out', null, 'SIGKILL'), 1000).unref();
      }, grace);
    }, timerMs(opts.timeoutMs));
  });
};

function readCapped(fd: number, max: number): { text: string; size: number; truncated: boolean } {
  const size = fstatSync(fd).size;
  const n = Math.min(size, max);
  const buf = Buffer.alloc(n);
  let off = 0;
  while (off < n) {
    const r = readSync(fd, buf, off, n - off, off);
    if (r <= 0) break;
    off += r;
  }
  return { text: buf.subarray(0, off).toString('utf8'), size, truncated: size > max };
}
