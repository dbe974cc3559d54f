#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{b as r}from"./chunks/chunk-WTJOM3XU.js";import"./chunks/chunk-WJMU5IHK.js";import{a as o}from"./chunks/chunk-CPDGIT6G.js";import"./chunks/chunk-A535ISAJ.js";import"./chunks/chunk-4GMSESFE.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-FPHCNZNB.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-2DCBYDOM.js";import"./chunks/chunk-S4R4S4EU.js";import"./chunks/chunk-3V35ZNF3.js";import"./chunks/chunk-MWH3L4C7.js";import"./chunks/chunk-TZPV4H5E.js";import"./chunks/chunk-6HGTFECX.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";await o(r);
