#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{b as r}from"./chunks/chunk-YCB7AVEO.js";import"./chunks/chunk-4PXSU2VR.js";import"./chunks/chunk-WJMU5IHK.js";import"./chunks/chunk-BB7D2COQ.js";import"./chunks/chunk-6HGTFECX.js";import{a as o}from"./chunks/chunk-HCJT7C72.js";import"./chunks/chunk-A535ISAJ.js";import"./chunks/chunk-3GB6GSDM.js";import"./chunks/chunk-FPHCNZNB.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-2DCBYDOM.js";import"./chunks/chunk-ISJNJC6E.js";import"./chunks/chunk-MWH3L4C7.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-3V35ZNF3.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";await o(r);
