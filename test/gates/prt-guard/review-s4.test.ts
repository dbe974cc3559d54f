// prt-guard third-party outputs (decision 0901): second-pair-of-eyes review. Each case that is a defect failed
// before its fix (marked `was:`); true negatives stand beside the positives.
import { describe, expect, it } from 'vitest';
import { evalSinks } from '../../../src/gates/prt-guard/analyze.js';
import { repoFindings } from './helpers.js';

const W = '.github/workflows/w.yml';
const scan = repoFindings;
const lines = (files: Record<string, string>) => scan(files).filter((f) => f.rule !== 'privileged-permissions').map((f) => `${f.rule} ${f.line}:${f.column} ${f.severity}`).sort();
function wf(on: string, steps: string): Record<string, string> {
  return { [W]: `on: ${on}\npermissions:\n  pull-requests: write\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${steps}` };
}
const TITLE = `      - env:\n          T: \${{ github.event.pull_request.title }}\n        run: |\n`;
const filter = (format: string, filters = `|\n            src: 'src/**'`) =>
  `      - id: f\n        uses: dorny/paths-filter@de90cc6fb38fc0963ad72b210f1f284cd68cea36 # v3.0.2\n        with:\n          filters: ${filters}\n          list-files: ${format}\n`;
const OCTO = `      - id: pr\n        uses: octokit/request-action@dad4362715b7fb2ddedf9772c8670824af564f0d # v2.4.0\n        with:\n          route: GET /repos/{owner}/{repo}/pulls/{n}\n`;

const CASES: Array<[string, Record<string, string>, string[]]> = [
  // ---- eval / bash -c of a tainted env variable: shapes the first version missed
  ['then eval (was: missed, `then` taken for the command)', wf('pull_request_target', TITLE + `          if [ -n "$T" ]; then eval "echo $T"; fi\n`), ['template-injection 11:43 critical']],
  ['do bash -c in a loop (was: missed)', wf('pull_request_target', TITLE + `          for i in 1; do bash -c "echo $T"; done\n`), ['template-injection 11:40 critical']],
  ['bash -o pipefail -c (was: missed, an option with an argument)', wf('pull_request_target', TITLE + `          bash -o pipefail -c "echo $T"\n`), ['template-injection 11:37 critical']],
  ['bash -c -- (was: missed)', wf('pull_request_target', TITLE + `          bash -c -- "echo $T"\n`), ['template-injection 11:28 critical']],
  ['${T:-} (was: missed)', wf('pull_request_target', TITLE + `          eval "echo \${T:-none}"\n`), ['template-injection 11:22 critical']],
  ['eval inside $(…) (was: missed)', wf('pull_request_target', TITLE + `          out=$(eval "echo $T")\n`), ['template-injection 11:28 critical']],
  ["single quotes inside double quotes are literal: eval \"echo '$T'\" (was: missed)", wf('pull_request_target', TITLE + `          eval "echo '$T'"\n`), ['template-injection 11:23 critical']],
  ['a re-assignment that keeps the value: T="$T x" (was: taken as clean)', wf('pull_request_target', TITLE + `          T="$T (pr)"\n          eval "echo $T"\n`), ['template-injection 12:22 critical']],
  // true negatives
  ['re-assigned to a constant: clean', wf('pull_request_target', TITLE + `          T=fixed\n          eval "echo $T"\n`), []],
  ["bash -c 'echo \"$T\"': the inner shell expands it as data", wf('pull_request_target', TITLE + `          bash -c 'echo "$T"'\n`), []],
  ['bash -c with $T as a positional argument', wf('pull_request_target', TITLE + `          bash -c 'echo "$1"' _ "$T"\n`), []],
  ['eval "$(ssh-agent -s)", eval of a constant, and $T in a heredoc body', wf('pull_request_target', TITLE + `          eval "$(ssh-agent -s)"\n          cat <<EOF > x.sh\n          eval "echo $T"\n          EOF\n          # eval "$T"\n`), []],
  ['ordinary scripts with eval of other variables', wf('pull_request_target', TITLE + `          eval "$(opam env)"\n          export PATH="$HOME/.local/bin:$PATH"\n          bash -c "make -j$(nproc)"\n`), []],

  // ---- paths-filter formats where the text is parsed twice, or run as a command
  ['escape format inside eval (was: clean, eval removes the backslashes and runs the rest)', wf('pull_request_target', filter('escape') + `      - run: eval "ls \${{ steps.f.outputs.src_files }}"\n`), ['template-injection 14:23 critical']],
  ['shell format inside bash -c (already flagged: inside double quotes)', wf('pull_request_target', filter('shell') + `      - run: bash -c "ls \${{ steps.f.outputs.src_files }}"\n`), ['template-injection 14:26 critical']],
  ['shell format as eval arguments, unquoted (was: clean)', wf('pull_request_target', filter('shell') + `      - run: eval ls \${{ steps.f.outputs.src_files }}\n`), ['template-injection 14:22 critical']],
  ['escape format inside backticks (was: clean; \\` opens a nested substitution)', wf('pull_request_target', filter('escape') + '      - run: echo "n=`echo ${{ steps.f.outputs.src_files }} | wc -w`"\n'), ['template-injection 14:28 critical']],
  ['shell format in an assignment (was: clean; the second name is run as a command)', wf('pull_request_target', filter('shell') + `      - run: FILES=\${{ steps.f.outputs.src_files }}\n`), ['template-injection 14:20 critical']],
  ['escape format as the command (was: clean)', wf('pull_request_target', filter('escape') + `      - run: \${{ steps.f.outputs.src_files }}\n`), ['template-injection 14:14 critical']],
  // true negatives: the documented safe places
  ['escape format as arguments, in double quotes, in a for list', wf('pull_request_target', filter('escape') + `      - run: |\n          ls \${{ steps.f.outputs.src_files }}\n          echo "\${{ steps.f.outputs.src_files }}"\n          for f in \${{ steps.f.outputs.src_files }}; do echo "$f"; done\n`), []],
  ['shell format as unquoted arguments', wf('pull_request_target', filter('shell') + `      - run: prettier --check \${{ steps.f.outputs.src_files }}\n`), []],

  // ---- paths-filter filter keys written as YAML other than `key:` at the line start
  ["quoted filter key 'src': (was: clean, the key was not recognised)", wf('pull_request_target', filter('csv', `|\n            'src':\n              - 'src/**'`) + `      - run: echo "\${{ steps.f.outputs.src_files }}"\n`), ['template-injection 15:20 critical']],
  ['flow-style filters {src: [...]} (was: clean)', wf('pull_request_target', filter('csv', `"{src: ['src/**']}"`) + `      - run: echo "\${{ steps.f.outputs.src_files }}"\n`), ['template-injection 13:20 critical']],
  ['an output that is no filter key stays clean', wf('pull_request_target', filter('csv', `"{src: ['src/**']}"`) + `      - run: echo "\${{ steps.f.outputs.docs_files }}"\n`), []],

  // ---- octokit fromJSON(data).<member>: every use must pick a safe member
  ['`.head.sha || .title` (was: clean, only the first use was looked at)', wf('pull_request_target', OCTO + `      - run: echo "\${{ fromJSON(steps.pr.outputs.data).head.sha || fromJSON(steps.pr.outputs.data).title }}"\n`), ['template-injection 12:20 critical']],
  ['`.head.sha` and `.number` alone: clean', wf('pull_request_target', OCTO + `      - run: echo "\${{ fromJSON(steps.pr.outputs.data).head.sha }} \${{ fromJSON(steps.pr.outputs.data).number }}"\n`), []],
];

describe('third-party outputs and eval sinks: review', () => {
  it.each(CASES)('%s', (_name, files, want) => expect(lines(files)).toEqual(want));

  it('evalSinks: reserved words, options with arguments, substitutions, ${X:-}', () => {
    const s = 'if x; then eval "a $A"; fi\nbash -e -o pipefail -c "b $B"\ny=$(sh -c "c ${C:-d}")\nwhile eval "$D"; do :; done\n';
    expect(evalSinks(s).map((k) => `${k.sink}:${k.name}`)).toEqual(['eval:A', 'bash -c:B', 'sh -c:C', 'eval:D']);
  });
});
