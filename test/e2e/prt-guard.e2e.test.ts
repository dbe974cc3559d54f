import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runComposite, runnerFiles, ROOT, workspaceWith } from '../helpers/runner.js';

const PRT_WF = `name: labeler\non: pull_request_target\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm ci\n`;
const GI_WF = `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: bandit -r src --exit-zero\n`;


beforeAll(() => {
  for (const g of ['prt-guard', 'gate-integrity']) if (!existsSync(join(ROOT, `dist/${g}.js`))) throw new Error(`dist/${g}.js missing: run npm run build`);
});

describe('prt-guard composite action', () => {
  it('static: fails on an executed untrusted checkout with annotation, SARIF, summary and one record', () => {
    const f = workspaceWith({ '.github/workflows/label.yml': PRT_WF });
    const r = runComposite('prt-guard', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.outcome).toBe('fail');
    expect(r.outputs.reasons).toContain('untrusted-checkout');
    expect(r.stdout).toContain('::error title=prt-guard%3A untrusted-checkout (high),file=.github/workflows/label.yml,line=9,col=15');
    expect(r.summary).toContain('chaingate prt-guard: fail');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
    const res = sarif.runs[0].results.find((x: any) => x.ruleId === 'untrusted-checkout');
    expect(res.level).toBe('error');
    expect(res.locations[0].physicalLocation.region).toMatchObject({ startLine: 9, startColumn: 15 });
  });

  it('static: passes a base-only pull_request_target workflow', () => {
    const f = workspaceWith({ '.github/workflows/label.yml': `on: pull_request_target\npermissions:\n  pull-requests: write\njobs:\n  l:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/labeler@v5\n` });
    const r = runComposite('prt-guard', {}, f);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.outcome).toBe('pass');
    expect(r.records[0].outcome).toBe('pass');
  });

  function runtime(approved: boolean, eventName = 'pull_request_target') {
    const files: Record<string, string> = { '.github/workflows/label.yml': PRT_WF };
    if (approved) files['.github/chaingate.yml'] = `prt-guard:\n  approved:\n    - workflow: .github/workflows/label.yml\n      justification: builds fork PRs in an isolated runner without secrets\n      expires: 2999-01-01\n`;
    const f = workspaceWith(files);
    const ev = join(f.dir, 'event.json');
    writeFileSync(ev, JSON.stringify({ action: 'opened', number: 7, pull_request: { number: 7, head: { sha: 'f'.repeat(40), repo: { full_name: 'evil/widget' } } }, repository: { full_name: 'acme/widget' } }));
    return runComposite('prt-guard', { mode: 'runtime' }, f, { env: { GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: ev, GITHUB_WORKFLOW_REF: 'acme/widget/.github/workflows/label.yml@refs/heads/main' } });
  }

  it('runtime: a pull_request_target run of an unapproved workflow fails', () => {
    const r = runtime(false);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.privileged).toBe('true');
    expect(r.outputs.reasons).toContain('not-approved');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
  });

  it('runtime: an approved workflow passes with its findings suppressed', () => {
    const r = runtime(true);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.outcome).toBe('pass');
    expect(r.outputs.reasons).toContain('approved');
    expect(r.records[0].findings.suppressed).toBeGreaterThan(0);
  });

  it('runtime: a non-privileged event passes', () => {
    const r = runtime(false, 'pull_request');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.reasons).toBe('not-privileged');
    expect(r.outputs.privileged).toBe('false');
  });
});

describe('gate-integrity composite action', () => {
  it('fails on --exit-zero with the exact column', () => {
    const f = workspaceWith({ '.github/workflows/scan.yml': GI_WF });
    const r = runComposite('gate-integrity', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.reasons).toBe('non-blocking-gate');
    expect(r.stdout).toContain('file=.github/workflows/scan.yml,line=6,col=28');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
  });

  it('an allowlisted finding is suppressed; an expired entry fails with approval-expired', () => {
    const ok = workspaceWith({ '.github/workflows/scan.yml': GI_WF, '.github/chaingate.yml': `gate-integrity:\n  allow:\n    - workflow: scan.yml\n      rule: exit-suppressed\n      justification: advisory scan while the baseline is built\n      expires: 2999-01-01\n` });
    const a = runComposite('gate-integrity', {}, ok);
    expect(a.exitCode).toBe(0);
    expect(a.outputs.reasons).toContain('findings-suppressed');
    const old = workspaceWith({ '.github/workflows/scan.yml': GI_WF, '.github/chaingate.yml': `gate-integrity:\n  allow:\n    - workflow: scan.yml\n      justification: advisory scan\n      expires: 2020-01-01\n` });
    const b = runComposite('gate-integrity', {}, old);
    expect(b.exitCode).toBe(1);
    expect(b.outputs.reasons).toContain('approval-expired');
  });
});
