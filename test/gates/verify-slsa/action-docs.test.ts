// action.yml, the gate's declared inputs/outputs/reasons and docs/verify-slsa.md must say the same thing.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import gate from '../../../src/gates/verify-slsa/index.js';
import { COMMON_INPUTS } from '../../../src/core/gate.js';
import { ROOT } from '../../helpers/runner.js';

const action = parse(readFileSync(join(ROOT, 'actions/verify-slsa/action.yml'), 'utf8'));
const docs = readFileSync(join(ROOT, 'docs/verify-slsa.md'), 'utf8');

describe('verify-slsa action, gate and docs agree', () => {
  it('every gate input (and the common ones but sarif-file) is an action input mapped to INPUT_*, and documented', () => {
    const names = [...gate.inputs.map((i) => i.name), ...COMMON_INPUTS.map((i) => i.name).filter((n) => n !== 'sarif-file')];
    expect(Object.keys(action.inputs).sort()).toEqual([...names].sort());
    const env = action.runs.steps[0].env;
    for (const n of names) {
      expect(env[`INPUT_${n.toUpperCase()}`]).toBe(`\${{ inputs.${n} }}`);
      expect(docs).toContain(`| \`${n}\` |`);
    }
    expect(action.runs.steps[0].run).not.toContain('${{');
  });
  it('every output is declared by the gate or the adapter, and documented', () => {
    const gateOutputs = gate.outputs.map((o) => o.name);
    for (const o of gateOutputs) expect(Object.keys(action.outputs)).toContain(o);
    for (const o of Object.keys(action.outputs)) {
      expect([...gateOutputs, 'outcome', 'reasons', 'record-file']).toContain(o);
      expect(docs).toContain(`| \`${o}\` |`);
    }
  });
  it('every reason code is documented', () => {
    for (const r of gate.reasons) expect(docs).toContain(`| \`${r}\` |`);
  });
});
