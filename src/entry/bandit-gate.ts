import { runAction } from '../adapters/action.js';
import gate from '../gates/bandit-gate/index.js';

await runAction(gate);
