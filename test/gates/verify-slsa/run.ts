// Shared by the verify-slsa test files that run the gate on provenance files they write: each call writes the
// provenance (text as it is, anything else as JSON) to a fresh file in the test's directory and runs the gate
// with the trusted root written there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import gate from '../../../src/gates/verify-slsa/index.js';
import { executeGate } from '../../../src/core/runner.js';

export function gateRunner(dirOf: () => string, defaults: Record<string, string>, ext = '.json') {
  let n = 0;
  return async (provenance: unknown, inputs: Record<string, string> = {}) => {
    const dir = dirOf();
    const p = join(dir, `prov-${++n}${ext}`);
    writeFileSync(p, typeof provenance === 'string' ? provenance : JSON.stringify(provenance));
    const out = await executeGate(
      gate,
      { artifact: 'widget', provenance: p, 'trusted-root': 'trusted_root.json', 'record-file': join(dir, 'records.ndjson'), ...defaults, ...inputs },
      { cwd: dir, env: {}, logger: { info: () => undefined, warn: () => undefined, debug: () => undefined } },
    );
    return out.result;
  };
}

/** a result's messages as one text */
export const why = (r: { messages?: string[] }) => r.messages?.join('\n');
