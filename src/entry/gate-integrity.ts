import gate from '../gates/gate-integrity/index.js';
import { runAction } from '../adapters/action.js';
await runAction(gate);
