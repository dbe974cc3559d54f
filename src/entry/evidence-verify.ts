import { runAction } from '../adapters/action.js';
import gate from '../gates/evidence-verify/index.js';

await runAction(gate);
