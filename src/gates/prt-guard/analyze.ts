// prt-guard's analysis: privileged triggers, untrusted checkouts and what executes them, template injection,
// the checkout v7 opt-out, and token permissions. Pure: models in, findings out.
import type { Finding, RelatedLocation, Severity } from '../../core/types.js';
import { Fingerprinter } from '../../core/fingerprint.js';
import { isMap, isScalar, mapEntries, scalarString, type YNode } from '../../core/yaml.js';
import { analyzeExpression, actorControlledIn, findExpressions, isPrRefPath, isPrRepoPath } from './expr.js';
import { commentAfter, nodeLoc, spanLoc, splitUses, type Job, type Loc, type Step, type WorkflowModel } from './model.js';
import { commandWords, findSubstitutions, scriptCommands, tokenizeShell, tokenizeSlice, type Command } from './shell.js';
import type { ScalarText } from './scalar.js';
import { insideJsString, jsPayloadSinks } from './js.js';
import { artifactEnvWrite, envTaint, githubScriptDownloadsArtifact, hasPrEvents, pathTaint, untrustedDirsBefore, valueTaint, type Taint, type UntrustedDir } from './taint.js';

export const PRIVILEGED_EVENTS = ['pull_request_target', 'workflow_run', 'issue_comment', 'issues', 'pull_request_review', 'pull_request_review_comment'];
const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);
/** events under which actions/checkout v7 refuses fork code without the opt-out */
const V7_GUARDED = new Set(['pull_request_target', 'workflow_run']);

export type UpstreamLookup = (from: WorkflowModel, name: string) => WorkflowModel | undefined;

/** Reads a local reusable workflow (`uses: ./.github/workflows/x.yml`) from the repository; undefined when absent. */
export type LocalWorkflowResolver = (from: WorkflowModel, path: string) => WorkflowModel | undefined;

export interface AnalyzeOptions {
  fingerprinter: Fingerprinter;
  lookup: UpstreamLookup;
  /** follow privileged jobs into local reusable workflows (not given: calls are not followed) */
  resolveLocal?: LocalWorkflowResolver;
  /** follow steps into local composite actions (`uses: ./.github/actions/x`); not given: not followed */
  resolveAction?: LocalWorkflowResolver;
}

export interface WorkflowPrivilege {
  privileged: string[];
  /** workflow_run upstreams that could not be found */
  unknownUpstreams: string[];
}

/** Which of the workflow's triggers run with the base repository's token and secrets on attacker input. */
export function privilegeOf(m: WorkflowModel, lookup: UpstreamLookup, seen = new Set<string>()): WorkflowPrivilege {
  const privileged: string[] = [];
  const unknownUpstreams: string[] = [];
  for (const t of m.triggers) {
    if (!PRIVILEGED_EVENTS.includes(t)) continue;
    if (t === 'workflow_run') {
      seen.add(m.file);
      const ups = m.workflowRunUpstreams;
      let pr = ups.length === 0;
      if (!ups.length) unknownUpstreams.push('(none listed)');
      for (const u of ups) {
        const up = lookup(m, u);
        if (!up) {
          unknownUpstreams.push(u);
          pr = true;
          continue;
        }
        if ([...up.triggers].some((x) => PR_EVENTS.has(x))) pr = true;
        else if (up.triggers.has('workflow_run') && !seen.has(up.file) && privilegeOf(up, lookup, seen).privileged.includes('workflow_run')) pr = true;
      }
      if (pr) privileged.push(t);
    } else privileged.push(t);
  }
  return { privileged, unknownUpstreams };
}

// ---------------------------------------------------------------------------------------------
// `if:` narrowing: which events can a job/step run under, and is it limited to same-repository PRs

function stripExpr(s: string | undefined): string {
  return (s ?? '').trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
}

/** Top-level `op` operands of a condition (parentheses and quoted strings respected), outer parentheses removed. */
function splitTop(c: string, op: '|' | '&'): string[] {
  const out: string[] = [];
  let depth = 0;
  let q = false;
  let from = 0;
  for (let i = 0; i < c.length; i++) {
    const ch = c[i];
    if (q) {
      if (ch === "'") q = false;
    } else if (ch === "'") q = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && ch === op && c[i + 1] === op) {
      out.push(c.slice(from, i));
      from = i + 2;
      i++;
    }
  }
  out.push(c.slice(from));
  return out.map(unwrap);
}

/** Top-level `||` operands. */
const disjuncts = (c: string): string[] => splitTop(c, '|');

/**
 * Top-level `&&` operands of a condition without a top-level `||` (`==` binds tighter than `&&`, so each operand is a
 * whole comparison). A barrier counts only when one operand IS the barrier: `x == y == false`, `false == x == y`,
 * `format('{0}', x == y)` or `! x` contain the barrier's text but let a fork's pull request through.
 */
const conjuncts = (c: string): string[] => splitTop(unwrap(c), '&');

/** `(a && b)` → `a && b` when the outer parentheses enclose the whole condition. */
function unwrap(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    let whole = true;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '(') depth++;
      else if (t[i] === ')' && --depth === 0 && i < t.length - 1) {
        whole = false;
        break;
      }
    }
    if (!whole) break;
    t = t.slice(1, -1).trim();
  }
  return t;
}

function narrowEvents(events: string[], cond: string | undefined): string[] {
  const c = stripExpr(cond);
  if (!c) return events;
  // `a || b`: the events either operand lets through (each operand narrowed on its own)
  const ds = disjuncts(c);
  if (ds.length === 1 && c.includes('||')) return events; // `a && (b || c)`: not narrowed
  if (ds.length > 1) {
    if (ds.some((d) => d.includes('||'))) return events;
    const union = new Set(ds.flatMap((d) => narrowEvents(events, d)));
    return events.filter((e) => union.has(e));
  }
  // only operands that ARE the comparison narrow (`!(github.event_name == 'push')`, `… == 'push' == false` do not)
  const cs = conjuncts(c);
  const whole = (re: RegExp) => cs.map((x) => re.exec(x)).filter((m): m is RegExpExecArray => !!m).map((m) => (m[1] ?? m[2]).toLowerCase());
  const eq = whole(/^(?:github\.event_name\s*==\s*'([^']+)'|'([^']+)'\s*==\s*github\.event_name)$/i);
  const ne = whole(/^(?:github\.event_name\s*!=\s*'([^']+)'|'([^']+)'\s*!=\s*github\.event_name)$/i);
  let out = events;
  for (const e of eq) out = out.filter((x) => x === e);
  if (ne.length) out = out.filter((e) => !ne.includes(e));
  // `github.event.workflow_run.event == 'push'`: the upstream ran on a push (or schedule …), never on a fork's PR
  const wre = whole(/^(?:github\.event\.workflow_run\.event\s*==\s*'([^']+)'|'([^']+)'\s*==\s*github\.event\.workflow_run\.event)$/i);
  if (wre.some((e) => !PR_EVENTS.has(e) && e !== 'workflow_run')) out = out.filter((e) => e !== 'workflow_run');
  return out;
}

/** A condition that only lets merged pull requests through (`github.event.pull_request.merged == true`). */
function mergedOnly(cond: string | undefined): boolean {
  const c = stripExpr(cond);
  if (!c || c.includes('||')) return false;
  // `false == …merged`, `! …merged`, `…merged == 0 | null | ''`, `toJSON(…merged)` let unmerged pull requests through
  return conjuncts(c).some((x) => /^(?:github\.event\.pull_request\.merged(?:\s*==\s*true)?|true\s*==\s*github\.event\.pull_request\.merged)$/i.test(x));
}

const HEAD_REPO = String.raw`github\.event\.(?:pull_request|workflow_run)\.head\.repo(?:sitory)?\.full_name|github\.event\.workflow_run\.head_repository\.full_name`;
const LITERAL_REPO = String.raw`'[^'\s]+\/[^'\s]+'`;
const FORK = String.raw`github\.event\.pull_request\.head\.repo\.fork|github\.event\.workflow_run\.head_repository\.fork`;
const AUTHOR = String.raw`github\.event\.pull_request\.user\.login`;
const BOT = String.raw`'(?:dependabot|renovate)\[bot\]'`;
/** The whole of one `&&` operand that keeps fork pull requests out. */
const SAME_REPO_OPERAND = new RegExp(
  [
    // pull requests opened by Dependabot / the Renovate app come from branches of the base repository
    `${AUTHOR}\\s*==\\s*${BOT}`,
    `${BOT}\\s*==\\s*${AUTHOR}`,
    // the head repository is the base repository, or a literal one (`head.repo.full_name == 'org/repo'`): a fork's full name differs
    `(?:${HEAD_REPO})\\s*==\\s*(?:github\\.repository|${LITERAL_REPO})`,
    `(?:github\\.repository|${LITERAL_REPO})\\s*==\\s*(?:${HEAD_REPO})`,
    `!\\s*(?:${FORK})`,
    `(?:${FORK})\\s*==\\s*false`,
    `false\\s*==\\s*(?:${FORK})`,
  ]
    .map((x) => `(?:${x})`)
    .join('|')
    .replace(/^/, '^(?:')
    .replace(/$/, ')$'),
  'i',
);

/** A condition that only lets same-repository pull requests through (forks never run the job). */
export function sameRepoOnly(cond: string | undefined): boolean {
  const c = stripExpr(cond);
  if (!c) return false;
  if (c.includes('||')) {
    // `github.event_name == 'push' || <same-repository check>`: every operand that lets a privileged event through
    // must itself be limited to same-repository pull requests
    const ds = disjuncts(c);
    if (ds.length < 2 || ds.some((d) => d.includes('||'))) return false;
    return ds.every((d) => sameRepoOnly(d) || narrowEvents(PRIVILEGED_EVENTS, d).length === 0);
  }
  // one `&&` operand must BE the check: `x == y == false`, `format('{0}', x == y)`, `!(x == y)` contain it but let forks through
  return conjuncts(c).some((x) => SAME_REPO_OPERAND.test(x));
}

// ---------------------------------------------------------------------------------------------
// Permissions

export type PermState = { kind: 'default' } | { kind: 'write-all'; node: YNode } | { kind: 'read-all' } | { kind: 'map'; scopes: Map<string, { value: string; node: YNode; keyNode: YNode }>; node: YNode };

function permState(m: WorkflowModel, node: YNode | null | undefined): PermState {
  if (node === undefined) return { kind: 'default' };
  if (node === null) return { kind: 'map', scopes: new Map(), node: null as unknown as YNode };
  if (isScalar(node)) {
    const v = (scalarString(m.doc!, node) ?? '').trim();
    if (v === 'write-all') return { kind: 'write-all', node };
    if (v === 'read-all') return { kind: 'read-all' };
    return { kind: 'map', scopes: new Map(), node };
  }
  const scopes = new Map<string, { value: string; node: YNode; keyNode: YNode }>();
  if (isMap(node)) for (const e of mapEntries(m.doc!, node)) if (e.value) scopes.set(e.key, { value: (scalarString(m.doc!, e.value) ?? '').trim(), node: e.value, keyNode: e.keyNode });
  return { kind: 'map', scopes, node };
}

export function effectivePerms(m: WorkflowModel, job: Job): PermState {
  if (job.permissionsPair) return permState(m, job.permissions ?? null);
  if (m.hasPermissions) return permState(m, m.permissions ?? null);
  return { kind: 'default' };
}

function hasWrite(ps: PermState): boolean {
  if (ps.kind === 'default' || ps.kind === 'write-all') return true;
  if (ps.kind === 'read-all') return false;
  return [...ps.scopes.values()].some((s) => s.value === 'write');
}

function reachesSecrets(m: WorkflowModel, job: Job): boolean {
  if (job.secretsInherit) return true;
  if (/\bsecrets\s*(\.|\[)/i.test(job.text)) return true;
  for (const v of m.env.values()) if (/\bsecrets\s*(\.|\[)/i.test(v.value)) return true;
  return false;
}

// Evidence that a job uses a write scope. Lower-cased job text is searched.
const SCOPE_EVIDENCE: Record<string, RegExp> = {
  contents: /git\s+push|gh\s+release|git-auto-commit|create-pull-request|action-gh-release|release-action|create-release|createrelease|createorupdatefilecontents|createref|updateref|git\s+tag|gh-pages|github-pages-deploy|push-to|auto-commit|merge|gh\s+api|github-script|changesets\/action|semantic-release|release-please|goreleaser|upload-release|commit|delete-branch/,
  'pull-requests': /gh\s+pr|pulls\.|\/pulls|pull-request|pull_request_comment|sticky|comment|label|review|dependabot\/fetch-metadata|github-script|gh\s+api|automerge|auto-merge|merge|assign|close|first-interaction|pr-message/,
  issues: /gh\s+issue|issues\.|\/issues|comment|label|stale|lock|assign|triage|first-interaction|github-script|gh\s+api|close|milestone/,
  checks: /checks\.|check-run|check_run|\/check-runs|test-reporter|publish-unit-test-result|junit-report|test-results|github-script|gh\s+api|checks/,
  statuses: /statuses|commit-status|createcommitstatus|\/statuses|github-script|gh\s+api|status/,
  actions: /actions\/stale@|gh\s+workflow|gh\s+run|createworkflowdispatch|workflow_dispatch|actions\/cache|cache|artifact|github-script|gh\s+api|rerun|cancel/,
  packages: /docker\s+push|ghcr\.io|npm\s+publish|push:\s*true|docker\/build-push-action|packages|publish|container/,
  'id-token': /configure-aws-credentials|google-github-actions\/auth|azure\/login|sigstore|cosign|attest|gh-action-pypi-publish|provenance|oidc|id_token|id-token|vault-action|workload_identity|trusted.publish|npm\s+publish/,
  deployments: /deploy|environment/,
  'security-events': /upload-sarif|codeql|sarif|scorecard|security/,
  pages: /deploy-pages|pages/,
  attestations: /attest/,
  discussions: /discussion|github-script|gh\s+api|graphql/,
  'repository-projects': /project/,
};

// ---------------------------------------------------------------------------------------------
// Untrusted fetches and what executes them

interface Fetch {
  kind: 'checkout' | 'gh-pr-checkout' | 'git-fetch' | 'git-checkout' | 'artifact';
  /** workspace-relative directory the code lands in ('.' = workspace root) */
  path: string;
  loc: Loc;
  token: string;
  step: Step;
  /** for git fetch: has the fetched code been checked out into the working tree? */
  inWorkTree: boolean;
  checkoutVersion?: { major: number; text: string };
  optOut?: boolean;
  why: string;
  /** where the PR-controlled ref enters (a step output, $GITHUB_ENV, a caller input) */
  source?: RelatedLocation;
  exec?: { loc: Loc; what: string; label: string };
}

const CHECKOUT = /^actions\/checkout$/;
const PR_REF_LITERAL = /(^|[^\w])(refs\/)?pull\/(?:\$\{\{[^}]*\}\}|[^/\s]+)\/(head|merge)\b/;

function norm(path: string | undefined): string {
  const s = (path ?? '').trim().replace(/^\.\/+/, '').replace(/\/+$/, '');
  return s === '' || s === '.' ? '.' : s;
}

function checkoutVersion(m: WorkflowModel, step: Step): { major: number; text: string } | undefined {
  const { ref } = splitUses(step.uses ?? '');
  const tag = /^v?(\d+)(?:\.\d+)*$/.exec(ref);
  if (tag) return { major: Number(tag[1]), text: ref };
  if (/^[0-9a-f]{40}$/.test(ref) && step.usesNode) {
    const c = commentAfter(m.p, step.usesNode);
    const v = c ? /v?(\d+)(?:\.\d+)*/.exec(c) : null;
    if (v) return { major: Number(v[1]), text: v[0] };
  }
  return undefined;
}

function envLookup(m: WorkflowModel, job: Job, step: Step | undefined, name: string): { value: string } | undefined {
  const want = name.toLowerCase();
  for (const map of [step?.env, job.env, m.env]) {
    if (!map) continue;
    for (const [k, v] of map) if (k.toLowerCase() === want) return v;
  }
  return undefined;
}

/** What the taint resolver needs beyond the job: caller-passed inputs and whether the job can run on a PR event. */
export interface TaintExtra {
  inputs?: Map<string, Taint>;
  prEvents: boolean;
  /** local composite actions and reusable workflows, to trace their outputs */
  resolveAction?: LocalWorkflowResolver;
  resolveLocal?: LocalWorkflowResolver;
  /** inside a local composite action: what the calling job fetched before the step (artifacts, PR checkouts) */
  outerDirs?: UntrustedDir[];
  /** the job's privileged events and same-repository guard (set by analyzeJob; third-party outputs need them) */
  privEvents?: string[];
  sameRepo?: boolean;
}

export interface PrControlled {
  why: string;
  /** where the PR-controlled value enters, when it comes through a step output, `$GITHUB_ENV` or an input */
  source?: RelatedLocation;
}

/** Where did a value come from: resolve `env.X`, `steps.X.outputs.Y`, `needs.J.outputs.Y`, `inputs.X`. */
function valueIsPrControlled(m: WorkflowModel, job: Job, step: Step | undefined, value: string, kind: 'ref' | 'repo', extra: TaintExtra, depth = 0): PrControlled | undefined {
  if (kind === 'ref' && PR_REF_LITERAL.test(value)) return { why: 'a refs/pull/… ref' };
  for (const e of findExpressions(value)) {
    const info = analyzeExpression(e.text);
    for (const p of info.flowing) {
      if (kind === 'ref' && isPrRefPath(p)) return { why: `\`${p}\`` };
      if (isPrRepoPath(p)) return { why: `\`${p}\`` };
      if (depth > 2) continue;
      const envM = /^env\.([\w-]+)$/.exec(p);
      if (envM) {
        const def = envLookup(m, job, step, envM[1]);
        if (def) {
          const r = valueIsPrControlled(m, job, step, def.value, kind, extra, depth + 1);
          if (r) return r;
        }
      }
      const so = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(p);
      if (so) {
        const src = job.steps.find((s) => s.id?.toLowerCase() === so[1]);
        if (src && stepProducesPrRef(src, so[2])) return { why: `the output of step \`${src.id}\`, which reads the pull request head`, source: pathTaint({ m, job, step, ...extra }, p)?.source ?? (src.usesNode ? { file: m.file, ...nodeLoc(m.p, src.usesNode), message: `step \`${src.id}\` reads the pull request head` } : src.runNode ? { file: m.file, ...nodeLoc(m.p, src.runNode), message: `step \`${src.id}\` reads the pull request head` } : undefined) };
      }
      const no = /^needs\.([\w-]+)\.outputs\.([\w-]+)$/.exec(p);
      if (no) {
        const up = m.jobs.find((j) => j.key.toLowerCase() === no[1]);
        const out = up?.outputs.get(no[2]) ?? [...(up?.outputs.entries() ?? [])].find(([k]) => k.toLowerCase() === no[2])?.[1];
        if (up && out) {
          const r = valueIsPrControlled(m, up, undefined, out, kind, extra, depth + 1);
          if (r) return r;
        }
      }
      // step outputs, `$GITHUB_ENV` and caller inputs resolved by the taint tracker
      const t = /^(steps|env|inputs|needs)\./.test(p) ? pathTaint({ m, job, step, ...extra }, p) : undefined;
      if (t?.ref && (kind === 'ref' || /repo|repository|user\.login|owner/.test(t.what))) {
        const via = p.startsWith('inputs.') ? `the input \`${p.slice(7)}\`, which the caller sets from ${t.what}` : `\`${p}\`, which carries ${t.what}`;
        return { why: via, source: t.source };
      }
    }
  }
  return undefined;
}

const HEAD_HINT = /head\.sha|head\.ref|head_sha|head_ref|headrefoid|headrefname|headrepository|refs\/pull\/|pull\/\$|merge_commit_sha|\.head\.repo|head\.repo\.full_name|head_repository/i;

function stepProducesPrRef(s: Step, output?: string): boolean {
  const text = `${s.run?.value ?? ''}\n${s.with.get('script')?.value ?? ''}`;
  if (output) {
    // look at the line that sets this output, and at the variable it is set from
    const o = output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const set = new RegExp(`setOutput\\(\\s*['"\`]${o}['"\`]\\s*,\\s*([^)\\n]*)|(?:^|[\\s"'])${o}=([^\\n]*)`, 'i').exec(text);
    if (set) {
      const v = (set[1] ?? set[2] ?? '').trim();
      if (HEAD_HINT.test(v)) return true;
      const id = /^\$?\{?([A-Za-z_][\w]*)\}?\W*$/.exec(v.replace(/^["']|["']$/g, ''));
      if (id) {
        const def = new RegExp(`\\b${id[1]}\\s*=\\s*([^\\n;]*)`).exec(text);
        return !!def && HEAD_HINT.test(def[1]);
      }
      return false;
    }
    if (/base|target|default/i.test(output)) return false;
  }
  if (HEAD_HINT.test(text)) return true;
  const u = splitUses(s.uses ?? '').name;
  // actions that resolve a PR's head for comment-triggered workflows
  return /^(xt0rted\/pull-request-comment-branch|eficode\/resolve-pr-refs|alessbell\/pull-request-comment-branch|gotson\/pull-request-comment-branch)$/.test(u);
}

// commands that run code from the working tree
const EXEC_RULES: Array<{ re: RegExp; what: string }> = [
  { re: /^(npm|pnpm|yarn|bun)\s+(i|install|ci|run|run-script|test|t|build|start|exec|rebuild|pack|publish|add|dlx|x)?\b/, what: 'a package-manager install/run (lifecycle scripts and package.json scripts run)' },
  { re: /^(npm|pnpm|yarn|bun)$/, what: 'a package-manager install (lifecycle scripts run)' },
  { re: /^npx\s/, what: 'npx (runs package binaries, resolving the checkout\'s package.json)' },
  { re: /^(pip|pip3|python[\d.]*\s+-m\s+pip)\s+install\b(?!.*(--only-binary|--no-deps\s+[a-z]))/, what: 'pip install (setup.py / build backends run)' },
  { re: /^(poetry|pipenv|pdm|hatch|uv|uvx|tox|nox|rye)\s+(install|sync|run|build|shell|lock|add|pip\s+install)?/, what: 'a Python project tool (runs the project\'s build/config)' },
  { re: /^(python[\d.]*|python3?)\s+(?!-m\s+json\.tool)(-m\s+)?\S/, what: 'python running code from the checkout' },
  { re: /^(pytest|py\.test)\b/, what: 'pytest (imports the checkout\'s code and conftest.py)' },
  { re: /^(make|gmake|cmake|ninja|meson|bazel|bazelisk|just|task|rake|scons)\b/, what: 'a build tool (runs the checkout\'s build files)' },
  { re: /^(mvn|\.\/mvnw|mvnw|gradle|\.\/gradlew|gradlew|sbt|ant|lein)\b/, what: 'a JVM build (runs the checkout\'s build scripts and wrapper)' },
  { re: /^cargo\s+(build|test|run|check|clippy|bench|doc|install|publish|nextest|xtask|make|hack)\b/, what: 'cargo (build.rs and proc macros run)' },
  { re: /^go\s+(build|test|run|generate|install|vet)\b/, what: 'go build/test/generate (runs the checkout\'s code)' },
  { re: /^(bundle|bundler)\s+(install|exec)\b|^gem\s+build\b/, what: 'bundler (Gemfile is Ruby code)' },
  { re: /^composer\s+(install|update|run|run-script)\b/, what: 'composer (runs scripts)' },
  { re: /^docker\s+(build|buildx\s+build|compose|run)\b|^docker-compose\b|^podman\s+build\b/, what: 'docker build/compose (Dockerfile RUN steps from the checkout)' },
  { re: /^pre-commit\s+(run|install)\b/, what: 'pre-commit (hooks defined by the checkout run)' },
  { re: /^(dotnet|msbuild|nuget)\s+(build|test|run|restore|pack|publish)\b/, what: 'a .NET build (MSBuild targets run)' },
  { re: /^(node|deno|bun|ts-node|tsx|ruby|perl|php|Rscript|julia|lua|swift)\s+\S/, what: 'an interpreter running a script' },
  { re: /^(sh|bash|zsh|dash|ksh|pwsh|powershell)\s+(?!-c\b)\S/, what: 'a shell script from the checkout' },
  { re: /^source\s|^\.\s+\S/, what: 'sourcing a script from the checkout' },
  { re: /^(tsc|vite|webpack|rollup|esbuild|jest|vitest|mocha|eslint|playwright|lerna|nx|turbo|grunt|gulp|hardhat|truffle)\b/, what: 'a JavaScript tool that loads the checkout\'s config (config files are code)' },
  { re: /^(mkdocs|sphinx-build|hugo|jekyll)\s/, what: 'a docs build (loads the checkout\'s config and plugins)' },
  { re: /^(terraform|tofu)\s+(init|plan|apply)\b/, what: 'terraform (providers/modules named by the checkout)' },
  { re: /^corepack\s+(npm|pnpm|yarn)\b/, what: 'a package manager through corepack (lifecycle scripts and package.json scripts run)' },
  { re: /^coverage\s+run\b/, what: 'coverage run (runs the checkout\'s Python code)' },
  { re: /^(bats|earthly|xcodebuild|mix|flutter|dart|zig|stack|cabal|dune|opam|gleam|rebar3|sam|serverless|sls|cdk|pulumi|ansible-playbook|molecule|packer|vagrant|tflint)\b/, what: 'a build/test tool that runs the checkout\'s code or config' },
];

const EXEC_ACTIONS: Array<{ re: RegExp; what: string }> = [
  { re: /^pre-commit\/action$/, what: 'pre-commit/action (runs hooks from the checkout)' },
  { re: /^docker\/build-push-action$/, what: 'docker/build-push-action (Dockerfile from the checkout)' },
  { re: /^github\/codeql-action\/autobuild$/, what: 'CodeQL autobuild (runs the checkout\'s build)' },
  { re: /^gradle\/(gradle-build-action|actions\/setup-gradle)$/, what: 'Gradle (runs the checkout\'s wrapper/build)' },
  { re: /^(cypress-io\/github-action|borales\/actions-yarn|bahmutov\/npm-install|pnpm\/action-setup)$/, what: 'an action that installs/runs the checkout\'s package.json' },
  { re: /^(actions-rs\/cargo|dtolnay\/rust-toolchain)$/, what: 'cargo through an action' },
  { re: /^(golangci\/golangci-lint-action)$/, what: 'golangci-lint (loads the checkout\'s code and config)' },
  { re: /^(changesets\/action)$/, what: 'changesets/action (runs package.json scripts)' },
];

function cwdTouches(taintPath: string, cwd: string, words: string[]): boolean {
  if (taintPath === '.') return true;
  if (cwd === taintPath || cwd.startsWith(`${taintPath}/`)) return true;
  const re = new RegExp(`(^|[\\s/='"])(\\./)?${taintPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$|\\s)`);
  return words.some((w) => re.test(w));
}

const INTERPRETER = /^(node|nodejs|deno|python[\d.]*|ruby|perl|php|bash|sh|zsh|dash|pwsh|powershell|Rscript|julia|lua)$/;

/**
 * Does a command that runs outside the fetched tree only hand it a path as data? `node scripts/check.js ../pr`
 * (a base script given the PR directory) or `./base/tool.sh pr/` reads the tree; the script itself is not from it.
 * Build tools and `python -m x pr/` are not covered (they load the tree's code or config).
 */
function onlyArgumentTouches(taintPath: string, ex: Exec): boolean {
  if (taintPath === '.' || ex.cwd === taintPath || ex.cwd.startsWith(`${taintPath}/`)) return false;
  const w = ex.words;
  let script: string | undefined;
  if (INTERPRETER.test(w[0] ?? '')) {
    const first = w.slice(1).find((x) => !x.startsWith('-'));
    if (!first || w.slice(1, w.indexOf(first)).some((x) => /^-(m|c|e)$/.test(x))) return false;
    if (!/[/.]/.test(first)) return false;
    script = first;
  } else if (/^(\.{1,2}\/|[\w.-]+\/)/.test(w[0] ?? '')) script = w[0];
  else return false;
  return !cwdTouches(taintPath, '', [script.replace(/^\.\.\//, './')]) && !cwdTouches(taintPath, ex.cwd, [script]);
}

interface Exec {
  loc: Loc;
  what: string;
  label: string;
  cwd: string;
  words: string[];
  offsetInStep: number;
}

function classifyCommand(words: string[]): string | undefined {
  const first = words[0];
  if (/^(python[\d.]*|node|deno|bun|ruby|perl|php)$/.test(first) && /^(-c|-e|--eval|-p|--print|--version|-V)$/.test(words[1] ?? '')) return undefined;
  if (/^(sh|bash|zsh|dash|pwsh)$/.test(first) && /^-c$/.test(words[1] ?? '')) return undefined;
  if (!first.startsWith('/') && !first.startsWith('$') && !first.startsWith('~') && (first.startsWith('./') || first.startsWith('../') || /^[\w.-]+\/[\w./-]+$/.test(first))) return 'a script from the checkout';
  const line = words.join(' ');
  // an install that runs no lifecycle scripts does not execute the checkout (npm ci --ignore-scripts)
  if (/^(npm|pnpm|yarn|bun)\s+(i|install|ci|add)\b/.test(line) && words.includes('--ignore-scripts')) return undefined;
  for (const r of EXEC_RULES) if (r.re.test(line)) return r.what;
  return undefined;
}

// Shell commands that only read: never count as executing.
const READ_ONLY = /^(echo|printf|cat|ls|grep|egrep|rg|find|head|tail|wc|diff|git\s+(diff|log|show|status|rev-parse|ls-files|config|remote|branch|describe|merge-base|cat-file|fetch)|jq|yq|sed|awk|cut|sort|uniq|tr|test|\[|\[\[|mkdir|cp|mv|rm|touch|chmod|cd|pushd|popd|export|set|exit|true|false|tee|gh\s+(pr\s+(comment|view|diff|edit|review|list)|api|issue|label)|curl|wget|tar|unzip|zip|base64|sha256sum|shasum|md5sum|stat|file|basename|dirname|xargs|date|sleep|env|which|whoami|id|read|shift|local|declare|if|then|else|fi|for|do|done|while|case|esac|return)$/;

function execsOfStep(step: Step, job: Job): Exec[] {
  const out: Exec[] = [];
  const stepCwd = norm(step.workingDirectory);
  if (step.uses && step.usesNode) {
    const u = step.uses;
    if (u.startsWith('./') || u === '.') {
      out.push({ loc: nodeLoc(jobModelP(job), step.usesNode), what: `the local action \`${u}\` (action.yml and its code come from the checkout)`, label: step.label, cwd: '.', words: [u.replace(/^\.\//, '')], offsetInStep: 0 });
    } else {
      const { name } = splitUses(u);
      for (const a of EXEC_ACTIONS) if (a.re.test(name) && !(name === 'pnpm/action-setup' && !/^(true|-|\[|\{|[\s\S]*\n)/i.test((step.with.get('run_install')?.value ?? '').trim()))) out.push({ loc: nodeLoc(jobModelP(job), step.usesNode), what: a.what, label: step.label, cwd: norm(step.with.get('context')?.value ?? step.with.get('working-directory')?.value ?? step.with.get('build-root-directory')?.value), words: [...step.with.values()].map((v) => v.value), offsetInStep: 0 });
      if (/^actions\/github-script$/.test(name)) {
        const s = step.with.get('script')?.value ?? '';
        const m = /require\(\s*['"`](\.{1,2}\/[^'"`]+|\$\{[^}]*\}\/[^'"`]+)['"`]\s*\)|import\(\s*['"`](\.{1,2}\/[^'"`]+)/.exec(s);
        if (m) out.push({ loc: nodeLoc(jobModelP(job), step.usesNode), what: 'actions/github-script loading a module from the checkout', label: step.label, cwd: '.', words: [m[1] ?? m[2]], offsetInStep: 0 });
      }
    }
  }
  if (step.run) {
    let cwd = stepCwd;
    for (const c of scriptCommands(step.run.value)) {
      const { words } = commandWords(c);
      if (!words.length) continue;
      const texts = words.map((w) => w.text);
      if (texts[0] === 'cd' || texts[0] === 'pushd') {
        const to = texts[1] ?? '.';
        if (!to.startsWith('/') && !to.startsWith('$') && !to.startsWith('~')) cwd = norm(cwd === '.' ? to : `${cwd}/${to}`);
        else cwd = '/';
        continue;
      }
      const head = texts.slice(0, 2).join(' ');
      if (READ_ONLY.test(texts[0]) || READ_ONLY.test(head)) continue;
      const what = classifyCommand(texts);
      if (what) out.push({ loc: spanLoc(step.run, words[0].start, words[0].end), what: `\`${texts.slice(0, 3).join(' ')}\`: ${what}`, label: step.label, cwd, words: texts, offsetInStep: words[0].start });
    }
  }
  return out;
}

// the ParsedYaml of a job: attached when analysing
const jobP = new WeakMap<Job, WorkflowModel['p']>();
function jobModelP(job: Job): WorkflowModel['p'] {
  return jobP.get(job)!;
}

/** Fetches of PR code done inside a run script. */
function scriptFetches(m: WorkflowModel, job: Job, step: Step, privilegedEvents: string[], extra: TaintExtra): Array<Fetch & { offset: number }> {
  const out: Array<Fetch & { offset: number }> = [];
  const st = step.run as ScalarText;
  const cmds = scriptCommands(st.value);
  const exprTainted = (w: string) => !!valueIsPrControlled(m, job, step, w, 'ref', extra);
  const envTainted = (w: string) => {
    for (const v of w.matchAll(/\$\{?([A-Za-z_]\w*)/g)) {
      const def = envLookup(m, job, step, v[1]);
      if (def && valueIsPrControlled(m, job, step, def.value, 'ref', extra)) return true;
      if (envTaint({ m, job, step, ...extra }, v[1])?.ref) return true;
      if (/^(GITHUB_HEAD_REF)$/.test(v[1])) return true;
    }
    return false;
  };
  const prRefWord = (w: { text: string; raw: string }) => PR_REF_LITERAL.test(w.text) || /\bpull\/\$/.test(w.text) || exprTainted(w.raw) || envTainted(w.raw) || /^(FETCH_HEAD)$/.test(w.text) === false && false;
  for (const c of cmds) {
    const { words } = commandWords(c);
    const t = words.map((w) => w.text);
    if (!t.length) continue;
    if ((t[0] === 'gh' || t[0] === 'hub') && t[1] === 'pr' && t[2] === 'checkout') {
      out.push({ kind: 'gh-pr-checkout', path: norm(step.workingDirectory), loc: spanLoc(st, words[0].start, words[2].end), token: t.slice(0, 3).join(' '), step, inWorkTree: true, why: '`gh pr checkout` puts the pull request head in the working tree', offset: words[0].start });
      continue;
    }
    if (t[0] === 'git' && (t[1] === 'fetch' || t[1] === 'pull')) {
      const args = words.slice(2);
      if (args.some((w) => prRefWord(w))) {
        out.push({ kind: 'git-fetch', path: norm(step.workingDirectory), loc: spanLoc(st, words[0].start, words[1].end), token: `git ${t[1]}`, step, inWorkTree: t[1] === 'pull', why: `\`git ${t[1]}\` of a pull-request ref`, offset: words[0].start });
      }
      continue;
    }
    if (t[0] === 'git' && t[1] === 'clone') {
      // `git clone https://github.com/${{ …head.repo.full_name }}` / `git clone -b "$HEAD_REF" …`
      if (words.slice(2).some((w) => prRefWord(w))) {
        const pos: string[] = [];
        for (let k = 2; k < t.length; k++) {
          if (/^(-b|--branch|-o|--origin|--depth|-c|--config|--reference|--filter|-j|--jobs|--template|--separate-git-dir|-u|--upload-pack)$/.test(t[k])) k++;
          else if (!t[k].startsWith('-')) pos.push(t[k]);
        }
        const base = pos[0]?.replace(/\/+$/, '').replace(/\.git$/, '').replace(/^.*[/:]/, '') ?? '';
        const dir = pos[1] ?? (/^[\w.-]+$/.test(base) ? base : '.');
        out.push({ kind: 'git-fetch', path: norm(step.workingDirectory && dir !== '.' ? `${step.workingDirectory}/${dir}` : dir), loc: spanLoc(st, words[0].start, words[1].end), token: 'git clone', step, inWorkTree: true, why: '`git clone` of the pull request\'s repository or branch', offset: words[0].start });
      }
      continue;
    }
    if (t[0] === 'git' && (t[1] === 'checkout' || t[1] === 'switch' || t[1] === 'reset' || t[1] === 'merge' || t[1] === 'rebase' || t[1] === 'cherry-pick' || (t[1] === 'worktree' && t[2] === 'add'))) {
      let args = words.slice(2).filter((w) => !w.text.startsWith('-'));
      // `git checkout -b NAME [start]` / `git switch -c NAME [start]` names a new branch at HEAD: only a start point fetches
      if (words.slice(2).some((w) => /^(-[bB]|--orphan|-[cC]|--create|--force-create)$/.test(w.text)) && (t[1] === 'checkout' || t[1] === 'switch')) args = args.slice(1);
      if (!args.length && t[1] !== 'worktree') continue;
      const prior = out.find((f) => f.kind === 'git-fetch' && !f.inWorkTree);
      if (prior && (args.some((w) => /FETCH_HEAD|pr|pull|head/i.test(w.text) || prRefWord(w)) || args.length > 0)) {
        prior.inWorkTree = true;
        if (t[1] === 'worktree') prior.path = norm(args[1]?.text);
        continue;
      }
      if (args.some((w) => prRefWord(w))) {
        out.push({ kind: 'git-checkout', path: norm(t[1] === 'worktree' ? args[1]?.text : step.workingDirectory), loc: spanLoc(st, words[0].start, words[1].end), token: `git ${t[1]}`, step, inWorkTree: true, why: `\`git ${t[1]}\` of a pull-request ref`, offset: words[0].start });
      }
      continue;
    }
    if (t[0] === 'gh' && t[1] === 'run' && t[2] === 'download' && privilegedEvents.includes('workflow_run')) {
      const dir = words.findIndex((w) => w.text === '-D' || w.text === '--dir');
      out.push({ kind: 'artifact', path: norm(dir >= 0 ? words[dir + 1]?.text : step.workingDirectory), loc: spanLoc(st, words[0].start, words[2].end), token: 'gh run download', step, inWorkTree: true, why: '`gh run download` fetches artifacts that a pull-request run produced', offset: words[0].start });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export interface RuleFinding extends Omit<Finding, 'fingerprint'> {
  token: string;
  context: string;
}

/** How a job is analysed: its privileged events, guards and token, and (for a called workflow) its caller. */
interface JobCtx {
  jobPriv: string[];
  jobSameRepo: boolean;
  secretsOrWrite: boolean;
  /** the token may write / secrets are reachable (for a called workflow: as the caller hands them down) */
  write: boolean;
  secrets: boolean;
  upstreamNote: string;
  extra: TaintExtra;
  /** reusable workflow: the callers' `uses:` (related locations of every finding in the called file) */
  callers: RelatedLocation[];
  /** files on the call stack (cycle guard) */
  stack: string[];
}

export function analyzeWorkflow(m: WorkflowModel, opts: AnalyzeOptions): Finding[] {
  const raw: RuleFinding[] = [];
  const priv = m.kind === 'workflow' ? privilegeOf(m, opts.lookup) : { privileged: [], unknownUpstreams: [] };
  const triggers = [...m.triggers];

  for (const job of m.jobs) {
    const jobEvents = narrowEvents(triggers, job.ifText);
    const jobPriv = priv.privileged.filter((e) => jobEvents.includes(e));
    const perms = m.kind === 'workflow' ? effectivePerms(m, job) : ({ kind: 'read-all' } as PermState);
    const write = m.kind === 'workflow' && hasWrite(perms);
    const secrets = m.kind === 'workflow' && reachesSecrets(m, job);
    analyzeJob(m, job, {
      jobPriv,
      jobSameRepo: sameRepoOnly(job.ifText),
      secretsOrWrite: write || secrets,
      write,
      secrets,
      callers: [],
      upstreamNote: priv.unknownUpstreams.length && jobPriv.includes('workflow_run') ? ` (upstream workflow ${priv.unknownUpstreams.map((u) => `"${u}"`).join(', ')} not found in the repository, so it is assumed to run on pull requests)` : '',
      extra: { prEvents: hasPrEvents(jobEvents), resolveAction: opts.resolveAction, resolveLocal: opts.resolveLocal },
      stack: [m.file],
    }, raw, opts);
  }
  // --- privileged-permissions
  if (m.kind === 'workflow' && priv.privileged.length) {
    const wfInheritors: Job[] = [];
    for (const job of m.jobs) {
      const jobPriv = priv.privileged.filter((e) => narrowEvents(triggers, job.ifText).includes(e));
      if (!jobPriv.length) continue;
      // only same-repository pull requests reach the job: their authors already have write access
      if (sameRepoOnly(job.ifText)) continue;
      if (!job.permissionsPair && !m.hasPermissions) {
        raw.push({
          rule: 'privileged-permissions',
          severity: 'medium',
          message: `job \`${job.key}\` runs on ${jobPriv.join(', ')} with no \`permissions:\` at the workflow or job level, so its GITHUB_TOKEN may default to write access that any injected or fetched code can use: declare the least permissions it needs.`,
          file: m.file,
          ...nodeLoc(m.p, job.keyNode),
          token: `job:${job.key}`,
          context: job.key,
        });
        continue;
      }
      if (!job.permissionsPair) {
        wfInheritors.push(job);
        continue;
      }
      checkPerms(m, permState(m, job.permissions ?? null), [job], jobPriv, raw, job.key, opts);
    }
    if (wfInheritors.length) checkPerms(m, permState(m, m.permissions ?? null), wfInheritors, priv.privileged, raw, '(workflow)', opts);
  }

  return raw.map((r) => {
    const { token, context, ...rest } = r;
    return { ...rest, fingerprint: opts.fingerprinter.make(r.rule, r.file, token, context) };
  });
}

function analyzeJob(m: WorkflowModel, job: Job, jcIn: JobCtx, raw: RuleFinding[], opts: AnalyzeOptions): void {
  jobP.set(job, m.p);
  const jc: JobCtx = { ...jcIn, extra: { ...jcIn.extra, privEvents: jcIn.jobPriv, sameRepo: jcIn.jobSameRepo } };
  const { jobPriv, jobSameRepo, secretsOrWrite, upstreamNote, extra } = jc;
  const withCaller = (r: RuleFinding): RuleFinding => (jc.callers.length ? { ...r, related: [...(r.related ?? []), ...jc.callers] } : r);
  const push = (r: RuleFinding) => raw.push(withCaller(r));
  if (job.uses && m.kind === 'workflow') followCall(m, job, jc, raw, opts);
  for (const step of job.steps) if (step.uses?.startsWith('./') && !/\.ya?ml$/i.test(step.uses)) followAction(m, job, step, jc, raw, opts);
  // --- template injection (every workflow and composite action)
  for (const step of job.steps) {
    const stepPriv = narrowEvents(jobPriv, step.ifText);
    const targets: Array<{ st: ScalarText; where: string; js?: boolean }> = [];
    if (step.run) targets.push({ st: step.run, where: '`run:`' });
    if (step.uses && /^actions\/github-script$/.test(splitUses(step.uses).name)) {
      const sNode = step.with.get('script')?.node;
      if (sNode) {
        const st = (sNode && isScalar(sNode) ? scalarTextOf(m, sNode) : undefined);
        if (st) targets.push({ st, where: 'the github-script `script:`', js: true });
      }
    }
    for (const { st, where, js } of targets) {
      for (const e of findExpressions(st.value)) {
        const info = analyzeExpression(e.text);
        // `const body = ${{ toJSON(github.event.comment.body) }}` in a script is a JSON literal: JavaScript data, not code
        if (js && /^\s*tojson\s*\([\s\S]*\)\s*$/i.test(e.text) && !insideJsString(st.value, e.start)) continue;
        let bad = actorControlledIn(info);
        if (!bad.length) {
          // `${{ env.X }}` where X is set from attacker text is the same injection
          for (const pth of info.flowing) {
            const em = /^env\.([\w-]+)$/.exec(pth);
            if (!em) continue;
            const def = envLookup(m, job, step, em[1]);
            if (!def) continue;
            for (const e2 of findExpressions(def.value)) {
              const b2 = actorControlledIn(analyzeExpression(e2.text));
              if (b2.length) bad = [`${pth} (= ${b2[0]})`];
            }
          }
        }
        let source: RelatedLocation | undefined;
        if (!bad.length) {
          // a step output, `$GITHUB_ENV` variable, job output or caller input built from attacker text
          for (const pth of info.flowing) {
            if (!/^(steps|env|needs|inputs)\./.test(pth)) continue;
            const t = pathTaint({ m, job, step, ...extra }, pth);
            if (!t?.text) continue;
            if (t.form && formIsSafe(t.form, { js: !!js, st, offset: e.start, exprText: e.text, path: pth, step, job })) continue;
            bad = [pth.startsWith('inputs.') ? `${pth} (the caller passes ${t.what})` : `${pth} (= ${t.what})`];
            source = t.source;
            break;
          }
        }
        if (!bad.length) continue;
        const critical = stepPriv.length > 0;
        push({
          rule: 'template-injection',
          severity: critical ? 'critical' : 'high',
          message: `\`${bad[0]}\` is attacker-controlled text expanded into ${where} before it runs, so a crafted value becomes code${critical ? ` with the base repository's token and secrets (${stepPriv.join(', ')})` : ''}: pass it through \`env:\` and read it as a quoted shell variable.`,
          file: m.file,
          ...spanLoc(st, e.start, e.end),
          ...(source ? { related: [source] } : {}),
          token: `\${{${e.text}}}`,
          context: step.label,
        });
      }
      if (!js) {
        // an `env:` variable holding attacker text, parsed again as code by `eval "$X"` / `bash -c "$X"`
        for (const k of evalSinks(st.value)) {
          if (reassignedClean(st.value.slice(0, k.start), k.name)) continue;
          const t = envTaint({ m, job, step, ...extra }, k.name);
          if (!t?.text) continue;
          const critical = stepPriv.length > 0;
          push({
            rule: 'template-injection',
            severity: critical ? 'critical' : 'high',
            message: `\`$${k.name}\` holds attacker-controlled text (${t.what}) and \`${k.sink}\` parses it again as shell code, so a crafted value runs${critical ? ` with the base repository's token and secrets (${stepPriv.join(', ')})` : ''}: use the variable as data (\`"$${k.name}"\` as an argument, never through \`${k.sink}\`).`,
            file: m.file,
            ...spanLoc(st, k.start, k.end),
            ...(t.source ? { related: [t.source] } : {}),
            token: `${k.sink}:$${k.name}`,
            context: step.label,
          });
        }
        continue;
      }
      // context.payload text (PR title, head ref, comment body …) spliced into a command line in JavaScript
      for (const s of jsPayloadSinks(st.value)) {
        const critical = stepPriv.length > 0;
        push({
          rule: 'template-injection',
          severity: critical ? 'critical' : 'high',
          message: `\`${s.what}\` is attacker-controlled text spliced into the command line of \`${s.sink}(…)\` in ${where}, so a crafted value becomes shell code or command options${critical ? ` with the base repository's token and secrets (${stepPriv.join(', ')})` : ''}: pass it as a separate argument (\`exec.exec('git', ['checkout', ref])\`) or through an environment variable.`,
          file: m.file,
          ...spanLoc(st, s.start, s.end),
          token: `js:${s.sink}:${s.what}`,
          context: step.label,
        });
      }
    }
  }

  // a composite action is checked for fetches only when followed from a privileged job (its caller's token)
  if (!jobPriv.length || (m.kind !== 'workflow' && !jc.callers.length)) return;

  // --- untrusted fetches
  const fetches: Fetch[] = [];
  const execs: Array<{ exec: Exec; stepIndex: number }> = [];
  /** live taints: path → fetch */
  for (const step of job.steps) {
    const stepPriv = narrowEvents(jobPriv, step.ifText);
    const guardedStep = jobSameRepo || sameRepoOnly(step.ifText);
    const stepExecs = execsOfStep(step, job);
    for (const ex of stepExecs) execs.push({ exec: ex, stepIndex: step.index });
    if (!stepPriv.length || guardedStep) continue;
    const { name } = splitUses(step.uses ?? '');
    if (step.uses && CHECKOUT.test(name)) {
      const ref = step.with.get('ref')?.value ?? '';
      const repo = step.with.get('repository')?.value ?? '';
      const whyRef = ref ? valueIsPrControlled(m, job, step, ref, 'ref', extra) : undefined;
      const whyRepo = repo ? valueIsPrControlled(m, job, step, repo, 'repo', extra) : undefined;
      const optOutV = step.with.get('allow-unsafe-pr-checkout');
      const optOut = !!optOutV && /^(true|\$\{\{\s*true\s*\}\})$/i.test(optOutV.value.trim());
      // a merged pull request's head commit is the reviewed, merged code (`if: github.event.pull_request.merged`);
      // a branch name or the fork repository is not: the author can push to it after the merge
      const mergedSha = !whyRepo && (mergedOnly(job.ifText) || mergedOnly(step.ifText)) && /pull_request\.(head\.sha|merge_commit_sha)\b/.test(ref) && !/head\.(ref|label|repo)|head_ref|steps\.|needs\.|env\.|inputs\./.test(ref);
      if ((whyRef || whyRepo) && !mergedSha) {
        fetches.push({
          kind: 'checkout',
          path: norm(step.with.get('path')?.value),
          loc: nodeLoc(m.p, step.usesNode!),
          token: step.uses,
          step,
          inWorkTree: true,
          checkoutVersion: checkoutVersion(m, step),
          optOut,
          why: whyRef ? `actions/checkout of ${whyRef.why}` : `actions/checkout of the pull request's repository (${whyRepo!.why})`,
          source: (whyRef ?? whyRepo)!.source,
        });
      }
      if (optOut && optOutV) {
        push({
          rule: 'checkout-unsafe-opt-out',
          severity: whyRef || whyRepo ? 'high' : 'medium',
          message: `\`allow-unsafe-pr-checkout: true\` switches off actions/checkout's refusal to fetch fork pull-request code under ${stepPriv.join(', ')}, where the job holds the base repository's token and secrets${whyRef || whyRepo ? '' : ' (this checkout does not even fetch PR code: remove it)'}.`,
          file: m.file,
          ...nodeLoc(m.p, optOutV.node),
          token: 'allow-unsafe-pr-checkout',
          context: step.label,
        });
      }
    } else if (step.uses && /^(actions\/download-artifact|dawidd6\/action-download-artifact)$/.test(name) && stepPriv.includes('workflow_run')) {
      const runId = step.with.get('run-id')?.value ?? step.with.get('run_id')?.value ?? '';
      const fromTrigger = /workflow_run\.id/.test(runId) || (name.startsWith('dawidd6') && (!runId || /workflow_run/.test(runId) || !!step.with.get('workflow')));
      if (fromTrigger) {
        fetches.push({ kind: 'artifact', path: norm(step.with.get('path')?.value), loc: nodeLoc(m.p, step.usesNode!), token: step.uses, step, inWorkTree: true, why: `${name} of artifacts produced by the triggering (pull-request) run` });
      }
    } else if (step.uses && name === 'actions/github-script' && stepPriv.includes('workflow_run') && githubScriptDownloadsArtifact(step.with.get('script')?.value ?? '')) {
      // github.rest.actions.downloadArtifact of the triggering run, written into the workspace
      fetches.push({ kind: 'artifact', path: '.', loc: nodeLoc(m.p, step.usesNode!), token: step.uses, step, inWorkTree: true, why: 'actions/github-script downloading artifacts of the triggering (pull-request) run' });
    }
    if (step.run) for (const f of scriptFetches(m, job, step, stepPriv, extra)) fetches.push(f);
  }

  for (const f of fetches) {
    // later git checkout of a fetched ref in a later step
    if (f.kind === 'git-fetch' && !f.inWorkTree) {
      const later = job.steps.filter((s) => s.index > f.step.index && s.run);
      if (later.some((s) => scriptCommands(s.run!.value).some((c) => { const w = commandWords(c).words.map((x) => x.text); return w[0] === 'git' && /^(checkout|switch|reset|merge|rebase|cherry-pick|worktree)$/.test(w[1] ?? ''); }))) f.inWorkTree = true;
    }
    // find the first executing step/command after the fetch that runs in the fetched tree
    const fOffset = (f as Fetch & { offset?: number }).offset ?? -1;
    let exec: Exec | undefined;
    if (f.inWorkTree) {
      // a later safe checkout into the same path replaces the code
      const resetAt = job.steps.find((s) => s.index > f.step.index && s.uses && CHECKOUT.test(splitUses(s.uses).name) && norm(s.with.get('path')?.value) === f.path && !fetches.some((g) => g.step === s));
      for (const { exec: ex, stepIndex } of execs) {
        if (stepIndex < f.step.index || (stepIndex === f.step.index && (f.kind === 'checkout' || f.kind === 'artifact' || ex.offsetInStep <= fOffset))) continue;
        if (resetAt && stepIndex > resetAt.index) continue;
        if (cwdTouches(f.path, ex.cwd, ex.words) && !onlyArgumentTouches(f.path, ex)) {
          exec = ex;
          break;
        }
      }
    }
    if (!exec && f.kind === 'artifact') {
      // artifact content written to $GITHUB_ENV: a newline in it sets NODE_OPTIONS / LD_PRELOAD for later steps
      for (const s of job.steps) {
        if (s.index < f.step.index || (s.index === f.step.index && !s.run)) continue;
        const w = artifactEnvWrite({ m, job, step: s, ...extra }, s);
        if (!w || !s.run) continue;
        exec = { loc: spanLoc(s.run, w.start, w.end), what: 'a `$GITHUB_ENV` write of the artifact\'s content (a newline in it sets any variable, e.g. NODE_OPTIONS or LD_PRELOAD, for every later step)', label: s.label, cwd: '.', words: [], offsetInStep: w.start };
        break;
      }
    }
    let severity: Severity = exec ? (secretsOrWrite ? 'critical' : 'high') : 'low';
    let note = '';
    const v = f.checkoutVersion;
    const v7Guard = f.kind === 'checkout' && v && v.major >= 7 && !f.optOut && narrowEvents(jobPriv, f.step.ifText).every((e) => V7_GUARDED.has(e));
    if (v7Guard) {
      severity = 'low';
      note = ` actions/checkout ${v.text} refuses fork pull-request code here unless \`allow-unsafe-pr-checkout: true\` is set, so only same-repository branches are fetched.`;
    } else if (f.kind === 'checkout' && v && v.major < 7) note = ` actions/checkout ${v.text} predates v7, whose guard against fork code under pull_request_target/workflow_run does not protect this step.`;
    const related: RelatedLocation[] = exec ? [{ file: m.file, ...exec.loc, message: `executes the fetched code: ${exec.what}` }] : [];
    if (f.source) related.push(f.source);
    const trig = narrowEvents(jobPriv, f.step.ifText).join(', ');
    const what = exec
      ? `then executed by ${exec.what} in step \`${exec.label}\`${secretsOrWrite ? ', in a job that holds secrets or a write token' : ' (the job has no secrets or write token it is seen to use)'}`
      : 'and only read as data (nothing is seen to execute it)';
    push({
      rule: 'untrusted-checkout',
      severity,
      message: `${f.why} under ${trig} fetches code the pull-request author controls, ${what}.${note}${upstreamNote}`,
      file: m.file,
      ...f.loc,
      related,
      token: f.token,
      context: f.step.label,
      properties: { executed: !!exec, fetch: f.kind },
    });
  }
}

const MAX_CALL_DEPTH = 4;

/**
 * A job that calls a local reusable workflow: the called file runs with the caller's event (`github.*` is the
 * caller's), token and secrets, and its `inputs.*` carry what the caller passes in `with:`. Its jobs are analysed
 * in that light and findings reported in the called file, with the caller's `uses:` as a related location.
 */
function followCall(m: WorkflowModel, job: Job, jc: JobCtx, raw: RuleFinding[], opts: AnalyzeOptions): void {
  const uses = job.uses ?? '';
  if (!uses.startsWith('./') || !job.usesNode) return; // a workflow in another repository is pinned code, not read here
  const privileged = jc.jobPriv.length > 0 && !jc.jobSameRepo;
  const scope = { m, job, step: undefined, ...jc.extra };
  const inputs = new Map<string, Taint>();
  for (const [k, v] of job.with) {
    const t = valueTaint(scope, v.value, 0, scalarText(m.p, v.node), 0);
    if (t) inputs.set(k, t);
  }
  if (!privileged && !inputs.size) return; // the called file is judged on its own
  if (!opts.resolveLocal || jc.stack.length > MAX_CALL_DEPTH) return;
  const usesLoc = nodeLoc(m.p, job.usesNode);
  const callee = opts.resolveLocal(m, uses);
  const passed = [...inputs].filter(([, t]) => t.text || t.ref).map(([k, t]) => `\`${k}\` from ${t.what}`);
  if (!callee || callee.kind !== 'workflow') {
    if (!privileged) return;
    raw.push({
      rule: 'reusable-workflow-unresolved',
      severity: 'low',
      message: `\`${uses}\` is called from job \`${job.key}\` under ${jc.jobPriv.join(', ')} with the caller's token${jc.secrets ? ' and secrets' : ''}${passed.length ? ` and pull-request-controlled inputs (${passed.join(', ')})` : ''}, but ${callee ? 'it is not a workflow' : 'the file is not in the repository'}, so its steps were not checked: scan the repository with the called workflow present.`,
      file: m.file,
      ...usesLoc,
      related: jc.callers.length ? [...jc.callers] : undefined,
      token: `call:${uses}`,
      context: job.key,
    });
    return;
  }
  if (jc.stack.includes(callee.file)) return;
  const caller: RelatedLocation = {
    file: m.file,
    ...usesLoc,
    message: `called from job \`${job.key}\`${privileged ? ` under ${jc.jobPriv.join(', ')} with the caller's token${jc.secrets ? ' and secrets' : ''}` : ''}${passed.length ? `, passing ${passed.join(', ')}` : ''}`,
  };
  for (const cj of callee.jobs) {
    const declared = cj.permissionsPair || callee.hasPermissions;
    const write = jc.write && (!declared || hasWrite(effectivePerms(callee, cj)));
    // secrets reach a called job's steps only where it names them (`secrets.x`), and only those the caller passes
    const secrets = jc.secrets && reachesSecrets(callee, cj);
    analyzeJob(callee, cj, {
      jobPriv: privileged ? narrowEvents(jc.jobPriv, cj.ifText) : [],
      jobSameRepo: jc.jobSameRepo || sameRepoOnly(cj.ifText),
      secretsOrWrite: write || secrets,
      write,
      secrets,
      upstreamNote: jc.upstreamNote,
      extra: { inputs, prEvents: jc.extra.prEvents, resolveAction: jc.extra.resolveAction, resolveLocal: jc.extra.resolveLocal },
      callers: [...jc.callers, caller],
      stack: [...jc.stack, callee.file],
    }, raw, opts);
  }
}

/**
 * A step that uses a local composite action (`uses: ./.github/actions/x`): its steps run inside the calling job,
 * with the job's token, the secrets the caller hands it and its `with:` values as `inputs.*`. Its steps are
 * analysed in that light and findings reported in the action file, with the calling step as a related location.
 */
function followAction(m: WorkflowModel, job: Job, step: Step, jc: JobCtx, raw: RuleFinding[], opts: AnalyzeOptions): void {
  if (!opts.resolveAction || !step.usesNode || jc.stack.length > MAX_CALL_DEPTH) return;
  const stepPriv = narrowEvents(jc.jobPriv, step.ifText);
  const guarded = jc.jobSameRepo || sameRepoOnly(step.ifText);
  const privileged = stepPriv.length > 0 && !guarded;
  const scope = { m, job, step, ...jc.extra };
  const inputs = new Map<string, Taint>();
  for (const [k, v] of step.with) {
    const t = valueTaint(scope, v.value, 0, scalarText(m.p, v.node), 0);
    if (t && (t.text || t.ref)) inputs.set(k, t);
  }
  if (!privileged && !inputs.size) return; // judged on its own
  const callee = opts.resolveAction(m, step.uses!);
  if (!callee || callee.kind !== 'action' || !callee.jobs.length || jc.stack.includes(callee.file)) return;
  const passed = [...inputs].map(([k, t]) => `\`${k}\` from ${t.what}`);
  const caller: RelatedLocation = {
    file: m.file,
    ...nodeLoc(m.p, step.usesNode),
    message: `used by step \`${step.label}\`${privileged ? ` under ${stepPriv.join(', ')} with the job's token${jc.secrets ? ' and secrets' : ''}` : ''}${passed.length ? `, passing ${passed.join(', ')}` : ''}`,
  };
  analyzeJob(callee, callee.jobs[0], {
    ...jc,
    jobPriv: privileged ? stepPriv : [],
    jobSameRepo: guarded,
    extra: { inputs, prEvents: jc.extra.prEvents, resolveAction: jc.extra.resolveAction, resolveLocal: jc.extra.resolveLocal, outerDirs: untrustedDirsBefore(scope, step.index) },
    callers: [...jc.callers, caller],
    stack: [...jc.stack, callee.file],
  }, raw, opts);
}

const SEV_ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * The same finding reached twice — a called workflow scanned on its own and through one or more callers — is
 * reported once, at the highest severity, with every caller as a related location.
 */
export function mergeDuplicateFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) => `${f.rule}\u0000${f.file}\u0000${f.line}:${f.column}\u0000${f.endLine ?? ''}:${f.endColumn ?? ''}`;
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.isError) continue;
    const k = key(f);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f);
  }
  const drop = new Set<Finding>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    // the one kept: highest severity, unsuppressed first, then the first seen
    const best = [...g].sort((a, b) => SEV_ORDER.indexOf(b.severity) - SEV_ORDER.indexOf(a.severity) || Number(!!a.suppressed) - Number(!!b.suppressed))[0];
    for (const f of g) {
      if (f === best) continue;
      // an unsuppressed finding is never hidden behind a suppressed one
      if (best.suppressed && !f.suppressed) continue;
      drop.add(f);
      for (const r of f.related ?? []) {
        best.related ??= [];
        if (!best.related.some((x) => x.file === r.file && x.line === r.line && x.column === r.column)) best.related.push(r);
      }
    }
  }
  return findings.filter((f) => !drop.has(f));
}

import { scalarText } from './scalar.js';
function scalarTextOf(m: WorkflowModel, node: YNode): ScalarText | undefined {
  return scalarText(m.p, node);
}

/**
 * A job's text, and for a call of a local reusable workflow the text of the called jobs that can use `scope`:
 * a called job that declares its own permissions without that scope as write cannot use the caller's grant.
 */
function evidenceText(m: WorkflowModel, job: Job, scope: string, opts: AnalyzeOptions): string {
  if (!job.uses?.startsWith('./') || !opts.resolveLocal) return job.text;
  const callee = opts.resolveLocal(m, job.uses);
  if (!callee || callee === m) return job.text;
  const usable = callee.jobs.filter((cj) => {
    const ps = effectivePerms(callee, cj);
    return ps.kind === 'default' || ps.kind === 'write-all' || (ps.kind === 'map' && ps.scopes.get(scope)?.value === 'write');
  });
  return [job.text, ...usable.map((j) => j.text)].join('\n');
}

function checkPerms(m: WorkflowModel, ps: PermState, jobs: Job[], events: string[], raw: RuleFinding[], context: string, opts: AnalyzeOptions): void {
  if (ps.kind === 'write-all') {
    raw.push({
      rule: 'privileged-permissions',
      severity: 'high',
      message: `\`permissions: write-all\` under ${events.join(', ')} gives every step a token that can push code, rewrite releases and approve its own changes: grant only the scopes the job uses.`,
      file: m.file,
      ...nodeLoc(m.p, ps.node),
      token: 'write-all',
      context,
    });
    return;
  }
  if (ps.kind !== 'map') return;
  for (const [scope, s] of ps.scopes) {
    if (s.value !== 'write') continue;
    const text = jobs.map((j) => evidenceText(m, j, scope, opts)).join('\n').toLowerCase();
    const ev = SCOPE_EVIDENCE[scope];
    if (ev && ev.test(text)) continue;
    raw.push({
      rule: 'privileged-permissions',
      severity: 'medium',
      message: `\`${scope}: write\` under ${events.join(', ')} is not evidently used by ${jobs.length > 1 ? 'the jobs that inherit it' : `job \`${jobs[0].key}\``}, yet anything that runs there can use it: drop it or scope it to the job that needs it.`,
      file: m.file,
      ...nodeLoc(m.p, s.keyNode),
      token: `${scope}:write`,
      context,
    });
  }
}

export type { Command };

// ---------------------------------------------------------------------------------------------
// Third-party output formats (decision 0901): where a documented encoding makes the pasted text inert.

/** The step runs its `run:` with bash or sh (the default on Linux and macOS runners). */
function posixShell(step: Step, job: Job): boolean {
  const sh = (step.shell ?? job.defaultShell ?? '').trim();
  if (!sh) return !/windows/i.test(job.runsOn);
  return /^(bash|sh)(\s|$)/.test(sh);
}

/**
 * Quoting state at `offset` of a POSIX script: 'none' when the offset is in a command word outside any quotes,
 * command substitution or backticks; 'other' anywhere else (inside quotes, a heredoc body, a comment, `$(…)`).
 */
function shellQuoting(script: string, offset: number): 'none' | 'other' {
  const word = tokenizeShell(script).flatMap((c) => c.words).find((w) => w.start <= offset && offset < w.end);
  if (!word) return 'other';
  let q: string | undefined;
  for (let i = word.start; i < offset; i++) {
    const c = script[i];
    if (q === "'") {
      if (c === "'") q = undefined;
    } else if (c === '\\') i++;
    else if (c === '`' || (c === '$' && script[i + 1] === '(')) return 'other';
    else if (q === '"') {
      if (c === '"') q = undefined;
    } else if (c === "'" || c === '"') q = c;
  }
  return q ? 'other' : 'none';
}

/** `fromJSON(steps.x.outputs.data).a.b` members that are numbers, SHAs, ids, states, logins or dates. */
const SAFE_JSON_MEMBER = /^(sha|\w+_sha|number|id|node_id|state|merged|draft|locked|mergeable|additions|deletions|changed_files|commits|comments|\w+_count|login|full_name|\w+_at)$/;

function formIsSafe(
  form: NonNullable<Taint['form']>,
  at: { js: boolean; st: ScalarText; offset: number; exprText: string; path: string; step: Step; job: Job },
): boolean {
  if (form === 'json' || form === 'json-object') {
    // the JSON written as a JavaScript value (`const files = ${{ … }};`) is data
    if (at.js && !insideJsString(at.st.value, at.offset) && new RegExp(`^\\s*${at.path.replace(/[.[\]]/g, '\\$&')}\\s*$`, 'i').test(at.exprText)) return true;
    if (form === 'json-object') {
      // every use of the output in the expression must pick a safe member (`….sha || ….title` is the title)
      const path = at.path.replace(/[.[\]]/g, '\\$&');
      const uses = at.exprText.match(new RegExp(`\\b${path}\\b`, 'gi'))?.length ?? 0;
      const picks = [...at.exprText.matchAll(new RegExp(`fromjson\\(\\s*${path}\\s*\\)((?:\\.[\\w-]+|\\[\\s*(?:'[^']*'|\\d+)\\s*\\])+)`, 'gi'))];
      const safe = picks.filter((m) => {
        const last = /(?:\.([\w-]+)|\[\s*'([^']*)'\s*\])$/.exec(m[1]);
        return !!last && SAFE_JSON_MEMBER.test((last[1] ?? last[2]).toLowerCase());
      });
      if (uses > 0 && safe.length === uses) return true;
    }
    return false;
  }
  if (at.js || !posixShell(at.step, at.job)) return false;
  // the argument of `eval` or the string of `bash -c` is parsed a second time: the first parse removes the
  // escaping or quoting, the second runs what is left (`eval ls 'a;id'` runs id)
  if (secondParseWords(at.st.value).some((w) => w.start <= at.offset && at.offset < w.end)) return false;
  // `FILES=<list>` or `<list>` as the command: the second name of the list (or the first) is run as a command
  if (commandPosition(at.st.value, at.offset)) return false;
  // backslash before every unsafe character: literal in any bash/sh quoting context but backticks, where `\``
  // opens a nested command substitution
  if (form === 'shell-escaped') return !inBackticks(at.st.value, at.offset);
  // quoted per name: literal only where the expansion itself is unquoted (inside "…" the quotes are literal)
  return shellQuoting(at.st.value, at.offset) === 'none';
}

/**
 * Shell variables a script hands to a second round of parsing: the arguments of `eval`, the command string of
 * `bash -c` / `sh -c`. `$NAME` there (outside single quotes) is expanded first and its text then parsed as code;
 * anywhere else a variable's value is only data (word splitting of `for f in $FILES` runs nothing).
 */
export function evalSinks(script: string): Array<{ name: string; start: number; end: number; sink: string }> {
  const out: Array<{ name: string; start: number; end: number; sink: string }> = [];
  for (const w of secondParseWords(script)) {
    // a single quote inside double quotes is literal: `eval "echo '$X'"` expands $X (and a quote in it breaks out)
    let sq = false;
    let dq = false;
    for (let i = w.start; i < w.end; i++) {
      const ch = script[i];
      if (sq) {
        if (ch === "'") sq = false;
        continue;
      }
      if (ch === '\\') {
        i++;
        continue;
      }
      if (ch === '"') dq = !dq;
      else if (ch === "'" && !dq) sq = true;
      else if (ch === '$') {
        const m = /^\$(?:\{([A-Za-z_]\w*)(?=[}:=+?#%/^,[-])|([A-Za-z_]\w*))/.exec(script.slice(i, w.end));
        if (m) out.push({ name: m[1] ?? m[2], start: i, end: i + m[0].length, sink: w.sink });
      }
    }
  }
  return out;
}

/** Reserved words and builtins before a command: `then eval …`, `do bash -c …`, `if eval …`, `builtin eval`. */
const LEAD = /^(then|do|else|elif|if|while|until|!|\{|builtin)$/;
/** shell options that take an argument (`bash -o pipefail -c …`) */
const OPT_ARG = /^[-+][oO]$/;

/**
 * The words a script hands to a second parse: the arguments of `eval` and the command string of `sh -c` /
 * `bash -c` (options such as `-e`, `-o pipefail`, `--noprofile` before it, `--` after it), in the script and in
 * the command substitutions it contains.
 */
export function secondParseWords(script: string): Array<{ start: number; end: number; sink: string }> {
  const out: Array<{ start: number; end: number; sink: string }> = [];
  const visit = (cmds: Command[], depth: number) => {
    for (const c of cmds) {
      let { words } = commandWords(c);
      while (words.length && LEAD.test(words[0].text)) words = commandWords({ ...c, words: words.slice(1) }).words;
      if (words.length) {
        const cmd = words[0].text.replace(/^.*\//, '');
        if (cmd === 'eval') out.push(...words.slice(1).map((w) => ({ start: w.start, end: w.end, sink: 'eval' })));
        else if (/^(sh|bash|zsh|dash|ksh)$/.test(cmd)) {
          let i = 1;
          for (; i < words.length; i++) {
            const t = words[i].text;
            if (/^-[a-z]*c[a-z]*$/.test(t)) break;
            if (OPT_ARG.test(t)) i++;
            else if (!/^[-+]/.test(t)) {
              i = words.length;
              break;
            }
          }
          let body = i < words.length ? i + 1 : -1;
          if (body > 0 && words[body]?.text === '--') body++;
          if (body > 0 && words[body]) out.push({ start: words[body].start, end: words[body].end, sink: `${cmd} -c` });
        }
      }
      if (depth < 4) for (const w of c.words) for (const sub of findSubstitutions(script, w.start, w.end)) visit(tokenizeSlice(script, sub.a, sub.b), depth + 1);
    }
  };
  visit(tokenizeShell(script), 0);
  return out;
}

/** Is `offset` in an assignment word (`X=…`) or in the command name of its command? */
function commandPosition(script: string, offset: number): boolean {
  for (const c of tokenizeShell(script)) {
    const w = c.words.find((x) => x.start <= offset && offset < x.end);
    if (!w) continue;
    if (/^[A-Za-z_]\w*=/.test(w.raw)) return true;
    return commandWords(c).words[0] === w;
  }
  return false;
}

/** Inside a backtick command substitution at `offset`? (counted on the offset's line, outside single quotes) */
function inBackticks(script: string, offset: number): boolean {
  let open = false;
  let sq = false;
  for (let i = script.lastIndexOf('\n', offset - 1) + 1; i < offset; i++) {
    const c = script[i];
    if (sq) {
      if (c === "'") sq = false;
    } else if (c === '\\') i++;
    else if (c === "'" && !open) sq = true;
    else if (c === '`') open = !open;
  }
  return open;
}

/**
 * Was `name` assigned in `before` (the script up to a use) so that it no longer holds the env value? The last
 * assignment counts, and one whose value mentions `$name` itself (`FILES="$FILES x"`) keeps the attacker text.
 */
function reassignedClean(before: string, name: string): boolean {
  const all = [...before.matchAll(new RegExp(`(?:^|[\\s;&(])(?:export\\s+|local\\s+|declare\\s+(?:-\\w+\\s+)?|readonly\\s+)?${name}=("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s;&|]*)`, 'g'))];
  if (!all.length) return false;
  return !new RegExp(`\\$\\{?${name}\\b`).test(all[all.length - 1][1]);
}
