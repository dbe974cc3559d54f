#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);

// src/gates/index.ts
var GATES = [
  { id: "pin-lint", summary: "every action, reusable workflow and image pinned to an immutable digest", static: !0, load: async () => (await import("./pin-lint-A6723BDF.js")).default }
], COMMANDS = [];

export {
  GATES,
  COMMANDS
};
