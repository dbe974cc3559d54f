import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../helpers/runner.js';
import gate from '../../../src/gates/dr-freshness/index.js';
import { COMMON_INPUTS } from '../../../src/core/gate.js';

const action = (name: string) => parse(readFileSync(join(ROOT, 'actions', name, 'action.yml'), 'utf8'));
const doc = (name: string) => readFileSync(join(ROOT, 'docs', `${name}.md`), 'utf8');

describe('docs match the actions', () => {
  it('docs/dr-freshness.md lists every input (with its default) and output of actions/dr-freshness', () => {
    const a = action('dr-freshness');
    const d = doc('dr-freshness');
    for (const [name, spec] of Object.entries<any>(a.inputs)) {
      const def = spec.default === '' ? "''" : String(spec.default);
      expect(d, name).toContain(`| \`${name}\` | \`${def}\` | ${spec.description} |`);
    }
    for (const [name, spec] of Object.entries<any>(a.outputs)) expect(d, name).toContain(`| \`${name}\` | ${spec.description} |`);
    for (const r of gate.reasons) expect(d, r).toContain(`\`${r}\``);
  });

  it('actions/dr-freshness declares every gate input and common input it passes, and maps each to INPUT_*', () => {
    const a = action('dr-freshness');
    const env = a.runs.steps[0].env;
    for (const s of [...gate.inputs, ...COMMON_INPUTS.filter((c) => c.name !== 'sarif-file')]) {
      expect(a.inputs, s.name).toHaveProperty([s.name]);
      expect(env[`INPUT_${s.name.toUpperCase()}`]).toBe(`\${{ inputs.${s.name} }}`);
    }
    for (const o of gate.outputs) expect(a.outputs, o.name).toHaveProperty([o.name]);
  });

  it('docs/record.md lists every input and output of actions/record', () => {
    const a = action('record');
    const d = doc('record');
    for (const name of Object.keys(a.inputs)) expect(d, name).toMatch(new RegExp(`\\| \`${name}\``));
    for (const [name, spec] of Object.entries<any>(a.outputs)) expect(d, name).toContain(`| \`${name}\` | ${spec.description} |`);
  });
});
