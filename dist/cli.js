#!/usr/bin/env node
import{e}from"./chunks/chunk-T4NGDE3T.js";import"./chunks/chunk-HYR2MMEX.js";import"./chunks/chunk-WK4W2CCM.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-D3T5EZWL.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-2QWWKTEW.js";import"./chunks/chunk-DTDZW3FS.js";import"./chunks/chunk-MHGP4H2O.js";import"./chunks/chunk-6NPFBAES.js";import"./chunks/chunk-QZXKD44E.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
