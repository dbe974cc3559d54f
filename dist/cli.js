#!/usr/bin/env node
import{e}from"./chunks/chunk-URURNCXS.js";import"./chunks/chunk-4HO74ZDJ.js";import"./chunks/chunk-4W6KG5JM.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-D3T5EZWL.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-2QWWKTEW.js";import"./chunks/chunk-GWXH7IAP.js";import"./chunks/chunk-MHGP4H2O.js";import"./chunks/chunk-6NPFBAES.js";import"./chunks/chunk-QZXKD44E.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
