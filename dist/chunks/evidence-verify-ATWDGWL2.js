#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-6MCNBYIQ.js";import"./chunk-ODCEQK3N.js";import"./chunk-IXSS4GBD.js";import"./chunk-XCJXEEMF.js";import"./chunk-TFITWMUQ.js";import"./chunk-PCI6SFGJ.js";import"./chunk-WJMU5IHK.js";import"./chunk-BB7D2COQ.js";import"./chunk-6HGTFECX.js";import"./chunk-2DCBYDOM.js";import"./chunk-ISJNJC6E.js";import"./chunk-MWH3L4C7.js";import"./chunk-3V35ZNF3.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as CHECKS,b as REASONS,c as default,d as runEvidenceVerify};
