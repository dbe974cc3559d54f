#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-CORWUCAA.js";import"./chunk-YZUPLCEV.js";import"./chunk-VKE5C6FV.js";import"./chunk-EOJZUQPB.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-PCI6SFGJ.js";import"./chunk-STZU5N2Q.js";import"./chunk-6HGTFECX.js";import"./chunk-IS25MWUF.js";import"./chunk-QYQN5VQM.js";import"./chunk-ZALLRKT3.js";import"./chunk-NMSASDSN.js";export{a as REASONS,b as default,c as runEvidenceBundle};
