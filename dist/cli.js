#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{c as e}from"./chunks/chunk-R6V7VYBL.js";import"./chunks/chunk-EKNF7CCY.js";import"./chunks/chunk-KH3KPWAW.js";import"./chunks/chunk-SFMI24TW.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-IS25MWUF.js";import"./chunks/chunk-CIABJGW4.js";import"./chunks/chunk-QYQN5VQM.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-6XXXWHCZ.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
