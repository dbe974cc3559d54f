#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-WNBM3LN4.js";import"./chunk-B7O5LFPT.js";import"./chunk-5EHHCX3Z.js";import"./chunk-2AOHWFSM.js";export{a as RULES,b as default,c as runPinLint};
