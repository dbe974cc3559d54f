#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{c as a,d as b,e as c,f as d,g as e,h as f,i as g,j as h,k as i,l as j,m as k}from"./chunk-CZJ3KT2J.js";import"./chunk-XTOWBJKB.js";import"./chunk-NMSASDSN.js";export{c as MAX_FILE_BYTES,i as discoverWorkflowFiles,b as ensureDir,a as fsErrorText,h as isWorkflowPath,f as looksLikeWorkflowOrAction,g as mustBeWorkflow,k as parseBool,e as readDiscovered,d as readTextFile,j as splitList};
