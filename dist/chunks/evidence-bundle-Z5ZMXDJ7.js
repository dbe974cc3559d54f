#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-QM53QRUO.js";import"./chunk-YZUPLCEV.js";import"./chunk-VKE5C6FV.js";import"./chunk-IXSS4GBD.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-PCI6SFGJ.js";import"./chunk-BB7D2COQ.js";import"./chunk-6HGTFECX.js";import"./chunk-2DCBYDOM.js";import"./chunk-MWH3L4C7.js";import"./chunk-ZALLRKT3.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as REASONS,b as default,c as runEvidenceBundle};
