#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{c as e}from"./chunks/chunk-HRPUNENT.js";import"./chunks/chunk-KX2XX4S5.js";import"./chunks/chunk-VHHAJCNU.js";import"./chunks/chunk-JEDSV4KH.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-AXF6WL23.js";import"./chunks/chunk-6XXXWHCZ.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-A74HYFGI.js";import"./chunks/chunk-QYQN5VQM.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
