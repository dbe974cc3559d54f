// Start test/fixtures/evidence/sigstore-server.ts in a child process (bundled with esbuild), so a test can
// spawnSync dist/ bundles that sign against it without blocking the servers' event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './runner.js';

export interface SigstoreProcess {
  url: string;
  requestUrl: string;
  trustedRoot: object;
  stop(): Promise<void>;
}

export async function startSigstoreProcess(identity: string, issuer?: string): Promise<SigstoreProcess> {
  // inside node_modules so the external packages resolve from the project's node_modules
  const dir = join(ROOT, 'node_modules', '.cache', 'chaingate-test');
  mkdirSync(dir, { recursive: true });
  const out = join(mkdtempSync(join(dir, 'ss-')), 'server.mjs');
  await build({
    entryPoints: [join(ROOT, 'test/fixtures/evidence/sigstore-server.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  const child: ChildProcess = spawn(process.execPath, [out, identity, issuer ?? ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error('mock sigstore did not start')), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(t);
        resolve(buf.slice(0, nl));
      }
    });
    child.on('exit', (code) => reject(new Error(`mock sigstore exited ${code}`)));
  });
  const info = JSON.parse(line);
  return {
    ...info,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.on('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}
