import { describe, expect, it } from 'vitest';
import { scanRepo } from './helpers.js';
const W = '.github/workflows/w.yml';
const A = '.github/actions/meta/action.yml';
const wf = (steps: string, on = 'pull_request_target') => `on: ${on}\npermissions:\n  pull-requests: write\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
const act = (outputs: string, steps: string) => `name: meta\noutputs:\n${outputs}\nruns:\n  using: composite\n  steps:\n${steps}`;
const use = `      - uses: actions/checkout@v4\n      - id: meta\n        uses: ./.github/actions/meta\n      - run: echo "\${{ steps.meta.outputs.v }}"\n`;

// Review (second pair of eyes) of today's prt-guard changes: composite outputs, event-payload reads, labels, depth.
// `privileged-permissions` (a job-level note every case shares) is left out of the comparisons.
const inj = (files: Record<string, string>) => scanRepo(files).filter((x) => !x.startsWith('privileged-permissions'));

describe('prt-guard review: true negatives', () => {
  it.each([
    ['composite constant output', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      run: echo "v=hello" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }],
    ['composite PR number output', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      run: echo "v=${{ github.event.pull_request.number }}" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }],
    ['composite digits from title via tr -cd (was a false positive before review)', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      env:\n        TITLE: ${{ github.event.pull_request.title }}\n      run: |\n        n=$(echo "$TITLE" | tr -cd \'0-9\')\n        echo "v=$n" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }],
    ['composite wc -l of body (was a false positive before review)', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      env:\n        BODY: ${{ github.event.pull_request.body }}\n      run: echo "v=$(echo "$BODY" | wc -l)" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }],
    ['composite grep -c of title (was a false positive before review)', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      env:\n        TITLE: ${{ github.event.pull_request.title }}\n      run: echo "v=$(echo "$TITLE" | grep -ci wip)" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }],
    ['jq number from event path', { [W]: wf(`      - id: s\n        run: echo "n=$(jq -r .pull_request.number "$GITHUB_EVENT_PATH")" >> "$GITHUB_OUTPUT"\n      - run: echo "\${{ steps.s.outputs.n }}"\n`) }],
    ['jq labels length', { [W]: wf(`      - id: s\n        run: echo "n=$(jq '.pull_request.labels | length' "$GITHUB_EVENT_PATH")" >> "$GITHUB_OUTPUT"\n      - run: echo "\${{ steps.s.outputs.n }}"\n`) }],
    ['toJSON labels names', { [W]: wf(`      - run: echo '\${{ toJSON(github.event.pull_request.labels.*.name) }}' | jq .\n`) }],
    ['label name', { [W]: wf(`      - run: echo "\${{ github.event.label.name }}"\n`, '\n  pull_request_target:\n    types: [labeled]') }],
    ['contains labels', { [W]: wf(`      - run: echo "\${{ contains(github.event.pull_request.labels.*.name, 'ok') }}"\n`) }],
  ] as Array<[string, Record<string, string>]>)('%s', (_n, files) => {
    expect(inj(files)).toEqual([]);
  });
});

describe('prt-guard review: true positives', () => {
  it.each([
    ['composite input title passed through', { [A]: 'name: meta\ninputs:\n  t:\n    required: true\noutputs:\n  v:\n    value: ${{ steps.s.outputs.v }}\nruns:\n  using: composite\n  steps:\n    - id: s\n      shell: bash\n      run: echo "v=${{ inputs.t }}" >> "$GITHUB_OUTPUT"\n', [W]: wf(`      - id: meta\n        uses: ./.github/actions/meta\n        with:\n          t: \${{ github.event.pull_request.title }}\n      - run: echo "\${{ steps.meta.outputs.v }}"\n`) }, ['template-injection .github/actions/meta/action.yml 13:20 critical', 'template-injection .github/workflows/w.yml 12:20 critical']],
    ['composite tr -d newline of title still text', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      env:\n        TITLE: ${{ github.event.pull_request.title }}\n      run: echo "v=$(echo "$TITLE" | tr -d \'\\n\')" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }, ['template-injection .github/workflows/w.yml 11:20 critical']],
    ['composite tr -cd print set still text', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      env:\n        TITLE: ${{ github.event.pull_request.title }}\n      run: echo "v=$(echo "$TITLE" | tr -cd \'[:print:]\')" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }, ['template-injection .github/workflows/w.yml 11:20 critical']],
    ['composite grep -o any still text', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      env:\n        TITLE: ${{ github.event.pull_request.title }}\n      run: echo "v=$(echo "$TITLE" | grep -oE \'v[^ ]+\')" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }, ['template-injection .github/workflows/w.yml 11:20 critical']],
    ['composite wc then more text', { [A]: act('  v:\n    value: ${{ steps.s.outputs.v }}', '    - id: s\n      shell: bash\n      env:\n        TITLE: ${{ github.event.pull_request.title }}\n      run: echo "v=$(echo "$TITLE" | wc -c) $TITLE" >> "$GITHUB_OUTPUT"\n'), [W]: wf(use) }, ['template-injection .github/workflows/w.yml 11:20 critical']],
    ['jq title from event path', { [W]: wf(`      - id: s\n        run: echo "t=$(jq -r .pull_request.title "$GITHUB_EVENT_PATH")" >> "$GITHUB_OUTPUT"\n      - run: echo "\${{ steps.s.outputs.t }}"\n`) }, ['template-injection .github/workflows/w.yml 10:20 critical']],
    ['jq title from event path into var', { [W]: wf(`      - id: s\n        run: |\n          TITLE=$(jq -r '.pull_request.title' < "$GITHUB_EVENT_PATH")\n          echo "t=$TITLE" >> "$GITHUB_OUTPUT"\n      - run: echo "\${{ steps.s.outputs.t }}"\n`) }, ['template-injection .github/workflows/w.yml 12:20 critical']],
    ['jq head.ref from event path to GITHUB_ENV then expr', { [W]: wf(`      - run: echo "BR=$(jq -r .pull_request.head.ref $GITHUB_EVENT_PATH)" >> "$GITHUB_ENV"\n      - run: echo "\${{ env.BR }}"\n`) }, ['template-injection .github/workflows/w.yml 9:20 critical']],
    ['jq body generic event path', { [W]: wf(`      - id: s\n        run: |\n          BODY=$(jq -r '.issue.body // ""' "$GITHUB_EVENT_PATH")\n          echo "b=$BODY" >> "$GITHUB_OUTPUT"\n      - run: echo "\${{ steps.s.outputs.b }}"\n`, 'issue_comment') }, ['template-injection .github/workflows/w.yml 12:20 critical']],
    ['toJSON(github.event.pull_request) into run', { [W]: wf(`      - run: echo '\${{ toJSON(github.event.pull_request) }}' > pr.json\n`) }, ['template-injection .github/workflows/w.yml 8:20 critical']],
  ] as Array<[string, Record<string, string>, string[]]>)('%s', (_n, files, want) => {
    expect(inj(files)).toEqual(want);
  });
});

/** a job of `n` steps, each passing the previous step's output on through `env:` and a shell variable */
function envHops(n: number, first = '${{ github.event.pull_request.title }}'): string {
  let steps = '      - uses: actions/checkout@v4\n';
  for (let i = 0; i < n; i++) {
    const prev = i === 0 ? first : `\${{ steps.s${i - 1}.outputs.v }}`;
    steps += `      - id: s${i}\n        env:\n          V: ${prev}\n        run: |\n          X="$V-${i}"\n          echo "v=$X" >> "$GITHUB_OUTPUT"\n`;
  }
  return wf(`${steps}      - run: echo "\${{ steps.s${n - 1}.outputs.v }}"\n`);
}

describe('prt-guard review: taint depth', () => {
  // with MAX_DEPTH 40 a title passed on through env: and a shell variable was lost after 9 such hops (a miss)
  it.each([5, 10, 20])('the PR title passed through %i env-and-output hops still reaches the last run:', (n) => {
    expect(inj({ [W]: envHops(n) })).toEqual([`template-injection ${W} ${9 + 6 * n}:20 critical`]);
  });
  it('the PR number through 20 hops is clean', () => {
    expect(inj({ [W]: envHops(20, '${{ github.event.pull_request.number }}') })).toEqual([]);
  });
  // a chain longer than the depth budget (≈25 env-and-output hops with MAX_DEPTH 120) is cut short: not followed
  it('a generated 200-step workflow (timing printed, not asserted)', () => {
    for (const fan of [1, 5, 30]) {
      let steps = '      - uses: actions/checkout@v4\n';
      for (let i = 0; i < 200; i++) {
        // the head of the chain is the PR number (clean); the title joins at step 180 (20 hops from the end)
        const first = i === 0 ? '${{ github.event.pull_request.number }}' : '';
        const title = i === 180 ? '${{ github.event.pull_request.title }}-' : '';
        const prev = first || title + Array.from({ length: Math.min(i, fan) }, (_, k) => `\${{ steps.s${i - 1 - k}.outputs.v }}`).join('-');
        steps += `      - id: s${i}\n        env:\n          V: ${prev}\n        run: |\n          X="$V-${i}"\n          echo "v=$X" >> "$GITHUB_OUTPUT"\n          echo "E${i}=$X" >> "$GITHUB_ENV"\n`;
      }
      const t0 = performance.now();
      const r = inj({ [W]: wf(`${steps}      - run: echo "\${{ steps.s199.outputs.v }} \${{ env.E150 }}"\n`) });
      console.log(`prt-guard 200 steps, fan-in ${fan}: ${Math.round(performance.now() - t0)} ms, ${r.length} findings`);
      expect(r).toEqual([`template-injection ${W} 1409:20 critical`]);
    }
  });
});
