#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{d as e}from"./chunks/chunk-SK7LVDSR.js";import"./chunks/chunk-XC3Z4SHR.js";import"./chunks/chunk-ER66UR7O.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-6YTLELAB.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-NLSEFTUJ.js";import"./chunks/chunk-NRW3OSGH.js";import"./chunks/chunk-3V35ZNF3.js";import"./chunks/chunk-MWH3L4C7.js";import"./chunks/chunk-CZJ3KT2J.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
