#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{e as t}from"./chunk-MWH3L4C7.js";var n=class{seen=new Map;make(r,i,a,o=""){let c=a.replace(/\s+/g," ").trim(),e=`${r}\0${i.replace(/\\/g,"/")}\0${o}\0${c}`,s=this.seen.get(e)??0;return this.seen.set(e,s+1),t(`${e}\0${s}`).slice(0,32)}};export{n as a};
