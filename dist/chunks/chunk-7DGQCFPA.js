#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
var t=[{id:"pin-lint",summary:"every action, reusable workflow and image pinned to an immutable digest",static:!0,load:async()=>(await import("./pin-lint-R6WKKLKF.js")).default}],r=[];export{t as a,r as b};
