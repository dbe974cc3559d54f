// Outputs of well-known third-party actions that carry attacker-chosen text (decision 0901): changed-file lists
// (file names are the pull request author's choice), comment bodies, regex matches of comment text, REST
// responses. Every case asserts the exact findings (rule file line:column severity); [] is a true negative beside
// its true positive: the same shape under plain `pull_request`, env indirection, counts and booleans, safe formats.
import { describe, expect, it } from 'vitest';
import { evalSinks } from '../../../src/gates/prt-guard/analyze.js';
import { repoFindings } from './helpers.js';
import { regexMatchesSafeText } from '../../../src/gates/prt-guard/taint.js';

const W = '.github/workflows/w.yml';
/** a dorny/paths-filter step (id `filter`, one filter `src`) listing files in the given format; 7 lines */
const PF = (format: string) => `      - id: filter\n        uses: dorny/paths-filter@v3\n        with:\n          list-files: ${format}\n          filters: |\n            src:\n              - 'src/**'\n`;

const scan = repoFindings;
const lines = (files: Record<string, string>) => scan(files).filter((f) => f.rule !== 'privileged-permissions').map((f) => `${f.rule} ${f.file} ${f.line}:${f.column} ${f.severity}`).sort();

/** A workflow with one job: `on`, then steps (indented 6). privileged-permissions findings are left out (not this test's subject). */
function wf(on: string, steps: string, extra = ''): Record<string, string> {
  return { [W]: `on: ${on}\npermissions:\n  pull-requests: write\njobs:\n  j:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}` };
}

const CHANGED = `      - id: changed
        uses: tj-actions/changed-files@9426d40962ed5378910ee2e21d5f8c6fcbf2dd96 # v47.0.6
`;
const FOR_RUN = `      - run: |
          for f in \${{ steps.changed.outputs.all_changed_files }}; do echo "$f"; done
`;

const CASES: Array<[string, Record<string, string>, string[]]> = [
  // ---- tj-actions/changed-files
  ['changed-files list pasted into run: under pull_request_target', wf('pull_request_target', CHANGED + FOR_RUN), [`template-injection ${W} 11:20 critical`]],
  ['same under plain pull_request: not a prt-guard matter', wf('pull_request', CHANGED + FOR_RUN), []],
  ['action name in another case, tag ref', wf('pull_request_target', CHANGED.replace('tj-actions/changed-files@9426d40962ed5378910ee2e21d5f8c6fcbf2dd96 # v47.0.6', 'TJ-Actions/Changed-Files@v46') + FOR_RUN), [`template-injection ${W} 11:20 critical`]],
  ['StepSecurity drop-in fork', wf('pull_request_target', CHANGED.replace('tj-actions', 'step-security') + FOR_RUN), [`template-injection ${W} 11:20 critical`]],
  ['files_yaml-prefixed list (`docs_added_files`)', wf('pull_request_target', CHANGED + `      - run: echo \${{ steps.changed.outputs.docs_added_files }}\n`), [`template-injection ${W} 10:19 critical`]],
  ['env indirection, unquoted for loop: word splitting is not code', wf('pull_request_target', CHANGED + `      - env:
          FILES: \${{ steps.changed.outputs.all_changed_files }}
        run: for f in $FILES; do echo "$f"; done
`), []],
  ['env indirection then eval "$FILES": parsed again as code', wf('pull_request_target', CHANGED + `      - env:
          FILES: \${{ steps.changed.outputs.all_changed_files }}
        run: eval "echo $FILES"
`), [`template-injection ${W} 12:25 critical`]],
  ['env indirection then bash -c "$FILES"', wf('pull_request_target', CHANGED + `      - env:
          FILES: \${{ steps.changed.outputs.all_changed_files }}
        run: bash -c "ls $FILES"
`), [`template-injection ${W} 12:26 critical`]],
  ["env indirection then bash -c 'ls $FILES' (the inner shell expands it as data)", wf('pull_request_target', CHANGED + `      - env:
          FILES: \${{ steps.changed.outputs.all_changed_files }}
        run: bash -c 'ls $FILES'
`), []],
  ['counts and booleans: any_changed, all_changed_files_count, only_changed, changed_keys', wf('pull_request_target', CHANGED + `      - if: steps.changed.outputs.any_changed == 'true'
        run: |
          echo \${{ steps.changed.outputs.all_changed_files_count }} \${{ steps.changed.outputs.only_changed }}
          echo \${{ steps.changed.outputs.any_modified }} \${{ steps.changed.outputs.changed_keys }}
`), []],
  ['deleted_files are the base branch\'s names', wf('pull_request_target', CHANGED + `      - run: git rm \${{ steps.changed.outputs.deleted_files }}\n`), []],
  ['expression that only compares the list', wf('pull_request_target', CHANGED + `      - run: echo \${{ contains(steps.changed.outputs.all_changed_files, 'package.json') }}\n`), []],
  ['passed to another action\'s with: (not a script)', wf('pull_request_target', CHANGED + `      - uses: some/linter@v1
        with:
          files: \${{ steps.changed.outputs.all_changed_files }}
`), []],
  ['into github-script as a string', wf('pull_request_target', CHANGED + `      - uses: actions/github-script@v7
        with:
          script: |
            const files = "\${{ steps.changed.outputs.all_changed_files }}".split(' ')
`), [`template-injection ${W} 13:28 critical`]],
  ['json: true list written as a JavaScript value is data', wf('pull_request_target', `      - id: changed
        uses: tj-actions/changed-files@v46
        with:
          json: true
      - uses: actions/github-script@v7
        with:
          script: |
            const files = \${{ steps.changed.outputs.all_changed_files }}
`), []],
  ['workflow_run with a base checkout: the list is the base\'s', {
    '.github/workflows/ci.yml': 'name: CI\non: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
    ...wf('\n  workflow_run:\n    workflows: [CI]\n    types: [completed]', `      - uses: actions/checkout@v4\n${CHANGED}${FOR_RUN}`),
  }, []],
  ['workflow_run after a checkout of the triggering head: the list is the PR\'s', {
    '.github/workflows/ci.yml': 'name: CI\non: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
    ...wf('\n  workflow_run:\n    workflows: [CI]\n    types: [completed]', `      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.workflow_run.head_sha }}
          persist-credentials: false
${CHANGED}${FOR_RUN}`),
  }, [`template-injection ${W} 18:20 critical`, `untrusted-checkout ${W} 11:15 low`]],
  ['issue_comment with sha: from the PR head', wf('issue_comment', `      - id: changed
        uses: tj-actions/changed-files@v46
        with:
          sha: \${{ steps.pr.outputs.head_sha }}
${FOR_RUN}`.replace('      - id: changed', `      - id: pr
        uses: xt0rted/pull-request-comment-branch@v2
      - id: changed`)), [`template-injection ${W} 15:20 critical`]],
  ['issue_comment with no PR ref: diffs the default branch', wf('issue_comment', CHANGED + FOR_RUN), []],
  ['same-repository guard: the author already has write access', wf('pull_request_target', CHANGED + FOR_RUN, '    if: github.event.pull_request.head.repo.full_name == github.repository\n'), []],
  ['re-written to $GITHUB_OUTPUT by a script, then used: still tainted (the echo is flagged too)', wf('pull_request_target', `${CHANGED}      - id: r
        env:
          F: \${{ steps.changed.outputs.added_files }}
        run: echo "list=$F" >> "$GITHUB_OUTPUT"
      - run: echo \${{ steps.r.outputs.list }}
`), [`template-injection ${W} 14:19 critical`]],
  // ---- dorny/paths-filter
  ['paths-filter list-files: shell, expansion unquoted in bash: each name quoted, inert', wf('pull_request_target', `${PF('shell')}      - run: npx prettier --check \${{ steps.filter.outputs.src_files }}
`), []],
  ['paths-filter list-files: shell inside double quotes: the quotes are literal there', wf('pull_request_target', `${PF('shell')}      - run: |
          echo "changed: \${{ steps.filter.outputs.src_files }}"
`), [`template-injection ${W} 16:26 critical`]],
  ['paths-filter list-files: shell under pwsh', wf('pull_request_target', `${PF('shell')}      - shell: pwsh
        run: Write-Output \${{ steps.filter.outputs.src_files }}
`), [`template-injection ${W} 16:27 critical`]],
  ['paths-filter list-files: escape in double quotes under bash: every unsafe character escaped', wf('pull_request_target', `${PF('escape')}      - run: echo "\${{ steps.filter.outputs.src_files }}"
`), []],
  ['paths-filter list-files: csv (double quotes only around unsafe names)', wf('pull_request_target', `${PF('csv')}      - run: echo \${{ steps.filter.outputs.src_files }}
`), [`template-injection ${W} 15:19 critical`]],
  ['paths-filter json as a JavaScript value (hashicorp/terraform shape) and the booleans', wf('pull_request_target', `      - id: filter
        uses: dorny/paths-filter@v3
        with:
          list-files: json
          filters: |
            changes:
              - '.changes/*/*.yaml'
      - uses: actions/github-script@v7
        with:
          script: |
            const present = \${{ steps.filter.outputs.changes }};
            const files = \${{ steps.filter.outputs.changes_files }};
`), []],
  ['paths-filter json pasted into run:', wf('pull_request_target', `      - id: filter
        uses: dorny/paths-filter@v3
        with:
          list-files: json
          filters: |
            src: ['src/**']
      - run: echo '\${{ steps.filter.outputs.src_files }}' | jq .
`), [`template-injection ${W} 14:20 critical`]],
  ['paths-filter without list-files has no _files output; counts are numbers', wf('pull_request_target', `      - id: filter
        uses: dorny/paths-filter@v3
        with:
          filters: |
            src: ['src/**']
      - run: echo \${{ steps.filter.outputs.src_files }} \${{ steps.filter.outputs.src_count }} \${{ steps.filter.outputs.src }}
`), []],
  ['paths-filter under pull_request', wf('pull_request', `      - id: filter
        uses: dorny/paths-filter@v3
        with:
          list-files: csv
          filters: |
            src: ['src/**']
      - run: echo \${{ steps.filter.outputs.src_files }}
`), []],
  // ---- get-changed-files
  ['Ana06/get-changed-files under pull_request_target', wf('pull_request_target', `      - id: files
        uses: Ana06/get-changed-files@v2.3.0
      - run: for f in \${{ steps.files.outputs.added_modified }}; do echo $f; done
`), [`template-injection ${W} 10:23 critical`]],
  ['jitterbit/get-changed-files fails on pull_request_target (only pull_request and push)', wf('pull_request_target', `      - id: files
        uses: jitterbit/get-changed-files@v1
      - run: for f in \${{ steps.files.outputs.all }}; do echo $f; done
`), []],
  // ---- comments
  ['find-comment body of any commenter under issue_comment', wf('issue_comment', `      - id: fc
        uses: peter-evans/find-comment@v3
        with:
          issue-number: \${{ github.event.issue.number }}
          body-includes: /deploy
      - run: echo "\${{ steps.fc.outputs.comment-body }}"
`), [`template-injection ${W} 13:20 critical`]],
  ['find-comment restricted to the bot\'s own comments', wf('issue_comment', `      - id: fc
        uses: peter-evans/find-comment@v3
        with:
          issue-number: \${{ github.event.issue.number }}
          comment-author: 'github-actions[bot]'
          body-includes: report
      - run: echo "\${{ steps.fc.outputs.comment-body }}" && echo \${{ steps.fc.outputs.comment-id }}
`), []],
  ['find-comment comment-id / comment-author under pull_request_target', wf('pull_request_target', `      - id: fc
        uses: peter-evans/find-comment@v3
        with:
          issue-number: \${{ github.event.pull_request.number }}
      - run: echo \${{ steps.fc.outputs.comment-id }} \${{ steps.fc.outputs.comment-author }}
`), []],
  ['khan/pull-request-comment-trigger comment_body (and the boolean)', wf('issue_comment', `      - id: check
        uses: Khan/pull-request-comment-trigger@v1.1.0
        with:
          trigger: '/bench'
      - if: steps.check.outputs.triggered == 'true'
        run: ./bench.sh \${{ steps.check.outputs.comment_body }}
`), [`template-injection ${W} 13:25 critical`]],
  ['action-regex-match over the comment body', wf('issue_comment', `      - id: m
        uses: actions-ecosystem/action-regex-match@v2
        with:
          text: \${{ github.event.comment.body }}
          regex: '^/deploy (.+)$'
      - run: ./deploy.sh \${{ steps.m.outputs.group1 }}
`), [`template-injection ${W} 13:26 critical`]],
  ['action-regex-match whose regex only matches word characters', wf('issue_comment', `      - id: m
        uses: actions-ecosystem/action-regex-match@v2
        with:
          text: \${{ github.event.comment.body }}
          regex: '^/deploy ([a-z0-9-]+)$'
      - run: ./deploy.sh \${{ steps.m.outputs.group1 }} \${{ steps.m.outputs.match }}
`), []],
  // ---- octokit/request-action
  ['octokit/request-action pull data pasted whole, and its title', wf('issue_comment', `      - id: pr
        uses: octokit/request-action@v2.x
        with:
          route: GET /repos/{owner}/{repo}/pulls/{n}
      - run: echo '\${{ steps.pr.outputs.data }}' > pr.json && echo "\${{ fromJSON(steps.pr.outputs.data).title }}"
`), [`template-injection ${W} 12:20 critical`, `template-injection ${W} 12:69 critical`]],
  ['octokit/request-action: head sha and number are safe members', wf('issue_comment', `      - id: pr
        uses: octokit/request-action@v2.x
        with:
          route: GET /repos/{owner}/{repo}/pulls/{n}
      - run: echo \${{ fromJSON(steps.pr.outputs.data).head.sha }} \${{ fromJSON(steps.pr.outputs.data).number }}
`), []],
  ['octokit/request-action of a route without author text', wf('issue_comment', `      - id: rel
        uses: octokit/request-action@v2.x
        with:
          route: GET /repos/{owner}/{repo}/actions/runs/{id}
      - run: echo '\${{ steps.rel.outputs.data }}'
`), []],
  // ---- unknown third-party outputs are not guessed
  ['an unlisted action\'s output', wf('pull_request_target', `      - id: x
        uses: someone/whatever@v1
      - run: echo \${{ steps.x.outputs.files }}
`), []],
];

describe('third-party action outputs that carry attacker text', () => {
  it.each(CASES)('%s', (_name, files, want) => {
    expect(lines(files)).toEqual(want);
  });

  it('the message names the action, the output and why, and suggests env:', () => {
    const [f] = scan(wf('pull_request_target', CHANGED + FOR_RUN));
    expect(f.message).toContain('output `all_changed_files` of tj-actions/changed-files');
    expect(f.message).toContain("file names are chosen by the pull request's author");
    expect(f.message).toContain('pass it through `env:`');
    expect(f.related?.[0]).toMatchObject({ file: W, line: 9, column: 15 });
  });

  it('evalSinks finds $X in eval and sh -c strings, not in single quotes or plain commands', () => {
    const s = `eval "$A" && bash -c "x $B" ; sh -c 'y $C' ; for f in $D; do :; done; eval '$E'; eval \${F}`;
    expect(evalSinks(s).map((k) => `${k.sink}:${k.name}`)).toEqual(['eval:A', 'bash -c:B', 'eval:F']);
  });

  it('regexMatchesSafeText', () => {
    expect(regexMatchesSafeText('^/deploy ([a-z0-9-]+)$')).toBe(true);
    expect(regexMatchesSafeText('v(\\d+)\\.(\\d+)')).toBe(true);
    expect(regexMatchesSafeText('^/deploy (.+)$')).toBe(false);
    expect(regexMatchesSafeText('(\\S+)')).toBe(false);
    expect(regexMatchesSafeText('([^ ]+)')).toBe(false);
    expect(regexMatchesSafeText('(\\w+)\\s(\\w+)')).toBe(false);
  });
});
