#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{c as e}from"./chunks/chunk-FNEAUHEC.js";import"./chunks/chunk-D6IPMOPH.js";import"./chunks/chunk-HCQS6LTA.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-5EHHCX3Z.js";import"./chunks/chunk-MMSUCATJ.js";import"./chunks/chunk-OST6BHOW.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-HEOWYPZG.js";import"./chunks/chunk-ZZXKRSRC.js";import"./chunks/chunk-2AOHWFSM.js";e(process.argv.slice(2),{cwd:process.cwd(),env:process.env,out:r=>process.stdout.write(`${r}
`),err:r=>process.stderr.write(`${r}
`)}).then(r=>{process.exitCode=r},r=>{process.stderr.write(`chaingate: internal error: ${r?.stack??r}
`),process.exitCode=2});
