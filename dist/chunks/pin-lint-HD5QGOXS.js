#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-UVHQFGO5.js";import"./chunk-4PXSU2VR.js";import"./chunk-WJMU5IHK.js";import"./chunk-3V35ZNF3.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as RULES,b as default,c as runPinLint};
