#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{d as i}from"./chunks/chunk-VTZYXLEW.js";import"./chunks/chunk-PCI6SFGJ.js";import"./chunks/chunk-EKEP5SUY.js";import{f as d}from"./chunks/chunk-BB7D2COQ.js";import"./chunks/chunk-6HGTFECX.js";import{a as e,b as r}from"./chunks/chunk-A535ISAJ.js";import"./chunks/chunk-FPHCNZNB.js";import{a}from"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-2DCBYDOM.js";import"./chunks/chunk-MWH3L4C7.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";var o=process.env,c=new a;c.addFromEnv(o);try{let{record:t,path:s}=i({gate:e("gate"),outcome:e("outcome"),reasons:d(e("reasons")),subject:e("subject"),subjectDigest:e("subject-digest"),details:e("details").split(`
`).map(n=>n.trim()).filter(Boolean),startedAt:e("started-at"),recordFile:e("record-file")},{cwd:o.GITHUB_WORKSPACE||process.cwd(),env:o});r("record-file",s),r("record-id",t.record_id),r("recorded-at",t.finished_at),process.stdout.write(`${c.redact(`recorded ${t.gate} ${t.outcome} (${t.reasons.join(", ")}) at ${t.finished_at} \u2192 ${s}`)}
`)}catch(t){process.stdout.write(`::error title=chaingate record::${c.redact(t.message).replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A")}
`),process.exitCode=2}
