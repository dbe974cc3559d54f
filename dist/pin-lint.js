#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import{b as r}from"./chunks/chunk-JX4AFVBW.js";import"./chunks/chunk-NSO3XZ7A.js";import{a as o}from"./chunks/chunk-TOQLU6SK.js";import"./chunks/chunk-D6IPMOPH.js";import"./chunks/chunk-HCQS6LTA.js";import"./chunks/chunk-ZALLRKT3.js";import"./chunks/chunk-5EHHCX3Z.js";import"./chunks/chunk-J4EXX4EP.js";import"./chunks/chunk-6HGTFECX.js";import"./chunks/chunk-CWQ57TDJ.js";import"./chunks/chunk-OST6BHOW.js";import"./chunks/chunk-7HOVRFGB.js";import"./chunks/chunk-HEOWYPZG.js";import"./chunks/chunk-ZZXKRSRC.js";import"./chunks/chunk-2AOHWFSM.js";await o(r);
