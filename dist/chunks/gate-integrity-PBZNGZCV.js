#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b}from"./chunk-GHDQL5AP.js";import"./chunk-ETA5QZ4O.js";import"./chunk-NSO3XZ7A.js";import"./chunk-HCQS6LTA.js";import"./chunk-5EHHCX3Z.js";import"./chunk-J4EXX4EP.js";import"./chunk-6HGTFECX.js";import"./chunk-ZZXKRSRC.js";import"./chunk-2AOHWFSM.js";export{a as RULES,b as default};
