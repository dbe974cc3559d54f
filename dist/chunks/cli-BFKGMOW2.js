#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-SK7LVDSR.js";import"./chunk-XC3Z4SHR.js";import"./chunk-ER66UR7O.js";import"./chunk-ZALLRKT3.js";import"./chunk-6YTLELAB.js";import"./chunk-7HOVRFGB.js";import"./chunk-NLSEFTUJ.js";import"./chunk-NRW3OSGH.js";import"./chunk-3V35ZNF3.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as FORMATS,d as main,c as parseArgs,b as takesMany};
