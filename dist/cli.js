#!/usr/bin/env node
import{d as e}from"./chunks/chunk-2N4YHJOM.js";import"./chunks/chunk-NF5BQY2C.js";import"./chunks/chunk-Y3WUKSCT.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-ZM3O547Q.js";import"./chunks/chunk-34GMSY73.js";import"./chunks/chunk-XAOMCVOE.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-7SAPORIE.js";import"./chunks/chunk-MHGP4H2O.js";import"./chunks/chunk-6NPFBAES.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
