// pin-lint's online part: resolve version comments and tags through the GitHub API; `--fix`.
import { readFileSync, writeFileSync } from 'node:fs';
import type { GateContext } from '../../core/gate.js';
import type { Finding } from '../../core/types.js';
import { GitHubApiError, GitHubClient } from '../../core/github.js';
import type { Fingerprinter } from '../../core/fingerprint.js';
import { parseYaml } from '../../core/yaml.js';
import type { UsesRef } from './scan.js';
import type { PinLintInputs } from './index.js';

type Ref = UsesRef & { text: string; abs: string };

export type Resolution = { sha: string; tag: string } | { missing: true } | { error: string };

/** Resolves `owner/repo` + tag to the commit it names, peeling annotated tags. Cached per run. */
export class TagResolver {
  readonly cache = new Map<string, Promise<Resolution>>();
  constructor(private readonly client: GitHubClient) {}

  resolve(owner: string, repo: string, tag: string): Promise<Resolution> {
    const key = `${owner}/${repo}@${tag}`.toLowerCase();
    let p = this.cache.get(key);
    if (!p) {
      p = this.lookup(owner, repo, tag);
      this.cache.set(key, p);
    }
    return p;
  }

  private async lookup(owner: string, repo: string, tag: string): Promise<Resolution> {
    const candidates = [tag];
    if (/^v\d/.test(tag)) candidates.push(tag.slice(1));
    else if (/^\d/.test(tag)) candidates.push(`v${tag}`);
    for (const t of candidates) {
      try {
        const r = await this.client.get<{ object?: { type?: string; sha?: string } }>(`/repos/${enc(owner)}/${enc(repo)}/git/ref/tags/${t.split('/').map(enc).join('/')}`);
        let obj = r.data.object;
        for (let depth = 0; obj?.type === 'tag' && depth < 8; depth++) {
          const peeled = await this.client.get<{ object?: { type?: string; sha?: string } }>(`/repos/${enc(owner)}/${enc(repo)}/git/tags/${enc(obj.sha ?? '')}`);
          obj = peeled.data.object;
        }
        if (obj?.type !== 'commit' || !/^[0-9a-f]{40}$/.test(obj.sha ?? '')) {
          return { error: `tag ${t} of ${owner}/${repo} does not resolve to a commit (got ${obj?.type ?? 'nothing'})` };
        }
        return { sha: obj.sha as string, tag: t };
      } catch (e) {
        if (e instanceof GitHubApiError && e.kind === 'not-found') continue;
        return { error: (e as Error).message };
      }
    }
    return { missing: true };
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

export function makeClient(inputs: PinLintInputs, ctx: GateContext): GitHubClient {
  return new GitHubClient({ baseUrl: inputs.apiUrl, token: inputs.token, fetch: ctx.fetch, sleep: ctx.sleep, retries: 3 });
}

export async function verifyVersionComments(refs: Ref[], inputs: PinLintInputs, ctx: GateContext, fp: Fingerprinter) {
  const resolver = new TagResolver(makeClient(inputs, ctx));
  const findings: Finding[] = [];
  const apiErrors: string[] = [];
  let resolved = 0;
  const pinnedWithVersion = refs.filter((r) => r.pinned && r.commentVersion && r.repo);
  await Promise.all(
    pinnedWithVersion.map(async (r) => {
      const res = await resolver.resolve(r.owner, r.repo, r.commentVersion as string);
      const base = { suppressed: r.suppressed ? { kind: 'inSource' as const, justification: '# chaingate: ignore[pin-lint]' } : undefined };
      if ('error' in res) {
        apiErrors.push(`${r.file}:${r.line}: cannot resolve ${r.owner}/${r.repo}@${r.commentVersion}: ${res.error}`);
        return;
      }
      resolved++;
      const loc = { file: r.file, line: r.line, column: r.column };
      if ('missing' in res) {
        findings.push({ ...loc, rule: 'version-unresolved', severity: 'medium', message: `${r.owner}/${r.repo} has no tag \`${r.commentVersion}\` (named in the comment beside the SHA)`, fingerprint: fp.make('version-unresolved', r.file, `${r.owner}/${r.repo}@${r.ref}#${r.commentVersion}`), ...(base.suppressed ? { suppressed: base.suppressed } : {}) });
      } else if (res.sha !== r.ref) {
        findings.push({ ...loc, rule: 'version-mismatch', severity: 'high', message: `the comment says \`${r.commentVersion}\`, but ${r.owner}/${r.repo}@${res.tag} is commit ${res.sha}, not ${r.ref}`, fingerprint: fp.make('version-mismatch', r.file, `${r.owner}/${r.repo}@${r.ref}#${r.commentVersion}`), ...(base.suppressed ? { suppressed: base.suppressed } : {}) });
      }
    }),
  );
  return { findings, apiErrors, resolved, cache: resolver };
}

export async function fixRefs(refs: Ref[], inputs: PinLintInputs, ctx: GateContext, resolver: TagResolver) {
  const messages: string[] = [];
  const errors: string[] = [];
  let fixed = 0;
  const todo = refs.filter((r) => !r.pinned && !r.suppressed && r.repo && !r.ref.includes('${{'));
  const byFile = new Map<string, Ref[]>();
  for (const r of todo) byFile.set(r.abs, [...(byFile.get(r.abs) ?? []), r]);
  for (const [abs, list] of byFile) {
    const buf = readFileSync(abs);
    const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    let text = buf.subarray(bom ? 3 : 0).toString('utf8');
    const edits: Array<{ start: number; end: number; insert: string; at: number; comment?: string }> = [];
    for (const r of list) {
      const res = await resolver.resolve(r.owner, r.repo, r.ref);
      if ('error' in res) {
        errors.push(`${r.file}:${r.line}: cannot resolve ${r.owner}/${r.repo}@${r.ref}: ${res.error}`);
        continue;
      }
      if ('missing' in res) {
        messages.push(`${r.file}:${r.line}: ${r.owner}/${r.repo}@${r.ref} is not a tag (a branch?): left as it is`);
        continue;
      }
      // the `# tag` comment goes at the end of the line (a comment inside a flow collection would end it early)
      let eol = text.indexOf('\n', r.valueEnd);
      if (eol < 0) eol = text.length;
      if (eol > 0 && text[eol - 1] === '\r') eol--;
      edits.push({ start: r.refStart, end: r.refEnd, insert: res.sha, at: eol, comment: r.comment === undefined ? ` # ${r.ref}` : undefined });
    }
    edits.sort((a, b) => b.start - a.start);
    const before = text;
    for (const e of edits) {
      if (e.comment) text = text.slice(0, e.at) + e.comment + text.slice(e.at);
      text = text.slice(0, e.start) + e.insert + text.slice(e.end);
    }
    if (!edits.length) continue;
    const check = parseYaml(text);
    if (check.errors.length) {
      errors.push(`${list[0].file}: the fixed file would not parse (${check.errors[0].message}); left unchanged`);
      text = before;
      continue;
    }
    writeFileSync(abs, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) : text);
    fixed += edits.length;
    messages.push(`${list[0].file}: pinned ${edits.length} reference(s) to commit SHAs`);
  }
  return { fixed, messages, errors };
}
