#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-3FHCRXVP.js";import"./chunk-AHLHV2RB.js";import"./chunk-77MKSWYM.js";import"./chunk-NLSEFTUJ.js";import"./chunk-NRW3OSGH.js";import"./chunk-3V35ZNF3.js";import"./chunk-MWH3L4C7.js";import"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{a as REASONS,b as default,c as runDrFreshness};
