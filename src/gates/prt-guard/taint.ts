// Taint through step outputs, `$GITHUB_ENV`, job outputs and reusable-workflow inputs.
//
// A value is *text*-tainted when it carries attacker-controlled text (a PR title, a branch name …) that becomes
// code when `${{ }}` pastes it into a script, and *ref*-tainted when it names pull-request code (a head SHA is
// ref-tainted but not text: it is hex). Only what is read is believed: an output is tainted when the line that
// sets it (a `$GITHUB_OUTPUT` / `$GITHUB_ENV` write, `core.setOutput`, `return` of github-script, or a known
// action's documented output) is built from such a value. Unknown outputs are not tainted (no guessing).
import type { RelatedLocation } from '../../core/types.js';
import { analyzeExpression, findExpressions, isActorControlled, isPrRefPath, isPrRepoPath } from './expr.js';
import { nodeLoc, spanLoc, splitUses, type Job, type Step, type WorkflowModel } from './model.js';
import type { ScalarText } from './scalar.js';
import { scalarText } from './scalar.js';
import { argumentEnd, jsScalarOnly } from './js.js';
import { findSubstitutions, tokenizeShell } from './shell.js';
import { parse as parseYamlValue } from 'yaml';

/** `tr -cd` / `tr -dc` sets that leave no shell or expression syntax: digits, letters, `.`, `_`, `-`, `/`. */
const SAFE_TR_SET = /^(\[:(digit|alnum|alpha|upper|lower|xdigit):\]|[A-Za-z0-9]-[A-Za-z0-9]|[A-Za-z0-9._/-])+$/;
/** `grep -o` patterns that match digits only: `[0-9]+`, `[[:digit:]]*`, `\d+`. */
const DIGITS_RE = /^(\[0-9\]|\[\[:digit:\]\]|\\d)[+*]?$/;

/**
 * The shell text with every command substitution whose output is digits or a safe character set, whatever its
 * input carries, blanked out (same length): a pipeline ending in `wc`, `grep -c`, `tr -cd '0-9'` (a set of
 * letters, digits, `._-/` only) or `grep -oE '[0-9]+'`. `$(echo "$TITLE" | tr -cd '0-9')` carries none of the title.
 */
export function maskSanitized(seg: string): string {
  let out = seg;
  for (const sub of findSubstitutions(seg, 0, seg.length)) {
    const cmds = tokenizeShell(seg.slice(sub.a, sub.b));
    const last = cmds[cmds.length - 1];
    if (!last || cmds.length < 2 || cmds.slice(0, -1).some((c) => c.sep !== '|')) continue;
    const w = last.words.map((x) => x.text);
    const opts = w.slice(1).filter((x) => x.startsWith('-'));
    const args = w.slice(1).filter((x) => !x.startsWith('-'));
    const safe =
      w[0] === 'wc' ||
      (w[0] === 'grep' && opts.some((o) => /^-[a-zA-Z]*c[a-zA-Z]*$|^--count$/.test(o))) ||
      (w[0] === 'tr' && opts.some((o) => /^-(cd|dc)$/.test(o)) && args.length === 1 && SAFE_TR_SET.test(args[0])) ||
      (w[0] === 'grep' && opts.some((o) => /^-[a-zA-Z]*o[a-zA-Z]*$/.test(o)) && args.length === 1 && DIGITS_RE.test(args[0]));
    if (safe) out = out.slice(0, sub.open) + ' '.repeat(sub.b + 1 - sub.open) + out.slice(sub.b + 1);
  }
  return out;
}

export interface Taint {
  /** attacker-controlled text (template injection when pasted into a script) */
  text: boolean;
  /** names pull-request code (a checkout of it is an untrusted checkout) */
  ref: boolean;
  /** what the value comes from, for messages */
  what: string;
  /** where the tainted value enters (the source step's token) */
  source?: RelatedLocation;
  /**
   * a third-party action's documented output format that is harmless in some places it is pasted (see
   * `formIsSafe` in analyze.ts): `json` (a JSON value: data when written as a JavaScript value outside any string
   * literal), `json-object` (the same, and `fromJSON(x).<safe member>` picks a number/SHA/id), `shell-escaped`
   * (every unsafe character backslash-escaped: literal in any bash/sh quoting), `shell-quoted` (each name quoted
   * for the shell: literal only where the expansion is itself unquoted in a bash/sh script)
   */
  form?: 'json' | 'json-object' | 'shell-escaped' | 'shell-quoted';
}

export interface TaintScope {
  m: WorkflowModel;
  job: Job;
  /** the step that reads the value (undefined: job level, e.g. job outputs) */
  step?: Step;
  /** reusable workflow: taint of `inputs.*` passed by the caller */
  inputs?: Map<string, Taint>;
  /** can the job run on a pull-request event (decides branch-name actions' outputs) */
  prEvents: boolean;
  /** reads a local composite action (`uses: ./.github/actions/x`), to trace its `outputs.<o>.value` */
  resolveAction?: (from: WorkflowModel, path: string) => WorkflowModel | undefined;
  /** reads a local reusable workflow (`uses: ./.github/workflows/x.yml`), to trace its `workflow_call` outputs */
  resolveLocal?: (from: WorkflowModel, path: string) => WorkflowModel | undefined;
  /**
   * inside a local composite action: directories the calling job filled with pull-request data before the action
   * step (triggering-run artifacts, a checkout of the pull request's head)
   */
  outerDirs?: UntrustedDir[];
  /** privileged events the job (or the calling job) can run under; third-party outputs are judged against them */
  privEvents?: string[];
  /** the job only runs for same-repository pull requests (its authors already have write access) */
  sameRepo?: boolean;
}

/** A directory holding pull-request-controlled files: a triggering run's artifact, or a checkout of the PR head. */
export interface UntrustedDir {
  dir: string;
  kind: 'artifact' | 'checkout';
}

const MAX_DEPTH = 120;
const PR_EVENTS = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'workflow_run'];

export function hasPrEvents(events: Iterable<string>): boolean {
  for (const e of events) if (PR_EVENTS.includes(e)) return true;
  return false;
}

/** Attacker text named in a shell or JavaScript source text (expressions blanked out first). */
const TEXT_HINT_SHELL = /\bheadRefName\b|\.head\.(?:ref|label)\b|\bpull_request\.(?:title|body)\b|\b(?:issue|comment|review|discussion)\.(?:title|body)\b|--json\s+[\w,]*\b(?:title|body|headRefName)\b|\bhead_branch\b|\bGITHUB_HEAD_REF\b/;
const TEXT_HINT_JS = /\bheadRefName\b|\.head\.(?:ref|label)\b|\bGITHUB_HEAD_REF\b|\bhead_ref\b|\b(?:pull_request|pr|pull|pullRequest|issue|comment|review|discussion|data)\.(?:title|body)\b|\bhead_branch\b|\bdisplay_title\b/;
/** pull-request code refs (SHAs, branch names, the head repository) */
const REF_HINT = /head\.sha|head\.ref|head_sha|head_ref|headrefoid|headrefname|headrepository|refs\/pull\/|pull\/\$|merge_commit_sha|\.head\.repo|head\.repo\.full_name|head_repository/i;

/** Outputs of actions that resolve a pull request's head (documented outputs only). */
const ACTION_OUTPUTS: Array<{ re: RegExp; outputs: Record<string, 'text' | 'ref'>; prOnly?: boolean }> = [
  // current_branch / head_ref_branch are github.head_ref on pull-request events
  { re: /^tj-actions\/branch-names$/, outputs: { current_branch: 'text', head_ref_branch: 'text' }, prOnly: true },
  { re: /^(xt0rted|alessbell|gotson)\/pull-request-comment-branch$/, outputs: { head_ref: 'text', ref: 'text', head_sha: 'ref', sha: 'ref' } },
  { re: /^eficode\/resolve-pr-refs$/, outputs: { head_ref: 'text', head_sha: 'ref' } },
];

// Results per job and calling context (caller inputs, the calling job's untrusted directories, PR events): the same
// output or variable is asked for from many places, and chains of outputs fan out; without this a long job of
// outputs built from outputs takes exponential time.
// A query cut short — by the depth limit, or met again while it is being computed (a cycle) — answers "not
// tainted" there, but that answer is not the query's: it is kept only with the depth budget it had, and a later
// question with more budget left computes it again (at most MAX_DEPTH times per query). An answer reached
// without any cut below it is exact and serves every later question.
let cuts = 0;
function cut(): undefined {
  cuts++;
  return undefined;
}
const NONE = {};
interface MemoEntry {
  v: unknown;
  /** false while being computed */
  done: boolean;
  /** depth budget the answer was computed with; Infinity when no cut happened below it */
  budget: number;
}
const memoStore = new WeakMap<object, WeakMap<object, WeakMap<object, Map<string, MemoEntry>>>>();
function memo<T>(scope: TaintScope, key: string, depth: number, compute: () => T): T | undefined {
  let byInputs = memoStore.get(scope.job);
  if (!byInputs) memoStore.set(scope.job, (byInputs = new WeakMap()));
  let byDirs = byInputs.get(scope.inputs ?? NONE);
  if (!byDirs) byInputs.set(scope.inputs ?? NONE, (byDirs = new WeakMap()));
  let cache = byDirs.get(scope.outerDirs ?? NONE);
  if (!cache) byDirs.set(scope.outerDirs ?? NONE, (cache = new Map()));
  const k = `${scope.prEvents ? 1 : 0}|${(scope.privEvents ?? []).join(',')}|${scope.sameRepo ? 1 : 0}|${key}`;
  const budget = MAX_DEPTH - depth;
  const hit = cache.get(k);
  if (hit && !hit.done) return cut();
  if (hit && hit.budget >= budget) {
    // a cut-short answer reused within its budget is still cut short for the caller
    if (hit.budget !== Infinity) cuts++;
    return hit.v as T | undefined;
  }
  const entry: MemoEntry = { v: undefined, done: false, budget };
  cache.set(k, entry);
  const before = cuts;
  const v = compute();
  entry.v = v;
  entry.done = true;
  entry.budget = cuts === before ? Infinity : budget;
  return v;
}

function rel(scope: TaintScope, st: ScalarText, a: number, b: number, message: string): RelatedLocation {
  return { file: scope.m.file, ...spanLoc(st, a, b), message };
}

function merge(a: Taint | undefined, b: Taint | undefined): Taint | undefined {
  if (!a) return b;
  if (!b) return a;
  if (b.text && !a.text) return b;
  return a;
}

/** Taint of a string that may hold `${{ }}` expressions (a `with:`/`env:` value, a job output). */
export function valueTaint(scope: TaintScope, value: string, depth = 0, st?: ScalarText, base = 0): Taint | undefined {
  let out: Taint | undefined;
  for (const e of findExpressions(value)) {
    const info = analyzeExpression(e.text);
    for (const p of info.flowing) {
      let t: Taint | undefined;
      const here = st ? rel(scope, st, base + e.start, base + e.end, `\`${p}\` enters here`) : undefined;
      if (isActorControlled(p, info.objects.includes(p))) t = { text: true, ref: isPrRefPath(p), what: p, source: here };
      else if (isPrRefPath(p) || isPrRepoPath(p)) t = { text: false, ref: true, what: p, source: here };
      else t = pathTaint(scope, p, depth + 1);
      out = merge(out, t);
    }
  }
  return out;
}

/** Taint of a context path read by an expression: `env.X`, `steps.S.outputs.O`, `needs.J.outputs.O`, `inputs.I`. */
export function pathTaint(scope: TaintScope, path: string, depth = 0): Taint | undefined {
  if (depth > MAX_DEPTH) return cut();
  const envM = /^env\.([\w-]+)$/.exec(path);
  if (envM) return envTaint(scope, envM[1], depth);
  const so = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(path);
  if (so) {
    const src = scope.job.steps.find((s) => s.id?.toLowerCase() === so[1] && (!scope.step || s.index < scope.step.index));
    return src ? stepOutputTaint(scope, src, so[2], depth) : undefined;
  }
  const no = /^needs\.([\w-]+)\.outputs\.([\w-]+)$/.exec(path);
  if (no) {
    const up = scope.m.jobs.find((j) => j.key.toLowerCase() === no[1]);
    if (!up || up === scope.job) return undefined;
    if (up.uses?.startsWith('./')) return callOutputTaint(scope, up, no[2], depth);
    const out = [...up.outputs.entries()].find(([k]) => k.toLowerCase() === no[2])?.[1];
    if (!out) return undefined;
    return valueTaint({ ...scope, job: up, step: undefined }, out, depth + 1);
  }
  // inside a reusable workflow's `on.workflow_call.outputs`: `jobs.<job>.outputs.<o>`
  const jo = /^jobs\.([\w-]+)\.outputs\.([\w-]+)$/.exec(path);
  if (jo) {
    const j = scope.m.jobs.find((x) => x.key.toLowerCase() === jo[1]);
    const out = j && [...j.outputs.entries()].find(([k]) => k.toLowerCase() === jo[2])?.[1];
    if (!j || out === undefined) return undefined;
    return valueTaint({ ...scope, job: j, step: undefined }, out, depth + 1);
  }
  const im = /^inputs\.([\w-]+)$/.exec(path);
  if (im && scope.inputs) {
    for (const [k, v] of scope.inputs) if (k.toLowerCase() === im[1]) return v;
  }
  return undefined;
}

/** `env.NAME` / `$NAME` as seen by a step: its own `env:`, then `$GITHUB_ENV` writes of earlier steps, then job and workflow `env:`. */
export function envTaint(scope: TaintScope, name: string, depth = 0): Taint | undefined {
  return memo(scope, `env|${scope.step?.index ?? -1}|${name.toLowerCase()}`, depth, () => envTaintUncached(scope, name, depth));
}

function envTaintUncached(scope: TaintScope, name: string, depth: number): Taint | undefined {
  if (depth > MAX_DEPTH) return cut();
  const want = name.toLowerCase();
  const fromYaml = (map: Map<string, { value: string; node: import('../../core/yaml.js').YNode }> | undefined, s: TaintScope) => {
    if (!map) return { found: false, t: undefined as Taint | undefined };
    for (const [k, v] of map) {
      if (k.toLowerCase() !== want) continue;
      const st = scalarText(scope.m.p, v.node);
      return { found: true, t: valueTaint(s, v.value, depth + 1, st, 0) };
    }
    return { found: false, t: undefined };
  };
  const st = fromYaml(scope.step?.env, scope);
  if (st.found) return st.t;
  let written: Taint | undefined;
  for (const s of scope.job.steps) {
    if (scope.step && s.index >= scope.step.index) break;
    written = merge(written, stepWriteTaint({ ...scope, step: s }, s, 'GITHUB_ENV', name, depth + 1));
  }
  if (written) return written;
  const jobLevel = { ...scope, step: undefined };
  const jt = fromYaml(scope.job.env, jobLevel);
  if (jt.found) return jt.t;
  return fromYaml(scope.m.env, jobLevel).t;
}

/** Taint of output `name` of step `src`. */
export function stepOutputTaint(scope: TaintScope, src: Step, name: string, depth = 0): Taint | undefined {
  return memo(scope, `out|${src.index}|${name.toLowerCase()}`, depth, () => stepOutputTaintUncached(scope, src, name, depth));
}

function stepOutputTaintUncached(scope: TaintScope, src: Step, name: string, depth: number): Taint | undefined {
  if (depth > MAX_DEPTH) return cut();
  const want = name.toLowerCase();
  const u = splitUses(src.uses ?? '').name;
  for (const a of ACTION_OUTPUTS) {
    if (!a.re.test(u)) continue;
    if (a.prOnly && !scope.prEvents) return undefined;
    const kind = Object.entries(a.outputs).find(([k]) => k === want)?.[1];
    if (!kind || !src.usesNode) return undefined;
    return { text: kind === 'text', ref: true, what: `output \`${want}\` of ${u} (the pull request's head ${kind === 'text' ? 'branch name' : 'commit'})`, source: { file: scope.m.file, ...nodeLoc(scope.m.p, src.usesNode), message: `step \`${src.id}\` (${u}) resolves the pull request's head` } };
  }
  const tp = THIRD_PARTY.find((a) => a.re.test(u));
  if (tp) return src.usesNode ? tp.taint(scope, src, u, want, depth) : undefined;
  if (src.uses && /^\.\/(?!.*\.ya?ml$)/i.test(src.uses)) return compositeOutputTaint(scope, src, want, depth);
  return stepWriteTaint({ ...scope, step: src }, src, 'GITHUB_OUTPUT', want, depth);
}

/** `needs.<job>.outputs.<name>` of a job that calls a local reusable workflow: its `on.workflow_call.outputs`. */
function callOutputTaint(scope: TaintScope, up: Job, name: string, depth: number): Taint | undefined {
  const callee = scope.resolveLocal?.(scope.m, up.uses!);
  if (!callee || callee.kind !== 'workflow' || !callee.callOutputs || !callee.jobs.length) return undefined;
  const value = [...callee.callOutputs.entries()].find(([k]) => k.toLowerCase() === name)?.[1];
  if (value === undefined) return undefined;
  const inputs = new Map<string, Taint>();
  for (const [k, v] of up.with) {
    const t = valueTaint({ ...scope, job: up, step: undefined }, v.value, depth + 1, scalarText(scope.m.p, v.node), 0);
    if (t) inputs.set(k, t);
  }
  const t = valueTaint({ ...scope, m: callee, job: callee.jobs[0], step: undefined, inputs, outerDirs: undefined }, value, depth + 1);
  return t && { ...t, what: `output \`${name}\` of the reusable workflow \`${up.uses}\`, built from ${t.what}` };
}

/**
 * Output `name` of a step that uses a local composite action: the action's `outputs.<name>.value`, read in the
 * action (its steps, `$GITHUB_OUTPUT` writes, `inputs.*` tainted by the calling step's `with:`), with the
 * directories the calling job filled with pull-request data before the step.
 */
function compositeOutputTaint(scope: TaintScope, src: Step, name: string, depth: number): Taint | undefined {
  const callee = scope.resolveAction?.(scope.m, src.uses!);
  if (!callee || callee.kind !== 'action' || !callee.jobs.length) return undefined;
  const value = [...callee.jobs[0].outputs.entries()].find(([k]) => k.toLowerCase() === name)?.[1];
  if (value === undefined) return undefined;
  const inputs = new Map<string, Taint>();
  for (const [k, v] of src.with) {
    const t = valueTaint({ ...scope, step: src }, v.value, depth + 1, scalarText(scope.m.p, v.node), 0);
    if (t) inputs.set(k, t);
  }
  const inner: TaintScope = { ...scope, m: callee, job: callee.jobs[0], step: undefined, inputs, outerDirs: untrustedDirsBefore(scope, src.index, depth + 1) };
  const t = valueTaint(inner, value, depth + 1);
  if (!t) return undefined;
  const u = src.uses!;
  return { ...t, what: `output \`${name}\` of the local action \`${u}\`, built from ${t.what}` };
}

/** Taint of what step `s` writes to `$GITHUB_OUTPUT` / `$GITHUB_ENV` under `name` (run scripts and github-script). */
function stepWriteTaint(scope: TaintScope, s: Step, file: 'GITHUB_OUTPUT' | 'GITHUB_ENV', name: string, depth: number): Taint | undefined {
  const want = name.toLowerCase();
  let out: Taint | undefined;
  if (s.run) {
    for (const w of shellWrites(s.run.value, file)) {
      if (w.name.toLowerCase() !== want) continue;
      out = merge(out, shellValueTaint(scope, s.run, w.start, w.end, depth + 1));
    }
  }
  if (s.uses && /^actions\/github-script$/.test(splitUses(s.uses).name)) {
    const node = s.with.get('script')?.node;
    const st = node ? scalarText(scope.m.p, node) : undefined;
    if (st) {
      for (const w of jsWrites(st.value, file, s.with.get('result-encoding')?.value)) {
        if (w.name.toLowerCase() !== want) continue;
        out = merge(out, jsValueTaint(scope, st, w.start, w.end, depth + 1));
      }
    }
  }
  // a value re-written by a script is no longer in the third-party action's documented format
  if (out?.form) out = { ...out, form: undefined };
  if (out?.source && !out.source.message.startsWith('step')) out = { ...out, source: { ...out.source, message: `step \`${s.id ?? s.label}\` writes ${file === 'GITHUB_ENV' ? `\`${name}\` to $GITHUB_ENV` : `output \`${name}\``} from ${out.what}` } };
  return out;
}

interface Write {
  name: string;
  /** value range in the script */
  start: number;
  end: number;
}

function lines(v: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let i = 0;
  for (const l of v.split('\n')) {
    out.push({ text: l, start: i });
    i += l.length + 1;
  }
  return out;
}

const WRITE_SEG = /^\s*[{(]?\s*(?:(?:echo|printf|print|Write-Output|Write-Host)\s+(?:-[neE]+\s+)*|Add-Content\s+.*?-Value\s+)?(["']?)([A-Za-z_][\w-]*)(=|<<)/;

/** `name=value` lines written to `$GITHUB_OUTPUT` / `$GITHUB_ENV` (also heredoc `name<<EOF` and `::set-output`). */
export function shellWrites(v: string, file: 'GITHUB_OUTPUT' | 'GITHUB_ENV'): Write[] {
  const mentions = v.includes(file) || (file === 'GITHUB_OUTPUT' && v.includes('::set-output'));
  if (!mentions) return [];
  const ls = lines(v);
  const direct: Write[] = [];
  const grouped: Write[] = [];
  for (let i = 0; i < ls.length; i++) {
    const { text, start } = ls[i];
    const onLine = text.includes(file);
    if (file === 'GITHUB_OUTPUT') {
      const so = /::set-output\s+name=([\w-]+)::/.exec(text);
      if (so) {
        direct.push({ name: so[1], start: start + so.index + so[0].length, end: start + text.length });
        continue;
      }
    }
    // segments of the line: `a && echo "x=1" >> $GITHUB_OUTPUT; echo …`
    let off = 0;
    for (const seg of text.split(/(?<=;|&&|\|\|)/)) {
      const m = WRITE_SEG.exec(seg);
      const segStart = start + off;
      off += seg.length;
      if (!m) continue;
      const isEcho = /^\s*[{(]?\s*(echo|printf|print|Write-Output|Write-Host|Add-Content)\b/.test(seg) || m[1] !== '';
      if (!isEcho) continue;
      const valStart = segStart + m.index + m[0].length;
      if (m[3] === '<<') {
        // heredoc: the value is the lines up to the delimiter
        const d = /^[-~]?\s*['"]?([A-Za-z_]\w*)/.exec(seg.slice(m.index + m[0].length));
        if (!d) continue;
        let j = i + 1;
        while (j < ls.length && !new RegExp(`^\\s*(?:echo\\s+)?["']?${d[1]}["']?\\s*(?:>>|$)`).test(ls[j].text)) j++;
        const w = { name: m[2], start: ls[i + 1]?.start ?? start + text.length, end: (ls[j]?.start ?? v.length) };
        (onLine ? direct : grouped).push(w);
        i = j;
        break;
      }
      const w = { name: m[2], start: valStart, end: segStart + seg.length };
      (onLine ? direct : grouped).push(w);
    }
  }
  // writes on lines that name the file win; bare echoes count when the script redirects a group to it
  return direct.length ? [...direct, ...grouped.filter((g) => !direct.some((d) => d.name === g.name))] : grouped;
}

/** `core.setOutput('name', value)`, `core.exportVariable('name', value)`, and `return value` (output `result`). */
function jsWrites(v: string, file: 'GITHUB_OUTPUT' | 'GITHUB_ENV', _encoding?: string): Write[] {
  const out: Write[] = [];
  const re = file === 'GITHUB_OUTPUT' ? /\bcore\.setOutput\(\s*(['"`])([\w-]+)\1\s*,\s*/g : /\bcore\.exportVariable\(\s*(['"`])([\w-]+)\1\s*,\s*/g;
  for (const m of v.matchAll(re)) {
    const a = m.index! + m[0].length;
    out.push({ name: m[2], start: a, end: argumentEnd(v, a) });
  }
  if (file === 'GITHUB_OUTPUT') {
    for (const m of v.matchAll(/\breturn\s+(?=[^;\s])/g)) {
      const a = m.index! + m[0].length;
      const e = v.slice(a).search(/[;\n]/);
      out.push({ name: 'result', start: a, end: e < 0 ? v.length : a + e });
    }
  }
  return out;
}

function blankExpressions(s: string): string {
  let out = s;
  for (const e of findExpressions(s)) out = out.slice(0, e.start) + ' '.repeat(e.end - e.start) + out.slice(e.end);
  return out;
}

/**
 * The part shell and JavaScript value taint share: `${{ }}` expressions in the range, then (with expressions
 * blanked) the first attacker-text hint of the language, else the first PR-ref hint. Returns the blanked text too.
 */
function hintedTaint(
  scope: TaintScope,
  st: ScalarText,
  a: number,
  b: number,
  depth: number,
  textHint: RegExp,
  textWhat: (token: string) => string,
  textSource: string,
  mask: (seg: string) => string = (x) => x,
): { plain: string; taint: Taint | undefined } {
  const seg = mask(st.value.slice(a, b));
  let out = valueTaint(scope, seg, depth, st, a);
  const plain = blankExpressions(seg);
  const th = textHint.exec(plain);
  if (th) out = merge(out, { text: true, ref: true, what: textWhat(th[0]), source: rel(scope, st, a + th.index, a + th.index + th[0].length, textSource) });
  else {
    const rh = REF_HINT.exec(plain);
    if (rh) out = merge(out, { text: false, ref: true, what: `\`${rh[0]}\` of the pull request`, source: rel(scope, st, a + rh.index, a + rh.index + rh[0].length, 'reads the pull request head') });
  }
  return { plain, taint: out };
}

/** Taint of a shell value range: `${{ }}`, `$GITHUB_HEAD_REF`, `$VAR` (script assignment or env), `$(gh pr view --json headRefName …)`. */
function shellValueTaint(scope: TaintScope, st: ScalarText, a: number, b: number, depth: number): Taint | undefined {
  if (depth > MAX_DEPTH) return cut();
  const v = st.value;
  const { plain, taint } = hintedTaint(scope, st, a, b, depth, TEXT_HINT_SHELL, (t) => (t === 'GITHUB_HEAD_REF' ? '`$GITHUB_HEAD_REF`' : `\`${t}\` of the pull request`), 'reads the pull request head', maskSanitized);
  let out = taint;
  const art = untrustedRead(scope, plain, depth);
  if (art?.kind === 'artifact') out = merge(out, { text: true, ref: false, what: `the content of \`${art.file}\` from an artifact of the triggering run`, source: rel(scope, st, a + art.index, a + art.index + art.length, 'reads a file from a downloaded artifact') });
  else if (art) out = merge(out, { text: true, ref: false, what: art.file.startsWith('the head') ? art.file : `the content of \`${art.file}\` from the checkout of the pull request's head`, source: rel(scope, st, a + art.index, a + art.index + art.length, 'reads pull-request content from the checkout of its head') });
  for (const vm of plain.matchAll(/\$\{?([A-Za-z_]\w*)/g)) {
    const name = vm[1];
    if (/^GITHUB_(OUTPUT|ENV|STEP_SUMMARY|PATH|WORKSPACE|EVENT_PATH|SHA|RUN_ID|RUN_NUMBER|REPOSITORY|BASE_REF|REF|REF_NAME|SERVER_URL|API_URL|TOKEN)$/.test(name)) continue;
    // the last assignment before this point in the script
    const before = v.slice(0, a + vm.index!);
    let def: RegExpExecArray | undefined;
    for (const dm of before.matchAll(new RegExp(`(?:^|[\\s;&(])(?:export\\s+|local\\s+|declare\\s+(?:-\\w+\\s+)?|readonly\\s+)?${name}=`, 'g'))) def = dm as RegExpExecArray;
    if (def) {
      const ds = def.index! + def[0].length;
      const lineEnd = v.indexOf('\n', ds);
      out = merge(out, shellValueTaint(scope, st, ds, lineEnd < 0 ? v.length : lineEnd, depth + 1));
    } else out = merge(out, envTaint(scope, name, depth + 1));
  }
  return out;
}

/**
 * The first `$GITHUB_ENV` write in step `s` whose value is read from a downloaded artifact: a newline in the file
 * sets any variable (NODE_OPTIONS, LD_PRELOAD, BASH_ENV …) for every later step, which is code execution.
 */
export function artifactEnvWrite(scope: TaintScope, s: Step): { start: number; end: number } | undefined {
  if (!s.run) return undefined;
  for (const w of shellWrites(s.run.value, 'GITHUB_ENV')) {
    const t = shellValueTaint({ ...scope, step: s }, s.run, w.start, w.end, 1);
    if (t?.text && t.what.startsWith('the content of') && t.what.endsWith('of the triggering run')) return { start: w.start, end: w.end };
  }
  return undefined;
}

/** Directories that earlier steps of the job download a triggering `workflow_run`'s artifacts into. */
export function artifactDirsBefore(job: Job, before: number): string[] {
  const dirs: string[] = [];
  for (const s of job.steps) {
    if (s.index >= before) break;
    const u = splitUses(s.uses ?? '').name;
    const dir = (p?: string) => {
      const d = (p ?? '').trim().replace(/^\.\/+/, '').replace(/\/+$/, '');
      return d === '' || d === '.' ? '.' : d;
    };
    if (u === 'actions/download-artifact' && /workflow_run\.id/.test(s.with.get('run-id')?.value ?? '')) dirs.push(dir(s.with.get('path')?.value));
    else if (u === 'dawidd6/action-download-artifact') dirs.push(dir(s.with.get('path')?.value));
    else if (u === 'actions/github-script' && githubScriptDownloadsArtifact(s.with.get('script')?.value ?? '')) dirs.push('.');
    else if (s.run) {
      const g = /\bgh\s+run\s+download\b[^\n]*/.exec(s.run.value);
      if (g) dirs.push(dir(/(?:-D|--dir)[\s=]+(\S+)/.exec(g[0])?.[1]));
    }
  }
  return dirs;
}

/** A github-script that downloads the triggering workflow_run's artifacts (the GitHub Security Lab shape). */
export function githubScriptDownloadsArtifact(script: string): boolean {
  return /\bdownloadArtifact\s*\(/.test(script) && /workflow_run|run_id\s*:\s*\$\{\{/.test(script);
}

/**
 * Directories filled with pull-request data by the job's steps before `before`: artifacts of the triggering run,
 * and checkouts of the pull request's head (`ref:` / `repository:` that name PR code, `gh pr checkout`), plus
 * those of the calling job when the scope is a local composite action.
 */
export function untrustedDirsBefore(scope: TaintScope, before: number, depth = 0): UntrustedDir[] {
  return memo(scope, `dirs|${before}`, depth, () => untrustedDirsUncached(scope, before, depth)) ?? [];
}

function untrustedDirsUncached(scope: TaintScope, before: number, depth: number): UntrustedDir[] {
  const out: UntrustedDir[] = artifactDirsBefore(scope.job, before).map((dir) => ({ dir, kind: 'artifact' as const }));
  for (const s of scope.job.steps) {
    if (s.index >= before) break;
    const u = splitUses(s.uses ?? '').name;
    if (u === 'actions/checkout') {
      const at = { ...scope, step: s };
      const fromPr = (k: string) => {
        const v = s.with.get(k);
        if (!v) return false;
        if (/(^|[^\w])(refs\/)?pull\/[^/\s]+\/(head|merge)\b/.test(v.value)) return true;
        return depth < MAX_DEPTH ? !!valueTaint(at, v.value, depth + 1)?.ref : !!cut();
      };
      if (fromPr('ref') || fromPr('repository')) {
        const d = (s.with.get('path')?.value ?? '').trim().replace(/^\.\/+/, '').replace(/\/+$/, '');
        out.push({ dir: d === '' || d === '.' ? '.' : d, kind: 'checkout' });
      }
    } else if (s.run && /\bgh\s+pr\s+checkout\b/.test(s.run.value)) {
      const d = (s.workingDirectory ?? '').trim().replace(/^\.\/+/, '').replace(/\/+$/, '');
      out.push({ dir: d === '' || d === '.' ? '.' : d, kind: 'checkout' });
    }
  }
  return [...out, ...(scope.outerDirs ?? [])];
}

/**
 * `$(cat f)`, `$(<f)`, `$(jq … f)`, `$(head … f)` reading a file of a downloaded artifact or of a checkout of the
 * pull request's head, unless sanitised (`tr -cd`, `grep -o`, …); and `$(git log … --format=%s)` (a commit
 * message or author name) in a checkout of the head.
 */
function untrustedRead(scope: TaintScope, plain: string, depth: number): { file: string; index: number; length: number; kind: UntrustedDir['kind'] } | undefined {
  if (!scope.step) return undefined;
  const dirs = untrustedDirsBefore(scope, scope.step.index, depth);
  if (!dirs.length) return undefined;
  for (const m of plain.matchAll(/\$\(\s*(?:<\s*|(?:cat|jq\s+(?:-\w+\s+)*(?:'[^']*'|"[^"]*"|\S+)|head\s+(?:-\w+\s+)*|tail\s+(?:-\w+\s+)*)\s+)(["']?)([^\s"'|)]+)\1([^)]*)\)/g)) {
    const rest = m[3];
    if (/\|\s*(tr\s+-(cd|dc)|grep\s+-\w*[ox]|sed\s+-n|head\s+-c|cut\s+-c|wc\b)/.test(rest)) continue;
    const file = m[2].replace(/^\.\/+/, '');
    const hit = dirs.find(({ dir: d }) => d === '.' ? !file.startsWith('/') && !file.startsWith('$') : file === d || file.startsWith(`${d}/`));
    if (hit) return { file: m[2], index: m.index!, length: m[0].length, kind: hit.kind };
  }
  // a commit message / author of the fetched head (`git log -1 --pretty=%B`, `git show -s --format=%s`)
  if (dirs.some((d) => d.kind === 'checkout')) {
    const g = /\$\(\s*git\s+(?:-C\s+\S+\s+)?(?:log|show)\b[^)]*--(?:pretty|format)[=\s]+["']?[^"')\s]*%[sBbfanAeNcC][^)]*\)/.exec(plain);
    if (g && !/\|\s*(tr\s+-(cd|dc)|grep\s+-\w*[ox]|head\s+-c|cut\s+-c|wc\b)/.test(g[0])) return { file: 'the head commit\'s message or author', index: g.index, length: g[0].length, kind: 'checkout' };
  }
  return undefined;
}

/** Taint of a JavaScript expression range in a github-script: payload/API fields, `${{ }}`, `const x = …` aliases. */
function jsValueTaint(scope: TaintScope, st: ScalarText, a: number, b: number, depth: number): Taint | undefined {
  if (depth > MAX_DEPTH) return cut();
  const v = st.value;
  // a boolean or a number computed from the text (`pr.title.startsWith('feat')`, `body.length`) carries none of it
  if (jsScalarOnly(blankExpressions(v.slice(a, b)))) return undefined;
  const { plain, taint } = hintedTaint(scope, st, a, b, depth, TEXT_HINT_JS, (t) => `\`${t}\` of the pull request`, 'reads the pull request');
  let out = taint;
  // fs.readFileSync of a file of a downloaded artifact / the pull request's checkout
  for (const fm of plain.matchAll(/\breadFileSync\(\s*(['"`])([^'"`$]+)\1/g)) {
    if (!scope.step) break;
    const file = fm[2].replace(/^\.\/+/, '');
    const hit = untrustedDirsBefore(scope, scope.step.index, depth).find(({ dir: d }) => d === '.' ? !file.startsWith('/') : file === d || file.startsWith(`${d}/`));
    if (!hit) continue;
    const at = a + fm.index!;
    out = merge(out, { text: true, ref: false, what: `the content of \`${fm[2]}\` from ${hit.kind === 'artifact' ? 'an artifact of the triggering run' : "the checkout of the pull request's head"}`, source: rel(scope, st, at, at + fm[0].length, hit.kind === 'artifact' ? 'reads a file from a downloaded artifact' : 'reads pull-request content from the checkout of its head') });
    break;
  }
  for (const im of plain.matchAll(/(?<![\w$.'"`])([A-Za-z_$][\w$]*)\b(?:\.([\w$.]+))?/g)) {
    const id = im[1];
    if (/^(context|github|core|exec|require|process|JSON|String|await|return|true|false|null|undefined|new|const|let|var)$/.test(id)) continue;
    const before = v.slice(0, a + im.index!);
    let def: RegExpExecArray | undefined;
    for (const dm of before.matchAll(new RegExp(`\\b(?:const|let|var)\\s+${id.replace(/\$/g, '\\$')}\\s*=\\s*`, 'g'))) def = dm as RegExpExecArray;
    if (def) {
      const ds = def.index! + def[0].length;
      const e = v.slice(ds).search(/[;\n]/);
      const inner = jsValueTaint(scope, st, ds, e < 0 ? v.length : ds + e, depth + 1);
      // `const pr = (await github.rest.pulls.get(…)).data` then `pr.head.ref`: the member read decides
      const member = im[2] ? `.${im[2]}` : '';
      if (inner?.text) out = merge(out, inner);
      else if (member && TEXT_HINT_JS.test(`${id}${member}`)) out = merge(out, { text: true, ref: true, what: `\`${id}${member}\``, source: rel(scope, st, a + im.index!, a + im.index! + im[0].length, 'reads the pull request') });
      else if (inner) out = merge(out, inner);
      continue;
    }
    // destructuring: const { ref } = context.payload.pull_request.head
    for (const dm of before.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*([^;\n]+)/g)) {
      const names = dm[1].split(',').map((x) => x.split(':').map((y) => y.trim()));
      const hit = names.find((n) => (n[1] ?? n[0]) === id);
      if (!hit) continue;
      const full = `${dm[2].trim().replace(/^await\s+/, '')}.${hit[0]}`;
      if (TEXT_HINT_JS.test(full)) out = merge(out, { text: true, ref: true, what: `\`${full}\``, source: rel(scope, st, dm.index!, dm.index! + dm[0].length, 'reads the pull request') });
      else if (REF_HINT.test(full)) out = merge(out, { text: false, ref: true, what: `\`${full}\``, source: rel(scope, st, dm.index!, dm.index! + dm[0].length, 'reads the pull request head') });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Third-party actions whose documented outputs carry text a pull-request author (or any commenter) chooses.
// Decision 0901; the table in docs/prt-guard.md gives each entry's source. Only listed outputs are tainted, and
// only when the job runs under a privileged event where the text comes from the attacker: file names under
// plain `pull_request` are the author's own problem (read-only token, no secrets), not prt-guard's.

/** privileged events whose payload is a pull request: a file-list action diffs the pull request's head */
const PR_PAYLOAD_PRIV = new Set(['pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

interface ThirdParty {
  re: RegExp;
  taint: (scope: TaintScope, src: Step, action: string, output: string, depth: number) => Taint | undefined;
}

function privileged(scope: TaintScope): boolean {
  return (scope.privEvents ?? []).length > 0 && !scope.sameRepo;
}

function sourceAt(scope: TaintScope, src: Step, action: string, message: string): RelatedLocation {
  return { file: scope.m.file, ...nodeLoc(scope.m.p, src.usesNode!), message: `step \`${src.id ?? src.label}\` (${action}) ${message}` };
}

/**
 * Does a file-list action list the pull request's files here? Under a privileged event whose payload is a pull
 * request it does (it diffs base and head); under the other privileged events (workflow_run, issue_comment, issues)
 * only when it is pointed at pull-request code: a `with:` ref that names it, or an earlier checkout of the head.
 */
function listsPrFiles(scope: TaintScope, src: Step, refInputs: string[], depth: number): string | undefined {
  if (!privileged(scope)) return undefined;
  const pe = scope.privEvents!.find((e) => PR_PAYLOAD_PRIV.has(e));
  if (pe) return pe;
  for (const k of refInputs) {
    const v = src.with.get(k);
    if (v && valueTaint({ ...scope, step: src }, v.value, depth + 1)?.ref) return `${scope.privEvents!.join(', ')}, with \`${k}:\` naming pull-request code`;
  }
  if (untrustedDirsBefore(scope, src.index, depth + 1).some((d) => d.kind === 'checkout')) return `${scope.privEvents!.join(', ')}, after a checkout of the pull request's head`;
  return undefined;
}

function fileListTaint(scope: TaintScope, src: Step, action: string, output: string, ev: string, form?: Taint['form']): Taint {
  return {
    text: true,
    ref: false,
    what: `output \`${output}\` of ${action}, whose file names are chosen by the pull request's author (under ${ev})`,
    source: sourceAt(scope, src, action, 'lists the files the pull request changes'),
    form,
  };
}

const withValue = (src: Step, k: string): string => (src.with.get(k)?.value ?? '').trim();
const isTrue = (v: string): boolean => /^(true|\$\{\{\s*true\s*\}\})$/i.test(v);

/**
 * tj-actions/changed-files (and StepSecurity's drop-in fork): `<type>_files` lists, optionally prefixed by a
 * `files_yaml` key. Deleted files are the base's names; `*_count`, `any_*`, `only_*`, `*_keys` are numbers,
 * booleans or maintainer-chosen keys.
 */
const CHANGED_FILES_LIST = /^(?:[\w-]+_)?(?:added|copied|modified|renamed|type_changed|unmerged|unknown|all_changed_and_modified|all_changed|all_modified|other_changed|other_modified|all_old_new_renamed)_files$/;

/** `filters:` keys of dorny/paths-filter written inline (a file path: undefined, any `<x>_files` output counts). */
function pathsFilterKeys(filters: string): string[] | undefined {
  if (!/[:\n]/.test(filters.trim())) return undefined;
  // parsed as paths-filter does (YAML): quoted keys (`'src':`) and flow style (`{src: [...]}`) are keys too;
  // anything that is not a plain mapping counts every `<x>_files` output
  let parsed: unknown;
  try {
    parsed = parseYamlValue(filters);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return Object.keys(parsed).map((k) => k.toLowerCase());
}

/**
 * A regular expression whose matches cannot carry shell or expression syntax: literal letters/digits and the
 * classes `\w`, `\d`, `[…]` of letters, digits, `_`, `.`, `-`, `/`. Anything that can match a quote, `$`, a
 * backtick, a parenthesis or a newline (`.`, `\S`, `\s`, `\W`, `[^…]`) is not.
 */
export function regexMatchesSafeText(re: string): boolean {
  let s = re.replace(/^\^|\$$/g, '');
  // character classes
  const classOk = (body: string) => !body.startsWith('^') && /^(?:\\[wd]|\\[-./_]|[A-Za-z0-9_./]|-)+$/.test(body);
  let bad = false;
  s = s.replace(/\[((?:\\.|[^\]\\])*)\]/g, (_, body: string) => {
    if (!classOk(body)) bad = true;
    return 'C';
  });
  if (bad) return false;
  s = s.replace(/\\[wd]|\\[-./_ ]/g, 'C');
  // what is left: literals, groups, alternation, quantifiers; no `.` and no other escapes (\s, \S, \W …)
  return /^[A-Za-z0-9_ /:=#,-]*$/.test(s.replace(/[()|?*+]|\{\d+(,\d*)?\}|\(\?:/g, ''));
}

const OCTOKIT_TEXT_ROUTE = /\/(pulls|issues|comments|commits|compare|reviews|discussions|releases)\b/i;

const THIRD_PARTY: ThirdParty[] = [
  {
    re: /^(tj-actions|step-security)\/changed-files$/,
    taint: (scope, src, action, output, depth) => {
      if (!CHANGED_FILES_LIST.test(output)) return undefined;
      const ev = listsPrFiles(scope, src, ['sha', 'base_sha'], depth);
      if (!ev) return undefined;
      return fileListTaint(scope, src, action, output, ev, isTrue(withValue(src, 'json')) || isTrue(withValue(src, 'matrix')) ? 'json' : undefined);
    },
  },
  {
    re: /^dorny\/paths-filter$/,
    taint: (scope, src, action, output, depth) => {
      const format = withValue(src, 'list-files').toLowerCase();
      if (!/^(csv|json|shell|escape)$/.test(format) || !output.endsWith('_files')) return undefined;
      const keys = pathsFilterKeys(withValue(src, 'filters'));
      if (keys && !keys.includes(output.slice(0, -'_files'.length).toLowerCase())) return undefined;
      const ev = listsPrFiles(scope, src, ['ref', 'base'], depth);
      if (!ev) return undefined;
      const form = format === 'json' ? 'json' : format === 'escape' ? 'shell-escaped' : format === 'shell' ? 'shell-quoted' : undefined;
      return fileListTaint(scope, src, action, output, ev, form);
    },
  },
  {
    // jitterbit/get-changed-files is NOT listed: it fails on any event but pull_request and push.
    re: /^ana06\/get-changed-files$/,
    taint: (scope, src, action, output) => {
      if (!/^(all|added|modified|renamed|added_modified|added_modified_renamed)$/.test(output)) return undefined;
      const ev = privileged(scope) ? scope.privEvents!.find((e) => PR_PAYLOAD_PRIV.has(e)) : undefined;
      if (!ev) return undefined;
      return fileListTaint(scope, src, action, output, ev, withValue(src, 'format').toLowerCase() === 'json' ? 'json' : undefined);
    },
  },
  {
    re: /^peter-evans\/find-comment$/,
    taint: (scope, src, action, output) => {
      if (output !== 'comment-body' || !privileged(scope)) return undefined;
      // a literal `comment-author` (a bot, a maintainer) selects text that author wrote
      const author = withValue(src, 'comment-author');
      if (author && !author.includes('${{')) return undefined;
      return { text: true, ref: false, what: `output \`comment-body\` of ${action}, the body of a comment anyone can post (no literal \`comment-author\`; under ${scope.privEvents!.join(', ')})`, source: sourceAt(scope, src, action, 'finds a comment written by anyone') };
    },
  },
  {
    re: /^khan\/pull-request-comment-trigger$/,
    taint: (scope, src, action, output) => {
      if (output !== 'comment_body' || !privileged(scope)) return undefined;
      return { text: true, ref: false, what: `output \`comment_body\` of ${action}, the comment or pull request body its author wrote (under ${scope.privEvents!.join(', ')})`, source: sourceAt(scope, src, action, 'reads the comment or pull request body') };
    },
  },
  {
    // a substring of `text:`: as tainted as the text, unless the regex can only match safe characters
    re: /^actions-ecosystem\/action-regex-match$/,
    taint: (scope, src, action, output, depth) => {
      if (!/^(match|group[1-9])$/.test(output)) return undefined;
      const text = src.with.get('text');
      if (!text || regexMatchesSafeText(withValue(src, 'regex'))) return undefined;
      const t = valueTaint({ ...scope, step: src }, text.value, depth + 1, scalarText(scope.m.p, text.node), 0);
      if (!t?.text) return undefined;
      return { text: true, ref: false, what: `output \`${output}\` of ${action}, a match of ${t.what}`, source: t.source ?? sourceAt(scope, src, action, 'matches attacker text') };
    },
  },
  {
    re: /^octokit\/request-action$/,
    taint: (scope, src, action, output) => {
      if (output !== 'data' || !privileged(scope)) return undefined;
      const route = withValue(src, 'route');
      if (!OCTOKIT_TEXT_ROUTE.test(route)) return undefined;
      return { text: true, ref: false, what: `output \`data\` of ${action} (\`${route.split('\n')[0]}\`), a response that holds titles, bodies, branch names or commit messages their authors chose`, source: sourceAt(scope, src, action, 'fetches pull-request or issue content'), form: 'json-object' };
    },
  },
];
