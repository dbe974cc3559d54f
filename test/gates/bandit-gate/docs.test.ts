// docs/bandit-gate.md and actions/bandit-gate/action.yml stay in step with the gate.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import gate from '../../../src/gates/bandit-gate/index.js';
import { COMMON_INPUTS, COMMON_OUTPUTS, COMMON_REASONS } from '../../../src/core/gate.js';
import { ROOT } from '../../helpers/runner.js';

const action = parse(readFileSync(join(ROOT, 'actions/bandit-gate/action.yml'), 'utf8'));
const docs = readFileSync(join(ROOT, 'docs/bandit-gate.md'), 'utf8');

describe('bandit-gate docs and action.yml', () => {
  it('the action declares every gate and common input, plus only its own install/upload inputs', () => {
    const declared = Object.keys(action.inputs).sort();
    const expected = [...gate.inputs.map((i) => i.name), ...COMMON_INPUTS.map((i) => i.name), 'bandit-version', 'upload-sarif'].sort();
    expect(declared).toEqual(expected);
  });

  it('the action exposes every gate and common output', () => {
    for (const o of [...gate.outputs, ...COMMON_OUTPUTS]) expect(Object.keys(action.outputs)).toContain(o.name);
  });

  it('the gate step maps every gate input to INPUT_* in env (never ${{ inputs }} inside run:)', () => {
    const step = action.runs.steps.find((s: any) => s.id === 'gate');
    for (const i of [...gate.inputs, ...COMMON_INPUTS]) expect(Object.keys(step.env)).toContain(`INPUT_${i.name.toUpperCase()}`);
    for (const s of action.runs.steps) if (s.run) expect(s.run).not.toMatch(/\$\{\{/);
  });

  it('the docs list every input and output exactly as action.yml names them, and every reason code', () => {
    for (const k of Object.keys(action.inputs)) expect(docs, k).toContain(`| \`${k}\` |`);
    for (const k of Object.keys(action.outputs)) expect(docs, k).toContain(`| \`${k}\` |`);
    for (const r of [...gate.reasons, ...COMMON_REASONS.filter((c) => !['findings', 'parse-error', 'unreadable-file'].includes(c))]) expect(docs, r).toContain(`\`${r}\``);
    expect(docs).toContain('continue-on-error');
  });
});
