#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-5FQ2DOIB.js";import"./chunk-PISJ3EL2.js";import"./chunk-MYPETOHL.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-77MKSWYM.js";import"./chunk-WJMU5IHK.js";import"./chunk-NLSEFTUJ.js";import"./chunk-NRW3OSGH.js";import"./chunk-3V35ZNF3.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as CHECKS,b as REASONS,c as default,d as runEvidenceVerify};
