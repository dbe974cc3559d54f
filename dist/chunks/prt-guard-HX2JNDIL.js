#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b}from"./chunk-67HYEZEE.js";import"./chunk-4J4OUJIV.js";import"./chunk-DDVE6GFJ.js";import"./chunk-73X4BRXC.js";import"./chunk-6HGTFECX.js";import"./chunk-CIABJGW4.js";import"./chunk-QYQN5VQM.js";import"./chunk-6XXXWHCZ.js";import"./chunk-NMSASDSN.js";export{a as RULES,b as default};
