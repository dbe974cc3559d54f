// pin-lint: second-pair-of-eyes review of the real-world precision change (decision 0801). Each defect has a test
// that failed before its fix, with true negatives beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gate from '../../../src/gates/pin-lint/index.js';
import { executeGate } from '../../../src/core/runner.js';
import { commentClaim, literalChoices, scanText } from '../../../src/gates/pin-lint/scan.js';
import { buildPolicy } from '../../../src/gates/pin-lint/policy.js';
import { startServer, json, type LocalServer } from '../../helpers/http.js';

const sha = (c: string) => c.repeat(40).slice(0, 40);
const C0 = sha('a0'), C1 = sha('a1'), C2 = sha('a2');
const wf = (steps: string) => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

// acme/act: v4.2.2 is the head of main and of the release/v4 branch; v4.2.1 and an older commit are behind it
const TAGS: Record<string, string> = { 'v4.2.2': C2, 'v4.2.1': C1 };
const BRANCHES: Record<string, string> = { main: C2, 'release/v4': C2 };
const REACH: Record<string, string[]> = { [C2]: [C1, C0] };

function route(path: string): [number, unknown] {
  const m = /^\/repos\/acme\/act(\/.*)?$/.exec(path);
  if (!m) return [404, { message: 'Not Found' }];
  const rest = decodeURIComponent(m[1] ?? '');
  if (rest === '') return [200, { default_branch: 'main' }];
  let r = /^\/git\/ref\/tags\/(.+)$/.exec(rest);
  if (r) return TAGS[r[1]] ? [200, { object: { type: 'commit', sha: TAGS[r[1]] } }] : [404, { message: 'Not Found' }];
  r = /^\/git\/ref\/heads\/(.+)$/.exec(rest);
  if (r) return BRANCHES[r[1]] ? [200, { object: { type: 'commit', sha: BRANCHES[r[1]] } }] : [404, { message: 'Not Found' }];
  if (/^\/git\/tags\//.test(rest)) return [404, { message: 'Not Found' }];
  if (rest === '/tags') return [200, Object.entries(TAGS).map(([name, s]) => ({ name, commit: { sha: s } }))];
  if (rest === '/branches') return [200, Object.entries(BRANCHES).map(([name, s]) => ({ name, commit: { sha: s } }))];
  r = /^\/compare\/(.+)\.\.\.([0-9a-f]{40})$/.exec(rest);
  if (r) {
    const b = r[1].replace(/^refs\/(heads|tags)\//, '');
    const head = BRANCHES[b] ?? TAGS[b];
    if (!head) return [404, { message: 'Not Found' }];
    if (r[2] === head) return [200, { status: 'identical' }];
    return REACH[head]?.includes(r[2]) ? [200, { status: 'behind' }] : [404, { message: 'No common ancestor' }];
  }
  return [404, { message: 'Not Found' }];
}

let server: LocalServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const [status, body] = route(new URL(req.url!, 'http://x').pathname);
    json(res, status, body);
  });
});
afterAll(() => server.close());

function repo(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-pl-s4-'));
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  writeFileSync(join(dir, '.github/workflows/ci.yml'), text);
  return dir;
}
const run = (cwd: string) =>
  executeGate(gate, { 'record-file': join(cwd, '.rec.ndjson'), token: 'ghs_pinlintTESTtokenPINLINTtesttoken04', 'api-url': server.url }, { cwd, env: {}, logger: { info() {}, warn() {}, debug() {} }, sleep: async () => undefined });

describe('a branch named elsewhere in the comment does not excuse a version that does not match', () => {
  it.each([
    ['v4.2.2 (from release/v4)', { commentVersion: 'v4.2.2' }],
    ['v4.2.2 release/v4', { commentVersion: 'v4.2.2' }],
    ['release/v4', { commentVersion: 'v4', commentTag: 'release/v4' }],
    ['release/v4 (v4.2.1)', { commentVersion: 'v4', commentTag: 'release/v4' }],
    ['deploy-v1.2.3', { commentVersion: 'v1.2.3', commentTag: 'deploy-v1.2.3' }],
    ['create-github-app-token/v0.3.1', { commentVersion: 'v0.3.1', commentTag: 'create-github-app-token/v0.3.1' }],
    ['v4.2.2', { commentVersion: 'v4.2.2' }],
    ['main', {}],
  ])('commentClaim(%s)', (c, want) => expect(commentClaim(c)).toEqual(want));

  it('`# v4.2.2 (from release/v4)` on the commit of v4.2.1: version-mismatch (was: no finding, the branch release/v4 exists)', async () => {
    const out = await run(repo(wf(`      - uses: acme/act@${C1} # v4.2.2 (from release/v4)\n`)));
    expect(out.result.findings.map((f) => `${f.rule}@${f.line}`)).toEqual(['version-mismatch@6']);
    expect(out.result.findings[0].message).toContain('the comment says `v4.2.2`');
    expect(out.result.outcome).toBe('fail');
  });

  it('true negatives: the comment names the branch alone, or the right version beside the branch', async () => {
    const out = await run(repo(wf(`      - uses: acme/act@${C1} # release/v4\n      - uses: acme/act@${C1} # v4.2.1 (from release/v4)\n      - uses: acme/act@${C2} # v4.2.2\n`)));
    expect(out.result.findings).toEqual([]);
    expect(out.result.outcome).toBe('pass');
  });
});

describe('literal choices: the last alternative must be a bare literal (as documented)', () => {
  const DIG = `sha256:${'a'.repeat(64)}`;
  it.each([
    [`\${{ a && 'x@${DIG}' || b && 'y@${DIG}' }}`, undefined], // yields b itself when b is falsy: was ['x…', 'y…']
    [`\${{ a && 'x@${DIG}' || b && 'y@${DIG}' || '' }}`, [`x@${DIG}`, `y@${DIG}`, '']],
  ])('literalChoices(%s)', (v, out) => expect(literalChoices(v)).toEqual(out));

  it('such an image is unpinnable-ref (was: passed as pinned)', () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    container:\n      image: \${{ inputs.arm && 'ghcr.io/o/arm@${DIG}' || inputs.img && 'ghcr.io/o/amd@${DIG}' }}\n    steps: []\n`;
    expect(scanText('w.yml', text, { policy: buildPolicy(undefined) }).findings.map((f) => `${f.rule}@${f.line}`)).toEqual(['unpinnable-ref@6']);
  });
});
