// Decision 0971: `make <target>` and package scripts (`npm run`, `npm test`, `yarn`, `pnpm`) are followed into the
// Makefile / package.json (bounded, inside the repository): each recipe line / script is judged as the `sh -c`
// string it is run as, findings point at Makefile:line:column / package.json:line:column and name the step.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity } from '../../../src/gates/gate-integrity/analyze.js';
import { scriptResolver } from '../../../src/gates/gate-integrity/index.js';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gi-make-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}
function findings(root: string, file = '.github/workflows/ci.yml') {
  const m = Object.assign(buildModel(file, readFileSync(join(root, file), 'utf8')), { abs: join(root, file) });
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter(), undefined, scriptResolver(root));
}
const scan = (root: string) => findings(root).map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);
/** a workflow with one step running `run` (line 7, column 14 for a one-line `run:`) */
const wf = (run: string, extra = '') => `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n${extra}`;

describe('quick', () => {
  it('works', () => {
    const root = repo({ '.github/workflows/ci.yml': wf('make scan'), Makefile: 'scan:\n\tbandit -r . ; echo done\n\t-trivy fs --exit-code 1 .\n' });
    console.log(findings(root));
    const r2 = repo({ '.github/workflows/ci.yml': wf('npm run scan'), 'package.json': '{\n  "scripts": {\n    "scan": "bandit -r . ; echo \\"done\\"",\n    "prescan": "semgrep ci || true"\n  }\n}\n' });
    console.log(findings(r2));
  });
});
