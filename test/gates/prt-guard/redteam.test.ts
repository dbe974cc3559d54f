// Red-team cases for prt-guard: attack and benign shapes from published incidents and advisories (GitHub Security
// Lab "pwn request" write-ups, ultralytics 2024, artifact poisoning, /ok-to-test bots) and common real workflows.
// Each case asserts every finding (rule line:column severity); an empty list is a true negative.
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeWorkflow } from '../../../src/gates/prt-guard/analyze.js';
import { makeLookup } from '../../../src/gates/prt-guard/load.js';

function scan(text: string): string[] {
  const m = buildModel('.github/workflows/w.yml', text);
  expect(m.errors).toEqual([]);
  return analyzeWorkflow(m, { fingerprinter: new Fingerprinter(), lookup: makeLookup([m]) }).map((f) => `${f.rule} ${f.line}:${f.column} ${f.severity}`);
}

const CASES: Array<[string, string, string[]]> = [
  [
    "ultralytics (Dec 2024): pull_request_target, head repo + github.head_ref checkout, `git pull origin ${{ github.head_ref }}` in run",
    `name: Ultralytics Actions
on:
  pull_request_target:
    branches: [main]
jobs:
  format:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          repository: \${{ github.event.pull_request.head.repo.full_name }}
          ref: \${{ github.head_ref }}
          token: \${{ secrets.PERSONAL_ACCESS_TOKEN }}
      - name: Commit
        run: |
          git pull origin \${{ github.head_ref || github.ref }}
          git push
`,
    ["template-injection 16:27 critical", "untrusted-checkout 9:15 low", "untrusted-checkout 16:11 low", "privileged-permissions 6:3 medium"],
  ],
  [
    "artifact poisoning: workflow_run + dawidd6/action-download-artifact, then a script from the artifact",
    `on:
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
          workflow: ci.yml
          run_id: \${{ github.event.workflow_run.id }}
          name: pr
      - run: |
          unzip pr.zip
          bash ./build/post.sh
`,
    ["untrusted-checkout 11:15 critical", "privileged-permissions 6:3 medium"],
  ],
  [
    "artifact poisoning: actions/download-artifact with run-id of the triggering run, then npm ci with a deploy secret",
    `on:
  workflow_run:
    workflows: ["Build"]
    types: [completed]
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      deployments: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: site
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
      - run: npm ci && npm run deploy
        env:
          NETLIFY_TOKEN: \${{ secrets.NETLIFY_TOKEN }}
`,
    ["untrusted-checkout 12:15 critical"],
  ],
  [
    "/ok-to-test bot: issue_comment + gh pr checkout, then make test with a secret",
    `on:
  issue_comment:
    types: [created]
permissions:
  contents: read
jobs:
  test:
    if: github.event.issue.pull_request && contains(github.event.comment.body, '/ok-to-test')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: gh pr checkout \${{ github.event.issue.number }}
        env:
          GH_TOKEN: \${{ github.token }}
      - run: make test
        env:
          API_KEY: \${{ secrets.API_KEY }}
`,
    ["untrusted-checkout 12:14 critical"],
  ],
  [
    "issue_comment + git fetch origin pull/N/head + checkout, then ./gradlew (read-only token, no secrets: high)",
    `on:
  issue_comment:
    types: [created]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          git fetch origin pull/\${{ github.event.issue.number }}/head:pr-branch
          git checkout pr-branch
      - run: ./gradlew build
`,
    ["untrusted-checkout 12:11 high"],
  ],
  [
    "github-script: context.payload.pull_request.head.ref through an alias into exec.exec, and the title into bash -c",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            const ref = context.payload.pull_request.head.ref
            await exec.exec(\`git checkout \${ref}\`)
            await exec.exec(\`bash -c "echo \${context.payload.pull_request.title}"\`)
`,
    ["template-injection 12:45 critical", "template-injection 13:46 critical"],
  ],
  [
    "a local composite action `uses: ./.github/actions/setup` after the head checkout",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - uses: ./.github/actions/setup
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `./configure`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: ./configure
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `./gradlew check`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: ./gradlew check
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `ant`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: ant
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `bats test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: bats test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `bazel test //...`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: bazel test //...
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `bun install`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: bun install
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `bundle exec rake`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: bundle exec rake
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `cargo test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: cargo test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `cat README.md`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: cat README.md
`,
    ["untrusted-checkout 8:15 low"],
  ],
  [
    "head checkout then `chmod +x gradlew && ./gradlew build`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: chmod +x gradlew && ./gradlew build
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `corepack pnpm install`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: corepack pnpm install
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `coverage run -m pytest`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: coverage run -m pytest
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `dart test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: dart test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `deno task test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: deno task test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `docker build .`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: docker build .
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `earthly +test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: earthly +test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `flutter test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: flutter test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `git diff --name-only HEAD~1`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: git diff --name-only HEAD~1
`,
    ["untrusted-checkout 8:15 low"],
  ],
  [
    "head checkout then `go generate ./...`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: go generate ./...
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `hatch run test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: hatch run test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `just test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: just test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `make`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: make
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `mix test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: mix test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `mvn -B verify`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: mvn -B verify
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `node scripts/x.js`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: node scripts/x.js
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `nox -s tests`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: nox -s tests
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `npm ci --ignore-scripts`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci --ignore-scripts
`,
    ["untrusted-checkout 8:15 low"],
  ],
  [
    "head checkout then `npm run build`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm run build
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `npm test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `npx ./scripts/x.js`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npx ./scripts/x.js
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `pdm install`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: pdm install
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `php artisan test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: php artisan test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `pip install -e .`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: pip install -e .
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `pip install -r requirements.txt`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: pip install -r requirements.txt
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `pnpm install`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: pnpm install
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `poetry install`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: poetry install
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `poetry run pytest`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: poetry run pytest
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `pre-commit run --all-files`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: pre-commit run --all-files
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `pwsh ./build.ps1`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: pwsh ./build.ps1
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `python3 -m pytest`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: python3 -m pytest
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `python setup.py build`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: python setup.py build
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `rake`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: rake
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `ruby test.rb`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: ruby test.rb
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `sbt test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: sbt test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `sh ./script.sh`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: sh ./script.sh
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `source ./env.sh`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: source ./env.sh
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `swift build`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: swift build
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `task build`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: task build
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `tox -e py311`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: tox -e py311
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `uv run pytest`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: uv run pytest
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `xcodebuild test`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: xcodebuild test
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `yarn`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: yarn
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `yarn install --frozen-lockfile`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: yarn install --frozen-lockfile
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "head checkout then `yarn lint`",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: yarn lint
`,
    ["untrusted-checkout 8:15 high"],
  ],
  [
    "label-gated (`safe to test`) is still flagged: a label is a human approval, not a barrier (decision 0850)",
    `on:
  pull_request_target:
    types: [labeled]
permissions:
  contents: read
jobs:
  test:
    if: contains(github.event.pull_request.labels.*.name, 'safe to test')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
        env:
          TOKEN: \${{ secrets.TOKEN }}
`,
    ["untrusted-checkout 11:15 critical"],
  ],
  [
    "permissions: {} and no secrets: executed head code is high, not critical, and no permissions finding",
    `on: pull_request_target
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: npm ci
`,
    ["untrusted-checkout 7:15 high"],
  ],
  [
    "same-repository guard (head.repo.full_name == github.repository)",
    `on: pull_request_target
permissions:
  contents: write
jobs:
  test:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.ref }}
      - run: npm ci && npm run fix && git push
`,
    [],
  ],
  [
    "head.sha only in gh api / curl URL strings",
    `on: pull_request_target
permissions:
  statuses: write
jobs:
  s:
    runs-on: ubuntu-latest
    steps:
      - run: |
          gh api repos/\${{ github.repository }}/statuses/\${{ github.event.pull_request.head.sha }} -f state=success
          curl -s https://api.github.com/repos/\${{ github.repository }}/commits/\${{ github.event.pull_request.head.sha }}/check-runs
        env:
          GH_TOKEN: \${{ github.token }}
`,
    [],
  ],
  [
    "toJSON(github.event) through env:, attacker text in with: of a non-script action, numbers/ids/logins in run:",
    `on: issue_comment
permissions:
  contents: read
jobs:
  s:
    runs-on: ubuntu-latest
    steps:
      - run: echo "$EVENT" > event.json
        env:
          EVENT: \${{ toJSON(github.event) }}
      - uses: some/action@v1
        with:
          body: \${{ github.event.comment.body }}
          title: \${{ github.event.issue.title }}
      - run: echo "\${{ github.event.issue.number }} \${{ github.event.comment.id }} \${{ github.event.issue.user.login }}"
`,
    [],
  ],
  [
    "toJSON(github.event) expanded into a run: script is injection (a ' in any field ends the quoting)",
    `on: issue_comment
permissions:
  contents: read
jobs:
  s:
    runs-on: ubuntu-latest
    steps:
      - run: echo '\${{ toJSON(github.event) }}' > event.json
`,
    ["template-injection 8:20 critical"],
  ],
  [
    "github-script: ${{ toJSON(comment.body) }} as a JS value (outside quotes) and context.payload read as data",
    `on: issue_comment
permissions:
  contents: read
jobs:
  s:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            const body = \${{ toJSON(github.event.comment.body) }}
            const t = context.payload.issue.title
            console.log(t, body)
`,
    [],
  ],
  [
    "pull_request_target with a base checkout running base scripts",
    `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/labeler@v5
      - run: npm ci && node scripts/triage.js
        env:
          GH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`,
    [],
  ],
  [
    "plain pull_request (unprivileged) with a head checkout and npm test",
    `on: pull_request
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
      - run: echo "$TITLE"
        env:
          TITLE: \${{ github.event.pull_request.title }}
`,
    [],
  ],
  [
    "`!github.event.pull_request.head.repo.fork` guard",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    if: \${{ !github.event.pull_request.head.repo.fork }}
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci
`,
    [],
  ],
  [
    "job narrowed to github.event_name == 'pull_request'",
    `on:
  pull_request:
  pull_request_target:
  push:
permissions:
  contents: read
jobs:
  t:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci
`,
    [],
  ],
  [
    "gh pr view / diff / comment are not checkouts",
    `on: issue_comment
permissions:
  pull-requests: write
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          gh pr view \${{ github.event.issue.number }} --json files
          gh pr diff \${{ github.event.issue.number }} > pr.diff
          gh pr comment \${{ github.event.issue.number }} --body "thanks"
          python scripts/analyze.py pr.diff
`,
    [],
  ],
  [
    "git fetch of pull/N/head only diffed: a low note (the base script reads a file list); unused pull-requests: write",
    `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - run: |
          git fetch origin pull/\${{ github.event.pull_request.number }}/head:pr
          git diff --name-only origin/\${{ github.base_ref }}...pr > changed.txt
          python scripts/check_changed.py changed.txt
`,
    ["untrusted-checkout 12:11 low", "privileged-permissions 3:3 medium"],
  ],
  [
    "a PR-number artifact only read with cat: low",
    `on:
  workflow_run:
    workflows: [Tests]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: pr-number
          path: pr/
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ github.token }}
      - run: gh pr comment "$(cat pr/NR)" --body "done"
        env:
          GH_TOKEN: \${{ github.token }}
`,
    ["untrusted-checkout 11:15 low"],
  ],
  [
    "actions/checkout v7 without the opt-out under pull_request_target: low",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci
`,
    ["untrusted-checkout 8:15 low"],
  ],
  [
    "env indirection read as $BRANCH is safe; the same env expanded with ${{ env.BRANCH }} is injection",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    env:
      BRANCH: \${{ github.head_ref }}
    steps:
      - run: echo "branch is $BRANCH"
      - run: echo "\${{ env.BRANCH }}"
`,
    ["template-injection 11:20 critical"],
  ],
  [
    "author_association gate on a comment trigger is not modelled (TOCTOU: the head can change after the comment)",
    `on:
  issue_comment:
    types: [created]
permissions:
  contents: read
jobs:
  t:
    if: github.event.issue.pull_request && github.event.comment.author_association == 'MEMBER'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: refs/pull/\${{ github.event.issue.number }}/head
      - run: make test
`,
    ["untrusted-checkout 11:15 high"],
  ],
  [
    "workflow_run job narrowed to github.event.workflow_run.event == 'push'",
    `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  contents: read
jobs:
  t:
    if: github.event.workflow_run.event == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.workflow_run.head_sha }}
      - run: make release
        env:
          K: \${{ secrets.K }}
`,
    [],
  ],
  [
    "repository names and logins (restricted character sets) in run:",
    `on: pull_request_target
permissions:
  contents: read
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.pull_request.head.repo.full_name }} \${{ github.event.pull_request.user.login }} \${{ github.actor }}"
`,
    [],
  ],
];

describe('prt-guard red team', () => {
  it.each(CASES)('%s', (_name, text, want) => {
    expect(scan(text)).toEqual(want);
  });
});
