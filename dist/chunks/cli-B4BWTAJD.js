#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-5743TMV4.js";import"./chunk-VGSPF3OO.js";import"./chunk-LGFTYB6C.js";import"./chunk-ZALLRKT3.js";import"./chunk-SFMI24TW.js";import"./chunk-7HOVRFGB.js";import"./chunk-IS25MWUF.js";import"./chunk-AZTLRKAD.js";import"./chunk-6XXXWHCZ.js";import"./chunk-QYQN5VQM.js";import"./chunk-NMSASDSN.js";export{a as FORMATS,c as main,b as parseArgs};
