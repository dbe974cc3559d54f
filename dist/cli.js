#!/usr/bin/env node
import{e}from"./chunks/chunk-4CXLMZWS.js";import"./chunks/chunk-3O7ARMDO.js";import"./chunks/chunk-DQRC6RUS.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-D3T5EZWL.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-2QWWKTEW.js";import"./chunks/chunk-XXVBHSPA.js";import"./chunks/chunk-MHGP4H2O.js";import"./chunks/chunk-6NPFBAES.js";import"./chunks/chunk-ECKK3OZI.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
