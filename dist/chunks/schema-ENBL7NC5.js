#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-77MKSWYM.js";import"./chunk-NMSASDSN.js";export{b as compileSchema,a as recordSchema,c as validateAgainst,d as validateRecord};
