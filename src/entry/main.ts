// The root action: runs the gates named in `gates` (default: every static gate) one after the other.
import * as core from '../adapters/runner-io.js';
import { commonInputs, runActionGate } from '../adapters/action.js';
import { exitCodeFor } from '../core/runner.js';
import { GATES } from '../gates/index.js';

const wanted = core.getInput('gates').split(/[\s,]+/).filter(Boolean);
const ids = wanted.length ? wanted : GATES.filter((g) => g.static).map((g) => g.id);
const unknown = ids.filter((id) => !GATES.some((g) => g.id === id));
if (unknown.length) {
  core.error(`gates: unknown gate(s) ${unknown.join(', ')}; known: ${GATES.map((g) => g.id).join(', ')}`);
  core.setOutput('outcome', 'error');
  process.exitCode = 2;
} else {
  const outcomes: Record<string, string> = {};
  let worst = 0;
  for (const id of ids) {
    const gate = await GATES.find((g) => g.id === id)!.load();
    const raw = commonInputs();
    // gate-specific inputs cannot be passed through the root action: each gate runs with its defaults
    for (const spec of gate.inputs) if (raw[spec.name] === undefined) raw[spec.name] = spec.default;
    const outcome = await runActionGate(gate, raw, false);
    outcomes[id] = outcome;
    worst = Math.max(worst, exitCodeFor(outcome));
  }
  const overall = worst === 0 ? 'pass' : worst === 1 ? 'fail' : 'error';
  core.setOutput('outcome', overall);
  core.setOutput('outcomes', JSON.stringify(outcomes));
  process.exitCode = worst;
}
