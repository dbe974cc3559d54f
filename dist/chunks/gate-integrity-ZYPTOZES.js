#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-3SDSP3BQ.js";import"./chunk-OBJ24ZNA.js";import"./chunk-WJMU5IHK.js";import"./chunk-NRW3OSGH.js";import"./chunk-3V35ZNF3.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{b as RULES,c as default,a as localActionResolver};
