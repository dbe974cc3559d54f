// README.md's gate table names every registered gate with its doc page and action, and every action directory
// is mentioned, so a new gate (or a renamed one) cannot be left out of the front page.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/runner.js';
import { GATES, COMMANDS } from '../../src/gates/index.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README names every gate, command and action', () => {
  for (const g of GATES) {
    it(`gate ${g.id}: a table row linking docs/${g.id}.md and naming actions/${g.id}`, () => {
      const row = readme.split('\n').find((l) => l.startsWith(`| [${g.id}](docs/${g.id}.md) |`));
      expect(row, `README table row for ${g.id}`).toBeDefined();
      expect(row).toContain(`\`actions/${g.id}\``);
      expect(existsSync(join(ROOT, 'docs', `${g.id}.md`))).toBe(true);
    });
  }
  it('every command and every action directory is mentioned', () => {
    const missing = [
      ...COMMANDS.map((c) => `chaingate ${c.id}`),
      ...readdirSync(join(ROOT, 'actions')).map((d) => `actions/${d}`),
    ].filter((s) => !readme.includes(s));
    expect(missing).toEqual([]);
  });
});
