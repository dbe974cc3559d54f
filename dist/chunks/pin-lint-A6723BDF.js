#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import {
  RULES,
  pin_lint_default,
  runPinLint
} from "./chunk-IP2FB4HE.js";
import "./chunk-DO6MJX7D.js";
import "./chunk-IUU2ATNU.js";
export {
  RULES,
  pin_lint_default as default,
  runPinLint
};
