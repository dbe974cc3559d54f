#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-L7CTD6AD.js";import"./chunk-WXUF7FAU.js";import"./chunk-WJMU5IHK.js";import"./chunk-BB7D2COQ.js";import"./chunk-6HGTFECX.js";import"./chunk-ISJNJC6E.js";import"./chunk-MWH3L4C7.js";import"./chunk-3V35ZNF3.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{b as RULES,c as default,a as localActionResolver};
