// dr-freshness: how long scanning a large drill history takes, and how many API requests a deep search costs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanRecords } from '../src/gates/dr-freshness/records.js';
import { scanGitHub } from '../src/gates/dr-freshness/github.js';
import { buildRecord } from '../src/core/record.js';
import { Redactor } from '../src/core/redact.js';
import { startFakeGitHub, runSeries } from '../test/helpers/fake-github.js';

const now = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'cg-bench-drf-'));
const red = new Redactor();
for (const n of [1_000, 20_000, 100_000]) {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const gate = i % 4 === 0 ? 'dr-drill' : 'pin-lint';
    const t = new Date(now - (n - i) * 60_000);
    lines.push(JSON.stringify(buildRecord(gate, { outcome: i % 7 ? 'pass' : 'fail', reasons: ['ok'], findings: [] }, t, t, {}, red)));
  }
  const file = join(dir, `r${n}.ndjson`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const t0 = performance.now();
  const scan = scanRecords([file], { cwd: dir, gate: 'dr-drill', nowMs: now, skewMs: 300_000 });
  const ms = performance.now() - t0;
  console.log(`records: ${n} lines (${scan.drillRecords} drill records) scanned in ${ms.toFixed(0)} ms (${((n / ms) * 1000).toFixed(0)} lines/s)`);
}

for (const forks of [0, 250, 1_500]) {
  const runs = [
    ...runSeries(forks, now - 3_600_000, 60_000, 'success', { firstId: 900_000 }).map((r) => ({ ...r, head_repository: { full_name: 'fork/widget' } })),
    { id: 1, head_branch: 'main', conclusion: 'success', created_at: new Date(now - 3 * 86_400_000).toISOString() },
  ];
  const gh = await startFakeGitHub([{ fullName: 'acme/widget', workflows: { 'dr.yml': { id: 1, runs } } }]);
  const t0 = performance.now();
  const scan = await scanGitHub({ apiUrl: gh.url, repository: 'acme/widget', workflow: 'dr.yml', branch: 'main', nowMs: now, skewMs: 300_000, maxRequests: 100, fetch, sleep: async () => undefined, now: () => now });
  console.log(`github: ${forks} fork runs before ours → ${scan.requests} request(s), ${scan.runsSeen} runs read, ${(performance.now() - t0).toFixed(0)} ms, found=${scan.drills.some((d) => d.passed)}`);
  await gh.close();
}
