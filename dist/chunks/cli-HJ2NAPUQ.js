#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-FNEAUHEC.js";import"./chunk-D6IPMOPH.js";import"./chunk-HCQS6LTA.js";import"./chunk-ZALLRKT3.js";import"./chunk-5EHHCX3Z.js";import"./chunk-MMSUCATJ.js";import"./chunk-OST6BHOW.js";import"./chunk-7HOVRFGB.js";import"./chunk-HEOWYPZG.js";import"./chunk-ZZXKRSRC.js";import"./chunk-2AOHWFSM.js";export{a as FORMATS,c as main,b as parseArgs};
