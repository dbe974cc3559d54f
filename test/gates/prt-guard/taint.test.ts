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
