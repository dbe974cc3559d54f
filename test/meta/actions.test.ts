// Metadata: every action.yml parses with GitHub's own parser, composite steps follow the runner's rules,
// and the inputs the code reads are exactly the inputs the action declares.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { NoOperationTraceWriter } from '@actions/workflow-parser/templates/trace-writer';
import { GATES } from '../../src/gates/index.js';
import { COMMON_INPUTS, COMMON_OUTPUTS } from '../../src/core/gate.js';
import { ROOT } from '../helpers/runner.js';

const actionDirs = readdirSync(join(ROOT, 'actions')).filter((d) => existsSync(join(ROOT, 'actions', d, 'action.yml')));
const files = [...actionDirs.map((d) => `actions/${d}/action.yml`), 'action.yml'].filter((f) => existsSync(join(ROOT, f)));

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const meta = parse(text);

  it("parses and validates with @actions/workflow-parser's parseAction", () => {
    const result = parseAction({ name: file, content: text }, new NoOperationTraceWriter());
    const errors = result.context.errors.getErrors().map((e: { message: string }) => e.message);
    expect(errors).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it('composite steps: a shell on every run step, no ${{ inputs.* }} pasted into scripts, SHA-pinned uses, outputs with value', () => {
    expect(meta.runs.using).toBe('composite');
    for (const step of meta.runs.steps) {
      if (step.run !== undefined) {
        expect(step.shell, `step ${step.id ?? step.name} needs shell`).toBeTruthy();
        expect(String(step.run)).not.toMatch(/\$\{\{\s*(inputs|github\.event|env)\./);
      }
      if (step.uses && !String(step.uses).startsWith('./')) {
        expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(text).toMatch(new RegExp(`${String(step.uses).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d`));
      }
    }
    for (const [name, out] of Object.entries<any>(meta.outputs ?? {})) expect(out.value, `output ${name}`).toMatch(/\$\{\{\s*steps\./);
  });

  const gateId = /^actions\/([^/]+)\/action\.yml$/.exec(file)?.[1];
  const entry = GATES.find((g) => g.id === gateId);
  if (entry) {
    it('declares exactly the inputs the gate reads, mapped to INPUT_* on the gate step', async () => {
      const gate = await entry.load();
      // a gate without rules has no findings and writes no SARIF: its action need not offer sarif-file or findings
      const noSarif = (n: string) => gate.rules.length > 0 || (n !== 'sarif-file' && n !== 'findings');
      const wanted = [...COMMON_INPUTS, ...gate.inputs].filter((s) => !s.cliOnly && noSarif(s.name)).map((s) => s.name).sort();
      const step = meta.runs.steps.find((s: any) => String(s.run ?? '').includes(`dist/${gate.id}.js`));
      expect(step, 'a step that runs dist/<gate>.js').toBeDefined();
      const mapped = Object.entries<string>(step.env ?? {})
        .filter(([k]) => k.startsWith('INPUT_'))
        .map(([k, v]) => {
          // from the input of the same name, or from an earlier step that resolved it (e.g. an install step)
          const name = /^\$\{\{\s*(?:inputs|steps\.[\w-]+\.outputs)\.([\w-]+)\s*\}\}$/.exec(String(v))?.[1];
          expect(k, `env ${k} maps inputs.${name}`).toBe(`INPUT_${String(name).toUpperCase()}`);
          return name as string;
        })
        .sort();
      expect(mapped).toEqual(wanted);
      for (const name of Object.keys(meta.inputs ?? {})) {
        const used = wanted.includes(name) || new RegExp(`inputs\\.${name}\\b`).test(JSON.stringify(meta.runs.steps));
        expect(used, `declared input ${name} is used`).toBe(true);
      }
      const outs = Object.keys(meta.outputs ?? {});
      for (const o of [...COMMON_OUTPUTS, ...gate.outputs].map((o) => o.name).filter(noSarif)) expect(outs).toContain(o);
    });
  }
});
