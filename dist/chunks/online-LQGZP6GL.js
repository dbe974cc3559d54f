#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import {
  retry
} from "./chunk-EANWHSN4.js";
import {
  parseYaml
} from "./chunk-IUU2ATNU.js";

// src/gates/pin-lint/online.ts
import { readFileSync, writeFileSync } from "node:fs";

// src/core/github.ts
var GitHubApiError = class extends Error {
  constructor(message, status, kind) {
    super(message);
    this.status = status;
    this.kind = kind;
    this.name = "GitHubApiError";
  }
  status;
  kind;
}, GitHubClient = class {
  baseUrl;
  opts;
  requests = 0;
  constructor(opts) {
    this.opts = opts, this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
  }
  /** GET a path (`/repos/o/r/...`) or a full URL on the same host (pagination links). */
  async get(pathOrUrl, query) {
    let url = this.url(pathOrUrl, query), f = this.opts.fetch ?? globalThis.fetch, maxWait = this.opts.maxWaitMs ?? 6e4, now = this.opts.now ?? Date.now, out = await retry(
      async () => {
        this.requests++;
        let ctl = new AbortController(), t = setTimeout(() => ctl.abort(), this.opts.timeoutMs ?? 3e4);
        try {
          let res2 = await f(url, {
            headers: {
              accept: "application/vnd.github+json",
              "x-github-api-version": "2022-11-28",
              "user-agent": this.opts.userAgent ?? "chaingate",
              ...this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}
            },
            signal: ctl.signal,
            redirect: "follow"
          }), body = await res2.text();
          return { res: res2, body };
        } catch (error) {
          return { error };
        } finally {
          clearTimeout(t);
        }
      },
      {
        retries: this.opts.retries ?? 3,
        baseDelayMs: 1e3,
        sleep: this.opts.sleep,
        random: this.opts.random,
        isTransientResult: (a2) => {
          if (a2.error) return !0;
          let s = a2.res.status;
          if (s >= 500) return !0;
          if (s === 429 || s === 403 && isRateLimited(a2.res)) {
            let wait = rateLimitWait(a2.res, now());
            return wait !== void 0 && wait <= maxWait;
          }
          return !1;
        },
        retryAfterMs: (a2) => a2?.res ? rateLimitWait(a2.res, now()) : void 0
      }
    ), a = out.value, where = redactUrl(url);
    if (a.error)
      throw new GitHubApiError(`GitHub API ${where}: ${a.error?.name === "AbortError" ? "request timed out" : `network error: ${a.error?.message ?? a.error}`}`, 0, "network");
    let res = a.res;
    if (res.status === 404) throw new GitHubApiError(`GitHub API ${where}: 404 not found`, 404, "not-found");
    if (res.status === 401) throw new GitHubApiError(`GitHub API ${where}: 401 bad credentials`, 401, "auth");
    if (res.status === 429 || res.status === 403 && isRateLimited(res))
      throw new GitHubApiError(`GitHub API ${where}: rate limited (${res.status}); gave up after ${out.attempts} attempt(s)`, res.status, "rate-limited");
    if (res.status === 403) throw new GitHubApiError(`GitHub API ${where}: 403 forbidden (token lacks access?)`, 403, "auth");
    if (res.status >= 500) throw new GitHubApiError(`GitHub API ${where}: server error ${res.status} after ${out.attempts} attempt(s)`, res.status, "server");
    if (res.status < 200 || res.status >= 300) throw new GitHubApiError(`GitHub API ${where}: unexpected status ${res.status}`, res.status, "client");
    let data;
    try {
      data = JSON.parse(a.body ?? "");
    } catch {
      throw new GitHubApiError(`GitHub API ${where}: response is not JSON`, res.status, "bad-response");
    }
    return { status: res.status, data, headers: res.headers };
  }
  /** Follow `Link: <…>; rel="next"` until `max` pages or no next link. */
  async *paginate(path, query, maxPages = 10) {
    let next = this.url(path, query);
    for (let page = 0; next && page < maxPages; page++) {
      let res = await this.get(next);
      if (yield res, next = nextLink(res.headers.get("link")), next && !sameOrigin(next, this.baseUrl))
        throw new GitHubApiError(`GitHub API: pagination link leaves ${this.baseUrl}`, 0, "bad-response");
    }
  }
  url(pathOrUrl, query) {
    let u = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(this.baseUrl + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl);
    for (let [k, v] of Object.entries(query ?? {})) v !== void 0 && u.searchParams.set(k, String(v));
    return u.toString();
  }
};
function isRateLimited(res) {
  return res.headers.get("x-ratelimit-remaining") === "0" || res.headers.has("retry-after");
}
function rateLimitWait(res, nowMs) {
  let ra = res.headers.get("retry-after");
  if (ra) {
    if (/^\d+$/.test(ra.trim())) return Number(ra.trim()) * 1e3;
    let d = Date.parse(ra);
    if (!Number.isNaN(d)) return Math.max(0, d - nowMs);
  }
  if (res.headers.get("x-ratelimit-remaining") === "0") {
    let reset = Number(res.headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1e3 - nowMs);
  }
  return res.status === 429 ? 6e4 : void 0;
}
function nextLink(link) {
  if (link)
    for (let part of link.split(",")) {
      let m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
      if (m) return m[1];
    }
}
function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return !1;
  }
}
function redactUrl(u) {
  try {
    let url = new URL(u);
    return url.username = "", url.password = "", `${url.pathname}${url.search}`;
  } catch {
    return "(url)";
  }
}

// src/gates/pin-lint/online.ts
var TagResolver = class {
  constructor(client) {
    this.client = client;
  }
  client;
  cache = /* @__PURE__ */ new Map();
  resolve(owner, repo, tag) {
    let key = `${owner}/${repo}@${tag}`.toLowerCase(), p = this.cache.get(key);
    return p || (p = this.lookup(owner, repo, tag), this.cache.set(key, p)), p;
  }
  async lookup(owner, repo, tag) {
    let candidates = [tag];
    /^v\d/.test(tag) ? candidates.push(tag.slice(1)) : /^\d/.test(tag) && candidates.push(`v${tag}`);
    for (let t of candidates)
      try {
        let obj = (await this.client.get(`/repos/${enc(owner)}/${enc(repo)}/git/ref/tags/${t.split("/").map(enc).join("/")}`)).data.object;
        for (let depth = 0; obj?.type === "tag" && depth < 8; depth++)
          obj = (await this.client.get(`/repos/${enc(owner)}/${enc(repo)}/git/tags/${enc(obj.sha ?? "")}`)).data.object;
        return obj?.type !== "commit" || !/^[0-9a-f]{40}$/.test(obj.sha ?? "") ? { error: `tag ${t} of ${owner}/${repo} does not resolve to a commit (got ${obj?.type ?? "nothing"})` } : { sha: obj.sha, tag: t };
      } catch (e) {
        if (e instanceof GitHubApiError && e.kind === "not-found") continue;
        return { error: e.message };
      }
    return { missing: !0 };
  }
};
function enc(s) {
  return encodeURIComponent(s);
}
function makeClient(inputs, ctx) {
  return new GitHubClient({ baseUrl: inputs.apiUrl, token: inputs.token, fetch: ctx.fetch, sleep: ctx.sleep, retries: 3 });
}
async function verifyVersionComments(refs, inputs, ctx, fp) {
  let resolver = new TagResolver(makeClient(inputs, ctx)), findings = [], apiErrors = [], resolved = 0, pinnedWithVersion = refs.filter((r) => r.pinned && r.commentVersion && r.repo);
  return await Promise.all(
    pinnedWithVersion.map(async (r) => {
      let res = await resolver.resolve(r.owner, r.repo, r.commentVersion), base = { suppressed: r.suppressed ? { kind: "inSource", justification: "# chaingate: ignore[pin-lint]" } : void 0 };
      if ("error" in res) {
        apiErrors.push(`${r.file}:${r.line}: cannot resolve ${r.owner}/${r.repo}@${r.commentVersion}: ${res.error}`);
        return;
      }
      resolved++;
      let loc = { file: r.file, line: r.line, column: r.column };
      "missing" in res ? findings.push({ ...loc, rule: "version-unresolved", severity: "medium", message: `${r.owner}/${r.repo} has no tag \`${r.commentVersion}\` (named in the comment beside the SHA)`, fingerprint: fp.make("version-unresolved", r.file, `${r.owner}/${r.repo}@${r.ref}#${r.commentVersion}`), ...base.suppressed ? { suppressed: base.suppressed } : {} }) : res.sha !== r.ref && findings.push({ ...loc, rule: "version-mismatch", severity: "high", message: `the comment says \`${r.commentVersion}\`, but ${r.owner}/${r.repo}@${res.tag} is commit ${res.sha}, not ${r.ref}`, fingerprint: fp.make("version-mismatch", r.file, `${r.owner}/${r.repo}@${r.ref}#${r.commentVersion}`), ...base.suppressed ? { suppressed: base.suppressed } : {} });
    })
  ), { findings, apiErrors, resolved, cache: resolver };
}
async function fixRefs(refs, inputs, ctx, resolver) {
  let messages = [], errors = [], fixed = 0, todo = refs.filter((r) => !r.pinned && !r.suppressed && r.repo && !r.ref.includes("${{")), byFile = /* @__PURE__ */ new Map();
  for (let r of todo) byFile.set(r.abs, [...byFile.get(r.abs) ?? [], r]);
  for (let [abs, list] of byFile) {
    let buf = readFileSync(abs), bom = buf[0] === 239 && buf[1] === 187 && buf[2] === 191, text = buf.subarray(bom ? 3 : 0).toString("utf8"), edits = [];
    for (let r of list) {
      let res = await resolver.resolve(r.owner, r.repo, r.ref);
      if ("error" in res) {
        errors.push(`${r.file}:${r.line}: cannot resolve ${r.owner}/${r.repo}@${r.ref}: ${res.error}`);
        continue;
      }
      if ("missing" in res) {
        messages.push(`${r.file}:${r.line}: ${r.owner}/${r.repo}@${r.ref} is not a tag (a branch?): left as it is`);
        continue;
      }
      let eol = text.indexOf(`
`, r.valueEnd);
      eol < 0 && (eol = text.length), eol > 0 && text[eol - 1] === "\r" && eol--, edits.push({ start: r.refStart, end: r.refEnd, insert: res.sha, at: eol, comment: r.comment === void 0 ? ` # ${r.ref}` : void 0 });
    }
    edits.sort((a, b) => b.start - a.start);
    let before = text;
    for (let e of edits)
      e.comment && (text = text.slice(0, e.at) + e.comment + text.slice(e.at)), text = text.slice(0, e.start) + e.insert + text.slice(e.end);
    if (!edits.length) continue;
    let check = parseYaml(text);
    if (check.errors.length) {
      errors.push(`${list[0].file}: the fixed file would not parse (${check.errors[0].message}); left unchanged`), text = before;
      continue;
    }
    writeFileSync(abs, bom ? Buffer.concat([Buffer.from([239, 187, 191]), Buffer.from(text, "utf8")]) : text), fixed += edits.length, messages.push(`${list[0].file}: pinned ${edits.length} reference(s) to commit SHAs`);
  }
  return { fixed, messages, errors };
}
export {
  TagResolver,
  fixRefs,
  makeClient,
  verifyVersionComments
};
