#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
var i=["pass","fail","error","skip"],r=["critical","high","medium","low","info"];function o(e){return r.length-r.indexOf(e)}var n=class extends Error{name="InputError"},t=class extends n{name="ConfigError"};export{i as a,r as b,o as c,n as d,t as e};
