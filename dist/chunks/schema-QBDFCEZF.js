import{a,b,c,d,e}from"./chunk-5XRVEM4N.js";import"./chunk-NMSASDSN.js";export{c as compileSchema,b as configSchema,a as recordSchema,d as validateAgainst,e as validateRecord};
