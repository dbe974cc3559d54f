#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-S4YIKF5T.js";import"./chunk-WJMU5IHK.js";import"./chunk-BB7D2COQ.js";import"./chunk-6HGTFECX.js";import"./chunk-ISJNJC6E.js";import"./chunk-MWH3L4C7.js";import"./chunk-3V35ZNF3.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as REASONS,e as banditExcludes,b as default,d as holdsPythonCode,c as runBanditGate};
