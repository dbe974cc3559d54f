#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-YDRVHGVO.js";import"./chunk-N7I3GSCL.js";import"./chunk-MMSUCATJ.js";import"./chunk-J4EXX4EP.js";import"./chunk-6HGTFECX.js";import"./chunk-7HOVRFGB.js";import"./chunk-HEOWYPZG.js";import"./chunk-ZZXKRSRC.js";import"./chunk-2AOHWFSM.js";export{a as RECORD_INPUTS,b as buildExternalRecord,e as recordCommand,c as recordPathFor,d as writeExternalRecord};
