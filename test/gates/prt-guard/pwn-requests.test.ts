// Fresh-eyes pass: workflows shaped like public pwn-request / workflow_run cases (GitHub Security Lab "Preventing
// pwn requests", advisories on workflow injection) beside the benign shapes naive tools flag (label-gated
// commenters, base-ref checkouts, labeler, greeters, workflow_run that reads only the conclusion, permissions: {}).
// Every finding (rule line:column severity) is asserted; [] is a true negative.
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel, type WorkflowModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeWorkflow, mergeDuplicateFindings } from '../../../src/gates/prt-guard/analyze.js';
import { makeLocalResolver, makeLookup } from '../../../src/gates/prt-guard/load.js';

function scan(text: string, upstream?: string): string[] {
  const files: Record<string, string> = { '.github/workflows/w.yml': text };
  if (upstream) files['.github/workflows/ci.yml'] = upstream;
  const models = Object.entries(files).map(([f, t]) => {
    const m = buildModel(f, t);
    expect(m.errors).toEqual([]);
    return Object.assign(m, { abs: `/repo/${f}` });
  }) as Array<WorkflowModel & { abs: string }>;
  const opts = { fingerprinter: new Fingerprinter(), lookup: makeLookup(models), resolveLocal: makeLocalResolver(models, '/repo'), resolveAction: makeLocalResolver(models, '/repo', 'action') };
  return mergeDuplicateFindings(analyzeWorkflow(models[0], opts)).map((f) => `${f.rule} ${f.line}:${f.column} ${f.severity}`).sort();
}

const CI_ON_PR = `name: CI
on: pull_request
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: echo
`;
const CI_ON_PUSH = `name: CI
on:
  push:
    branches: [main]
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: echo
`;

const CASES: Array<[string, string, string[], string?]> = [
  // ---- true positives
  [
    'classic pwn request: fork repository + head.ref checked out, npm install and build with a deploy secret',
    `on: pull_request_target
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          repository: \${{ github.event.pull_request.head.repo.full_name }}
          ref: \${{ github.event.pull_request.head.ref }}
      - run: npm install && npm run build
      - run: npx netlify deploy --dir=dist
        env:
          NETLIFY_AUTH_TOKEN: \${{ secrets.NETLIFY_AUTH_TOKEN }}
`,
    ['untrusted-checkout 8:15 critical'],
  ],
  [
    "label-gated 'safe to test' head checkout then make test with a secret: the label is an approval, not a barrier (decision 0850)",
    `on:
  pull_request_target:
    types: [labeled, synchronize]
permissions:
  contents: read
jobs:
  integration:
    if: contains(github.event.pull_request.labels.*.name, 'safe to test')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: make integration-test
        env:
          API_KEY: \${{ secrets.API_KEY }}
`,
    ['untrusted-checkout 11:15 critical'],
  ],
  [
    'issue_comment /benchmark: gh pr checkout then cargo bench, token with write to post results',
    `on: issue_comment
permissions:
  pull-requests: write
jobs:
  bench:
    if: github.event.issue.pull_request && startsWith(github.event.comment.body, '/benchmark')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: gh pr checkout \${{ github.event.issue.number }}
        env:
          GH_TOKEN: \${{ github.token }}
      - run: cargo bench | tee bench.txt
      - run: gh pr comment \${{ github.event.issue.number }} --body-file bench.txt
        env:
          GH_TOKEN: \${{ github.token }}
`,
    ['untrusted-checkout 10:14 critical'],
  ],
  [
    'workflow_run: the upstream PR run\'s head_branch pasted into a script',
    `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  actions: read
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - run: echo "Run for branch \${{ github.event.workflow_run.head_branch }} finished"
`,
    ['template-injection 11:35 critical'],
    CI_ON_PR,
  ],
  [
    'issues: opened, the issue title pasted into a shell test',
    `on:
  issues:
    types: [opened]
permissions:
  issues: write
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - run: |
          if echo "\${{ github.event.issue.title }}" | grep -qi bug; then
            gh issue edit \${{ github.event.issue.number }} --add-label bug
          fi
        env:
          GH_TOKEN: \${{ github.token }}
`,
    ['template-injection 11:20 critical'],
  ],
  [
    'refs/pull/N/merge checked out with `pip install -e .`, read-only token and no secret: high',
    `on: pull_request_target
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: refs/pull/\${{ github.event.number }}/merge
      - run: pip install -e . && pytest
`,
    ['untrusted-checkout 8:15 high'],
  ],
  [
    'workflow_run: head_sha checked out, ./gradlew build with a signing key',
    `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  contents: read
jobs:
  publish:
    if: github.event.workflow_run.conclusion == 'success'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.workflow_run.head_sha }}
      - run: ./gradlew build
        env:
          SIGNING_KEY: \${{ secrets.SIGNING_KEY }}
`,
    ['untrusted-checkout 12:15 critical'],
    CI_ON_PR,
  ],
  [
    'pull_request_target: the PR body written to a file with ${{ }} (a heredoc does not quote it)',
    `on: pull_request_target
permissions:
  pull-requests: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: |
          cat > body.md <<'EOF'
          \${{ github.event.pull_request.body }}
          EOF
          grep -q "Signed-off-by" body.md
`,
    ['template-injection 10:11 critical'],
  ],
  // ---- true negatives that naive tools flag
  [
    'true negative: label-gated pull_request_target that only comments through github-script',
    `on:
  pull_request_target:
    types: [labeled]
permissions:
  pull-requests: write
jobs:
  comment:
    if: github.event.label.name == 'needs-info'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            await github.rest.issues.createComment({
              ...context.repo,
              issue_number: context.issue.number,
              body: 'Please add a reproduction.',
            })
`,
    [],
  ],
  [
    'true negative: pull_request_target that checks out the base (base.sha) and runs npm ci with a secret',
    `on: pull_request_target
permissions:
  contents: read
  pull-requests: write
jobs:
  size:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.base.sha }}
      - run: npm ci && npm run size -- --pr \${{ github.event.pull_request.number }}
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
      - run: git diff --name-only "origin/\${{ github.base_ref }}" > files.txt
      - run: gh pr comment \${{ github.event.pull_request.number }} --body-file size.md
        env:
          GH_TOKEN: \${{ github.token }}
`,
    [],
  ],
  [
    'true negative: actions/labeler on pull_request_target',
    `on: pull_request_target
permissions:
  contents: read
  pull-requests: write
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/labeler@v5
        with:
          repo-token: \${{ secrets.GITHUB_TOKEN }}
`,
    [],
  ],
  [
    'true negative: first-time-contributor greeter on issues and pull_request_target',
    `on:
  issues:
    types: [opened]
  pull_request_target:
    types: [opened]
permissions:
  issues: write
  pull-requests: write
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/first-interaction@v1
        with:
          repo-token: \${{ secrets.GITHUB_TOKEN }}
          issue-message: Thanks for the report!
          pr-message: Thanks for the pull request!
`,
    [],
  ],
  [
    'true negative: workflow_run that only reads the conclusion and posts to Slack',
    `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  actions: read
jobs:
  notify:
    if: github.event.workflow_run.conclusion == 'failure'
    runs-on: ubuntu-latest
    steps:
      - run: |
          curl -sS -X POST "$SLACK_WEBHOOK" -d '{"text":"CI failed: \${{ github.event.workflow_run.html_url }} (\${{ github.event.workflow_run.conclusion }})"}'
        env:
          SLACK_WEBHOOK: \${{ secrets.SLACK_WEBHOOK }}
`,
    [],
    CI_ON_PR,
  ],
  [
    'true negative: permissions: {} pull_request_target echoing the number, the head SHA, the author login and a label test',
    `on: pull_request_target
permissions: {}
jobs:
  info:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "PR #\${{ github.event.pull_request.number }} at \${{ github.event.pull_request.head.sha }} by \${{ github.event.pull_request.user.login }}"
          echo "docs: \${{ contains(github.event.pull_request.labels.*.name, 'docs') }}"
`,
    [],
  ],
  [
    'true negative: semantic PR title check passes the title to an action input, never to a script',
    `on:
  pull_request_target:
    types: [opened, edited, synchronize]
permissions:
  pull-requests: read
jobs:
  title:
    runs-on: ubuntu-latest
    steps:
      - uses: amannn/action-semantic-pull-request@v5
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
      - uses: peter-evans/create-or-update-comment@v4
        if: failure()
        with:
          issue-number: \${{ github.event.pull_request.number }}
          body: "Title \${{ github.event.pull_request.title }} is not conventional"
`,
    [],
  ],
  [
    'true negative: Dependabot auto-merge on pull_request_target (no checkout; the URL goes through env:)',
    `on: pull_request_target
permissions:
  contents: write
  pull-requests: write
jobs:
  automerge:
    if: github.event.pull_request.user.login == 'dependabot[bot]'
    runs-on: ubuntu-latest
    steps:
      - id: meta
        uses: dependabot/fetch-metadata@v2
      - if: steps.meta.outputs.update-type == 'version-update:semver-patch'
        run: gh pr merge --auto --squash "$PR_URL"
        env:
          PR_URL: \${{ github.event.pull_request.html_url }}
          GH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`,
    [],
  ],
  [
    'true negative: issue_comment limited to issues (not PRs) reading the comment body through env:',
    `on: issue_comment
permissions:
  issues: write
jobs:
  echo:
    if: \${{ !github.event.issue.pull_request }}
    runs-on: ubuntu-latest
    steps:
      - run: printf '%s\\n' "$BODY" | head -c 200
        env:
          BODY: \${{ github.event.comment.body }}
`,
    [],
  ],
  [
    'true negative: workflow_run posts the downloaded report with a sticky comment action (data, not code): a note only',
    `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
  actions: read
jobs:
  comment:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: coverage
          path: coverage
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ github.token }}
      - uses: marocchino/sticky-pull-request-comment@v2
        with:
          number: \${{ github.event.workflow_run.pull_requests[0].number }}
          path: coverage/summary.md
`,
    ['untrusted-checkout 12:15 low'],
    CI_ON_PR,
  ],
  [
    'true negative: workflow_run after a push-only upstream: head_branch was pushed by a writer, not privileged',
    `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.workflow_run.head_sha }}
      - run: make deploy
        env:
          KEY: \${{ secrets.KEY }}
`,
    [],
    CI_ON_PUSH,
  ],
  [
    'true negative: pull_request_target, head checked out into pr/ and only diffed / linted as data by a base script',
    `on: pull_request_target
permissions:
  contents: read
  pull-requests: write
jobs:
  docs-lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          path: pr
      - run: node scripts/check-links.js pr/docs > report.md
      - run: gh pr comment \${{ github.event.pull_request.number }} --body-file report.md
        env:
          GH_TOKEN: \${{ github.token }}
`,
    ['untrusted-checkout 10:15 low'],
  ],
];

describe('prt-guard: pwn-request shapes and their benign neighbours', () => {
  it.each(CASES)('%s', (_name, text, want, upstream) => {
    expect(scan(text, upstream)).toEqual(want);
  });
});
