// Hosts the fake GitHub API in a worker thread, so tests that run a step with spawnSync (which blocks the
// test's own event loop) still get answers. Node 24 loads this TypeScript file directly (type stripping).
import { parentPort, workerData } from 'node:worker_threads';
import type { FakeGitHub, FakeRepo } from './fake-github.js';

// Node loads the .ts file itself here (no vitest transform in a worker), so name it with its real extension.
const { startFakeGitHub } = (await import(new URL('./fake-github.ts', import.meta.url).href)) as { startFakeGitHub: (r: FakeRepo[], o?: unknown) => Promise<FakeGitHub> };

const gh = await startFakeGitHub(workerData.repos, workerData.opts ?? {});
gh.faults.push(...(workerData.faults ?? []));
parentPort!.on('message', async (m: string) => {
  if (m === 'requests') {
    parentPort!.postMessage({ requests: gh.requests.map((r) => ({ method: r.method, path: r.path, search: r.query.toString(), authorization: r.authorization })) });
  } else if (m === 'close') {
    await gh.close();
    parentPort!.postMessage({ closed: true });
  }
});
parentPort!.postMessage({ url: gh.url });
