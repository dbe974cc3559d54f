// pin-lint's online part: resolve version comments and tags through the GitHub API; `--fix`.
import { readFileSync, writeFileSync } from 'node:fs';
import type { GateContext } from '../../core/gate.js';
import type { Finding } from '../../core/types.js';
import { GitHubApiError, GitHubClient, nextLink, sameOrigin } from '../../core/github.js';
import type { Fingerprinter } from '../../core/fingerprint.js';
import { visit } from 'yaml';
import { parseYaml } from '../../core/yaml.js';
import type { UsesRef } from './scan.js';
import type { PinLintInputs } from './index.js';
import { levelFor } from './policy.js';

type Ref = UsesRef & { text: string; abs: string };

export type Resolution = { sha: string; tag: string; tagObjects: string[] } | { missing: true } | { error: string };

type ApiGet = <T>(path: string) => Promise<{ data: T; headers: Headers }>;

/**
 * The one door to the API for the online checks. Counts requests, and after a fault about the API as a whole
 * (network, rate limit after retries, bad credentials) it makes no further request: every later call fails
 * with the same fault, so an API that is down costs one retried request, not one per pin.
 */
export class Api {
  requests = 0;
  private broken?: GitHubApiError;
  constructor(readonly client: GitHubClient) {}

  get: ApiGet = async <T>(path: string) => {
    if (this.broken) throw this.broken;
    this.requests++;
    try {
      return await this.client.get<T>(path);
    } catch (e) {
      // only faults that are about the API as a whole: a 5xx or 403 can be about one path (a heavy compare, an
      // SSO-protected organisation) and the next request may well be answered
      if (e instanceof GitHubApiError && (e.kind === 'network' || e.kind === 'rate-limited' || e.status === 401)) this.broken = e;
      throw e;
    }
  };
}

/** Resolves `owner/repo` + tag to the commit it names, peeling annotated tags. Cached per run. */
export class TagResolver {
  readonly cache = new Map<string, Promise<Resolution>>();
  private readonly peels = new Map<string, Promise<Peeled>>();
  constructor(private readonly api: Api) {}

  /**
   * `tag` with and without its `v`; `fullTag` (a comment's whole tag name, `create-github-app-token/v0.3.1`)
   * is tried first when given.
   */
  resolve(owner: string, repo: string, tag: string, fullTag?: string): Promise<Resolution> {
    const key = `${owner}/${repo}@${fullTag ? `${fullTag}|` : ''}${tag}`.toLowerCase();
    let p = this.cache.get(key);
    if (!p) {
      p = this.lookup(owner, repo, tag, fullTag);
      this.cache.set(key, p);
    }
    return p;
  }

  /** Does the repository have a branch of this name? (a comment such as `# release/v1` names a branch) */
  branch(owner: string, repo: string, name: string): Promise<boolean | { error: string }> {
    const key = `${owner}/${repo}#${name}`.toLowerCase();
    let p = this.branches.get(key);
    if (!p) {
      p = (async () => {
        try {
          const r = await this.api.get<{ object?: GitObject }>(`/repos/${enc(owner)}/${enc(repo)}/git/ref/heads/${name.split('/').map(enc).join('/')}`);
          return r.data.object?.type === 'commit';
        } catch (e) {
          if (e instanceof GitHubApiError && e.kind === 'not-found') return false;
          return { error: (e as Error).message };
        }
      })();
      this.branches.set(key, p);
    }
    return p;
  }
  private readonly branches = new Map<string, Promise<boolean | { error: string }>>();

  private async lookup(owner: string, repo: string, tag: string, fullTag?: string): Promise<Resolution> {
    const candidates = fullTag && fullTag !== tag ? [fullTag, tag] : [tag];
    if (/^v\d/.test(tag)) candidates.push(tag.slice(1));
    else if (/^\d/.test(tag)) candidates.push(`v${tag}`);
    for (const t of candidates) {
      try {
        const r = await this.api.get<{ object?: GitObject }>(`/repos/${enc(owner)}/${enc(repo)}/git/ref/tags/${t.split('/').map(enc).join('/')}`);
        let obj = r.data.object;
        const tagObjects: string[] = [];
        for (let depth = 0; obj?.type === 'tag' && depth < 8; depth++) {
          tagObjects.push(obj.sha ?? '');
          const peeled = await this.api.get<{ object?: GitObject }>(`/repos/${enc(owner)}/${enc(repo)}/git/tags/${enc(obj.sha ?? '')}`);
          obj = peeled.data.object;
        }
        if (obj?.type !== 'commit' || !FULL_SHA.test(obj.sha ?? '')) {
          return { error: `tag ${t} of ${owner}/${repo} does not resolve to a commit (got ${obj?.type ?? 'nothing'})` };
        }
        return { sha: obj.sha as string, tag: t, tagObjects };
      } catch (e) {
        if (e instanceof GitHubApiError && e.kind === 'not-found') continue;
        return { error: (e as Error).message };
      }
    }
    return { missing: true };
  }

  /**
   * Is this 40-hex SHA an annotated tag object? `GET /git/tags/{sha}` answers 404 (or 422) for anything else.
   * Peeled to the commit it points to. Cached per (repo, sha).
   */
  peel(owner: string, repo: string, sha: string): Promise<Peeled> {
    const key = `${owner}/${repo}@${sha}`.toLowerCase();
    let p = this.peels.get(key);
    if (!p) {
      p = this.peelUncached(owner, repo, sha);
      this.peels.set(key, p);
    }
    return p;
  }

  private async peelUncached(owner: string, repo: string, sha: string): Promise<Peeled> {
    let name: string | undefined;
    let cur = sha;
    try {
      for (let depth = 0; depth < 8; depth++) {
        const r = await this.api.get<{ tag?: string; object?: GitObject }>(`/repos/${enc(owner)}/${enc(repo)}/git/tags/${enc(cur)}`);
        name ??= typeof r.data.tag === 'string' ? r.data.tag : undefined;
        const obj = r.data.object;
        if (obj?.type === 'commit' && FULL_SHA.test(obj.sha ?? '')) return { tagObject: true, commit: obj.sha as string, name };
        if (obj?.type !== 'tag' || !FULL_SHA.test(obj.sha ?? '')) return { error: `tag object ${sha} of ${owner}/${repo} does not point to a commit (got ${obj?.type ?? 'nothing'})` };
        cur = obj.sha as string;
      }
      return { error: `tag object ${sha} of ${owner}/${repo}: more than 8 nested tags` };
    } catch (e) {
      // the first lookup failing with 404/422 means: not a tag object (a commit, or nothing)
      if (cur === sha && e instanceof GitHubApiError && (e.kind === 'not-found' || e.status === 422)) return { tagObject: false };
      return { error: (e as Error).message };
    }
  }
}

interface GitObject {
  type?: string;
  sha?: string;
}

export type Peeled = { tagObject: true; commit: string; name?: string } | { tagObject: false } | { error: string };

const FULL_SHA = /^[0-9a-f]{40}$/;

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Bounds of the impostor search (docs/pin-lint.md, "Impostor commits"). */
export const IMPOSTOR_LIMITS = {
  /** pages of 100 read from /tags and from /branches, each */
  listPages: 3,
  /** compare requests per pinned SHA, the default branch included */
  comparesPerSha: 10,
  /** requests the impostor search may make in one run, all repositories together */
  runBudget: 300,
};

type RefList = { refs: Array<{ name: string; sha: string }>; complete: boolean } | { error: string };
type RepoInfo = { defaultBranch: string } | { invisible: string } | { error: string };

export type Placement =
  | { found: string } // where the commit was found, e.g. "the default branch main", "tag v1.2.0"
  | { impostor: string } // what was searched, exhaustively
  | { unsettled: string } // what was searched, and why that was not enough
  | { error: string };

/**
 * Where in a repository's own history is this commit? The answer that matters is "nowhere": GitHub serves a
 * commit pushed to any fork of o/r at o/r@sha, so such a pin runs a stranger's code under o/r's name.
 * Bounded: per repository one /repos call and at most `listPages` pages of tags and of branches (cached);
 * per SHA at most `comparesPerSha` compare calls (cached); per run at most `runBudget` requests.
 */
export class CommitPlacer {
  private readonly repos = new Map<string, Promise<RepoInfo>>();
  private readonly tagLists = new Map<string, Promise<RefList>>();
  private readonly branchLists = new Map<string, Promise<RefList>>();
  private readonly places = new Map<string, Promise<Placement>>();
  private readonly compares = new Map<string, Promise<boolean | { error: string }>>();
  requests = 0;
  constructor(private readonly api: Api, readonly limits = IMPOSTOR_LIMITS) {}

  place(owner: string, repo: string, sha: string): Promise<Placement> {
    const key = `${owner}/${repo}@${sha}`.toLowerCase();
    let p = this.places.get(key);
    if (!p) {
      p = this.placeUncached(owner, repo, sha);
      this.places.set(key, p);
    }
    return p;
  }

  private budgetLeft(): boolean {
    return this.requests < this.limits.runBudget;
  }

  private async get<T>(path: string) {
    this.requests++;
    return this.api.get<T>(path);
  }

  private cached<V>(map: Map<string, Promise<V>>, key: string, make: () => Promise<V>): Promise<V> {
    let p = map.get(key);
    if (!p) {
      p = make();
      map.set(key, p);
    }
    return p;
  }

  private repoInfo(owner: string, repo: string): Promise<RepoInfo> {
    return this.cached(this.repos, `${owner}/${repo}`.toLowerCase(), async () => {
      try {
        const r = await this.get<{ default_branch?: unknown }>(`/repos/${enc(owner)}/${enc(repo)}`);
        const b = r.data.default_branch;
        if (typeof b !== 'string' || !b) return { error: `GitHub API /repos/${owner}/${repo}: no default_branch in the answer` };
        return { defaultBranch: b };
      } catch (e) {
        if (e instanceof GitHubApiError && e.kind === 'not-found') return { invisible: `${owner}/${repo} is not visible to the token (404): a private repository, or none` };
        return { error: (e as Error).message };
      }
    });
  }

  /** The repository's tags (first pages, commits peeled by the API), cached and shared with the search. */
  tags(owner: string, repo: string): Promise<RefList> {
    return this.list('tags', owner, repo);
  }

  private list(kind: 'tags' | 'branches', owner: string, repo: string): Promise<RefList> {
    const map = kind === 'tags' ? this.tagLists : this.branchLists;
    return this.cached(map, `${owner}/${repo}`.toLowerCase(), async () => {
      const refs: Array<{ name: string; sha: string }> = [];
      let next: string | undefined = `/repos/${enc(owner)}/${enc(repo)}/${kind}?per_page=100`;
      try {
        for (let page = 0; next && page < this.limits.listPages; page++) {
          if (!this.budgetLeft()) return { refs, complete: false };
          const r: { data: unknown; headers: Headers } = await this.get<unknown>(next);
          if (!Array.isArray(r.data)) return { error: `GitHub API /repos/${owner}/${repo}/${kind}: the answer is not a list` };
          for (const t of r.data as Array<{ name?: unknown; commit?: { sha?: unknown } }>) {
            if (typeof t?.name === 'string' && typeof t.commit?.sha === 'string') refs.push({ name: t.name, sha: t.commit.sha.toLowerCase() });
          }
          next = nextLink(r.headers.get('link'));
          if (next && !sameOrigin(next, this.api.client.baseUrl)) return { error: `GitHub API /repos/${owner}/${repo}/${kind}: pagination link leaves the API host` };
        }
        return { refs, complete: !next };
      } catch (e) {
        return { error: (e as Error).message };
      }
    });
  }

  /** true when `sha` is `base` or one of its ancestors (compare status behind/identical). */
  private contains(owner: string, repo: string, base: string, sha: string): Promise<boolean | { error: string }> {
    return this.cached(this.compares, `${`${owner}/${repo}`.toLowerCase()}:${base}...${sha}`, async () => {
      try {
        const r = await this.get<{ status?: unknown }>(`/repos/${enc(owner)}/${enc(repo)}/compare/${enc(base)}...${enc(sha)}`);
        const s = r.data.status;
        if (s === 'behind' || s === 'identical') return true;
        if (s === 'ahead' || s === 'diverged') return false;
        return { error: `GitHub API compare ${base}...${sha} of ${owner}/${repo}: unexpected status ${JSON.stringify(s)}` };
      } catch (e) {
        // 404: no common history (or a SHA GitHub does not know): not reachable from `base`
        if (e instanceof GitHubApiError && e.kind === 'not-found') return false;
        return { error: (e as Error).message };
      }
    });
  }

  private async placeUncached(owner: string, repo: string, sha: string): Promise<Placement> {
    if (!this.budgetLeft()) return { unsettled: `the run's budget of ${this.limits.runBudget} requests for this check was spent on other pins` };
    const info = await this.repoInfo(owner, repo);
    if ('error' in info) return { error: info.error };
    if ('invisible' in info) return { unsettled: info.invisible };
    const def = info.defaultBranch;
    let compares = 0;
    const onDefault = await this.contains(owner, repo, def, sha);
    compares++;
    if (onDefault === true) return { found: `the default branch ${def}` };
    if (typeof onDefault === 'object') return { error: onDefault.error };

    const tags = await this.list('tags', owner, repo);
    if ('error' in tags) return { error: tags.error };
    const tagHead = tags.refs.find((t) => t.sha === sha);
    if (tagHead) return { found: `tag ${tagHead.name}` };
    const branches = await this.list('branches', owner, repo);
    if ('error' in branches) return { error: branches.error };
    const branchHead = branches.refs.find((b) => b.sha === sha);
    if (branchHead) return { found: `branch ${branchHead.name}` };

    // Slow path (zizmor's impostor-commit audit compares against every branch and tag; we do it within a bound):
    // release-like branches first, then the other branches, then tags in the order the API lists them (newest
    // first, usually). Refs whose head is a commit already compared are skipped: same head, same ancestors.
    const defHead = branches.refs.find((b) => b.name === def)?.sha;
    const seenHeads = new Set<string>(defHead ? [defHead] : []);
    const releaseLike = (n: string) => /^(release|releases|rel|v\d|stable|maint|hotfix|support)([-/._]|$)/i.test(n);
    const others = branches.refs.filter((b) => b.name !== def);
    const queue = [
      ...others.filter((b) => releaseLike(b.name)).map((b) => ({ ref: b, what: 'branch', base: `refs/heads/${b.name}` })),
      ...others.filter((b) => !releaseLike(b.name)).map((b) => ({ ref: b, what: 'branch', base: `refs/heads/${b.name}` })),
      ...tags.refs.map((t) => ({ ref: t, what: 'tag', base: `refs/tags/${t.name}` })),
    ];
    let skipped = 0;
    for (const q of queue) {
      if (seenHeads.has(q.ref.sha)) continue;
      if (compares >= this.limits.comparesPerSha || !this.budgetLeft()) {
        skipped++;
        continue;
      }
      seenHeads.add(q.ref.sha);
      compares++;
      const hit = await this.contains(owner, repo, q.base, sha);
      if (hit === true) return { found: `${q.what} ${q.ref.name}` };
      if (typeof hit === 'object') return { error: hit.error };
    }
    const searched = `not reachable from the default branch ${def}, not at the head of any of ${branches.refs.length} branch(es) or ${tags.refs.length} tag(s), not an ancestor of the ${compares - 1} other distinct branch/tag head(s) compared`;
    const gaps: string[] = [];
    if (!tags.complete) gaps.push(`tags beyond the first ${tags.refs.length} were not read`);
    if (!branches.complete) gaps.push(`branches beyond the first ${branches.refs.length} were not read`);
    if (skipped) gaps.push(`${skipped} branch/tag head(s) were not compared (at most ${this.limits.comparesPerSha} compares per SHA${this.budgetLeft() ? '' : `, ${this.limits.runBudget} requests per run`})`);
    if (gaps.length) return { unsettled: `${searched}; ${gaps.join('; ')}` };
    return { impostor: searched };
  }
}


export function makeClient(inputs: PinLintInputs, ctx: GateContext): GitHubClient {
  return new GitHubClient({ baseUrl: inputs.apiUrl, token: inputs.token, fetch: ctx.fetch, sleep: ctx.sleep, retries: 3 });
}

/** The findings the online checks add; kept when `--fix` re-lints offline. */
export const ONLINE_RULES = new Set(['version-mismatch', 'version-unresolved', 'tag-object-pin', 'impostor-commit', 'impostor-unverified']);

export async function verifyOnline(refs: Ref[], inputs: PinLintInputs, ctx: GateContext, fp: Fingerprinter) {
  const api = new Api(makeClient(inputs, ctx));
  const resolver = new TagResolver(api);
  const placer = new CommitPlacer(api);
  const findings: Finding[] = [];
  const apiErrors: string[] = [];
  /** pins that name a tag object → the commit it points to (what `--fix` re-pins) */
  const tagObjectPins = new Map<Ref, string>();
  let resolved = 0;
  let placed = 0;
  const pinned = refs.filter((r) => r.pinned && r.repo && levelFor(inputs.policy, [r.owner, r.repo, r.path].filter(Boolean).join('/')) !== 'any');
  // tag lookups in parallel (cached); the verdicts below in file order, so fingerprints and budgets are deterministic
  for (const r of pinned) if (r.commentVersion) void resolver.resolve(r.owner, r.repo, r.commentVersion, r.commentTag);

  for (const r of pinned) {
    const loc = { file: r.file, line: r.line, column: r.column };
    const suppressed = r.suppressed ? { suppressed: { kind: 'inSource' as const, justification: '# chaingate: ignore[pin-lint]' } } : {};
    const token = `${r.owner}/${r.repo}@${r.ref}`;
    const add = (rule: string, severity: Finding['severity'], message: string, extra: Partial<Finding> = {}) =>
      findings.push({ ...loc, rule, severity, message, fingerprint: fp.make(rule, r.file, `${token}#${r.commentVersion ?? ''}`), ...extra, ...suppressed });
    const where = `${r.file}:${r.line}`;
    const tagObjectPin = (tagName: string, commit: string, commentTag?: string) => {
      add('tag-object-pin', 'low', tagObjectMessage(r, tagName, commit, commentTag), { properties: { commit } });
      tagObjectPins.set(r, commit);
    };
    /** the commit whose place in the repository is still to be shown; undefined once proven or unknowable */
    let target: string | undefined = r.ref;
    let peeledAlready = false;

    if (r.commentVersion) {
      const res = await resolver.resolve(r.owner, r.repo, r.commentVersion, r.commentTag);
      /**
       * `# v4` / `# v4.2` (Renovate's default, ratchet, most hand pins) names a release series: the floating tag
       * moves on with every release, the pin stays on the release it was taken from. The comment is true when a
       * tag of that series (`v4.1.1`) names the pinned commit.
       */
      const series = async (): Promise<{ tag: string } | { none: string } | { error: string } | undefined> => {
        const v = r.commentVersion!;
        if (!/^v?\d+(?:\.\d+)?$/i.test(v)) return undefined;
        const tags = await placer.tags(r.owner, r.repo);
        if ('error' in tags) return { error: tags.error };
        const base = v.replace(/^v/i, '');
        const prefix = r.commentTag && r.commentTag.endsWith(v) ? r.commentTag.slice(0, -v.length) : '';
        const inSeries = (name: string) => {
          const rest = (prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name).replace(/^v/i, '');
          return rest.startsWith(`${base}.`) && /^\d/.test(rest.slice(base.length + 1));
        };
        const hit = tags.refs.find((t) => t.sha === r.ref && inSeries(t.name));
        if (hit) return { tag: hit.name };
        return { none: `no ${prefix}${v}.* tag ${tags.complete ? `of the ${tags.refs.length} the repository has` : `among the first ${tags.refs.length} listed`} names ${r.ref}` };
      };
      /** the comment names a branch (`# release/v1`): no release to compare with; where the commit is, is the search's question */
      const branchNamed = async () => {
        const name = r.commentTag ?? r.commentVersion!;
        return resolver.branch(r.owner, r.repo, name);
      };
      if ('error' in res) {
        apiErrors.push(`${where}: cannot resolve ${r.owner}/${r.repo}@${r.commentVersion}: ${res.error}`);
      } else {
        resolved++;
        if ('missing' in res) {
          const sr = await series();
          const br = sr && 'tag' in sr ? undefined : await branchNamed();
          if (sr && 'tag' in sr) target = undefined; // the repository's own tag names this very commit
          else if (sr && 'error' in sr) apiErrors.push(`${where}: cannot list the tags of ${r.owner}/${r.repo}: ${sr.error}`);
          else if (typeof br === 'object') apiErrors.push(`${where}: cannot tell whether ${r.owner}/${r.repo} has a branch ${r.commentTag ?? r.commentVersion}: ${br.error}`);
          else if (br !== true) {
            add('version-unresolved', 'medium', `${r.owner}/${r.repo} has no tag \`${r.commentTag ?? r.commentVersion}\` (named in the comment beside the SHA)${sr && 'none' in sr ? `, and ${sr.none}` : ''}`);
          }
        } else if (res.sha === r.ref) {
          target = undefined; // the repository's own tag names this very commit: in the repository
        } else if (res.tagObjects.includes(r.ref)) {
          // reached from the repository's own tag ref: in the repository
          tagObjectPin(res.tag, res.sha);
          target = undefined;
        } else {
          const sr = await series();
          const br = r.commentTag && res.tag !== r.commentTag && !(sr && 'tag' in sr) ? await branchNamed() : false;
          if (sr && 'tag' in sr) target = undefined;
          else if (sr && 'error' in sr) apiErrors.push(`${where}: cannot list the tags of ${r.owner}/${r.repo}: ${sr.error}`);
          else if (typeof br === 'object') apiErrors.push(`${where}: cannot tell whether ${r.owner}/${r.repo} has a branch ${r.commentTag}: ${br.error}`);
          else if (br === true) {
            /* `# release/v1` names the branch, not the tag v1: nothing to compare */
          } else {
            const also = sr && 'none' in sr ? `; ${sr.none}` : '';
            const pe = await resolver.peel(r.owner, r.repo, r.ref);
            peeledAlready = true;
            if ('error' in pe) {
              apiErrors.push(`${where}: cannot tell whether ${r.ref} is a tag object of ${r.owner}/${r.repo}: ${pe.error}`);
              target = undefined;
            } else if (pe.tagObject && pe.commit === res.sha) {
              // another tag's object (v4 beside v4.1.1) for the same commit: the code is the commit the repository's tag names
              tagObjectPin(pe.name ?? 'a tag', pe.commit, res.tag);
              target = undefined;
            } else if (pe.tagObject) {
              add('version-mismatch', 'high', `the comment says \`${r.commentTag ?? r.commentVersion}\`, but ${r.owner}/${r.repo}@${res.tag} is commit ${res.sha}; ${r.ref} is the annotated tag object${pe.name ? ` of \`${pe.name}\`` : ''}, which points to commit ${pe.commit}${also}`);
              target = pe.commit;
            } else {
              add('version-mismatch', 'high', `the comment says \`${r.commentTag ?? r.commentVersion}\`, but ${r.owner}/${r.repo}@${res.tag} is commit ${res.sha}, not ${r.ref}${also}`);
            }
          }
        }
      }
    }
    if (!target) continue;

    let place = await placer.place(r.owner, r.repo, target);
    if (!peeledAlready && !('found' in place) && !('error' in place)) {
      // not found as a commit: maybe the SHA is an annotated tag object; then the commit it points to is what runs
      const pe = await resolver.peel(r.owner, r.repo, target);
      if ('error' in pe) place = { error: pe.error };
      else if (pe.tagObject) {
        tagObjectPin(pe.name ?? 'a tag', pe.commit);
        target = pe.commit;
        place = await placer.place(r.owner, r.repo, target);
      }
    }
    placed++;
    const what = target === r.ref ? `commit ${r.ref}` : `commit ${target} (which ${r.ref} points to)`;
    if ('error' in place) apiErrors.push(`${where}: cannot tell whether ${r.owner}/${r.repo}@${r.ref} is in the repository: ${place.error}`);
    else if ('impostor' in place) {
      add('impostor-commit', 'high', `${what} is not in ${r.owner}/${r.repo}'s own history (${place.impostor}): GitHub serves a commit pushed to any fork at ${r.owner}/${r.repo}@<sha>, so this pin can run a stranger's code under ${r.owner}/${r.repo}'s name`, { properties: { commit: target } });
    } else if ('unsettled' in place) {
      add('impostor-unverified', 'high', `could not show that ${what} is in ${r.owner}/${r.repo}'s own history rather than only in a fork (${place.unsettled}): pin the commit of a release tag with its \`# vX.Y.Z\` comment, or, after checking the commit by hand, add \`# chaingate: ignore[pin-lint]\``, { isError: true, properties: { commit: target } });
    }
  }
  return { findings, apiErrors, resolved, placed, tagObjectPins, api, impostorRequests: placer.requests, cache: resolver };
}

function tagObjectMessage(r: Ref, tagName: string, commit: string, commentTag?: string): string {
  return `${r.ref} is the annotated tag object of \`${tagName}\` in ${r.owner}/${r.repo}, not a commit; it points to commit ${commit}${commentTag ? ` (the commit of \`${commentTag}\`)` : ''}. The runner peels it to that commit, but reviewers, Dependabot and Renovate expect a commit SHA, and the object can vanish with its tag: pin ${commit}`;
}

export async function fixRefs(refs: Ref[], inputs: PinLintInputs, ctx: GateContext, resolver: TagResolver, tagObjectPins = new Map<Ref, string>()) {
  const messages: string[] = [];
  const errors: string[] = [];
  /** files --fix would have damaged, so left as they were */
  const unfixable: string[] = [];
  /** `file:line:column` of the tag-object pins re-pinned to their commit */
  const repinned = new Set<string>();
  let fixed = 0;
  const todo = refs.filter((r) => (!r.pinned || tagObjectPins.has(r)) && !r.suppressed && r.repo && !r.ref.includes('${{'));
  const byFile = new Map<string, Ref[]>();
  for (const r of todo) byFile.set(r.abs, [...(byFile.get(r.abs) ?? []), r]);
  for (const [abs, list] of byFile) {
    const buf = readFileSync(abs);
    const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    let text = buf.subarray(bom ? 3 : 0).toString('utf8');
    /** byte-range replacements: a ref → its SHA, and ` # tag` inserted at a line end */
    const edits: Array<{ start: number; end: number; insert: string }> = [];
    /** line end → the tags whose comment goes there (two refs on one line of flow style share one comment) */
    const comments = new Map<number, Array<{ tag: string; full: string }>>();
    const here: string[] = [];
    const nameOf = (r: Ref) => [r.owner, r.repo, r.path].filter(Boolean).join('/');
    for (const r of list) {
      if (text.slice(r.refStart, r.refEnd) !== r.ref) {
        // written with escapes or a line break inside quotes (`"o/r@v4\u002e2"`): the ref is not in the text as such
        messages.push(`${r.file}:${r.line}: ${r.owner}/${r.repo}@${r.ref} is not written out plainly in the file (escapes or a line break inside quotes): left as it is, pin it by hand`);
        continue;
      }
      const commit = tagObjectPins.get(r);
      if (commit) {
        // a tag object → the commit it points to; the comment stays as it is
        edits.push({ start: r.refStart, end: r.refEnd, insert: commit });
        here.push(`${r.file}:${r.line}:${r.column}`);
        continue;
      }
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
      edits.push({ start: r.refStart, end: r.refEnd, insert: res.sha });
      if (r.comment === undefined && !r.blockScalar) comments.set(eol, [...(comments.get(eol) ?? []), { tag: r.ref, full: `${nameOf(r)}@${r.ref}` }]);
    }
    for (const [at, tags] of comments) {
      // one ref on the line: `# v4`; several (flow style): `# actions/checkout@v4, actions/cache@v4`
      edits.push({ start: at, end: at, insert: ` # ${tags.length > 1 ? tags.map((t) => t.full).join(', ') : tags[0].tag}` });
    }
    if (!edits.length) continue;
    // from the end of the file backwards, so that every offset still points where it did; at one offset the
    // insertion (a comment at a line end) goes after the replacement that ends there
    edits.sort((a, b) => b.start - a.start || (a.start === a.end ? -1 : 1));
    const before = text;
    const apply = (list: typeof edits) => list.reduce((t, e) => t.slice(0, e.start) + e.insert + t.slice(e.end), before);
    text = apply(edits);
    let problem = structureChanged(before, text, edits);
    if (problem && edits.some((e) => e.start === e.end)) {
      // a line that ends inside a multi-line quoted string would take the comment into the string: pin without comments
      const bare = edits.filter((e) => e.start !== e.end);
      const again = apply(bare);
      if (!structureChanged(before, again, bare)) {
        messages.push(`${list[0].file}: the \`# <tag>\` comments were not added (a line ends inside a string, where a comment would change the value)`);
        text = again;
        problem = undefined;
      }
    }
    if (problem) {
      unfixable.push(`${list[0].file}: ${problem}; left unchanged`);
      text = before;
      continue;
    }
    writeFileSync(abs, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) : text);
    fixed += edits.filter((e) => e.start !== e.end).length;
    for (const h of here) repinned.add(h);
    messages.push(`${list[0].file}: pinned ${edits.filter((e) => e.start !== e.end).length} reference(s) to commit SHAs`);
  }
  return { fixed, messages, errors, unfixable, repinned };
}

/**
 * Why the fixed text is not the original with only its refs swapped: it does not parse, or it parses to another
 * structure (a comment that swallowed the rest of a flow collection, a value cut short). undefined when it is.
 * `edits` are the replacements made in `before` (insertions, start === end, change no value).
 */
export function structureChanged(before: string, after: string, edits: Array<{ start: number; end: number; insert: string }>): string | undefined {
  const a = parseYaml(after);
  if (a.errors.length) return `the fixed file would not parse (${a.errors[0].message})`;
  const b = parseYaml(before);
  const swaps = edits.filter((e) => e.start !== e.end).map((e) => ({ ...e, old: before.slice(e.start, e.end) }));
  // the original, with each edited scalar's ref swapped in place: what the fixed file must parse to
  for (const d of b.docs) {
    visit(d, {
      Scalar(_k, node) {
        if (typeof node.value !== 'string' || !node.range) return;
        for (const e of swaps) {
          const v = node.value as string;
          if (e.start >= node.range[0] && e.end <= node.range[1] && v.includes(`@${e.old}`)) node.value = v.replace(`@${e.old}`, `@${e.insert}`);
        }
      },
    });
  }
  const js = (docs: typeof a.docs) => JSON.stringify(docs.map((d) => d.toJS({ maxAliasCount: -1 })));
  try {
    if (js(a.docs) !== js(b.docs)) return 'the fixed file would parse to another structure than the original with its refs pinned';
  } catch (e) {
    return `the file's structure cannot be compared (${(e as Error).message})`;
  }
  return undefined;
}
