import gate from '../gates/prt-guard/index.js';
import { runAction } from '../adapters/action.js';
await runAction(gate);
