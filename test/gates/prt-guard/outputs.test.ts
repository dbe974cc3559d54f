// Taint through outputs prt-guard did not follow before: local composite actions' `outputs.<o>.value`, job
// outputs across jobs, github-script / artifact / known-action outputs. Each case is a small repository; every
// finding (rule file line:column severity) is asserted, [] is a true negative beside its true positive.
import { describe, expect, it } from 'vitest';

export { scanRepo } from './helpers.js';
import { scanRepo } from './helpers.js';

const W = '.github/workflows/w.yml';
const A = '.github/actions/meta/action.yml';

const COMPOSITE: Array<[string, Record<string, string>, string[]]> = [
  [
    'composite output from a step that writes the PR title (through env:) to $GITHUB_OUTPUT, expanded in a later run:',
    {
      [A]: `name: meta
outputs:
  title:
    description: PR title
    value: \${{ steps.s.outputs.title }}
runs:
  using: composite
  steps:
    - id: s
      shell: bash
      env:
        TITLE: \${{ github.event.pull_request.title }}
      run: echo "title=$TITLE" >> "$GITHUB_OUTPUT"
`,
      [W]: `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: meta
        uses: ./.github/actions/meta
      - run: |
          gh pr comment "$N" --body "Title: \${{ steps.meta.outputs.title }}"
        env:
          N: \${{ github.event.pull_request.number }}
`,
    },
    [`template-injection ${W} 12:45 critical`],
  ],
  [
    'composite output from `$GITHUB_HEAD_REF` under plain pull_request, pushed with `git push origin HEAD:${{ … }}`: high',
    {
      [A]: `name: meta
outputs:
  branch:
    value: \${{ steps.b.outputs.branch }}
runs:
  using: composite
  steps:
    - id: b
      shell: bash
      run: |
        echo "branch=\${GITHUB_HEAD_REF:-\${GITHUB_REF#refs/heads/}}" >> "$GITHUB_OUTPUT"
`,
      [W]: `on: pull_request
permissions:
  contents: read
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        uses: ./.github/actions/meta
      - run: git push origin "HEAD:\${{ steps.meta.outputs.branch }}"
`,
    },
    [`template-injection ${W} 10:36 high`],
  ],
  [
    'composite output from an input the caller sets to the PR title (read through env: in the action, then written out)',
    {
      [A]: `name: meta
inputs:
  title:
    required: true
outputs:
  clean:
    value: \${{ steps.c.outputs.clean }}
runs:
  using: composite
  steps:
    - id: c
      shell: bash
      env:
        T: \${{ inputs.title }}
      run: echo "clean=\${T//[\\\`]/}" >> "$GITHUB_OUTPUT"
`,
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        uses: ./.github/actions/meta
        with:
          title: \${{ github.event.pull_request.title }}
      - run: echo "\${{ steps.meta.outputs.clean }}" > title.txt
`,
    },
    [`template-injection ${W} 12:20 critical`],
  ],
  [
    'true negative: composite outputs that are a constant, `git rev-parse HEAD`, the PR number and the base ref',
    {
      [A]: `name: meta
outputs:
  kind:
    value: library
  sha:
    value: \${{ steps.s.outputs.sha }}
  number:
    value: \${{ steps.s.outputs.number }}
  base:
    value: \${{ github.event.pull_request.base.ref }}
  missing:
    value: \${{ steps.nope.outputs.x }}
runs:
  using: composite
  steps:
    - id: s
      shell: bash
      run: |
        echo "sha=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"
        echo "number=\${{ github.event.pull_request.number }}" >> "$GITHUB_OUTPUT"
`,
      [W]: `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: meta
        uses: ./.github/actions/meta
      - run: |
          echo "\${{ steps.meta.outputs.kind }} \${{ steps.meta.outputs.sha }} \${{ steps.meta.outputs.base }}"
          gh pr comment \${{ steps.meta.outputs.number }} --body "built \${{ steps.meta.outputs.missing }}"
`,
    },
    [],
  ],
  [
    'composite output carrying the head SHA is a ref, not text: echoed it is fine, checked out and built it is an untrusted checkout (the action is the source)',
    {
      [A]: `name: meta
outputs:
  sha:
    value: \${{ steps.s.outputs.sha }}
runs:
  using: composite
  steps:
    - id: s
      shell: bash
      run: echo "sha=\${{ github.event.pull_request.head.sha }}" >> "$GITHUB_OUTPUT"
`,
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: meta
        uses: ./.github/actions/meta
      - run: echo "testing \${{ steps.meta.outputs.sha }}"
      - uses: actions/checkout@v4
        with:
          ref: \${{ steps.meta.outputs.sha }}
      - run: npm ci && npm test
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`,
    },
    [`untrusted-checkout ${W} 12:15 critical`],
  ],
  [
    'workflow_run: the caller downloads the PR run\'s artifact, a local action reads `pr_number` from it into an output, the caller pastes it into gh pr comment',
    {
      [A]: `name: pr-number
outputs:
  number:
    value: \${{ steps.n.outputs.number }}
runs:
  using: composite
  steps:
    - id: n
      shell: bash
      run: echo "number=$(cat pr/pr_number)" >> "$GITHUB_OUTPUT"
`,
      [W]: `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  comment:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/download-artifact@v4
        with:
          name: pr
          path: pr
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
      - id: pr
        uses: ./.github/actions/meta
      - run: gh pr comment \${{ steps.pr.outputs.number }} --body-file report.md
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    [`template-injection ${W} 20:28 critical`, `untrusted-checkout ${W} 12:15 low`],
  ],
  [
    'true negative: the same local action keeps only digits (`tr -cd 0-9`): the artifact download stays a note',
    {
      [A]: `name: pr-number
outputs:
  number:
    value: \${{ steps.n.outputs.number }}
runs:
  using: composite
  steps:
    - id: n
      shell: bash
      run: echo "number=$(cat pr/pr_number | tr -cd 0-9)" >> "$GITHUB_OUTPUT"
`,
      [W]: `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  comment:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/download-artifact@v4
        with:
          name: pr
          path: pr
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
      - id: pr
        uses: ./.github/actions/meta
      - run: gh pr comment \${{ steps.pr.outputs.number }} --body-file report.md
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    [`untrusted-checkout ${W} 12:15 low`],
  ],
  [
    'pull_request_target: head checked out into `pr/`, a local action reads pr/package.json\'s version into an output, expanded in run:',
    {
      [A]: `name: version
outputs:
  version:
    value: \${{ steps.v.outputs.version }}
runs:
  using: composite
  steps:
    - id: v
      shell: bash
      run: echo "version=$(jq -r .version pr/package.json)" >> "$GITHUB_OUTPUT"
`,
      [W]: `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          path: pr
      - id: v
        uses: ./.github/actions/meta
      - run: gh pr comment "$N" --body "version \${{ steps.v.outputs.version }}"
        env:
          N: \${{ github.event.pull_request.number }}
`,
    },
    [`template-injection ${W} 15:49 critical`, `untrusted-checkout ${W} 9:15 low`],
  ],
  [
    'nested local actions: the outer action re-exports the inner action\'s head-branch output',
    {
      [A]: `name: meta
outputs:
  branch:
    value: \${{ steps.inner.outputs.branch }}
runs:
  using: composite
  steps:
    - id: inner
      uses: ./.github/actions/branch
`,
      '.github/actions/branch/action.yml': `name: branch
outputs:
  branch:
    value: \${{ steps.b.outputs.name }}
runs:
  using: composite
  steps:
    - id: b
      uses: actions/github-script@v7
      with:
        result-encoding: string
        script: |
          core.setOutput('name', context.payload.pull_request.head.ref)
`,
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        uses: ./.github/actions/meta
      - run: echo "branch \${{ steps.meta.outputs.branch }}"
`,
    },
    [`template-injection ${W} 10:27 critical`],
  ],
];

describe('prt-guard: outputs of local composite actions', () => {
  it.each(COMPOSITE)('%s', (_name, files, want) => {
    expect(scanRepo(files)).toEqual(want);
  });
});

const JOBS: Array<[string, Record<string, string>, string[]]> = [
  [
    'job a writes the PR title to a job output with github-script core.setOutput, job b runs `echo "${{ needs.a.outputs.title }}"`',
    {
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      title: \${{ steps.t.outputs.title }}
    steps:
      - id: t
        uses: actions/github-script@v7
        with:
          script: core.setOutput('title', context.payload.pull_request.title)
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.a.outputs.title }}"
`,
    },
    [`template-injection ${W} 18:20 critical`],
  ],
  [
    'needs chain a → b → c: b re-exports a\'s head branch (set from `env:` github.head_ref), c pushes to it',
    {
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      branch: \${{ steps.b.outputs.branch }}
    steps:
      - id: b
        env:
          HEAD: \${{ github.head_ref }}
        run: echo "branch=$HEAD" >> "$GITHUB_OUTPUT"
  b:
    needs: a
    runs-on: ubuntu-latest
    outputs:
      branch: \${{ needs.a.outputs.branch }}
    steps:
      - run: echo ok
  c:
    needs: b
    runs-on: ubuntu-latest
    steps:
      - run: git push origin "HEAD:refs/heads/\${{ needs.b.outputs.branch }}"
`,
    },
    [`template-injection ${W} 25:47 critical`],
  ],
  [
    'true negative: github-script outputs that are booleans or numbers computed from the title/body (startsWith, includes, test, length)',
    {
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      feat: \${{ steps.c.outputs.feat }}
    steps:
      - id: c
        uses: actions/github-script@v7
        with:
          script: |
            const pr = context.payload.pull_request
            core.setOutput('feat', pr.title.startsWith('feat'))
            core.setOutput('skip', pr.body.includes('[skip ci]'))
            core.setOutput('conventional', /^(feat|fix)(\\(.+\\))?: /.test(pr.title))
            core.setOutput('len', pr.body.length)
            core.setOutput('empty', !pr.body)
      - run: |
          if [ "\${{ steps.c.outputs.skip }}" = "true" ]; then exit 0; fi
          echo "\${{ steps.c.outputs.conventional }} \${{ steps.c.outputs.len }} \${{ steps.c.outputs.empty }}"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.a.outputs.feat }}"
`,
    },
    [],
  ],
  [
    'github-script returning the comment body (result), expanded in run: — and the same step returning a boolean is clean',
    {
      [W]: `on: issue_comment
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: cmd
        uses: actions/github-script@v7
        with:
          result-encoding: string
          script: return context.payload.comment.body.split(' ')[1]
      - id: ok
        uses: actions/github-script@v7
        with:
          result-encoding: string
          script: return context.payload.comment.body.startsWith('/deploy')
      - run: ./deploy.sh "\${{ steps.cmd.outputs.result }}" "\${{ steps.ok.outputs.result }}"
`,
    },
    [`template-injection ${W} 18:27 critical`],
  ],
  [
    'workflow_run: github-script reads the downloaded artifact with fs.readFileSync into an output, a run: pastes it (and Number(…) is clean)',
    {
      [W]: `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  comment:
    runs-on: ubuntu-latest
    steps:
      - uses: dawidd6/action-download-artifact@v6
        with:
          run_id: \${{ github.event.workflow_run.id }}
          name: pr
          path: pr
      - id: read
        uses: actions/github-script@v7
        with:
          script: |
            const fs = require('fs')
            core.setOutput('number', fs.readFileSync('pr/number', 'utf8').trim())
            core.setOutput('safe', Number(fs.readFileSync('pr/number', 'utf8')))
      - run: |
          gh pr comment \${{ steps.read.outputs.safe }} --body ok
          gh pr comment \${{ steps.read.outputs.number }} --body ok
`,
    },
    [`template-injection ${W} 25:25 critical`, `untrusted-checkout ${W} 11:15 low`],
  ],
  [
    'workflow_run: artifact content to $GITHUB_OUTPUT in job a, used through needs in job b',
    {
      [W]: `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      pr: \${{ steps.n.outputs.pr }}
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: pr
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ github.token }}
      - id: n
        run: echo "pr=$(cat NR)" >> "$GITHUB_OUTPUT"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: gh pr comment \${{ needs.a.outputs.pr }} --body done
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    [`template-injection ${W} 24:28 critical`, `untrusted-checkout ${W} 13:15 low`],
  ],
  [
    'tj-actions/branch-names under pull_request_target: current_branch is the fork\'s branch name (text); base_ref_branch is not flagged',
    {
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: branch
        uses: tj-actions/branch-names@v8
      - run: echo "\${{ steps.branch.outputs.base_ref_branch }}"
      - run: echo "\${{ steps.branch.outputs.current_branch }}"
`,
    },
    [`template-injection ${W} 11:20 critical`],
  ],
  [
    'pull_request_target: a commit message of the checked-out head (git log --format=%s) written to an output and pasted into run:',
    {
      [W]: `on: pull_request_target
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          fetch-depth: 2
      - id: msg
        run: echo "subject=$(git log -1 --format=%s)" >> "$GITHUB_OUTPUT"
      - id: sha
        run: echo "sha=$(git log -1 --format=%H)" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.sha.outputs.sha }} \${{ steps.msg.outputs.subject }}"
`,
    },
    [`template-injection ${W} 16:49 critical`, `untrusted-checkout ${W} 8:15 low`],
  ],
];

describe('prt-guard: step and job outputs (github-script, artifacts, known actions, needs)', () => {
  it.each(JOBS)('%s', (_name, files, want) => {
    expect(scanRepo(files)).toEqual(want);
  });
});

import { jsScalarOnly } from '../../../src/gates/prt-guard/js.js';

describe('jsScalarOnly: github-script values that carry no text', () => {
  it.each([
    "pr.title.startsWith('feat')", "pr.body.includes('[skip ci]')", '/^(feat|fix)(\\(.+\\))?: /.test(pr.title)', 'pr.body.length', '!pr.body',
    "Number(fs.readFileSync('pr/number', 'utf8'))", "pr.title === 'x'", "pr.body && pr.body.includes('x')", '(pr.title.match(/x/) !== null)', 'parseInt(x, 10)',
  ])('scalar: %s', (x) => expect(jsScalarOnly(x)).toBe(true));
  it.each([
    'pr.title', "context.payload.comment.body.split(' ')[1]", "pr.title || 'x'", "a ? pr.title : 'b'", "pr.body.includes('x') && pr.title",
    "fs.readFileSync('pr/number', 'utf8').trim()", "pr.title.replace(/a/g, 'b')", '`${pr.title}`', 'JSON.stringify(pr)', 'items.map((x) => x.length)',
  ])('text: %s', (x) => expect(jsScalarOnly(x)).toBe(false));
});

const R = '.github/workflows/pr-info.yml';
const PR_INFO = (line: string) => `name: pr-info
on:
  workflow_call:
    outputs:
      title:
        value: \${{ jobs.info.outputs.title }}
      number:
        value: \${{ jobs.info.outputs.number }}
jobs:
  info:
    runs-on: ubuntu-latest
    outputs:
      title: \${{ steps.i.outputs.title }}
      number: \${{ steps.i.outputs.number }}
    steps:
      - id: i
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: |
          ${line}
          echo "number=\${{ github.event.pull_request.number }}" >> "$GITHUB_OUTPUT"
`;
const CALLER = `on: pull_request_target
permissions:
  contents: read
jobs:
  info:
    uses: ./.github/workflows/pr-info.yml
  use:
    needs: info
    runs-on: ubuntu-latest
    steps:
      - run: echo "#\${{ needs.info.outputs.number }} \${{ needs.info.outputs.title }}"
`;

describe('prt-guard: outputs of local reusable workflows (needs.<call>.outputs.<o>)', () => {
  it('a reusable workflow exporting the PR title through on.workflow_call.outputs: the caller\'s run: is an injection', () => {
    expect(scanRepo({ [W]: CALLER, [R]: PR_INFO('echo "title=$TITLE" >> "$GITHUB_OUTPUT"') })).toEqual([`template-injection ${W} 11:54 critical`]);
  });
  it('true negative: the same workflow exporting only the number and a constant title', () => {
    expect(scanRepo({ [W]: CALLER, [R]: PR_INFO('echo "title=pull request" >> "$GITHUB_OUTPUT"') })).toEqual([]);
  });
});

it('a long chain of outputs built from outputs (each step reading two earlier ones and env) is followed to the end without blowing up', () => {
  let steps = `      - id: s0\n        env:\n          H: \${{ github.head_ref }}\n        run: echo "x=$H" >> "$GITHUB_OUTPUT"\n`;
  for (let i = 1; i < 60; i++) steps += `      - id: s${i}\n        env:\n          A: \${{ steps.s${i - 1}.outputs.x }}\n          B: \${{ env.A }}\n        run: |\n          echo "x=$A$B\${{ steps.s${Math.max(0, i - 2)}.outputs.x }}" >> "$GITHUB_OUTPUT"\n          echo "Y=$A" >> "$GITHUB_ENV"\n`;
  const text = `on: pull_request_target\npermissions: {}\njobs:\n  j:\n    runs-on: x\n    steps:\n${steps}      - run: echo "\${{ steps.s59.outputs.x }}"\n`;
  const last = text.split('\n').length - 1;
  // before results were memoised this took minutes (the chain fans out at every step)
  expect(scanRepo({ [W]: text }).filter((f) => f.includes(` ${last}:`))).toEqual([`template-injection ${W} ${last}:20 critical`]);
});

describe('prt-guard: a result cut short by the depth limit is not reused where the limit is not reached', () => {
  // A chain a1..a4 carries the PR title through env-passed outputs (no sink on the way). A longer chain
  // b1..bN reads a4 first, so the first question about a4 is asked deep down, where the depth limit cuts it
  // short. The later, shallow `run: echo "${{ steps.a4.outputs.v }}"` must still be an injection: a cut-short
  // "not tainted" is not an answer for a question with more depth left.
  const link = (id: string, from: string) => `      - id: ${id}\n        env:\n          V: \${{ steps.${from}.outputs.v }}\n        run: echo "v=$V" >> "$GITHUB_OUTPUT"\n`;
  it.each([0, 1, 2, 4, 8, 9, 10, 11, 12, 13, 14, 16, 20])('with %i links before the shallow question', (n) => {
    let steps = `      - id: a1\n        env:\n          T: \${{ github.event.pull_request.title }}\n        run: echo "v=$T" >> "$GITHUB_OUTPUT"\n`;
    steps += link('a2', 'a1') + link('a3', 'a2') + link('a4', 'a3');
    let prev = 'a4';
    for (let i = 1; i <= n; i++) {
      steps += link(`b${i}`, prev);
      prev = `b${i}`;
    }
    steps += `      - run: echo "\${{ steps.${prev}.outputs.v }}"\n`;
    steps += `      - run: echo "\${{ steps.a4.outputs.v }}"\n`;
    const text = `on: pull_request_target\npermissions: {}\njobs:\n  j:\n    runs-on: x\n    steps:\n${steps}`;
    const last = text.trimEnd().split('\n').length;
    expect(scanRepo({ [W]: text }).filter((f) => f.includes(` ${last}:`))).toEqual([`template-injection ${W} ${last}:20 critical`]);
  });
});
