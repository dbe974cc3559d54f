// Conditions that look like prt-guard's barriers (same repository, Dependabot author, merged PR) but let a fork's
// pull request through: each must still report the untrusted checkout. Found in review of the barrier changes.
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel, type WorkflowModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeWorkflow, mergeDuplicateFindings } from '../../../src/gates/prt-guard/analyze.js';
import { makeLocalResolver, makeLookup } from '../../../src/gates/prt-guard/load.js';

function scan(text: string): string[] {
  const m = Object.assign(buildModel('.github/workflows/w.yml', text), { abs: '/repo/.github/workflows/w.yml' }) as WorkflowModel & { abs: string };
  expect(m.errors).toEqual([]);
  const opts = { fingerprinter: new Fingerprinter(), lookup: makeLookup([m]), resolveLocal: makeLocalResolver([m], '/repo'), resolveAction: makeLocalResolver([m], '/repo', 'action') };
  return mergeDuplicateFindings(analyzeWorkflow(m, opts)).filter((f) => f.rule === 'untrusted-checkout').map((f) => `${f.line}:${f.column} ${f.severity}`);
}

const wf = (cond: string, ref = 'github.event.pull_request.head.sha', on = 'pull_request_target') => `on: ${on}
permissions:
  contents: read
jobs:
  t:
    if: ${cond}
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ ${ref} }}
      - run: npm ci
        env:
          T: \${{ secrets.T }}
`;

describe('prt-guard: look-alike guards do not silence an untrusted checkout', () => {
  it.each([
    ["${{ false == github.event.pull_request.merged }}"],
    ["${{ ! github.event.pull_request.merged }}"],
    ["${{ github.event.pull_request.merged == 0 }}"],
    ["${{ github.event.pull_request.merged == null }}"],
    ["${{ github.event.pull_request.merged == '' }}"],
    ["${{ github.event.pull_request.merged != true }}"],
    ["${{ !github.event.pull_request.merged }}"],
    ["${{ github.event.pull_request.merged == true == false }}"],
    ["${{ toJSON(github.event.pull_request.merged) }}"],
    ["${{ format('{0}', github.event.pull_request.merged) }}"],
  ])('merged look-alike %s', (cond) => {
    expect(scan(wf(cond))).toEqual(['9:15 critical']);
  });

  it.each([
    ["${{ !(github.event_name == 'push') || github.event.pull_request.head.repo.full_name == github.repository }}"],
    ["${{ github.event_name != 'push' || github.event.pull_request.head.repo.full_name == github.repository }}"],
    ["${{ github.event.pull_request.head.repo.full_name == github.repository == false }}"],
    ["${{ github.event.pull_request.head.repo.full_name != github.repository }}"],
    ["${{ startsWith(github.event.pull_request.head.repo.full_name, github.repository) }}"],
    ["${{ contains(github.event.pull_request.head.repo.full_name, github.repository) }}"],
    ["${{ github.event.pull_request.head.repo.full_name == github.repository || contains(github.event.pull_request.labels.*.name, 'safe') }}"],
    ["${{ github.event.pull_request.user.login != 'dependabot[bot]' }}"],
    ["${{ github.event.pull_request.user.login == 'dependabot[bot]' == false }}"],
    ["${{ github.event.pull_request.head.repo.fork == false == false }}"],
    ["${{ false == github.event.pull_request.head.repo.full_name == github.repository }}"],
    ["${{ format('{0}', github.event.pull_request.head.repo.full_name == github.repository) }}"],
    ["${{ github.event_name == 'push' || !(github.event.pull_request.head.repo.full_name == github.repository) }}"],
    // an event comparison narrows only when it is a whole operand
    ["${{ github.event_name == 'push' == false }}"],
    ["${{ format('{0}', github.event_name == 'push') }}"],
    ["${{ github.event_name == 'push' == false || github.event.pull_request.head.repo.full_name == github.repository }}"],
  ])('same-repository look-alike %s', (cond) => {
    expect(scan(wf(cond))).toEqual(['9:15 critical']);
  });

  it.each([
    ["${{ github.event.pull_request.merged == true }}"],
    ["${{ github.event.pull_request.merged }}"],
    ["${{ true == github.event.pull_request.merged }}"],
    ["${{ github.event.action == 'closed' && github.event.pull_request.merged }}"],
  ])('true negative: merged guard %s', (cond) => {
    expect(scan(wf(cond, 'github.event.pull_request.merge_commit_sha'))).toEqual([]);
  });

  it.each([
    ["${{ github.event.pull_request.head.repo.full_name == github.repository }}"],
    ["${{ github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository }}"],
    ["${{ github.event.pull_request.user.login == 'dependabot[bot]' }}"],
    ["${{ !github.event.pull_request.head.repo.fork }}"],
    ["${{ (github.event.pull_request.head.repo.full_name == github.repository) && !contains(github.event.pull_request.labels.*.name, 'skip') }}"],
    ["${{ github.event_name == 'push' || (github.event_name == 'pull_request_target' && github.event.pull_request.head.repo.full_name == github.repository) }}"],
  ])('true negative: same-repository guard %s', (cond) => {
    expect(scan(wf(cond))).toEqual([]);
  });
});

it('a same-repository guard on another job does not cover the job that checks out', () => {
  const text = `on: pull_request_target
permissions:
  contents: read
jobs:
  guarded:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - run: echo ok
  build:
    needs: guarded
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - if: github.event.pull_request.head.repo.full_name == github.repository
        run: npm ci
        env:
          T: \${{ secrets.T }}
      - run: make
`;
  expect(scan(text)).toEqual(['14:15 critical']);
});
