import { runAction } from '../adapters/action.js';
import gate from '../gates/verify-cosign/index.js';

await runAction(gate);
