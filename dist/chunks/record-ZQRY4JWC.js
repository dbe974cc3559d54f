#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-WLCSPQEN.js";import"./chunk-77MKSWYM.js";import"./chunk-XC3Z4SHR.js";import"./chunk-7HOVRFGB.js";import"./chunk-NLSEFTUJ.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as RECORD_INPUTS,b as buildExternalRecord,e as recordCommand,c as recordPathFor,d as writeExternalRecord};
