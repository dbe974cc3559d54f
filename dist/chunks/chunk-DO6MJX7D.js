#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);

// src/core/types.ts
var SEVERITIES = ["critical", "high", "medium", "low", "info"];
function severityRank(s) {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}
var InputError = class extends Error {
  name = "InputError";
}, ConfigError = class extends InputError {
  name = "ConfigError";
};

// src/core/digest.ts
import { createHash } from "node:crypto";
var DigestError = class extends InputError {
  name = "DigestError";
}, HEX64 = /^[0-9a-f]{64}$/;
function normalizeDigest(input, what = "digest") {
  if (typeof input != "string") throw new DigestError(`${what}: expected a string`);
  let s = input.trim();
  if (s === "") throw new DigestError(`${what}: empty`);
  let algo = "sha256", hex = s, colon = s.indexOf(":");
  if (colon >= 0 && (algo = s.slice(0, colon).toLowerCase(), hex = s.slice(colon + 1)), algo !== "sha256")
    throw new DigestError(`${what}: algorithm "${algo}" is not supported (only sha256)`);
  let lower = hex.toLowerCase();
  if (!/^[0-9a-f]*$/.test(lower))
    throw new DigestError(`${what}: "${truncate(hex)}" is not hexadecimal`);
  if (!HEX64.test(lower))
    throw new DigestError(`${what}: sha256 needs 64 hex characters, got ${lower.length}`);
  return `sha256:${lower}`;
}
function tryNormalizeDigest(input) {
  if (typeof input == "string")
    try {
      return normalizeDigest(input);
    } catch {
      return;
    }
}
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
function truncate(s) {
  return s.length > 20 ? `${s.slice(0, 20)}\u2026` : s;
}

export {
  SEVERITIES,
  severityRank,
  InputError,
  ConfigError,
  tryNormalizeDigest,
  sha256Hex
};
