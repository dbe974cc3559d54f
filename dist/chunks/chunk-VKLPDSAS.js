#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
var r=[{id:"dr-freshness",summary:"the last successful disaster-recovery drill is within its SLA (records and/or GitHub runs)",static:!1,load:async()=>(await import("./dr-freshness-MBKGCLGD.js")).default},{id:"pin-lint",summary:"every action, reusable workflow and image pinned to an immutable digest",static:!0,load:async()=>(await import("./pin-lint-KTAUIMYJ.js")).default}],e=[{id:"record",summary:"append a schema-valid pipeline_run record for an external step (e.g. a DR drill)",load:async()=>(await import("./record-DAZLUYR4.js")).recordCommand}];export{r as a,e as b};
