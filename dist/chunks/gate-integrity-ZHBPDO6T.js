#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b}from"./chunk-QW7PNQBU.js";import"./chunk-DR32EDXW.js";import"./chunk-DDVE6GFJ.js";import"./chunk-STZU5N2Q.js";import"./chunk-6HGTFECX.js";import"./chunk-CIABJGW4.js";import"./chunk-QYQN5VQM.js";import"./chunk-6XXXWHCZ.js";import"./chunk-NMSASDSN.js";export{a as RULES,b as default};
