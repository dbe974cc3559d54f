#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-CKEWKTDK.js";import"./chunk-QUFR6CUO.js";import"./chunk-STTC6ZUO.js";import"./chunk-FPHCNZNB.js";import"./chunk-7HOVRFGB.js";import"./chunk-2DCBYDOM.js";import"./chunk-TCHSFJ45.js";import"./chunk-MWH3L4C7.js";import"./chunk-ZALLRKT3.js";import"./chunk-6XXXWHCZ.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as FORMATS,c as main,b as parseArgs};
