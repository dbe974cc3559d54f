#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
var d=t=>new Promise(e=>setTimeout(e,t));function y(t,e,o,a){let i=Math.min(o,e*2**t);return Math.round(i*(.5+a()/2))}async function T(t,e){let o=e.baseDelayMs??500,a=e.maxDelayMs??3e4,i=e.sleep??d,f=e.random??Math.random;for(let r=0;;r++){let s,n,m=!1;try{s=await t(r)}catch(c){n=c,m=!0}let u=r>=e.retries;if(m){if(u||!(e.isTransientError?.(n)??!1))throw n}else if(u||!(e.isTransientResult?.(s)??!1))return{value:s,attempts:r+1};let l=e.retryAfterMs?.(s,n),b=l!==void 0?Math.min(l,a):y(r,o,a,f);e.onRetry?.(r+1,b,m?String(n?.message??n):"transient result"),await i(b)}}export{d as a,T as b};
