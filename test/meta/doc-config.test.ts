// Every `.github/chaingate.yml` example in README.md and docs/*.md (a YAML block whose top-level keys are all
// configuration sections) loads with the real configuration loader: no key, value or section the schema refuses.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/runner.js';
import { parseConfigText } from '../../src/core/config.js';

const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const SECTIONS = new Set(Object.keys((JSON.parse(readFileSync(join(ROOT, 'schemas/config.schema.json'), 'utf8')) as { properties: object }).properties));

/** the YAML blocks of a page that are configuration files (every top-level key is a configuration section) */
function configExamples(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
    let doc: unknown;
    try {
      doc = parse(m[1]);
    } catch {
      continue;
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) continue;
    const keys = Object.keys(doc);
    if (keys.length && keys.every((k) => SECTIONS.has(k))) out.push(m[1]);
  }
  return out;
}

async function problems(example: string): Promise<string[]> {
  const text = /^version:/m.test(example) ? example : `version: 1\n${example}`;
  try {
    await parseConfigText(text, 'example.yml');
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

describe('configuration examples in the docs load', () => {
  for (const page of PAGES) {
    const examples = configExamples(readFileSync(join(ROOT, page), 'utf8'));
    if (!examples.length) continue;
    it(`${page} (${examples.length} example(s))`, async () => {
      const found: string[] = [];
      for (const ex of examples) found.push(...(await problems(ex)));
      expect(found).toEqual([]);
    });
  }
  it('the check itself catches a misspelt key (true positive)', async () => {
    const page = '```yaml\npin-lint:\n  polcy: { "*": hash-pin }\n```\n';
    expect(configExamples(page)).toHaveLength(1);
    expect(await problems(configExamples(page)[0])).toEqual([expect.stringContaining('unknown key "polcy"')]);
  });
});
