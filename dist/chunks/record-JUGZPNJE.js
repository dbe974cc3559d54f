#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-BK7JAUJI.js";import"./chunk-PCI6SFGJ.js";import"./chunk-EKNF7CCY.js";import"./chunk-STZU5N2Q.js";import"./chunk-6HGTFECX.js";import"./chunk-7HOVRFGB.js";import"./chunk-IS25MWUF.js";import"./chunk-QYQN5VQM.js";import"./chunk-NMSASDSN.js";export{a as RECORD_INPUTS,b as buildExternalRecord,e as recordCommand,c as recordPathFor,d as writeExternalRecord};
