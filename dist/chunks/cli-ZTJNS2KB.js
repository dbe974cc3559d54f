#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-R6V7VYBL.js";import"./chunk-EKNF7CCY.js";import"./chunk-KH3KPWAW.js";import"./chunk-SFMI24TW.js";import"./chunk-7HOVRFGB.js";import"./chunk-IS25MWUF.js";import"./chunk-CIABJGW4.js";import"./chunk-QYQN5VQM.js";import"./chunk-ZALLRKT3.js";import"./chunk-6XXXWHCZ.js";import"./chunk-NMSASDSN.js";export{a as FORMATS,c as main,b as parseArgs};
