#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-X6UEKDCZ.js";import"./chunk-MBEZ4JUW.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-STZU5N2Q.js";import"./chunk-6HGTFECX.js";import"./chunk-IS25MWUF.js";import"./chunk-CIABJGW4.js";import"./chunk-QYQN5VQM.js";import"./chunk-ZALLRKT3.js";import"./chunk-6XXXWHCZ.js";import"./chunk-NMSASDSN.js";export{a as REASONS,b as default,c as runVerifySlsa,d as toolEnv};
