#!/usr/bin/env node
import{d as e}from"./chunks/chunk-WCRG2N7G.js";import"./chunks/chunk-PAYQWGGI.js";import"./chunks/chunk-K2S2UAAK.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-FPMH32YL.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-FBP3KQ3G.js";import"./chunks/chunk-FOYGOUQM.js";import"./chunks/chunk-MHGP4H2O.js";import"./chunks/chunk-6NPFBAES.js";import"./chunks/chunk-DC3277JX.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
