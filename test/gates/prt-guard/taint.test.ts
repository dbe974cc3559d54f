// Taint through step outputs, $GITHUB_ENV, job outputs (needs.*) and local reusable workflows (inputs.*).
// Every case asserts each finding as `rule line:column severity` (an empty list is a true negative) and, where
// the value travels, the related locations (source step, caller's `uses:`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import type { Finding } from '../../../src/core/types.js';
import { buildModel, type WorkflowModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeWorkflow } from '../../../src/gates/prt-guard/analyze.js';
import { makeLookup } from '../../../src/gates/prt-guard/load.js';
import { executeGate } from '../../../src/core/runner.js';
import gate from '../../../src/gates/prt-guard/index.js';

/** Scan `files[0]` with the others present as `.github/workflows/<name>` (reusable workflows are resolved among them). */
function analyze(files: Record<string, string>): Finding[] {
  const models = Object.entries(files).map(([name, text]) => {
    const m = buildModel(`.github/workflows/${name}`, text);
    expect(m.errors).toEqual([]);
    return m;
  });
  const byPath = new Map<string, WorkflowModel>(models.map((m) => [`./${m.file}`, m]));
  return analyzeWorkflow(models[0], { fingerprinter: new Fingerprinter(), lookup: makeLookup(models), resolveLocal: (_from, path) => byPath.get(path) });
}
const fmt = (f: Finding) => `${f.rule} ${f.file === '.github/workflows/w.yml' ? '' : `${f.file.replace('.github/workflows/', '')} `}${f.line}:${f.column} ${f.severity}`;
const scan = (text: string, more: Record<string, string> = {}) => analyze({ 'w.yml': text, ...more }).map(fmt);
const rel = (f: Finding | undefined) => (f?.related ?? []).map((r) => `${r.file.replace('.github/workflows/', '')} ${r.line}:${r.column}`);

type Case = { name: string; wf: string; more?: Record<string, string>; expect: string[]; related?: Record<number, string[]> };

const STEP_OUTPUT_CASES: Case[] = [
  {
    name: 'run: writes github.head_ref to $GITHUB_OUTPUT (itself an injection), a later run: expands the output',
    wf: `on: pull_request_target
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        run: echo "branch=\${{ github.head_ref }}" >> "$GITHUB_OUTPUT"
      - run: git push origin "\${{ steps.meta.outputs.branch }}"
`,
    expect: ['template-injection 8:27 critical', 'template-injection 9:31 critical'],
    related: { 1: ['w.yml 8:27'] },
  },
  {
    name: 'run: writes $GITHUB_HEAD_REF (no template injection at the write) to $GITHUB_OUTPUT',
    wf: `on: pull_request_target
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        run: |
          echo "ref=\${GITHUB_HEAD_REF}" >> $GITHUB_OUTPUT
      - run: |
          echo building
          ./deploy.sh \${{ steps.meta.outputs.ref }}
`,
    expect: ['template-injection 12:23 critical'],
    related: { 0: ['w.yml 9:23'] },
  },
  {
    name: 'actions/github-script returns context.payload.pull_request.head.ref (outputs.result), expanded in run:',
    wf: `on: pull_request_target
permissions:
  contents: write
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        uses: actions/github-script@v7
        with:
          result-encoding: string
          script: |
            return context.payload.pull_request.head.ref
      - run: git fetch origin \${{ steps.meta.outputs.result }}
`,
    expect: ['template-injection 14:31 critical', 'untrusted-checkout 14:14 low'],
    related: { 0: ['w.yml 13:48'] },
  },
  {
    name: 'actions/github-script core.setOutput of an API head.ref through a const alias, expanded in another github-script',
    wf: `on: issue_comment
permissions:
  pull-requests: write
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: pr
        uses: actions/github-script@v7
        with:
          script: |
            const { data: pull } = await github.rest.pulls.get({ owner: context.repo.owner, repo: context.repo.repo, pull_number: context.issue.number });
            const branch = pull.head.ref;
            core.setOutput('branch', branch);
            core.setOutput('sha', pull.head.sha);
      - uses: actions/github-script@v7
        with:
          script: |
            await exec.exec(\`git push origin HEAD:\${{ steps.pr.outputs.branch }}\`);
            console.log('\${{ steps.pr.outputs.sha }}');
`,
    expect: ['template-injection 19:51 critical'],
  },
  {
    name: 'tj-actions/branch-names current_branch under pull_request (not privileged: high)',
    wf: `on: pull_request
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: branch
        uses: tj-actions/branch-names@v8
      - run: echo "Branch \${{ steps.branch.outputs.current_branch }}"
      - run: echo "Base \${{ steps.branch.outputs.base_ref_branch }}"
`,
    expect: ['template-injection 8:27 high'],
    related: { 0: ['w.yml 7:15'] },
  },
  {
    name: 'xt0rted/pull-request-comment-branch: head_ref in run is injection, head_sha is not; checkout of head_sha then npm ci is critical',
    wf: `on: issue_comment
permissions:
  contents: write
jobs:
  j:
    if: github.event.issue.pull_request
    runs-on: ubuntu-latest
    steps:
      - id: comment-branch
        uses: xt0rted/pull-request-comment-branch@v2
      - uses: actions/checkout@v4
        with:
          ref: \${{ steps.comment-branch.outputs.head_sha }}
      - run: |
          echo "\${{ steps.comment-branch.outputs.head_sha }}"
          npm ci
          git push origin HEAD:\${{ steps.comment-branch.outputs.head_ref }}
`,
    expect: ['template-injection 17:32 critical', 'untrusted-checkout 11:15 critical'],
    related: { 0: ['w.yml 10:15'], 1: ['w.yml 16:11', 'w.yml 10:15'] },
  },
  {
    name: 'run: writes $GITHUB_HEAD_REF to $GITHUB_ENV; a later run: expands ${{ env.BRANCH }}',
    wf: `on: pull_request_target
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo "BRANCH=$GITHUB_HEAD_REF" >> $GITHUB_ENV
      - run: echo "\${{ env.BRANCH }}"
      - run: echo "$BRANCH"
`,
    expect: ['template-injection 8:20 critical'],
    related: { 0: ['w.yml 7:28'] },
  },
  {
    name: 'a shell variable set from gh pr view --json headRefName, written to the output, expanded in a later job through needs.*.outputs',
    wf: `on: issue_comment
permissions:
  contents: write
jobs:
  meta:
    runs-on: ubuntu-latest
    outputs:
      branch: \${{ steps.m.outputs.branch }}
    steps:
      - id: m
        run: |
          BR=$(gh pr view "\${{ github.event.issue.number }}" --json headRefName -q .headRefName)
          echo "branch=$BR" >> "$GITHUB_OUTPUT"
  push:
    needs: meta
    runs-on: ubuntu-latest
    steps:
      - run: git push origin "HEAD:\${{ needs.meta.outputs.branch }}"
`,
    expect: ['template-injection 18:36 critical'],
    related: { 0: ['w.yml 12:62'] },
  },
  {
    name: 'a checkout of ${{ env.PR_SHA }} written to $GITHUB_ENV from the head SHA, then make: critical with the source related',
    wf: `on: pull_request_target
permissions:
  contents: read
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo "PR_SHA=\${{ github.event.pull_request.head.sha }}" >> "$GITHUB_ENV"
      - uses: actions/checkout@v4
        with:
          ref: \${{ env.PR_SHA }}
      - run: make test
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`,
    expect: ['untrusted-checkout 9:15 critical'],
    related: { 0: ['w.yml 12:14', 'w.yml 8:27'] },
  },
];

const STEP_OUTPUT_NEGATIVES: Case[] = [
  {
    name: 'known-safe outputs: git rev-parse SHA, the PR number, a base ref from github-script, a SHA from xt0rted',
    wf: `on: pull_request_target
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: sha
        run: echo "sha=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"
      - id: num
        run: echo "number=\${{ github.event.pull_request.number }}" >> "$GITHUB_OUTPUT"
      - id: base
        uses: actions/github-script@v7
        with:
          script: |
            const { data: pr } = await github.rest.pulls.get({ owner: context.repo.owner, repo: context.repo.repo, pull_number: context.issue.number });
            core.setOutput('base', pr.base.ref);
            core.setOutput('number', pr.number);
      - run: |
          echo "\${{ steps.sha.outputs.sha }} \${{ steps.num.outputs.number }}"
          git fetch origin \${{ steps.base.outputs.base }}
          echo \${{ steps.base.outputs.number }}
`,
    expect: [],
  },
  {
    name: 'unknown step outputs are not guessed at: an unlisted action and an output the step never writes',
    wf: `on: pull_request_target
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: other
        uses: some-org/pr-meta@v1
      - id: meta
        run: |
          echo "head is $GITHUB_HEAD_REF"
          echo "branch=main" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.other.outputs.branch }} \${{ steps.meta.outputs.branch }} \${{ steps.meta.outputs.missing }}"
`,
    expect: [],
  },
  {
    name: 'the head SHA through an output is not text (no injection) and the tainted output read through env: is safe',
    wf: `on: pull_request_target
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        run: |
          echo "sha=\${{ github.event.pull_request.head.sha }}" >> "$GITHUB_OUTPUT"
          echo "branch=$GITHUB_HEAD_REF" >> "$GITHUB_OUTPUT"
      - run: |
          echo "\${{ steps.meta.outputs.sha }}"
          git push origin "HEAD:$BRANCH"
        env:
          BRANCH: \${{ steps.meta.outputs.branch }}
`,
    expect: [],
  },
  {
    name: 'tj-actions/branch-names on push only: the branch was pushed by someone with write access',
    wf: `on:
  push:
    branches: ['**']
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: branch
        uses: tj-actions/branch-names@v8
      - run: echo "\${{ steps.branch.outputs.current_branch }}"
`,
    expect: [],
  },
  {
    name: 'the base branch written to $GITHUB_ENV, then checked out and built: not an untrusted checkout',
    wf: `on: pull_request_target
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo "BASE=\${{ github.event.pull_request.base.sha }}" >> "$GITHUB_ENV"
      - uses: actions/checkout@v4
        with:
          ref: \${{ env.BASE }}
      - run: npm ci && npm test
`,
    expect: [],
  },
];

describe('prt-guard taint: step outputs, $GITHUB_ENV, needs outputs', () => {
  it.each(STEP_OUTPUT_CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const fs = analyze({ 'w.yml': c.wf, ...(c.more ?? {}) });
    expect(fs.map(fmt)).toEqual(c.expect);
    for (const [i, r] of Object.entries(c.related ?? {})) expect(rel(fs[Number(i)])).toEqual(r);
  });
  it.each(STEP_OUTPUT_NEGATIVES.map((c) => [c.name, c] as const))('true negative: %s', (_n, c) => {
    expect(scan(c.wf, c.more)).toEqual(c.expect);
  });
  it('names the output and where the text comes from in the message', () => {
    const f = analyze({ 'w.yml': STEP_OUTPUT_CASES[0].wf })[1];
    expect(f.message).toContain('steps.meta.outputs.branch (= github.head_ref)');
    expect(f.related?.[0].message).toMatch(/step `meta` writes output `branch` from github\.head_ref/);
  });
});

const CALLEE_BUILD = `name: build
on:
  workflow_call:
    inputs:
      ref:
        type: string
        required: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ inputs.ref }}
      - run: npm ci && npm test
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`;

const CALLEE_TITLE = `on:
  workflow_call:
    inputs:
      title:
        type: string
      number:
        type: number
jobs:
  note:
    runs-on: ubuntu-latest
    steps:
      - run: echo "PR-\${{ inputs.number }} - \${{ inputs.title }}"
`;

const REUSABLE_CASES: Case[] = [
  {
    name: 'privileged caller passes head.sha and secrets: inherit; the called workflow checks it out and runs npm ci',
    wf: `on: pull_request_target
permissions:
  contents: read
jobs:
  call:
    uses: ./.github/workflows/build.yml
    with:
      ref: \${{ github.event.pull_request.head.sha }}
    secrets: inherit
`,
    more: { 'build.yml': CALLEE_BUILD },
    expect: ['untrusted-checkout build.yml 12:15 critical'],
    related: { 0: ['build.yml 15:14', 'w.yml 8:12', 'w.yml 6:11'] },
  },
  {
    name: 'privileged caller passes the PR title; the called workflow expands inputs.title in run: (inputs.number is safe)',
    wf: `on: pull_request_target
permissions: {}
jobs:
  call:
    uses: ./.github/workflows/title.yml
    with:
      title: \${{ github.event.pull_request.title }}
      number: \${{ github.event.pull_request.number }}
`,
    more: { 'title.yml': CALLEE_TITLE },
    expect: ['template-injection title.yml 12:46 critical'],
    related: { 0: ['w.yml 7:14', 'w.yml 5:11'] },
  },
  {
    name: 'the called workflow reads github.event (the caller\'s event) directly: privileged through the call, no inputs needed',
    wf: `on: issue_comment
permissions:
  contents: write
jobs:
  call:
    uses: ./.github/workflows/direct.yml
`,
    more: {
      'direct.yml': `on: workflow_call
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: gh pr checkout \${{ github.event.issue.number }} && make
`,
    },
    expect: ['untrusted-checkout direct.yml 6:14 critical', 'privileged-permissions 3:3 medium'],
    related: { 0: ['direct.yml 6:65', 'w.yml 6:11'] },
  },
  {
    name: 'a nested call: the middle workflow passes inputs.ref on; the leaf checks it out and runs a script from it',
    wf: `on: pull_request_target
permissions: {}
jobs:
  call:
    uses: ./.github/workflows/mid.yml
    with:
      sha: \${{ github.event.pull_request.head.sha }}
`,
    more: {
      'mid.yml': `on:
  workflow_call:
    inputs:
      sha: { type: string }
jobs:
  inner:
    uses: ./.github/workflows/leaf.yml
    with:
      ref: \${{ inputs.sha }}
`,
      'leaf.yml': `on:
  workflow_call:
    inputs:
      ref: { type: string }
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ inputs.ref }}
      - run: ./ci/test.sh
`,
    },
    expect: ['untrusted-checkout leaf.yml 9:15 high'],
    related: { 0: ['leaf.yml 12:14', 'w.yml 7:12', 'w.yml 5:11', 'mid.yml 7:11'] },
  },
  {
    name: 'the called workflow is not in the repository: a low note at the caller\'s uses:, no guess about its steps',
    wf: `on: pull_request_target
permissions: {}
jobs:
  call:
    uses: ./.github/workflows/missing.yml
    with:
      ref: \${{ github.event.pull_request.head.sha }}
    secrets: inherit
`,
    expect: ['reusable-workflow-unresolved 5:11 low'],
  },
];

const REUSABLE_NEGATIVES: Case[] = [
  {
    name: 'a plain pull_request caller passing head.sha: no privilege, so the called checkout is not flagged',
    wf: `on: pull_request
jobs:
  call:
    uses: ./.github/workflows/build.yml
    with:
      ref: \${{ github.event.pull_request.head.sha }}
    secrets: inherit
`,
    more: { 'build.yml': CALLEE_BUILD },
    expect: [],
  },
  {
    name: 'a privileged caller passing the base SHA and the PR number: nothing tainted',
    wf: `on: pull_request_target
permissions: {}
jobs:
  call:
    uses: ./.github/workflows/build.yml
    with:
      ref: \${{ github.event.pull_request.base.sha }}
  t:
    uses: ./.github/workflows/title.yml
    with:
      title: release notes
      number: \${{ github.event.pull_request.number }}
`,
    more: { 'build.yml': CALLEE_BUILD, 'title.yml': CALLEE_TITLE },
    expect: [],
  },
  {
    name: 'a same-repository guard on the caller job: forks never reach the called workflow',
    wf: `on: pull_request_target
permissions: {}
jobs:
  call:
    if: github.event.pull_request.head.repo.full_name == github.repository
    uses: ./.github/workflows/build.yml
    with:
      ref: \${{ github.event.pull_request.head.sha }}
    secrets: inherit
`,
    more: { 'build.yml': CALLEE_BUILD },
    expect: [],
  },
  {
    name: 'a reusable workflow in another repository is pinned code and not followed (no note either)',
    wf: `on: pull_request_target
permissions: {}
jobs:
  call:
    uses: org/shared/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567
    with:
      ref: \${{ github.event.pull_request.head.sha }}
`,
    expect: [],
  },
  {
    name: 'a non-privileged caller of a missing workflow gets no note',
    wf: `on: push
jobs:
  call:
    uses: ./.github/workflows/missing.yml
`,
    expect: [],
  },
];

describe('prt-guard taint: local reusable workflows', () => {
  it.each(REUSABLE_CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const fs = analyze({ 'w.yml': c.wf, ...(c.more ?? {}) });
    expect(fs.map(fmt)).toEqual(c.expect);
    for (const [i, r] of Object.entries(c.related ?? {})) expect(rel(fs[Number(i)])).toEqual(r);
  });
  it.each(REUSABLE_NEGATIVES.map((c) => [c.name, c] as const))('true negative: %s', (_n, c) => {
    expect(scan(c.wf, c.more)).toEqual(c.expect);
  });
  it('severity follows the caller: a read-only caller with no secrets makes an executed checkout high, not critical', () => {
    const wf = REUSABLE_CASES[0].wf.replace('    secrets: inherit\n', '');
    expect(scan(wf, { 'build.yml': CALLEE_BUILD.replace(/\n        env:\n.*\n$/, '\n') })).toEqual(['untrusted-checkout build.yml 12:15 high']);
  });
  it('privileged-permissions: a write scope is used when a called job that inherits it uses it, not when the called job narrows it', () => {
    const caller = `on: issue_comment\npermissions:\n  contents: write\njobs:\n  call:\n    uses: ./.github/workflows/push.yml\n`;
    const inherits = `on: workflow_call\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - run: git push origin HEAD:main\n`;
    const narrows = inherits.replace('  p:\n', '  p:\n    permissions:\n      contents: read\n');
    expect(scan(caller, { 'push.yml': inherits })).toEqual([]);
    expect(scan(caller, { 'push.yml': narrows })).toEqual(['privileged-permissions 3:3 medium']);
  });

  it('the message names the input and what the caller passes', () => {
    const f = analyze({ 'w.yml': REUSABLE_CASES[1].wf, 'title.yml': CALLEE_TITLE })[0];
    expect(f.message).toContain('inputs.title (the caller passes github.event.pull_request.title)');
    expect(f.related?.at(-1)?.message).toMatch(/called from job `call` under pull_request_target/);
  });
});

describe('prt-guard gate: reusable workflows read from disk', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  async function run(files: Record<string, string>, paths?: string) {
    const dir = mkdtempSync(join(tmpdir(), 'cg-prt-taint-'));
    dirs.push(dir);
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    const out = await executeGate(gate, { 'record-file': join(dir, 'r.ndjson'), ...(paths ? { paths } : {}) }, { cwd: dir, env: {}, logger: { info() {}, warn() {}, debug() {} } });
    return { ...out.result, list: out.result.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.severity}`) };
  }

  it('the called file, scanned on its own and through the caller, is reported once at the caller\'s severity with the caller related', async () => {
    const r = await run({ '.github/workflows/caller.yml': REUSABLE_CASES[1].wf, '.github/workflows/title.yml': CALLEE_TITLE });
    expect(r.list).toEqual(['template-injection .github/workflows/title.yml:12:46 critical']);
    expect(r.findings[0].related?.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['.github/workflows/caller.yml:7:14', '.github/workflows/caller.yml:5:11']);
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toEqual(['template-injection']);
  });

  it('a direct injection in the called file: high on its own, critical through a privileged caller, reported once (critical)', async () => {
    const callee = `on: workflow_call\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "\${{ github.head_ref }}"\n`;
    const caller = `on: pull_request_target\npermissions: {}\njobs:\n  a:\n    uses: ./.github/workflows/inj.yml\n  b:\n    uses: ./.github/workflows/inj.yml\n`;
    expect((await run({ '.github/workflows/inj.yml': callee })).list).toEqual(['template-injection .github/workflows/inj.yml:6:20 high']);
    const r = await run({ '.github/workflows/caller.yml': caller, '.github/workflows/inj.yml': callee });
    expect(r.list).toEqual(['template-injection .github/workflows/inj.yml:6:20 critical']);
    expect(r.findings[0].related?.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['.github/workflows/caller.yml:5:11', '.github/workflows/caller.yml:7:11']);
  });

  it('only the caller given as a path: the called file is still read from the repository', async () => {
    const r = await run({ '.github/workflows/caller.yml': REUSABLE_CASES[0].wf, '.github/workflows/build.yml': CALLEE_BUILD }, '.github/workflows/caller.yml');
    expect(r.list).toEqual(['untrusted-checkout .github/workflows/build.yml:12:15 critical']);
  });

  it('a called file missing from the repository: a low note, the gate passes at fail-on medium with reason ok', async () => {
    const r = await run({ '.github/workflows/caller.yml': REUSABLE_CASES[4].wf });
    expect(r.list).toEqual(['reusable-workflow-unresolved .github/workflows/caller.yml:5:11 low']);
    expect(r.findings[0].message).toMatch(/not in the repository, so its steps were not checked/);
    expect(r.outcome).toBe('pass');
  });

  it('at fail-on low the missing file fails with the declared reason workflow-not-found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-prt-taint-'));
    dirs.push(dir);
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/caller.yml'), REUSABLE_CASES[4].wf);
    const out = await executeGate(gate, { 'record-file': join(dir, 'r.ndjson'), 'fail-on': 'low' }, { cwd: dir, env: {}, logger: { info() {}, warn() {}, debug() {} } });
    expect(out.result.outcome).toBe('fail');
    expect(out.result.reasons).toEqual(['workflow-not-found']);
  });
});
