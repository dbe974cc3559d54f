import { describe, expect, it } from 'vitest';
import { execWithTimeout } from '../../src/core/exec.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('execWithTimeout', () => {
  it('captures output and exit code', async () => {
    const r = await execWithTimeout('bash', ['-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 10_000 });
    expect(r).toMatchObject({ status: 'exited', exitCode: 3, stdout: 'out\n', stderr: 'err\n', truncated: false });
  });

  it('classifies a missing executable as spawn-failed', async () => {
    const r = await execWithTimeout('/nonexistent/tool', [], { timeoutMs: 5_000 });
    expect(r.status).toBe('spawn-failed');
    expect(r.error).toMatch(/ENOENT/);
  });

  it('kills a process that ignores SIGTERM within the grace period, with its whole group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-exec-'));
    const script = `trap '' TERM; (trap '' TERM; sleep 30) & echo $! > ${dir}/grandchild; echo $$ > ${dir}/child; echo started; while true; do sleep 1; done`;
    // 3 s leaves time to write the pid files on a loaded machine; the kill itself is what is asserted
    const r = await execWithTimeout('bash', ['-c', script], { timeoutMs: 3000, graceMs: 300 });
    expect(r.status).toBe('timed-out');
    expect(r.stdout).toContain('started');
    // nothing of the group survives: both the TERM-ignoring child and its grandchild are gone
    for (const who of ['child', 'grandchild']) {
      const pid = Number(readFileSync(join(dir, who), 'utf8'));
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        // gone, or a zombie (killed, waiting for a container's PID 1 to reap it)
        let state = '';
        try {
          state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
        } catch {
          state = 'gone';
        }
        if (state === 'gone' || state === 'Z' || state === 'X') alive = false;
        else await new Promise((res) => setTimeout(res, 100));
      }
      expect(alive, `${who} ${pid} survived`).toBe(false);
    }
  });

  it('does not wait for a grandchild that keeps stdout open', async () => {
    const r = await execWithTimeout('bash', ['-c', '(sleep 30; echo late) & echo done; exit 0'], { timeoutMs: 20_000 });
    expect(r.status).toBe('exited');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('done\n');
  });

  it('caps captured output and counts the rest (no pipe to fill up)', async () => {
    const r = await execWithTimeout('bash', ['-c', 'head -c 5000000 /dev/zero | tr "\\0" x'], { timeoutMs: 20_000, maxOutputBytes: 1000 });
    expect(r.status).toBe('exited');
    expect(r.stdout.length).toBe(1000);
    expect(r.stdoutBytes).toBe(5_000_000);
    expect(r.truncated).toBe(true);
  });

  it('reports death by signal as killed', async () => {
    const r = await execWithTimeout('bash', ['-c', 'kill -SEGV $$'], { timeoutMs: 5_000 });
    expect(r.status).toBe('killed');
    expect(r.signal).toBe('SIGSEGV');
  });
});
