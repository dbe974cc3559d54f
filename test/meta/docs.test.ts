import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT } from '../helpers/runner.js';
// @ts-expect-error plain JS build script
import { renderActionDocs, targets, START, END } from '../../scripts/gen-docs.mjs';

describe('docs are generated from action.yml and up to date', () => {
  for (const t of targets(ROOT) as Array<{ action: string; doc: string; uses: string }>) {
    it(`${t.doc.slice(ROOT.length + 1)} documents every input and output of ${t.action.slice(ROOT.length + 1)}`, () => {
      expect(existsSync(t.doc), `${t.doc} missing: npm run docs`).toBe(true);
      const page = readFileSync(t.doc, 'utf8');
      const a = page.indexOf(START);
      const b = page.indexOf(END);
      expect(a, 'generated section present').toBeGreaterThanOrEqual(0);
      expect(page.slice(a, b + END.length), 'out of date: run npm run docs').toBe(renderActionDocs(readFileSync(t.action, 'utf8'), t.uses));
    });
  }
});
