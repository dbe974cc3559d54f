#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-HRPUNENT.js";import"./chunk-KX2XX4S5.js";import"./chunk-VHHAJCNU.js";import"./chunk-JEDSV4KH.js";import"./chunk-7HOVRFGB.js";import"./chunk-AXF6WL23.js";import"./chunk-6XXXWHCZ.js";import"./chunk-ZALLRKT3.js";import"./chunk-A74HYFGI.js";import"./chunk-QYQN5VQM.js";import"./chunk-NMSASDSN.js";export{a as FORMATS,c as main,b as parseArgs};
