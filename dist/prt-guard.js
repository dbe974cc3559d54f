#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{b as r}from"./chunks/chunk-CP3MAAIB.js";import"./chunks/chunk-OMNARSRC.js";import"./chunks/chunk-DDVE6GFJ.js";import"./chunks/chunk-73X4BRXC.js";import"./chunks/chunk-6HGTFECX.js";import{a as o}from"./chunks/chunk-JBMH3Z3K.js";import"./chunks/chunk-GOFXM5FR.js";import"./chunks/chunk-VHHAJCNU.js";import"./chunks/chunk-JEDSV4KH.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-AXF6WL23.js";import"./chunks/chunk-6XXXWHCZ.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-A74HYFGI.js";import"./chunks/chunk-QYQN5VQM.js";import"./chunks/chunk-NMSASDSN.js";await o(r);
