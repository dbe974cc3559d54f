#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{b as r}from"./chunks/chunk-QJSRTZ4O.js";import"./chunks/chunk-PISJ3EL2.js";import"./chunks/chunk-XCJXEEMF.js";import"./chunks/chunk-TFITWMUQ.js";import{a as o}from"./chunks/chunk-VL6OWVDR.js";import"./chunks/chunk-NTUCEP42.js";import"./chunks/chunk-ER66UR7O.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-6YTLELAB.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-NLSEFTUJ.js";import"./chunks/chunk-NRW3OSGH.js";import"./chunks/chunk-3V35ZNF3.js";import"./chunks/chunk-MWH3L4C7.js";import"./chunks/chunk-CZJ3KT2J.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";await o(r);
