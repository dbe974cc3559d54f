#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-PCHM667O.js";import"./chunk-DDVE6GFJ.js";import"./chunk-STZU5N2Q.js";import"./chunk-6HGTFECX.js";import"./chunk-CIABJGW4.js";import"./chunk-QYQN5VQM.js";import"./chunk-6XXXWHCZ.js";import"./chunk-NMSASDSN.js";export{a as REASONS,b as default,d as holdsPythonCode,c as runBanditGate};
