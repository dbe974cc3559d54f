#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-RFB57FNP.js";import"./chunk-PISJ3EL2.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-ZALLRKT3.js";import"./chunk-NLSEFTUJ.js";import"./chunk-NRW3OSGH.js";import"./chunk-3V35ZNF3.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as REASONS,b as default,c as runVerifySlsa,d as toolEnv};
