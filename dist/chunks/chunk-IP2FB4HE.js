#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import {
  ConfigError,
  InputError,
  SEVERITIES,
  severityRank,
  sha256Hex
} from "./chunk-DO6MJX7D.js";
import {
  import_yaml,
  mapEntries,
  mapGet,
  parseYaml,
  posOf,
  scalarContentPos,
  scalarString,
  seqItems
} from "./chunk-IUU2ATNU.js";

// src/core/files.ts
import { readFileSync, statSync as statSync2 } from "node:fs";
import { basename, isAbsolute as isAbsolute2, join as join2, resolve as resolvePath } from "node:path";

// src/core/glob.ts
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep, isAbsolute } from "node:path";
function globToRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    let c = glob[i];
    if (c === "*")
      if (glob[i + 1] === "*") {
        let slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*", i += slash ? 2 : 1;
      } else re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{") {
      let end = glob.indexOf("}", i);
      end > i ? (re += `(?:${glob.slice(i + 1, end).split(",").map(escape).join("|")})`, i = end) : re += "\\{";
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}
function escape(s) {
  return s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}
var DEFAULT_SKIP_DIRS = /* @__PURE__ */ new Set(["node_modules", ".git", ".hg", ".svn"]);
function walk(root, accept, skip) {
  let out = [], stack = [""];
  for (; stack.length; ) {
    let rel = stack.pop(), entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: !0 });
    } catch {
      continue;
    }
    for (let e of entries) {
      let r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (DEFAULT_SKIP_DIRS.has(e.name) || skip?.(r)) continue;
        stack.push(r);
      } else e.isFile() && accept(r) && out.push(r);
    }
  }
  return out.sort();
}
function toPosix(p, root) {
  return relative(root, p).split(sep).join("/") || ".";
}

// src/core/files.ts
var MAX_FILE_BYTES = 8 * 1024 * 1024;
function readTextFile(abs) {
  let buf;
  try {
    if (statSync2(abs).size > MAX_FILE_BYTES) return { ok: !1, reason: "too-large", message: `file is larger than ${MAX_FILE_BYTES} bytes` };
    buf = readFileSync(abs);
  } catch (e) {
    return { ok: !1, reason: "unreadable-file", message: `cannot read file: ${e.code ?? e.message}` };
  }
  if (buf.includes(0)) return { ok: !1, reason: "binary", message: "file is binary (contains NUL bytes), not YAML" };
  try {
    return { ok: !0, text: new TextDecoder("utf-8", { fatal: !0 }).decode(buf) };
  } catch {
    return { ok: !1, reason: "not-utf8", message: "file is not valid UTF-8" };
  }
}
var YAML_EXT = /\.ya?ml$/i, ACTION_FILE = /^action\.ya?ml$/i;
function isWorkflowPath(rel) {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(rel);
}
function discoverWorkflowFiles(cwd, paths, exclude = []) {
  let ex = exclude.map(globToRegExp), excluded = (rel) => ex.some((re) => re.test(rel)), out = /* @__PURE__ */ new Map(), addRepo = (root) => {
    for (let rel of walk(root, (r) => isWorkflowPath(r) && r.split("/").length === 3 || ACTION_FILE.test(basename(r)), (d) => excluded(toPosix(join2(root, d), cwd)))) {
      let abs = join2(root, rel), shown = toPosix(abs, cwd);
      excluded(shown) || out.set(abs, { abs, rel: shown, expected: !0 });
    }
  };
  if (paths.length === 0)
    return addRepo(cwd), [...out.values()].sort((a, b) => a.rel < b.rel ? -1 : 1);
  for (let p of paths) {
    let abs = isAbsolute2(p) ? p : resolvePath(cwd, p), st;
    try {
      st = statSync2(abs);
    } catch {
      throw new InputError(`${p}: no such file or directory`);
    }
    if (st.isFile())
      out.set(abs, { abs, rel: toPosix(abs, cwd), expected: !0 });
    else if (st.isDirectory()) {
      let hasWorkflows = !1;
      try {
        hasWorkflows = statSync2(join2(abs, ".github", "workflows")).isDirectory();
      } catch {
      }
      if (hasWorkflows) addRepo(abs);
      else
        for (let rel of walk(abs, (r) => YAML_EXT.test(r), (d) => excluded(toPosix(join2(abs, d), cwd)))) {
          let f = join2(abs, rel), shown = toPosix(f, cwd);
          excluded(shown) || out.set(f, { abs: f, rel: shown, expected: isWorkflowPath(shown) || ACTION_FILE.test(basename(f)) });
        }
    }
  }
  return [...out.values()].sort((a, b) => a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);
}
function parseBool(v, name, def = !1) {
  if (v === void 0 || v.trim() === "") return def;
  let s = v.trim().toLowerCase();
  if (["true", "yes", "1", "on"].includes(s)) return !0;
  if (["false", "no", "0", "off"].includes(s)) return !1;
  throw new InputError(`${name}: "${v}" is not a boolean (true or false)`);
}

// src/core/fingerprint.ts
var Fingerprinter = class {
  seen = /* @__PURE__ */ new Map();
  make(rule, file, token, context = "") {
    let norm = token.replace(/\s+/g, " ").trim(), key = `${rule}\0${file.replace(/\\/g, "/")}\0${context}\0${norm}`, n = this.seen.get(key) ?? 0;
    return this.seen.set(key, n + 1), sha256Hex(`${key}\0${n}`).slice(0, 32);
  }
};

// src/gates/pin-lint/policy.ts
var PIN_LEVELS = ["hash-pin", "ref-pin", "any"], SEG = /^[A-Za-z0-9_.-]+$/;
function patternProblem(p) {
  if (p === "*") return;
  let parts = p.split("/");
  if (parts.length < 2) return `"${p}" is not a pattern: use owner/repo/path, owner/repo, owner/* or *`;
  if (parts.length === 2 && parts[1] === "*")
    return SEG.test(parts[0]) ? void 0 : `"${p}": invalid owner "${parts[0]}"`;
  for (let seg of parts) {
    if (seg === "*" || seg.includes("*")) return `"${p}": a wildcard is only allowed as owner/* or *`;
    if (!SEG.test(seg)) return `"${p}": invalid segment "${seg}"`;
  }
}
function buildPolicy(entries, locate) {
  let policy = { exact: /* @__PURE__ */ new Map(), owner: /* @__PURE__ */ new Map(), fallback: "hash-pin" };
  for (let [pattern, level] of Object.entries(entries ?? {})) {
    let where = locate ? `${locate(pattern)}: ` : "", problem = patternProblem(pattern);
    if (problem) throw new ConfigError(`${where}pin-lint.policy: ${problem}`);
    if (!PIN_LEVELS.includes(level))
      throw new ConfigError(`${where}pin-lint.policy."${pattern}": "${String(level)}" is not one of ${PIN_LEVELS.join(", ")}`);
    let l = level;
    pattern === "*" ? policy.fallback = l : pattern.endsWith("/*") ? policy.owner.set(pattern.slice(0, -2).toLowerCase(), l) : policy.exact.set(pattern.toLowerCase(), l);
  }
  return policy;
}
function levelFor(policy, name) {
  let parts = name.toLowerCase().split("/");
  for (let n = parts.length; n >= 2; n--) {
    let hit = policy.exact.get(parts.slice(0, n).join("/"));
    if (hit) return hit;
  }
  let o = policy.owner.get(parts[0]);
  return o || policy.fallback;
}

// src/gates/pin-lint/scan.ts
var FULL_SHA = /^[0-9a-f]{40}$/, DIGEST_PIN = /@sha256:[0-9a-f]{64}$/, EXPR = /\$\{\{/, MATRIX_EXPR = /^\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}$/, IGNORE = /#\s*chaingate:\s*ignore\[([^\]]*)\]/, PIN_RULES = {
  "unpinned-action": { severity: "high" },
  "unpinned-image": { severity: "high" },
  "unpinnable-ref": { severity: "medium" },
  "version-comment": { severity: "low" },
  "version-mismatch": { severity: "high" },
  "version-unresolved": { severity: "medium" },
  "parse-error": { severity: "high" }
};
function kindOf(doc) {
  if (!doc) return "other";
  let root = doc.contents;
  return (0, import_yaml.isMap)(root) ? mapGet(doc, root, "jobs") ? "workflow" : mapGet(doc, root, "runs") ? "action" : "other" : "other";
}
function versionInComment(comment) {
  let m = /(?:^|[\s=@/:#(])((?:v\s?)?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.-]+)?)(?=$|[\s,;)#])/i.exec(comment);
  if (!m) {
    let p = /(?:^|\s)pin(v\d+(?:\.\d+){0,3})\b/i.exec(comment);
    return p ? p[1] : void 0;
  }
  return m[1].replace(/\s+/g, "");
}
function scanText(file, source, opts) {
  let fp = opts.fingerprinter ?? new Fingerprinter(), gate2 = opts.gate ?? "pin-lint", p = parseYaml(source), findings = [], refs = [], checked = 0;
  if (p.errors.length) {
    let e = p.errors[0];
    return findings.push({
      rule: "parse-error",
      severity: "high",
      isError: !0,
      message: `invalid YAML: ${e.message}`,
      file,
      line: e.line,
      column: e.column,
      fingerprint: fp.make("parse-error", file, "")
    }), { kind: "other", findings, refs, checked };
  }
  let lineOf = (offset) => p.lineCounter.linePos(offset).line, lineStr = (line) => {
    let s = p.lineCounter.lineStarts[line - 1] ?? 0, e = p.lineCounter.lineStarts[line] ?? p.text.length;
    return p.text.slice(s, e);
  }, suppressedOn = (offset) => {
    let m = IGNORE.exec(lineStr(lineOf(offset)));
    return !!m && m[1].split(",").map((s) => s.trim()).some((g) => g === gate2 || g === "*" || g === "all");
  }, commentAfter = (end) => {
    let line = lineOf(end), lineEnd = p.lineCounter.lineStarts[line] ?? p.text.length, rest = p.text.slice(end, lineEnd).replace(/\r?\n$/, ""), m = /^\s+#\s?(.*)$/.exec(rest) ?? /^\s*#\s?(.*)$/.exec(rest);
    return m ? m[1].trim() : void 0;
  }, add = (rule, node, message, token, context, extra) => {
    let pos = scalarContentPos(p, node) ?? posOf(p, node);
    if (!pos) return;
    let sup = suppressedOn(pos.offset);
    findings.push({
      rule,
      severity: PIN_RULES[rule].severity,
      message,
      file,
      line: pos.line,
      column: pos.column,
      endLine: pos.endLine,
      endColumn: pos.endColumn,
      fingerprint: fp.make(rule, file, token, context),
      ...sup ? { suppressed: { kind: "inSource", justification: `# chaingate: ignore[${gate2}]` } } : {},
      ...extra
    });
  }, kind = "other";
  for (let doc of p.docs) {
    let k = kindOf(doc);
    if (k === "other") continue;
    kind = k;
    let root = doc.contents, checkUses = (node, context, where, matrixOf) => {
      if (!node) return;
      let value = scalarString(doc, node);
      if (value === void 0) return;
      let v = value.trim();
      if (!(v.startsWith("./") || v.startsWith(".\\") || v === ".")) {
        if (checked++, EXPR.test(v)) {
          let m = MATRIX_EXPR.exec(v), values = m ? matrixValues(doc, matrixOf ?? null, m[1]) : void 0;
          if (values) {
            for (let mv of values) checkUsesValue(mv.value, mv.node, context, where, !0);
            return;
          }
          if (levelFor(opts.policy, "*") === "any") return;
          add("unpinnable-ref", node, `\`${v}\` is built from an expression, so it cannot be checked for a pin; write the reference out`, v, context);
          return;
        }
        checkUsesValue(v, node, context, where, !1);
      }
    }, checkUsesValue = (v, node, context, where, fromMatrix) => {
      if (v.startsWith("./")) return;
      if (v.startsWith("docker://")) {
        let image = v.slice(9), level2 = levelFor(opts.policy, imageName(image));
        if (level2 === "any" || DIGEST_PIN.test(image) || level2 === "ref-pin" && /[:@]/.test(image.split("/").pop() ?? "")) return;
        add("unpinned-image", node, `\`${v}\` is not pinned by digest: use docker://${imageName(image)}@sha256:<64 hex>`, v, context);
        return;
      }
      let at = v.lastIndexOf("@"), name = at >= 0 ? v.slice(0, at) : v, ref = at >= 0 ? v.slice(at + 1) : "", parts = name.split("/"), what = where === "job" ? "reusable workflow" : "action", level = levelFor(opts.policy, name), raw = scalarContentPos(p, node);
      if (!fromMatrix && raw && ref) {
        let src = p.text.slice(raw.offset, raw.endOffset), at2 = src.lastIndexOf(`@${ref}`), refStart = raw.offset + (at2 >= 0 ? at2 + 1 : src.length - ref.length), comment = commentAfter(posOf(p, node).endOffset);
        refs.push({
          file,
          line: raw.line,
          column: raw.column,
          refStart,
          refEnd: refStart + ref.length,
          valueEnd: posOf(p, node).endOffset,
          owner: parts[0],
          repo: parts[1] ?? "",
          path: parts.slice(2).join("/"),
          ref,
          comment,
          commentVersion: comment ? versionInComment(comment) : void 0,
          pinned: FULL_SHA.test(ref),
          suppressed: suppressedOn(raw.offset)
        });
      }
      if (level === "any") return;
      if (!ref || parts.length < 2 || !parts[0] || !parts[1]) {
        add("unpinned-action", node, `\`${v}\` names no ref: pin the ${what} to a full commit SHA (owner/repo@<40 hex>)`, v, context);
        return;
      }
      if (FULL_SHA.test(ref)) {
        let comment = raw ? commentAfter(posOf(p, node).endOffset) : void 0;
        comment !== void 0 && !IGNORE.test(`#${comment}`) && !versionInComment(comment) && add("version-comment", node, `the comment beside the SHA (\`# ${comment}\`) does not name a version: write the tag the SHA was taken from (e.g. \`# v4.1.1\`)`, v, context);
        return;
      }
      if (level === "ref-pin") return;
      let why;
      /^[0-9a-fA-F]{40}$/.test(ref) ? why = "a commit SHA must be written in lowercase hex" : /^[0-9a-f]{7,39}$/i.test(ref) ? why = `\`${ref}\` is an abbreviated SHA (${ref.length} characters): a short SHA can become ambiguous` : /^[0-9a-f]{41,}$/i.test(ref) ? why = `\`${ref}\` is longer than a commit SHA (${ref.length} characters)` : why = `\`${ref}\` is a tag or branch, which can be moved to other code`, add("unpinned-action", node, `${what} \`${name}\` is not pinned to a full commit SHA: ${why}; pin it to the 40-hex SHA (with a \`# <tag>\` comment)`, v, context);
    }, checkImage = (node, context, matrixOf) => {
      if (!node) return;
      let value = scalarString(doc, node);
      if (value === void 0 || value.trim() === "") return;
      let v = value.trim();
      if (checked++, EXPR.test(v)) {
        let m = MATRIX_EXPR.exec(v), values = m ? matrixValues(doc, matrixOf, m[1]) : void 0;
        if (values) {
          for (let mv of values) checkImageValue(mv.value, mv.node, context);
          return;
        }
        if (levelFor(opts.policy, "*") === "any") return;
        add("unpinnable-ref", node, `image \`${v}\` is built from an expression, so it cannot be checked for a digest pin`, v, context);
        return;
      }
      checkImageValue(v, node, context);
    }, checkImageValue = (v, node, context) => {
      let image = v.startsWith("docker://") ? v.slice(9) : v, level = levelFor(opts.policy, imageName(image));
      level === "any" || DIGEST_PIN.test(image) || level !== "ref-pin" && add("unpinned-image", node, `image \`${v}\` is not pinned by digest: a tag can be re-pushed; use ${imageName(image)}@sha256:<64 hex>`, v, context);
    };
    if (k === "workflow")
      for (let job of mapEntries(doc, mapGet(doc, root, "jobs"))) {
        let j = job.value;
        if (!(0, import_yaml.isMap)(j)) continue;
        let strategy = mapGet(doc, j, "strategy"), matrix = strategy ? mapGet(doc, strategy, "matrix") : null;
        checkUses(mapGet(doc, j, "uses"), `${job.key}`, "job", matrix);
        let container = mapGet(doc, j, "container");
        container && checkImage((0, import_yaml.isMap)(container) ? mapGet(doc, container, "image") : container, `${job.key}/container`, matrix);
        for (let svc of mapEntries(doc, mapGet(doc, j, "services")))
          checkImage((0, import_yaml.isMap)(svc.value) ? mapGet(doc, svc.value, "image") : svc.value, `${job.key}/services/${svc.key}`, matrix);
        seqItems(doc, mapGet(doc, j, "steps")).forEach((step, i) => {
          (0, import_yaml.isMap)(step) && checkUses(mapGet(doc, step, "uses"), `${job.key}/${stepName(doc, step, i)}`, "step", matrix);
        });
      }
    else {
      let runs = mapGet(doc, root, "runs");
      seqItems(doc, mapGet(doc, runs, "steps")).forEach((step, i) => {
        (0, import_yaml.isMap)(step) && checkUses(mapGet(doc, step, "uses"), `runs/${stepName(doc, step, i)}`, "step", null);
      });
      let image = mapGet(doc, runs, "image"), iv = scalarString(doc, image);
      image && iv && iv.startsWith("docker://") && checkImage(image, "runs/image", null);
    }
  }
  return { kind, findings, refs, checked };
}
function stepName(doc, step, i) {
  return scalarString(doc, mapGet(doc, step, "id")) ?? scalarString(doc, mapGet(doc, step, "name")) ?? `#${i}`;
}
function imageName(image) {
  let s = image.split("@")[0], slash = s.lastIndexOf("/"), colon = s.lastIndexOf(":");
  return colon > slash && (s = s.slice(0, colon)), s;
}
function matrixValues(doc, matrix, key) {
  if (!matrix || !(0, import_yaml.isMap)(matrix)) return;
  let out = [], list = mapGet(doc, matrix, key);
  if (list) {
    let items = seqItems(doc, list);
    if (!items.length) return;
    for (let it of items) {
      let s = scalarString(doc, it);
      if (!(0, import_yaml.isScalar)(it) || s === void 0 || EXPR.test(s)) return;
      out.push({ value: s.trim(), node: it });
    }
  }
  let include = mapGet(doc, matrix, "include");
  if (include) {
    if ((0, import_yaml.isScalar)(include)) return;
    for (let entry of seqItems(doc, include)) {
      let n = mapGet(doc, entry, key);
      if (!n) continue;
      let s = scalarString(doc, n);
      if (s === void 0 || EXPR.test(s)) return;
      out.push({ value: s.trim(), node: n });
    }
  }
  return out.length ? out : void 0;
}

// src/gates/pin-lint/index.ts
var RULES = [
  {
    id: "unpinned-action",
    name: "UnpinnedAction",
    description: "Action or reusable workflow not pinned to a full 40-character commit SHA",
    help: "A tag or branch can be moved to other code by whoever controls the repository. Pin `uses:` to the full commit SHA and keep the tag in a comment: `uses: actions/checkout@<40 hex> # v4.2.2`.",
    defaultSeverity: "high"
  },
  {
    id: "unpinned-image",
    name: "UnpinnedImage",
    description: "Container, service or docker:// image not pinned by sha256 digest",
    help: "An image tag can be re-pushed. Reference the image by digest: `image: node:22@sha256:<64 hex>`.",
    defaultSeverity: "high"
  },
  {
    id: "unpinnable-ref",
    name: "UnpinnableRef",
    description: "Reference built from an expression that cannot be checked statically",
    help: "A `uses:` or image built from `${{ \u2026 }}` cannot be verified to be pinned. Write the reference out, or list the values in the job matrix.",
    defaultSeverity: "medium"
  },
  {
    id: "version-comment",
    name: "VersionComment",
    description: "Comment beside a pinned SHA does not name a version",
    help: "Keep the tag the SHA was taken from in a comment (`# v4.2.2`) so reviewers and update tools know what it is.",
    defaultSeverity: "low"
  },
  {
    id: "version-mismatch",
    name: "VersionMismatch",
    description: "The version comment names a tag that points to another commit",
    help: "The comment says one release, the SHA is another: either the comment is stale or the SHA was swapped. Re-pin with `chaingate pin-lint --fix`.",
    defaultSeverity: "high"
  },
  {
    id: "version-unresolved",
    name: "VersionUnresolved",
    description: "The version comment names a tag the repository does not have",
    defaultSeverity: "medium"
  },
  {
    id: "parse-error",
    name: "ParseError",
    description: "File could not be read or parsed",
    defaultSeverity: "high"
  }
], REASONS = ["unpinned", "unpinnable", "version-mismatch", "api-error", "fixed"], gate = {
  id: "pin-lint",
  title: "pin-lint",
  description: "every action, reusable workflow and container image pinned to an immutable digest",
  static: !0,
  inputs: [
    {
      name: "paths",
      description: "Files or directories to scan, one per line. Default: `.github/workflows/*.yml` and every `action.yml` in the workspace.",
      positional: !0
    },
    { name: "fail-on", description: "Lowest severity that fails the gate: critical, high, medium, low or info.", default: "medium" },
    {
      name: "token",
      description: "GitHub token. When given, version comments are resolved through the GitHub API (annotated tags peeled) and mismatches reported; `fix` needs it.",
      secret: !0
    },
    { name: "api-url", description: "GitHub REST API base URL. Default: `$GITHUB_API_URL`, else https://api.github.com." },
    { name: "fix", description: "Rewrite tag refs to commit SHAs with a `# <tag>` comment, changing no other byte (needs `token`).", flag: !0, default: "false" }
  ],
  outputs: [],
  rules: RULES,
  reasons: REASONS,
  parseInputs(raw, ctx) {
    let cfg = ctx.config.config["pin-lint"] ?? {}, locate = (k) => {
      let pos = ctx.config.locate(["pin-lint", "policy", k]);
      return pos ? `${ctx.config.file}:${pos.line}:${pos.column}` : `${ctx.config.file ?? "config"}`;
    }, policy = buildPolicy(cfg.policy, locate), failOn = (raw["fail-on"] || cfg["fail-on"] || "medium").trim();
    if (!SEVERITIES.includes(failOn)) throw new InputError(`fail-on: "${failOn}" is not one of ${SEVERITIES.join(", ")}`);
    let fix = parseBool(raw.fix, "fix"), token = raw.token?.trim() || void 0;
    if (fix && !token) throw new InputError("fix: rewriting tags to SHAs needs the GitHub API: give a token (--token or GITHUB_TOKEN)");
    return {
      paths: (raw.paths ?? "").split(`
`).map((s) => s.trim()).filter(Boolean),
      exclude: cfg.exclude ?? [],
      policy,
      failOn,
      token,
      apiUrl: (raw["api-url"] || ctx.env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
      fix
    };
  },
  async run(inputs, ctx) {
    return runPinLint(inputs, ctx);
  }
}, pin_lint_default = gate;
async function runPinLint(inputs, ctx) {
  let files = discoverWorkflowFiles(ctx.cwd, inputs.paths, inputs.exclude), fp = new Fingerprinter(), findings = [], refs = [], scanned = 0, checked = 0, skipped = 0;
  for (let f of files) {
    let read = readTextFile(f.abs);
    if (!read.ok) {
      if (!f.expected && read.reason !== "unreadable-file") {
        skipped++;
        continue;
      }
      findings.push({ rule: "parse-error", severity: "high", isError: !0, message: read.message, file: f.rel, line: 1, column: 1, fingerprint: fp.make("parse-error", f.rel, read.reason) });
      continue;
    }
    let res = scanText(f.rel, read.text, { policy: inputs.policy, fingerprinter: fp });
    if (res.kind === "other" && !res.findings.length) {
      skipped++;
      continue;
    }
    if (res.kind === "other" && !f.expected && !/^(jobs|runs):/m.test(read.text)) {
      skipped++;
      continue;
    }
    scanned++, checked += res.checked, findings.push(...res.findings);
    for (let r of res.refs) refs.push({ ...r, text: read.text, abs: f.abs });
  }
  let reasons = /* @__PURE__ */ new Set(), metrics = { files: files.length, scanned, skipped, references: checked }, messages = [];
  if (inputs.token) {
    let { verifyVersionComments, fixRefs } = await import("./online-LQGZP6GL.js"), online = await verifyVersionComments(refs, inputs, ctx, fp);
    if (findings.push(...online.findings), online.apiErrors.length && (reasons.add("api-error"), messages.push(...online.apiErrors)), metrics.resolved = online.resolved, inputs.fix) {
      let fixed = await fixRefs(refs, inputs, ctx, online.cache);
      if (metrics.fixed = fixed.fixed, messages.push(...fixed.messages), fixed.errors.length && (reasons.add("api-error"), messages.push(...fixed.errors)), fixed.fixed) {
        reasons.add("fixed");
        let again = await runPinLint({ ...inputs, token: void 0, fix: !1 }, ctx), keep = findings.filter((f) => f.rule.startsWith("version-"));
        return { ...again, findings: [...again.findings, ...keep.filter((k) => again.findings.every((a) => a.fingerprint !== k.fingerprint))], reasons: [.../* @__PURE__ */ new Set([...again.reasons, ...reasons])], metrics: { ...again.metrics, fixed: fixed.fixed }, messages: [...messages, ...again.messages ?? []] };
      }
    }
  }
  if (files.length === 0)
    return messages = [...messages, inputs.paths.length ? "no YAML files found under the given paths" : "no workflow or action files found (looked for .github/workflows/*.yml and action.yml)"], { outcome: inputs.paths.length ? "error" : "skip", reasons: ["no-files"], findings, metrics, messages, policy: policyRecord(inputs) };
  let open = findings.filter((f) => !f.suppressed), errors = open.filter((f) => f.isError), failing = open.filter((f) => !f.isError && severityRank(f.severity) >= severityRank(inputs.failOn));
  for (let f of failing)
    f.rule === "unpinned-action" || f.rule === "unpinned-image" ? reasons.add("unpinned") : f.rule === "unpinnable-ref" ? reasons.add("unpinnable") : f.rule === "version-mismatch" ? reasons.add("version-mismatch") : reasons.add("findings");
  errors.length && reasons.add("parse-error"), findings.some((f) => f.suppressed) && reasons.add("findings-suppressed");
  let outcome = errors.length || reasons.has("api-error") ? "error" : failing.length ? "fail" : "pass";
  return outcome === "pass" && reasons.add("ok"), { outcome, reasons: [...reasons], findings, metrics, messages, policy: policyRecord(inputs) };
}
function policyRecord(inputs) {
  let p = { "fail-on": inputs.failOn, default: inputs.policy.fallback, online: !!inputs.token };
  for (let [k, v] of inputs.policy.exact) p[k] = v;
  for (let [k, v] of inputs.policy.owner) p[`${k}/*`] = v;
  return p;
}

export {
  RULES,
  pin_lint_default,
  runPinLint
};
