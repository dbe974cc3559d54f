#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import {
  GATES
} from "./chunks/chunk-6F6WRMRA.js";
import {
  commonInputs,
  getInput,
  runActionGate,
  setFailed,
  setOutput
} from "./chunks/chunk-DB5TSUW2.js";
import {
  exitCodeFor
} from "./chunks/chunk-SPNS5PI7.js";
import "./chunks/chunk-EANWHSN4.js";
import "./chunks/chunk-DO6MJX7D.js";
import "./chunks/chunk-IUU2ATNU.js";

// src/entry/main.ts
var wanted = getInput("gates").split(/[\s,]+/).filter(Boolean), ids = wanted.length ? wanted : GATES.filter((g) => g.static).map((g) => g.id), unknown = ids.filter((id) => !GATES.some((g) => g.id === id));
if (unknown.length)
  setFailed(`gates: unknown gate(s) ${unknown.join(", ")}; known: ${GATES.map((g) => g.id).join(", ")}`), setOutput("outcome", "error"), process.exitCode = 2;
else {
  let outcomes = {}, worst = 0;
  for (let id of ids) {
    let gate = await GATES.find((g) => g.id === id).load(), raw = commonInputs();
    for (let spec of gate.inputs) raw[spec.name] === void 0 && (raw[spec.name] = spec.default);
    let outcome = await runActionGate(gate, raw, !1);
    outcomes[id] = outcome, worst = Math.max(worst, exitCodeFor(outcome));
  }
  setOutput("outcome", worst === 0 ? "pass" : worst === 1 ? "fail" : "error"), setOutput("outcomes", JSON.stringify(outcomes)), process.exitCode = worst;
}
