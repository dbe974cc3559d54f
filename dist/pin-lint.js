#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import {
  runAction
} from "./chunks/chunk-DB5TSUW2.js";
import "./chunks/chunk-SPNS5PI7.js";
import "./chunks/chunk-EANWHSN4.js";
import {
  pin_lint_default
} from "./chunks/chunk-IP2FB4HE.js";
import "./chunks/chunk-DO6MJX7D.js";
import "./chunks/chunk-IUU2ATNU.js";

// src/entry/pin-lint.ts
await runAction(pin_lint_default);
