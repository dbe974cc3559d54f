#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-OMZMGK56.js";import"./chunk-RNW76CSG.js";import"./chunk-OTRUUM5A.js";import"./chunk-5EHHCX3Z.js";import"./chunk-J4EXX4EP.js";import"./chunk-6HGTFECX.js";import"./chunk-HEOWYPZG.js";import"./chunk-ZZXKRSRC.js";import"./chunk-N7I3GSCL.js";import"./chunk-2AOHWFSM.js";export{a as REASONS,b as default,c as runDrFreshness};
