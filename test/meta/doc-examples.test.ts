// The examples in README.md and docs/*.md must tell the truth: every `with:` key of a chaingate action in a YAML
// example is an input of that action, every `steps.<id>.outputs.<name>` of such a step is one of its outputs,
// and every `--option` of a `chaingate <command>` example is an option that command takes.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/runner.js';
import { GATES } from '../../src/gates/index.js';
import { COMMON_INPUTS } from '../../src/core/gate.js';
import { RECORD_INPUTS } from '../../src/commands/record.js';

const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function blocks(text: string, langs: RegExp): string[] {
  const out: string[] = [];
  const re = /```(\w*)\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (langs.test(m[1])) out.push(m[2]);
  return out;
}

function action(path: string): { inputs: string[]; outputs: string[] } {
  const doc = parse(readFileSync(join(ROOT, path), 'utf8')) as { inputs?: object; outputs?: object };
  return { inputs: Object.keys(doc.inputs ?? {}), outputs: Object.keys(doc.outputs ?? {}) };
}

/** `uses: <anything>/chaingate[/actions/<gate>]@…` → the action.yml it names */
function actionFile(uses: string): string | undefined {
  const m = /(?:^|\/)chaingate(?:\/actions\/([a-z-]+))?@/.exec(uses);
  if (!m) return undefined;
  return m[1] ? `actions/${m[1]}/action.yml` : 'action.yml';
}

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

function stepsOf(node: unknown, out: Step[] = []): Step[] {
  if (Array.isArray(node)) for (const n of node) stepsOf(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.uses === 'string') out.push(o as Step);
    for (const v of Object.values(o)) stepsOf(v, out);
  }
  return out;
}

function parseLoose(src: string): unknown {
  // examples are often a fragment of a steps list, indented as in a workflow: dedent, keep what parses
  const lines = src.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  try {
    return parse(lines.map((l) => l.slice(indent)).join('\n'));
  } catch {
    return undefined;
  }
}

describe('YAML examples use inputs and outputs that exist', () => {
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const yamls = blocks(text, /^(ya?ml)$/);
    if (!yamls.some((y) => /chaingate/.test(y))) continue;
    it(page, () => {
      expect(yamls.flatMap(yamlProblems)).toEqual([]);
    });
  }
  it('the check itself catches a wrong input and a wrong output (true positive)', () => {
    const bad = `      - id: v\n        uses: o/chaingate/actions/verify-slsa@${'a'.repeat(40)}\n        with:\n          artefact: x\n      - run: echo \${{ steps.v.outputs.digests }}\n`;
    expect(yamlProblems(bad)).toEqual([
      expect.stringContaining('with.artefact is not an input of actions/verify-slsa/action.yml'),
      'steps.v.outputs.digests is not an output of actions/verify-slsa/action.yml',
    ]);
  });
});

function yamlProblems(y: string): string[] {
  const problems: string[] = [];
  const doc = parseLoose(y);
  if (doc === undefined) return problems;
  const ids = new Map<string, string>();
  for (const step of stepsOf(doc)) {
    const file = actionFile(step.uses!);
    if (!file) continue;
    const a = action(file);
    for (const k of Object.keys(step.with ?? {})) if (!a.inputs.includes(k)) problems.push(`${step.uses}: with.${k} is not an input of ${file}`);
    if (step.id) ids.set(step.id, file);
  }
  for (const m of y.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    const file = ids.get(m[1]);
    if (file && !action(file).outputs.includes(m[2])) problems.push(`steps.${m[1]}.outputs.${m[2]} is not an output of ${file}`);
  }
  return problems;
}

describe('CLI examples use options that exist', () => {
  const options = async (cmd: string): Promise<string[] | undefined> => {
    if (cmd === 'record') return RECORD_INPUTS.map((s) => s.name);
    const entry = GATES.find((g) => g.id === cmd);
    if (entry) return [...(await entry.load()).inputs, ...COMMON_INPUTS].filter((s) => !s.actionOnly).map((s) => s.name); // --<positional> works too
    if (cmd === 'check') return ['fail-on', 'config', 'record-file', 'record-mode', 'sarif-file'];
    return undefined;
  };
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    // commands in shell blocks (continuation lines joined) and in `inline code`
    const cmds = [
      ...blocks(text, /^(sh|bash|console|shell)?$/).flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n')),
      ...[...text.matchAll(/`([^`\n]*chaingate [a-z-]+[^`\n]*)`/g)].map((m) => m[1]),
    ].filter((l) => /chaingate [a-z]/.test(l));
    if (!cmds.length) continue;
    it(page, async () => {
      const problems: string[] = [];
      for (const line of cmds) {
        const m = /chaingate ([a-z-]+)(.*)$/.exec(line.replace(/\s+#.*$/, ''));
        if (!m) continue;
        const known = await options(m[1]);
        if (!known) continue; // prose such as "chaingate gate id"
        for (const o of m[2].matchAll(/(?:^|\s|\[)--([a-z][a-z0-9-]*)/g)) {
          if (!['format', 'help'].includes(o[1]) && !known.includes(o[1])) problems.push(`${line.trim()}: chaingate ${m[1]} has no --${o[1]}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
