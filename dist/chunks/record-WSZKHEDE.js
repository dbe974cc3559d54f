#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-VTZYXLEW.js";import"./chunk-PCI6SFGJ.js";import"./chunk-EKEP5SUY.js";import"./chunk-BB7D2COQ.js";import"./chunk-6HGTFECX.js";import"./chunk-7HOVRFGB.js";import"./chunk-2DCBYDOM.js";import"./chunk-MWH3L4C7.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as RECORD_INPUTS,b as buildExternalRecord,e as recordCommand,c as recordPathFor,d as writeExternalRecord};
