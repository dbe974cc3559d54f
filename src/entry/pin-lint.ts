import { runAction } from '../adapters/action.js';
import gate from '../gates/pin-lint/index.js';

await runAction(gate);
