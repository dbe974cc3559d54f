import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel, type WorkflowModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeWorkflow } from '../../../src/gates/prt-guard/analyze.js';
import { makeLookup } from '../../../src/gates/prt-guard/load.js';

function scan(text: string, others: Record<string, string> = {}) {
  const m = buildModel('.github/workflows/w.yml', text);
  expect(m.errors).toEqual([]);
  const all: WorkflowModel[] = [m, ...Object.entries(others).map(([f, t]) => buildModel(`.github/workflows/${f}`, t))];
  return analyzeWorkflow(m, { fingerprinter: new Fingerprinter(), lookup: makeLookup(all) });
}
const rules = (fs: ReturnType<typeof scan>, rule: string) => fs.filter((f) => f.rule === rule);
const at = (fs: ReturnType<typeof scan>, rule: string) => rules(fs, rule).map((f) => `${f.line}:${f.column} ${f.severity}`);

const PRT = `on: pull_request_target\npermissions:\n  contents: read\n`;

describe('untrusted-checkout', () => {
  it('flags a checkout of head.sha followed by npm ci as critical when the job reaches secrets, at the uses: value, with the exec step related', () => {
    const fs = scan(`${PRT}jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm ci\n        env:\n          TOKEN: \${{ secrets.NPM_TOKEN }}\n`);
    const f = rules(fs, 'untrusted-checkout');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ line: 8, column: 15, severity: 'critical' });
    expect(f[0].related?.[0]).toMatchObject({ line: 11, column: 14 });
    expect(f[0].message).toContain('predates v7');
  });

  it('is high when executed in a job with read-only token and no secrets', () => {
    const fs = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{github.event.pull_request.head.sha}}\n      - run: make test\n`);
    expect(at(fs, 'untrusted-checkout')).toEqual(['8:15 high']);
  });

  it('is low (a note) when the checkout is only read', () => {
    const fs = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.head_ref }}\n      - run: cat README.md | wc -l\n`);
    expect(at(fs, 'untrusted-checkout')).toEqual(['8:15 low']);
  });

  it.each([
    ['no ref', ''],
    ['base.sha', 'ref: ${{ github.event.pull_request.base.sha }}'],
    ['base.ref', 'ref: ${{ github.event.pull_request.base.ref }}'],
    ['github.base_ref', 'ref: ${{ github.base_ref }}'],
    ['default branch', 'ref: ${{ github.event.repository.default_branch }}'],
    ['literal main', 'ref: main'],
    ['github.sha', 'ref: ${{ github.sha }}'],
    ['github.ref', 'ref: ${{ github.ref }}'],
  ])('never flags a checkout of the base (%s)', (_n, w) => {
    const fs = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n${w ? `        with:\n          ${w}\n` : ''}      - run: npm ci && npm test\n`);
    expect(rules(fs, 'untrusted-checkout')).toEqual([]);
  });

  it('does not treat plain pull_request as privileged', () => {
    const fs = scan(`on: pull_request\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm ci\n`);
    expect(fs).toEqual([]);
  });

  it.each([
    ['merge_commit_sha', 'ref: ${{ github.event.pull_request.merge_commit_sha }}'],
    ['refs/pull merge', "ref: refs/pull/${{ github.event.pull_request.number }}/merge"],
    ['head.ref with fork repository', 'repository: ${{ github.event.pull_request.head.repo.full_name }}'],
    ['index syntax', "ref: ${{ github['head_ref'] }}"],
    ['fallback expression', 'ref: ${{ github.event.pull_request.head.sha || github.sha }}'],
  ])('flags a checkout of PR code via %s', (_n, w) => {
    const fs = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ${w}\n      - run: pip install -e .\n`);
    expect(at(fs, 'untrusted-checkout')).toEqual(['8:15 high']);
  });

  it('follows a step output that resolves the PR head (issue_comment)', () => {
    const fs = scan(`on: issue_comment\npermissions: {}\njobs:\n  b:\n    runs-on: x\n    steps:\n      - id: pr\n        run: echo "sha=$(gh pr view $N --json headRefOid -q .headRefOid)" >> $GITHUB_OUTPUT\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ steps.pr.outputs.sha }}\n      - uses: ./.github/actions/build\n`);
    const f = rules(fs, 'untrusted-checkout');
    expect(f.map((x) => `${x.line}:${x.column} ${x.severity}`)).toEqual(['9:15 high']);
    expect(f[0].related?.[0]).toMatchObject({ line: 12, column: 15 });
  });

  it('a step output that carries the base (setOutput base) is not flagged; its head sibling is', () => {
    const fs = scan(`on: issue_comment\npermissions: {}\njobs:\n  b:\n    runs-on: x\n    steps:\n      - id: c\n        uses: actions/github-script@v7\n        with:\n          script: |\n            const r = await github.rest.pulls.get({})\n            core.setOutput('base', r.data.base.sha)\n            core.setOutput('head', r.data.head.sha)\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ steps.c.outputs.base }}\n      - run: go run ./cmd\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ steps.c.outputs.head }}\n      - run: go run ./cmd\n`);
    expect(at(fs, 'untrusted-checkout')).toEqual(['18:15 high']);
  });

  it('points at gh pr checkout inside a run: | block and at the executing command in the same script', () => {
    const fs = scan(`on: issue_comment\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: |\n          echo start\n          gh pr checkout \${{ github.event.issue.number }}\n          yarn install\n`);
    const f = rules(fs, 'untrusted-checkout');
    expect(f.map((x) => `${x.line}:${x.column} ${x.severity}`)).toEqual(['8:11 critical']);
    expect(f[0].related?.[0]).toMatchObject({ line: 9, column: 11 });
  });

  it('git fetch of a pull ref only diffed is low; checked out and built is high', () => {
    const read = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: git fetch origin pull/\${{ github.event.number }}/head:pr && git diff main...pr\n`);
    expect(at(read, 'untrusted-checkout')).toEqual(['9:14 low']);
    const built = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          git fetch origin refs/pull/\${{ github.event.number }}/merge\n          git checkout FETCH_HEAD\n          ./build.sh\n`);
    expect(at(built, 'untrusted-checkout')).toEqual(['10:11 high']);
  });

  it('a checkout into a sub-directory is only executed by steps that use it', () => {
    const ok = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          path: pr\n      - run: npm ci\n`);
    expect(at(ok, 'untrusted-checkout')).toEqual(['9:15 low']);
    const bad = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          path: pr\n      - run: npm ci\n        working-directory: pr\n`);
    expect(at(bad, 'untrusted-checkout')).toEqual(['8:15 high']);
  });

  it('v7 without the opt-out is a note; with the opt-out it is critical plus checkout-unsafe-opt-out', () => {
    const v7 = scan(`${PRT}jobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v7\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm ci\n`);
    expect(at(v7, 'untrusted-checkout')).toEqual(['8:15 low']);
    const opt = scan(`on: pull_request_target\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v7\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          allow-unsafe-pr-checkout: true\n      - run: npm ci\n`);
    expect(at(opt, 'untrusted-checkout')).toEqual(['6:15 critical']);
    expect(at(opt, 'checkout-unsafe-opt-out')).toEqual(['9:37 high']);
  });

  it('opt-out on plain pull_request has no effect and is not flagged', () => {
    const fs = scan(`on: pull_request\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v7\n        with:\n          allow-unsafe-pr-checkout: true\n`);
    expect(fs).toEqual([]);
  });

  it('same-repository guard and event narrowing make the job unreachable for forks', () => {
    const guarded = scan(`${PRT}jobs:\n  b:\n    if: github.event.pull_request.head.repo.full_name == github.repository\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm ci\n`);
    expect(rules(guarded, 'untrusted-checkout')).toEqual([]);
    const narrowed = scan(`on: [push, pull_request_target]\npermissions: {}\njobs:\n  b:\n    if: github.event_name == 'push'\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.head_ref }}\n      - run: npm ci\n`);
    expect(narrowed).toEqual([]);
  });

  it('workflow_run: privileged only when the upstream can run on pull requests; unknown upstream counts', () => {
    const wf = `on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\npermissions: {}\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n      - run: npm ci\n`;
    expect(at(scan(wf, { 'ci.yml': 'name: CI\non: pull_request\njobs: {a: {runs-on: x, steps: [{run: x}]}}\n' }), 'untrusted-checkout')).toEqual(['10:15 high']);
    expect(scan(wf, { 'ci.yml': 'name: CI\non: push\njobs: {a: {runs-on: x, steps: [{run: x}]}}\n' })).toEqual([]);
    const unknown = rules(scan(wf), 'untrusted-checkout');
    expect(unknown).toHaveLength(1);
    expect(unknown[0].message).toContain('not found');
  });

  it('artifacts of the triggering run, extracted and executed', () => {
    const fs = scan(`on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\npermissions:\n  contents: read\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/download-artifact@v4\n        with:\n          run-id: \${{ github.event.workflow_run.id }}\n          github-token: \${{ secrets.GITHUB_TOKEN }}\n      - run: bash ./deploy.sh\n`);
    expect(at(fs, 'untrusted-checkout')).toEqual(['11:15 critical']);
  });
});

describe('template-injection', () => {
  it('points at the ${{ of the injected expression inside run: |, critical under a privileged trigger', () => {
    const fs = scan(`on: issues\npermissions: {}\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: |\n          echo "title: \${{ github.event.issue.title }}"\n`);
    expect(at(fs, 'template-injection')).toEqual(['8:24 critical']);
  });

  it('is high under pull_request and finds the no-space, format and toJSON forms', () => {
    const fs = scan(`on: pull_request\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: echo \${{github.event.pull_request.title}}\n      - run: echo "\${{ format('{0}', github.head_ref) }}"\n      - run: echo '\${{ toJSON(github.event) }}' > e.json\n`);
    expect(at(fs, 'template-injection')).toEqual(['6:19 high', '7:20 high', '8:20 high']);
  });

  it('handles folded >, double-quoted and CRLF scalars', () => {
    const folded = scan(`on: pull_request\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: >\n          echo a\n          \${{ github.event.pull_request.body }}\n`);
    expect(at(folded, 'template-injection')).toEqual(['8:11 high']);
    const dq = scan(`on: pull_request\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: "echo \\"x\\" \${{ github.head_ref }}"\n`);
    expect(at(dq, 'template-injection')).toEqual(['6:26 high']);
    const crlf = scan(`on: pull_request\r\njobs:\r\n  t:\r\n    runs-on: x\r\n    steps:\r\n      - run: |\r\n          echo hi\r\n          echo \${{ github.event.pull_request.head.ref }}\r\n`);
    expect(at(crlf, 'template-injection')).toEqual(['8:16 high']);
  });

  it('flags github-script script:, and env values expanded with ${{ env.X }}', () => {
    const fs = scan(`on: issue_comment\npermissions: {}\njobs:\n  t:\n    runs-on: x\n    env:\n      BODY: \${{ github.event.comment.body }}\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: |\n            const b = "\${{ github.event.comment.body }}"\n      - run: echo "\${{ env.BODY }}"\n`);
    expect(at(fs, 'template-injection')).toEqual(['12:24 critical', '13:20 critical']);
  });

  it.each([
    ['env var read by the shell', 'run: echo "$TITLE"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}'],
    ['numbers and SHAs', 'run: echo ${{ github.event.pull_request.number }} ${{ github.event.pull_request.head.sha }} ${{ github.sha }}'],
    ['outcomes and results', "run: echo ${{ steps.x.outcome }} ${{ needs.a.result }}"],
    ['boolean functions', "run: echo ${{ contains(github.event.pull_request.title, 'WIP') }} ${{ github.head_ref == 'main' }}"],
    ['if conditions', "if: contains(github.event.comment.body, '/ok')\n        run: echo ok"],
    ['base ref', 'run: git fetch origin ${{ github.base_ref }}'],
  ])('does not flag %s', (_n, step) => {
    const fs = scan(`on: pull_request\njobs:\n  t:\n    runs-on: x\n    steps:\n      - ${step}\n`);
    expect(rules(fs, 'template-injection')).toEqual([]);
  });

  it('flags a composite action run: as high', () => {
    const m = buildModel('action.yml', `name: a\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo "\${{ github.event.pull_request.title }}"\n`);
    const fs = analyzeWorkflow(m, { fingerprinter: new Fingerprinter(), lookup: () => undefined });
    expect(fs.map((f) => `${f.rule} ${f.line}:${f.column} ${f.severity}`)).toEqual(['template-injection 6:18 high']);
  });
});

describe('privileged-permissions', () => {
  it('flags a job with no permissions anywhere, at the job key', () => {
    const fs = scan(`on: pull_request_target\njobs:\n  label:\n    runs-on: x\n    steps:\n      - uses: actions/labeler@v5\n`);
    expect(at(fs, 'privileged-permissions')).toEqual(['3:3 medium']);
  });
  it('flags write-all and unused write scopes, not used ones', () => {
    const all = scan(`on: pull_request_target\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo hi\n`);
    expect(at(all, 'privileged-permissions')).toEqual(['2:14 high']);
    const scopes = scan(`on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    permissions:\n      pull-requests: write\n      contents: write\n    steps:\n      - uses: actions/labeler@v5\n`);
    expect(at(scopes, 'privileged-permissions')).toEqual(['7:7 medium']);
  });
  it('actions/stale: actions: write (its state cache) and contents: write with delete-branch are used (corpus: Homebrew stale-issues-and-prs.yml)', () => {
    const job = (withs: string) =>
      `on:\n  issue_comment:\njobs:\n  stale:\n    runs-on: x\n    permissions:\n      actions: write\n      contents: write\n      issues: write\n      pull-requests: write\n    steps:\n      - uses: actions/stale@4391f3da665fdf50b6810c1a66712fb9ba21aa93 # v11.0.0\n        with:\n          days-before-stale: 21\n${withs}`;
    expect(at(scan(job('          delete-branch: true\n')), 'privileged-permissions')).toEqual([]);
    // true positive kept: without delete-branch, contents: write is not used by actions/stale
    expect(at(scan(job('')), 'privileged-permissions')).toEqual(['8:7 medium']);
  });
  it('does not fire on non-privileged workflows', () => {
    expect(scan(`on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo hi\n`)).toEqual([]);
  });
});
