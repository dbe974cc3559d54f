// Hosts the fake GitHub API in a worker thread, so tests that run a step with spawnSync (which blocks the
// test's own event loop) still get answers. Node 24 loads this TypeScript file directly (type stripping).
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeGitHub } from './fake-github.ts';

const gh = await startFakeGitHub(workerData.repos);
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
