import { runAction } from '../adapters/action.js';
import gate from '../gates/verify-slsa/index.js';

await runAction(gate);
