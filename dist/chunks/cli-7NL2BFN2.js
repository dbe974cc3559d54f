#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-GZJERAJW.js";import"./chunk-XIIC5WDN.js";import"./chunk-OTRUUM5A.js";import"./chunk-ZALLRKT3.js";import"./chunk-5EHHCX3Z.js";import"./chunk-DYJWREBW.js";import"./chunk-OST6BHOW.js";import"./chunk-7HOVRFGB.js";import"./chunk-HEOWYPZG.js";import"./chunk-ZZXKRSRC.js";import"./chunk-2AOHWFSM.js";export{a as FORMATS,c as main,b as parseArgs};
