// Real-world shapes for prt-guard beyond a single workflow file: `bash -c` strings, local composite actions,
// artifact poisoning through github-script and $GITHUB_ENV, git clone of the fork, and guard conditions with ||.
// Each case is a small repository; every finding (rule file line:column severity) is asserted, [] is a true negative.
// Shapes follow published write-ups (GitHub Security Lab "Keeping your GitHub Actions and workflows secure",
// CodeQL's actions/untrusted-checkout, actions/artifact-poisoning and actions/envvar-injection queries) and the
// hashicorp/terraform equivalence-test action in the corpus (`git checkout -b "$NEW_BRANCH"`).
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel, type WorkflowModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeWorkflow, mergeDuplicateFindings } from '../../../src/gates/prt-guard/analyze.js';
import { makeLocalResolver, makeLookup } from '../../../src/gates/prt-guard/load.js';

/** Scan a repository given as path → text (under /repo), as runStatic does. */
function scanRepo(files: Record<string, string>): string[] {
  const models = Object.entries(files).map(([f, t]) => {
    const m = buildModel(f, t);
    expect(m.errors).toEqual([]);
    return Object.assign(m, { abs: `/repo/${f}` });
  }).filter((m) => m.kind !== 'other') as Array<WorkflowModel & { abs: string }>;
  const fp = new Fingerprinter();
  const opts = { fingerprinter: fp, lookup: makeLookup(models), resolveLocal: makeLocalResolver(models, '/repo'), resolveAction: makeLocalResolver(models, '/repo', 'action') };
  const all = models.flatMap((m) => analyzeWorkflow(m, opts));
  return mergeDuplicateFindings(all).map((f) => `${f.rule} ${f.file} ${f.line}:${f.column} ${f.severity}`).sort();
}

const CASES: Array<[string, Record<string, string>, string[]]> = [
  [
    "head checkout, then `bash -c \"npm ci && npm test\"` with a secret: the build inside the -c string executes it (was low)",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: bash -c "npm ci && npm test"
        env:
          TOKEN: \${{ secrets.TOKEN }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 8:15 critical"],
  ],
  [
    "/ok-to-test: `sh -c 'gh pr checkout N && make test'` is a checkout plus an execution (was missed)",
    {
      ".github/workflows/w.yml": `on: issue_comment
permissions:
  contents: read
jobs:
  t:
    if: github.event.issue.pull_request && contains(github.event.comment.body, '/ok-to-test')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: sh -c 'gh pr checkout \${{ github.event.issue.number }} && make test'
        env:
          GH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 10:21 critical"],
  ],
  [
    "multi-line run: with a line continuation: `git fetch origin \\\\\\n pull/${{ number }}/head:pr && git checkout pr`, then npm install",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          git fetch origin \\
            pull/\${{ github.event.pull_request.number }}/head:pr && git checkout pr
          npm install
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 10:11 critical"],
  ],
  [
    "`bash -c \"echo ${{ github.event.pull_request.title }}\"`: injection inside the -c string, at `${{`",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: bash -c "echo \${{ github.event.pull_request.title }}"
`,
    },
    ["template-injection .github/workflows/w.yml 9:28 critical"],
  ],
  [
    "local composite action whose own steps check out `inputs.ref` (the caller passes head.sha) and run npm ci: reported in action.yml (was missed)",
    {
      ".github/actions/setup/action.yml": `name: setup
inputs:
  ref:
    required: true
  token:
    required: true
runs:
  using: composite
  steps:
    - uses: actions/checkout@v4
      with:
        ref: \${{ inputs.ref }}
    - run: npm ci
      shell: bash
`,
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/setup
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          token: \${{ secrets.TOKEN }}
`,
    },
    ["untrusted-checkout .github/actions/setup/action.yml 10:13 critical"],
  ],
  [
    "local composite action expanding `${{ inputs.title }}` into run:, the caller passes the PR title: reported in action.yml (was missed)",
    {
      ".github/actions/greet/action.yml": `name: greet
inputs:
  title:
    required: true
runs:
  using: composite
  steps:
    - run: echo "Title is \${{ inputs.title }}"
      shell: bash
`,
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/greet
        with:
          title: \${{ github.event.pull_request.title }}
`,
    },
    ["template-injection .github/actions/greet/action.yml 8:27 critical"],
  ],
  [
    "workflow_run: actions/download-artifact, `echo \"PR_NUMBER=$(cat pr_number)\" >> $GITHUB_ENV`, then `${{ env.PR_NUMBER }}` in run: (was a low note)",
    {
      ".github/workflows/ci.yml": `name: CI
on: pull_request
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.event.number }} > pr_number
`,
      ".github/workflows/w.yml": `name: Comment
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: pr
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
      - run: echo "PR_NUMBER=$(cat pr_number)" >> $GITHUB_ENV
      - run: gh pr comment \${{ env.PR_NUMBER }} --body "thanks"
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    ["template-injection .github/workflows/w.yml 18:28 critical","untrusted-checkout .github/workflows/w.yml 12:15 critical"],
  ],
  [
    "workflow_run: github-script downloadArtifact of the triggering run, unzip, then ./build.sh (GitHub Security Lab shape; was missed)",
    {
      ".github/workflows/ci.yml": `name: CI
on: pull_request
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.event.number }} > pr_number
`,
      ".github/workflows/w.yml": `name: Comment
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            const artifacts = await github.rest.actions.listWorkflowRunArtifacts({owner: context.repo.owner, repo: context.repo.repo, run_id: \${{ github.event.workflow_run.id }}});
            const m = artifacts.data.artifacts.filter(a => a.name == "pr")[0];
            const d = await github.rest.actions.downloadArtifact({owner: context.repo.owner, repo: context.repo.repo, artifact_id: m.id, archive_format: 'zip'});
            require('fs').writeFileSync('\${{ github.workspace }}/pr.zip', Buffer.from(d.data));
      - run: unzip pr.zip
      - run: |
          ./build.sh
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 12:15 critical"],
  ],
  [
    "same-repository guard (head.repo.full_name == github.repository): not reachable by a fork",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci
        env:
          T: \${{ secrets.T }}
`,
    },
    [],
  ],
  [
    "PR checked out into pr/, base into base/, `node scripts/check.js ../pr` (a base script given the PR dir as data): low (was critical)",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          repository: \${{ github.event.pull_request.head.repo.full_name }}
          ref: \${{ github.event.pull_request.head.ref }}
          path: pr
      - uses: actions/checkout@v4
        with:
          path: base
      - run: |
          cd base
          npm ci
          node scripts/check.js ../pr
`,
    },
    ["privileged-permissions .github/workflows/w.yml 3:3 medium","untrusted-checkout .github/workflows/w.yml 8:15 low"],
  ],
  [
    "artifact content sanitised with `tr -cd 0-9` before $GITHUB_ENV: only the low download note",
    {
      ".github/workflows/ci.yml": `name: CI
on: pull_request
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
`,
      ".github/workflows/w.yml": `name: Comment
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: pr
          path: pr
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ github.token }}
      - run: echo "PR_NUMBER=$(cat pr/NR | tr -cd '0-9')" >> $GITHUB_ENV
      - run: gh pr comment "$PR_NUMBER" --body-file pr/report.md
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 12:15 low"],
  ],
  [
    "a $GITHUB_ENV write from the base package.json while the artifact is in artifacts/: not artifact content",
    {
      ".github/workflows/ci.yml": `name: CI
on: pull_request
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
`,
      ".github/workflows/w.yml": `name: Comment
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/download-artifact@v4
        with:
          name: pr
          path: artifacts
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ github.token }}
      - run: echo "VERSION=$(cat package.json | jq -r .version)" >> $GITHUB_ENV
      - run: gh pr comment "$(cat artifacts/NR)" --body "v\${{ env.VERSION }}"
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 13:15 low"],
  ],
  [
    "plain pull_request passing github.head_ref into a local composite action that expands it in run: high (was missed)",
    {
      ".github/actions/greet/action.yml": `name: greet
inputs:
  title:
    required: true
runs:
  using: composite
  steps:
    - run: echo "Title is \${{ inputs.title }}"
      shell: bash
`,
      ".github/workflows/w.yml": `on: pull_request
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/greet
        with:
          title: \${{ github.head_ref }}
`,
    },
    ["template-injection .github/actions/greet/action.yml 8:27 high"],
  ],
  [
    "local composite action: same-repository guarded job, and a job passing base.sha: nothing",
    {
      ".github/actions/build/action.yml": `name: setup
inputs:
  ref:
    required: true
  token:
    required: true
runs:
  using: composite
  steps:
    - uses: actions/checkout@v4
      with:
        ref: \${{ inputs.ref }}
    - run: npm ci
      shell: bash
`,
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/build
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          token: \${{ secrets.TOKEN }}
  u:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/build
        with:
          ref: \${{ github.event.pull_request.base.sha }}
          token: \${{ secrets.TOKEN }}
`,
    },
    [],
  ],
  [
    "`bash -c \"./scripts/label.sh ${{ github.event.pull_request.number }}\"` on the base: a number, nothing",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: bash -c "./scripts/label.sh \${{ github.event.pull_request.number }}"
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    [],
  ],
  [
    "/ok-to-test with gh pr checkout then npm ci, no permissions block: critical + permissions",
    {
      ".github/workflows/w.yml": `on:
  issue_comment:
    types: [created]
jobs:
  test:
    if: github.event.issue.pull_request && startsWith(github.event.comment.body, '/ok-to-test')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: gh pr checkout \${{ github.event.issue.number }}
        env:
          GH_TOKEN: \${{ github.token }}
      - run: npm ci && npm test
`,
    },
    ["privileged-permissions .github/workflows/w.yml 5:3 medium","untrusted-checkout .github/workflows/w.yml 10:14 critical"],
  ],
  [
    "`git checkout -b \"backport/${{ number }}\"` / `git switch -c \"bp-$HEAD_REF\"` (HEAD_REF = head.ref) create branches at HEAD: not a fetch (was low)",
    {
      ".github/workflows/w.yml": `on:
  pull_request_target:
    types: [closed]
permissions:
  contents: write
jobs:
  t:
    if: github.event.pull_request.merged
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          git checkout -b "backport/\${{ github.event.pull_request.number }}"
          git switch -c "bp-$HEAD_REF"
          make backport
          git push origin HEAD
        env:
          HEAD_REF: \${{ github.event.pull_request.head.ref }}
`,
    },
    [],
  ],
  [
    "workflow_run: `gh run download`, then `echo \"PR_NUMBER=$(cat NR)\" >> \"$GITHUB_ENV\"` (environment injection): critical (was low)",
    {
      ".github/workflows/ci.yml": `name: CI
on: pull_request
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
`,
      ".github/workflows/w.yml": `name: Comment
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - run: gh run download \${{ github.event.workflow_run.id }} -n pr
        env:
          GH_TOKEN: \${{ github.token }}
      - run: |
          echo "PR_NUMBER=$(cat NR)" >> "$GITHUB_ENV"
      - run: gh pr comment "$PR_NUMBER" --body ok
        env:
          GH_TOKEN: \${{ github.token }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 12:14 critical"],
  ],
  [
    "`python base/scripts/lint.py pr/` is data (low); `python -m pytest pr/tests` loads the PR code (high)",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          path: base
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          path: pr
      - run: python base/scripts/lint.py pr/
        env:
          T: \${{ secrets.T }}
  u:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          path: pr
      - run: python -m pytest pr/tests
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 11:15 low","untrusted-checkout .github/workflows/w.yml 21:15 high"],
  ],
  [
    "head checkout into pr/, then `cd pr && npm ci`: critical",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          path: pr
      - run: cd pr && npm ci
        env:
          T: \${{ secrets.T }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 8:15 critical"],
  ],
  [
    "`github.event_name == 'push' || head.repo.full_name == github.repository` guards pull_request_target (was critical)",
    {
      ".github/workflows/w.yml": `on:
  push:
  pull_request_target:
permissions:
  contents: read
jobs:
  t:
    if: github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha || github.sha }}
      - run: npm ci && npm run deploy
        env:
          T: \${{ secrets.T }}
`,
    },
    [],
  ],
  [
    "fork-only pull_request_target operand in an || condition stays flagged",
    {
      ".github/workflows/w.yml": `on:
  pull_request:
  pull_request_target:
permissions:
  contents: read
jobs:
  t:
    if: (github.event_name == 'pull_request_target' && github.event.pull_request.head.repo.full_name != github.repository) || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository)
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
        env:
          T: \${{ secrets.T }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 11:15 critical"],
  ],
  [
    "a literal head repository (`head.repo.full_name == 'acme/widgets'`) guards; `github.repository_owner == 'acme'` does not",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    if: github.event.pull_request.head.repo.full_name == 'acme/widgets'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: make test
        env:
          T: \${{ secrets.T }}
  u:
    if: github.repository_owner == 'acme'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: make test
        env:
          T: \${{ secrets.T }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 19:15 critical"],
  ],
  [
    "`git clone -b \"$HEAD_REF\" \"https://github.com/$HEAD_REPO.git\" pr-src && cd pr-src && make test` (was missed)",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: |
          git clone --depth 1 -b "$HEAD_REF" "https://github.com/$HEAD_REPO.git" pr-src
          cd pr-src
          make test
        env:
          HEAD_REF: \${{ github.event.pull_request.head.ref }}
          HEAD_REPO: \${{ github.event.pull_request.head.repo.full_name }}
          T: \${{ secrets.T }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 9:11 critical"],
  ],
  [
    "`git clone <fork> pr` then a base script `./tools/check.sh pr`: low; a clone of a fixed repository is not flagged",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          git clone https://github.com/acme/tools.git tools
          git clone \${{ github.event.pull_request.head.repo.clone_url }} pr
          ./tools/check.sh pr
        env:
          T: \${{ secrets.T }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 11:11 low"],
  ],
  [
    "hashicorp/terraform equivalence-test (corpus excerpt): a composite action's `git checkout -b \"$NEW_BRANCH\"` names a new branch after the merged PR: not a fetch",
    {
      ".github/actions/equivalence-test/action.yml": `# excerpt of hashicorp/terraform .github/actions/equivalence-test/action.yml (corpus), trimmed
name: equivalence-test
inputs:
  current-branch:
    required: true
  new-branch:
    required: true
  github-token:
    required: true
runs:
  using: "composite"
  steps:
    - name: "branch, commit, and push changes"
      shell: bash
      env:
        NEW_BRANCH: \${{ inputs.new-branch }}
      run: |
        git checkout -b "$NEW_BRANCH"
        git add testing/equivalence-tests/outputs
        git commit -m "Update equivalence test golden files."
        git push --set-upstream origin "$NEW_BRANCH"
    - name: "create pull request"
      shell: bash
      env:
        GH_TOKEN: \${{ inputs.github-token }}
        CURRENT_BRANCH: \${{ inputs.current-branch }}
        NEW_BRANCH: \${{ inputs.new-branch }}
      run: gh pr create --draft --base "$CURRENT_BRANCH" --head "$NEW_BRANCH"
`,
      ".github/workflows/equivalence-test-update.yml": `# excerpt of hashicorp/terraform .github/workflows/equivalence-test-update.yml (corpus), trimmed
name: equivalence-test-update
on:
  pull_request_target:
    types: [ closed ]
permissions:
  contents: write
  pull-requests: write
jobs:
  run-equivalence-tests:
    if: github.event.pull_request.merged
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - uses: ./.github/actions/equivalence-test
        with:
          current-branch: \${{ github.event.pull_request.base.ref }}
          new-branch: equivalence-testing/\${{ github.event.pull_request.head.ref }}
          github-token: \${{ github.token }}
`,
    },
    [],
  ],
  [
    "svelte autofix shape: `repo == x && (event_name == 'workflow_dispatch' || (comment …))` is not narrowed to workflow_dispatch: still critical",
    {
      ".github/workflows/w.yml": `# shape of sveltejs/svelte autofix.yml (corpus): \`&&\` over a parenthesised \`||\` is not narrowed to workflow_dispatch
on:
  issue_comment:
    types: [created]
  workflow_dispatch:
permissions: {}
jobs:
  autofix:
    permissions:
      contents: write
    if: |
      github.repository == 'acme/app' &&
      (
        github.event_name == 'workflow_dispatch' ||
        (github.event.issue.pull_request != null && github.event.comment.body == '/autofix')
      )
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: gh pr checkout \${{ github.event.issue.number }}
        env:
          GH_TOKEN: \${{ github.token }}
      - run: pnpm install --frozen-lockfile && pnpm lint --fix && git push
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 20:14 critical"],
  ],
  [
    "`github.event.pull_request.user.login == 'dependabot[bot]'`: Dependabot PRs come from base-repository branches: no untrusted checkout and no permissions finding (was critical + medium)",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: write
jobs:
  changeset:
    if: github.event.pull_request.user.login == 'dependabot[bot]'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.head_ref }}
          token: \${{ secrets.BOT_TOKEN }}
      - run: npm ci && node tools/changeset.js
`,
    },
    [],
  ],
  [
    "`github.actor == 'dependabot[bot]'` is not a guard (the actor can be Dependabot on a fork's PR): still critical",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    if: github.actor == 'dependabot[bot]'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci
        env:
          T: \${{ secrets.T }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 9:15 critical"],
  ],
  [
    "closed + `if: merged == true`: the merge_commit_sha is merged code (not flagged, was critical); the fork branch by name (mutable after the merge) and `merged == false` stay critical",
    {
      ".github/workflows/w.yml": `on:
  pull_request_target:
    types: [closed]
permissions:
  contents: write
jobs:
  release:
    if: github.event.pull_request.merged == true
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.merge_commit_sha }}
      - run: npm ci && npm run release && git push --tags
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
  branch:
    if: github.event.pull_request.merged
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          repository: \${{ github.event.pull_request.head.repo.full_name }}
          ref: \${{ github.event.pull_request.head.ref }}
      - run: npm ci
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
  unmerged:
    if: github.event.pull_request.merged == false
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 21:15 critical","untrusted-checkout .github/workflows/w.yml 32:15 critical"],
  ],
  [
    "`pnpm/action-setup` without `run_install` installs pnpm only (low, was critical); with `run_install: true` it installs the checkout's dependencies (critical)",
    {
      ".github/workflows/w.yml": `on: pull_request_target
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - uses: pnpm/action-setup@v4
        with:
          version: 9
      - run: git diff --stat HEAD~1
        env:
          T: \${{ secrets.T }}
  install:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - uses: pnpm/action-setup@v4
        with:
          run_install: true
        env:
          T: \${{ secrets.T }}
`,
    },
    ["untrusted-checkout .github/workflows/w.yml 8:15 low","untrusted-checkout .github/workflows/w.yml 20:15 critical"],
  ],
];

describe('prt-guard real-world shapes', () => {
  it.each(CASES)('%s', (_name, files, want) => {
    expect(scanRepo(files)).toEqual([...want].sort());
  });
});
