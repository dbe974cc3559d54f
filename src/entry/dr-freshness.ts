import { runAction } from '../adapters/action.js';
import gate from '../gates/dr-freshness/index.js';

await runAction(gate);
