#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{d as r}from"./chunks/chunk-IBO6MUWH.js";import"./chunks/chunk-6MC24D37.js";import"./chunks/chunk-ZALLRKT3.js";import{b as o}from"./chunks/chunk-WNBM3LN4.js";import"./chunks/chunk-B7O5LFPT.js";import"./chunks/chunk-5EHHCX3Z.js";import"./chunks/chunk-2AOHWFSM.js";await r(o);
