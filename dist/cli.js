#!/usr/bin/env node
import{d as e}from"./chunks/chunk-4XRSVA6X.js";import"./chunks/chunk-J3KN4OHL.js";import"./chunks/chunk-QPFN2ABO.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-TJ4IPIL2.js";import"./chunks/chunk-34GMSY73.js";import"./chunks/chunk-MDDMHMFQ.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-DSBE2WW3.js";import"./chunks/chunk-NGIKBHFD.js";import"./chunks/chunk-3TSNS3MQ.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
