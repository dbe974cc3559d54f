#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{b as r}from"./chunks/chunk-ZX5EJUQW.js";import"./chunks/chunk-MBEZ4JUW.js";import"./chunks/chunk-XCJXEEMF.js";import"./chunks/chunk-TFITWMUQ.js";import"./chunks/chunk-STZU5N2Q.js";import"./chunks/chunk-6HGTFECX.js";import{a as o}from"./chunks/chunk-JAKDW4M4.js";import"./chunks/chunk-4VKVBRY5.js";import"./chunks/chunk-KH3KPWAW.js";import"./chunks/chunk-SFMI24TW.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-IS25MWUF.js";import"./chunks/chunk-CIABJGW4.js";import"./chunks/chunk-QYQN5VQM.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-6XXXWHCZ.js";import"./chunks/chunk-NMSASDSN.js";await o(r);
