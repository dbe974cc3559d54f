#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-VOEH76UK.js";import"./chunk-YZUPLCEV.js";import"./chunk-VKE5C6FV.js";import"./chunk-MYPETOHL.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-77MKSWYM.js";import"./chunk-ZALLRKT3.js";import"./chunk-NLSEFTUJ.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as REASONS,b as default,c as runEvidenceBundle};
