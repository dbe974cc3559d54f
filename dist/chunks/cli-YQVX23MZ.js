#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-Y5MQM3IG.js";import"./chunk-EKEP5SUY.js";import"./chunk-3GB6GSDM.js";import"./chunk-FPHCNZNB.js";import"./chunk-7HOVRFGB.js";import"./chunk-2DCBYDOM.js";import"./chunk-ISJNJC6E.js";import"./chunk-MWH3L4C7.js";import"./chunk-ZALLRKT3.js";import"./chunk-3V35ZNF3.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as FORMATS,c as main,b as parseArgs};
