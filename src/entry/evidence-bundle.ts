import { runAction } from '../adapters/action.js';
import gate from '../gates/evidence-bundle/index.js';

await runAction(gate);
