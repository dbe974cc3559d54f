#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{c as e}from"./chunks/chunk-Y5MQM3IG.js";import"./chunks/chunk-EKEP5SUY.js";import"./chunks/chunk-3GB6GSDM.js";import"./chunks/chunk-FPHCNZNB.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-2DCBYDOM.js";import"./chunks/chunk-ISJNJC6E.js";import"./chunks/chunk-MWH3L4C7.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-3V35ZNF3.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
