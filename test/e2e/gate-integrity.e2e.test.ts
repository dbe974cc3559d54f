// gate-integrity as the runner runs it (dist/gate-integrity.js and the composite action), on a workspace whose
// workflow runs its scanners through `make` and `npm run` (decision 0971).
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runComposite, runDist, ROOT, workspaceWith } from '../helpers/runner.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/gate-integrity.js'))) throw new Error('dist/gate-integrity.js missing: run npm run build');
});

const WF = 'on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make security\n      - run: npm run audit\n';

describe('gate-integrity: make targets and package scripts, end to end', () => {
  it('fails with findings in the Makefile and package.json, at their positions, with a valid record and SARIF', () => {
    const f = workspaceWith({
      '.github/workflows/ci.yml': WF,
      Makefile: '.PHONY: security\nsecurity: lint\n\t-bandit -r src\nlint:\n\truff check .\n',
      'package.json': '{\n  "scripts": {\n    "audit": "npm audit --audit-level=high; echo done"\n  }\n}\n',
    });
    const r = runComposite('gate-integrity', {}, f);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.outcome).toBe('fail');
    expect(r.outputs.findings).toBe('2');
    expect(r.stdout).toContain('file=Makefile,line=3,col=2');
    expect(r.stdout).toContain('file=package.json,line=3,col=43');
    expect(r.records).toHaveLength(1);
    expect(r.recordProblems).toEqual([]);
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file'], 'utf8'));
    const locs = sarif.runs[0].results.map((x: any) => `${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine}:${x.locations[0].physicalLocation.region.startColumn}`);
    expect(locs.sort()).toEqual(['Makefile:3:2', 'package.json:3:43']);
  });

  it('passes when the recipe and the script fail normally', () => {
    const f = workspaceWith({
      '.github/workflows/ci.yml': WF,
      Makefile: 'security:\n\t-rm -rf build\n\tbandit -r src\n',
      'package.json': '{"scripts": {"audit": "npm audit --audit-level=high"}}',
    });
    const r = runDist('gate-integrity', {}, f);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.outcome).toBe('pass');
    expect(r.recordProblems).toEqual([]);
  });
});
