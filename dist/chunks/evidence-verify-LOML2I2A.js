#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-AIQNJRS2.js";import"./chunk-MBEZ4JUW.js";import"./chunk-EOJZUQPB.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-PCI6SFGJ.js";import"./chunk-DDVE6GFJ.js";import"./chunk-STZU5N2Q.js";import"./chunk-6HGTFECX.js";import"./chunk-IS25MWUF.js";import"./chunk-CIABJGW4.js";import"./chunk-QYQN5VQM.js";import"./chunk-6XXXWHCZ.js";import"./chunk-NMSASDSN.js";export{a as CHECKS,b as REASONS,c as default,d as runEvidenceVerify};
