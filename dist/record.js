#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{d as i}from"./chunks/chunk-WLCSPQEN.js";import"./chunks/chunk-77MKSWYM.js";import"./chunks/chunk-XC3Z4SHR.js";import{a as e,b as r}from"./chunks/chunk-NTUCEP42.js";import"./chunks/chunk-6YTLELAB.js";import{a as d}from"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-NLSEFTUJ.js";import"./chunks/chunk-MWH3L4C7.js";import{l as a}from"./chunks/chunk-CZJ3KT2J.js";import"./chunks/chunk-XTOWBJKB.js";import"./chunks/chunk-NMSASDSN.js";var o=process.env,c=new d;c.addFromEnv(o);try{let{record:t,path:s}=i({gate:e("gate"),outcome:e("outcome"),reasons:a(e("reasons")),subject:e("subject"),subjectDigest:e("subject-digest"),details:e("details").split(`
`).map(n=>n.trim()).filter(Boolean),startedAt:e("started-at"),recordFile:e("record-file")},{cwd:o.GITHUB_WORKSPACE||process.cwd(),env:o});r("record-file",s),r("record-id",t.record_id),r("recorded-at",t.finished_at),process.stdout.write(`${c.redact(`recorded ${t.gate} ${t.outcome} (${t.reasons.join(", ")}) at ${t.finished_at} \u2192 ${s}`)}
`)}catch(t){process.stdout.write(`::error title=chaingate record::${c.redact(t.message).replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A")}
`),process.exitCode=2}
