// gate-integrity (decision 0971): the parts of Makefiles and package.json that decide which shell commands
// `make <target>` and `npm run <script>` (yarn, pnpm) run, with the source offset of every character, so findings
// point into the Makefile / package.json. Pure text processing: no file access, no process.
import { posix } from 'node:path';

/** Text with the source offset of each character (plus one entry for the end). */
export interface Mapped {
  text: string;
  map: number[];
}

/** Characters variable references may add to one expansion (a variable that keeps doubling is not followed). */
export const MAX_EXPANSION = 64 * 1024;

/** Stands for a make variable or function whose value cannot be known statically: a shell variable that is unset here. */
export const UNRESOLVED = '${MAKE_UNRESOLVED}';

interface MakeVar {
  value: string;
  /** `:=` — already expanded, inserted as it is */
  simple: boolean;
  /** `!=`, `define`, inside a conditional, built from an unknown value: not guessed */
  dynamic: boolean;
}

export interface RecipeLine {
  /** the logical line after the recipe prefix (continuations kept as backslash-newline, the next line's prefix removed) */
  raw: Mapped;
  /** inside `ifeq`/`ifdef`…: whether it runs is not known, not judged */
  conditional: boolean;
}

export interface MakeRule {
  target: string;
  prereqs: string[];
  recipe: RecipeLine[];
}

export interface Makefile {
  vars: Map<string, MakeVar>;
  rules: Map<string, MakeRule[]>;
  /** undefined when no target, or when it cannot be known (first target in a conditional or an included file, dynamic `.DEFAULT_GOAL`) */
  defaultGoal?: string;
  /** an included file that cannot be seen, or one that sets `SHELL`/`.SHELLFLAGS`/`.ONESHELL`/`.POSIX`: the shell's flags are not known */
  shellUnknown: boolean;
  /** `MAKEFLAGS += -i` / `--ignore-errors` outside conditionals (offset of `MAKEFLAGS`) */
  ignoreFlagsAt?: number;
  oneshell: boolean;
  posix: boolean;
  /** `.IGNORE:` with no prerequisites (offset of the token) */
  ignoreAll?: number;
  /** `.IGNORE: a b` (offset of the token) */
  ignoreTargets: Map<string, number>;
}

const DIRECTIVE = /^(-?include|sinclude|vpath|unexport|load|-load)(\s|$)/;
const INCLUDE = /^(-?include|sinclude)\s+/;

/** What an `include` reads, as far as it matters here (see `parseMakefile`). */
export interface IncludeInfo {
  /** the file cannot be seen (a name with variables or wildcards, outside the repository, unreadable): anything may change */
  opaque: boolean;
  /** variables it sets */
  vars?: string[];
  /** it defines rules (one may be the default goal) */
  rules?: boolean;
  /** it sets `SHELL`, `.SHELLFLAGS`, `.ONESHELL`, `.POSIX` or `MAKEFLAGS` */
  shell?: boolean;
}
/** Default for `parseMakefile`: nothing an include reads is seen. */
const OPAQUE_INCLUDE = (): IncludeInfo => ({ opaque: true });

/** Thrown when a recipe's expansion goes over MAX_EXPANSION (one line) or MAX_RECIPE_TEXT (one `make` call), or the prerequisite walk over its bounds: the call is not followed. */
export class MakeLimitError extends Error {}

/** Expanded recipe text one `make` call may produce (all its lines together). */
export const MAX_RECIPE_TEXT = 1024 * 1024;

const COND_OPEN = /^(ifeq|ifneq|ifdef|ifndef)(\s|\(|$)/;

/** Index of the `)`/`}` closing the reference opened at `i` (`$(` or `${`), or -1. */
function refEnd(s: string, i: number): number {
  const open = s[i + 1];
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let k = i + 1; k < s.length; k++) {
    if (s[k] === open) depth++;
    else if (s[k] === close && --depth === 0) return k;
  }
  return -1;
}

/**
 * Expands make variable references in `s` (offsets `offs`): `$$` → `$`; `$(NAME)`/`${NAME}`/`$X` of a known
 * variable → its value (recursively for `=`, as it is for `:=`), each character mapped to the reference's `$`;
 * `$@` → the target; functions, substitution references and unknown or dynamic variables → UNRESOLVED.
 */
export function expandMake(s: string, offs: number[], lookup: (name: string) => MakeVar | undefined, target = '', depth = 0, budget: { left: number; hit?: boolean } = { left: MAX_EXPANSION }): Mapped {
  const out: Mapped = { text: '', map: [] };
  const push = (text: string, at: number) => {
    out.text += text;
    for (let k = 0; k < text.length; k++) out.map.push(at);
    budget.left -= text.length;
  };
  for (let i = 0; i < s.length; i++) {
    if (budget.left <= 0) {
      // `A = $(B)$(B)`, `B = $(C)$(C)`, …: an expansion that keeps doubling is not followed
      budget.hit = true;
      push(UNRESOLVED, offs[i]);
      break;
    }
    const c = s[i];
    if (c !== '$') {
      out.text += c;
      out.map.push(offs[i]);
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) {
      push('$', offs[i]);
      continue;
    }
    if (n === '$') {
      push('$', offs[i]);
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (n === '(' || n === '{') {
      end = refEnd(s, i);
      if (end < 0) {
        push(UNRESOLVED, offs[i]);
        break;
      }
      name = s.slice(i + 2, end);
    } else {
      name = n;
      end = i + 1;
    }
    let value: string | undefined;
    if (name === '@') value = target;
    else if (/^[A-Za-z0-9_.\-]+$/.test(name) && depth < 16) {
      const v = lookup(name);
      if (v && !v.dynamic) value = v.simple ? v.value : expandMake(v.value, new Array(v.value.length).fill(offs[i]), lookup, target, depth + 1, budget).text;
    }
    push(value ?? UNRESOLVED, offs[i]);
    i = end;
  }
  return out;
}

/** Strips a make comment (`#` not escaped) from a logical line. */
function stripComment(m: Mapped): Mapped {
  for (let k = 0; k < m.text.length; k++) {
    if (m.text[k] === '\\') {
      k++;
      continue;
    }
    if (m.text[k] === '#') return { text: m.text.slice(0, k), map: m.map.slice(0, k) };
  }
  return m;
}

function trimMapped(m: Mapped): Mapped {
  let a = 0;
  let b = m.text.length;
  while (a < b && /\s/.test(m.text[a])) a++;
  while (b > a && /\s/.test(m.text[b - 1])) b--;
  return { text: m.text.slice(a, b), map: m.map.slice(a, b) };
}

/** Index of the first `ch` outside `$(…)`/`${…}`, or -1. */
function topIndex(s: string, ch: string, from = 0): number {
  for (let k = from; k < s.length; k++) {
    if (s[k] === '$' && (s[k + 1] === '(' || s[k + 1] === '{')) {
      const e = refEnd(s, k);
      if (e < 0) return -1;
      k = e;
      continue;
    }
    if (s[k] === ch) return k;
  }
  return -1;
}

/**
 * Reads a Makefile the way GNU make does, as far as it matters here: variables (`=`, `:=`, `::=`, `?=`, `+=`;
 * `!=`/`define`/conditional ones are dynamic), rules (targets, prerequisites incl. order-only, recipes with
 * `.RECIPEPREFIX`, continuation lines, `target: prereq ; recipe`), `.ONESHELL`, `.POSIX`, `.IGNORE`,
 * `.DEFAULT_GOAL`. `cmdVars` (`make VAR=x`) override the file; `env` gives values of variables the file does
 * not define (the step's `env:`). Conditional blocks are not evaluated: their recipe lines are marked, their
 * variables dynamic.
 */
export function parseMakefile(src: string, cmdVars: Map<string, string> = new Map(), env: (name: string) => string | undefined = () => undefined, include: (names: string[], optional: boolean) => IncludeInfo = OPAQUE_INCLUDE): Makefile {
  const mf: Makefile = { vars: new Map(), rules: new Map(), oneshell: false, posix: false, ignoreTargets: new Map(), shellUnknown: false };
  /** an opaque include was read: later `?=`/`+=` may meet a value it set */
  let afterOpaque = false;
  /** variables an included file sets (a later `?=`/`+=` meets its value) */
  const includedVars = new Set<string>();
  /** an include may have set `.DEFAULT_GOAL` (and the Makefile did not set it after) */
  let goalMaybeIncluded = false;
  for (const [k, v] of cmdVars) mf.vars.set(k, { value: v, simple: false, dynamic: false });
  const fromCmd = new Set(cmdVars.keys());
  const lookup = makeLookup(mf, env);
  const expandText = (s: string) => expandMake(s, new Array(s.length).fill(0), lookup).text;
  let prefix = '\t';
  let condDepth = 0;
  let current: MakeRule[] | undefined;
  let defaultGoalSet = false;
  // physical lines with their offsets
  const lines: Array<{ text: string; at: number }> = [];
  for (let at = 0; at <= src.length; ) {
    const nl = src.indexOf('\n', at);
    const end = nl < 0 ? src.length : nl;
    lines.push({ text: src.slice(at, end).replace(/\r$/, ''), at });
    if (nl < 0) break;
    at = nl + 1;
  }
  const contd = (t: string) => /(^|[^\\])(\\\\)*\\$/.test(t);
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (current && first.text.startsWith(prefix) && first.text.length > 0) {
      // a recipe line: continuation lines kept (backslash-newline), the next line's recipe prefix removed
      const raw: Mapped = { text: '', map: [] };
      const add = (text: string, at: number) => {
        raw.text += text;
        for (let k = 0; k < text.length; k++) raw.map.push(at + k);
      };
      add(first.text.slice(prefix.length), first.at + prefix.length);
      let last = first;
      while (contd(last.text) && i + 1 < lines.length) {
        raw.text += '\n';
        raw.map.push(last.at + last.text.length);
        const nx = lines[++i];
        const cut = nx.text.startsWith(prefix) ? prefix.length : 0;
        add(nx.text.slice(cut), nx.at + cut);
        last = nx;
      }
      for (const r of current) r.recipe.push({ raw, conditional: condDepth > 0 });
      continue;
    }
    // a logical line: continuations joined by a space
    let ln: Mapped = { text: first.text, map: [...first.text].map((_, k) => first.at + k) };
    while (contd(ln.text) && i + 1 < lines.length) {
      const nx = lines[++i];
      const body = nx.text.replace(/^\s+/, '');
      const skip = nx.text.length - body.length;
      ln = { text: ln.text.slice(0, -1).replace(/\s+$/, '') + ' ' + body, map: [...ln.map.slice(0, ln.text.replace(/\\$/, '').replace(/\s+$/, '').length), nx.at, ...[...body].map((_, k) => nx.at + skip + k)] };
    }
    const line = trimMapped(stripComment(ln));
    const t = line.text;
    if (!t) continue; // blank and comment lines do not end a rule's recipe
    if (COND_OPEN.test(t)) {
      condDepth++;
      continue;
    }
    if (/^else(\s|$)/.test(t)) continue;
    if (/^endif(\s|$)/.test(t)) {
      condDepth = Math.max(0, condDepth - 1);
      continue;
    }
    if (/^define\s/.test(t) || /^(override|export|private)\s+define\s/.test(t)) {
      const name = t.replace(/^(override\s+|export\s+|private\s+)*define\s+/, '').replace(/\s*(::?=|:::=|\?=|\+=|!=|=)\s*$/, '').trim();
      if (!fromCmd.has(name)) mf.vars.set(name, { value: '', simple: true, dynamic: true });
      while (i + 1 < lines.length && !/^\s*endef(\s|$)/.test(lines[i + 1].text)) i++;
      i++;
      current = undefined;
      continue;
    }
    const asg = /^((?:(?:override|export|private)\s+)*)([^\s:#=]+?)\s*(:::=|::=|:=|\?=|\+=|!=|=)\s*([\s\S]*)$/.exec(t);
    if (asg && !/^undefine$/.test(asg[2])) {
      current = undefined;
      const name = expandText(asg[2]);
      const op = asg[3];
      const val = asg[4];
      if (fromCmd.has(name) && !/override/.test(asg[1])) continue;
      const old = mf.vars.get(name);
      let v: MakeVar;
      // an include before this may have set it: `?=` keeps that value, `+=` appends to it
      const mayBeIncluded = !old && (afterOpaque || includedVars.has(name));
      if (op === '!=') v = { value: '', simple: true, dynamic: true };
      else if (op === '?=') {
        if (old || env(name) !== undefined) continue;
        v = { value: val, simple: false, dynamic: mayBeIncluded };
      } else if (op === '+=' && mayBeIncluded) v = { value: '', simple: true, dynamic: true };
      else if (op === '+=' && old) {
        const add = old.simple ? expandText(val) : val;
        v = { value: old.value ? `${old.value} ${add}` : add, simple: old.simple, dynamic: old.dynamic };
      } else if (op === ':=' || op === '::=') {
        const x = expandText(val);
        v = { value: x, simple: true, dynamic: x.includes(UNRESOLVED) };
      } else v = { value: val, simple: false, dynamic: false };
      if (condDepth > 0) {
        // `ifeq ($(V),1) Q = else Q = @ endif`: whichever branch runs, `$(Q)` only silences the line (judged as '')
        const silent = (x: string) => /^[@\s]*$/.test(x);
        if (op !== '!=' && op !== '+=' && silent(val) && (!old || (!old.dynamic && silent(old.value)))) v = { value: '', simple: true, dynamic: false };
        else v.dynamic = true;
      }
      if (name === '.DEFAULT_GOAL') goalMaybeIncluded = false;
      if (name === 'MAKEFLAGS' && condDepth === 0) {
        // `MAKEFLAGS += -i` in the Makefile makes make ignore every recipe's failure (checked with GNU Make 4.3)
        const flags = (op === ':=' || op === '::=' ? v.value : expandText(val)).split(/\s+/);
        const at = line.map[t.indexOf('MAKEFLAGS')];
        if (flags.some((f) => f === '--ignore-errors' || /^-[A-Za-z]*i/.test(f))) mf.ignoreFlagsAt = at;
        else if (op !== '+=') mf.ignoreFlagsAt = undefined;
      }
      if (name === '.RECIPEPREFIX') {
        const p = v.simple ? v.value : expandText(v.value);
        prefix = p ? p[0] : '\t';
      }
      mf.vars.set(name, v);
      continue;
    }
    if (/^undefine\s/.test(t) || /^(override|export)\s+undefine\s/.test(t)) {
      mf.vars.delete(t.replace(/^(override\s+|export\s+)*undefine\s+/, '').trim());
      current = undefined;
      continue;
    }
    if (INCLUDE.test(t)) {
      current = undefined;
      const names = expandText(t.replace(INCLUDE, '')).split(/\s+/).filter(Boolean);
      const opaque = condDepth > 0 || names.some((n) => n.includes(UNRESOLVED) || /[*?[]/.test(n));
      const info = opaque ? { opaque: true } : include(names, !t.startsWith('include'));
      if (info.opaque) {
        // it may set any variable (those set so far are no longer known), the shell, rules, the default goal
        for (const [k, v] of mf.vars) if (!fromCmd.has(k)) v.dynamic = true;
        afterOpaque = true;
        mf.shellUnknown = true;
        if (!defaultGoalSet) defaultGoalSet = true; // mf.defaultGoal stays undefined
        goalMaybeIncluded = true;
      } else {
        for (const k of info.vars ?? []) {
          includedVars.add(k);
          const v = mf.vars.get(k);
          if (v && !fromCmd.has(k)) v.dynamic = true;
          if (k === '.DEFAULT_GOAL') goalMaybeIncluded = true;
        }
        if (info.shell) mf.shellUnknown = true;
        if (info.rules && !defaultGoalSet) defaultGoalSet = true;
      }
      continue;
    }
    if (DIRECTIVE.test(t) || /^export(\s|$)/.test(t) || /^override\s/.test(t)) {
      current = undefined;
      continue;
    }
    // a rule: `targets : prereqs [; recipe]` (also `::`, `&:`)
    const colon = topIndex(t, ':');
    if (colon <= 0) {
      current = undefined;
      continue;
    }
    let restAt = colon + 1;
    if (t[restAt] === ':') restAt++;
    const semi = topIndex(t, ';', restAt);
    const restText = t.slice(restAt, semi < 0 ? t.length : semi);
    const targetsText = t.slice(0, t[colon - 1] === '&' ? colon - 1 : colon);
    if (topIndex(restText, '=') >= 0) {
      current = undefined; // `target: VAR = value` (a target-specific variable)
      continue;
    }
    const staticPattern = topIndex(restText, ':') >= 0;
    const targets = expandText(targetsText).split(/\s+/).filter(Boolean);
    const prereqs = staticPattern ? [] : expandText(restText.replace(/\|/g, ' ')).split(/\s+/).filter((p) => p && !p.includes('%') && !p.includes(UNRESOLVED));
    current = [];
    for (const tg of targets) {
      if (tg === '.ONESHELL') mf.oneshell = true;
      else if (tg === '.POSIX') mf.posix = true;
      else if (tg === '.IGNORE') {
        if (!prereqs.length) mf.ignoreAll = line.map[t.indexOf('.IGNORE')];
        else for (const p of prereqs) mf.ignoreTargets.set(p, line.map[t.indexOf('.IGNORE')]);
      }
      if (tg.includes('%') || tg.includes(UNRESOLVED)) continue;
      if (!defaultGoalSet && (!tg.startsWith('.') || tg.includes('/'))) {
        // the first target inside a conditional: which branch's first target is the goal is not known
        mf.defaultGoal = condDepth === 0 ? tg : undefined;
        defaultGoalSet = true;
      }
      const rule: MakeRule = { target: tg, prereqs, recipe: [] };
      mf.rules.set(tg, [...(mf.rules.get(tg) ?? []), rule]);
      current.push(rule);
    }
    if (semi >= 0) {
      const raw = { text: t.slice(semi + 1).replace(/^\s+/, ''), map: line.map.slice(semi + 1 + (t.slice(semi + 1).length - t.slice(semi + 1).replace(/^\s+/, '').length)) };
      for (const r of current) r.recipe.push({ raw, conditional: condDepth > 0 });
    }
  }
  const dg = mf.vars.get('.DEFAULT_GOAL');
  if (goalMaybeIncluded || dg?.dynamic) mf.defaultGoal = undefined; // set in a conditional or an include: not known
  else if (dg) {
    const g = (dg.simple ? dg.value : expandText(dg.value)).trim();
    if (g && !g.includes(UNRESOLVED) && !/\s/.test(g)) mf.defaultGoal = g;
    else if (g) mf.defaultGoal = undefined;
  }
  return mf;
}

/** A variable lookup over a parsed Makefile (for recipe expansion), with make's built-in defaults. */
export function makeLookup(mf: Makefile, env: (name: string) => string | undefined = () => undefined): (name: string) => MakeVar | undefined {
  return (name) => {
    const v = mf.vars.get(name);
    if (v) return v;
    if (name === 'MAKE') return { value: 'make', simple: true, dynamic: false };
    if (name === 'SHELL') return { value: '/bin/sh', simple: true, dynamic: false };
    if (name === '.SHELLFLAGS') return { value: mf.posix ? '-ec' : '-c', simple: true, dynamic: false };
    const e = env(name);
    return e !== undefined ? { value: e, simple: true, dynamic: false } : undefined;
  };
}

/** One shell invocation of a recipe: a recipe line (or, under `.ONESHELL`, the whole recipe). */
export interface RecipeUnit {
  target: string;
  script: Mapped;
  /** source offset of a `-` prefix (the failure is ignored) */
  ignoreAt?: number;
  /** source offset of the `.IGNORE` that covers the target */
  ignoredBy?: number;
}

/**
 * The shell invocations `make T…` runs, in order: each goal's prerequisites first (rules of this Makefile,
 * depth-first, each target once), then its recipe. Recipe lines are expanded; `@`, `-`, `+` prefixes (after
 * expansion, as make reads them) are removed and a `-` is recorded. Lines inside conditionals are left out.
 */
export function recipeUnits(mf: Makefile, goals: string[], env: (name: string) => string | undefined = () => undefined): RecipeUnit[] {
  const lookup = makeLookup(mf, env);
  const units: RecipeUnit[] = [];
  const seen = new Set<string>();
  let textLeft = MAX_RECIPE_TEXT;
  const visit = (tg: string, depth: number) => {
    if (seen.has(tg)) return;
    // a prerequisite graph this deep or wide is not walked partly (its later recipes would be missed): not followed
    if (seen.size >= 1000 || depth > 100) throw new MakeLimitError(`more than 1000 targets or 100 levels of prerequisites`);
    seen.add(tg);
    const rules = mf.rules.get(tg) ?? [];
    for (const r of rules) for (const p of r.prereqs) visit(p, depth + 1);
    const lines: Array<{ script: Mapped; ignoreAt?: number }> = [];
    for (const r of rules) {
      for (const rl of r.recipe) {
        if (rl.conditional) continue;
        const budget: { left: number; hit?: boolean } = { left: MAX_EXPANSION };
        const x = expandMake(rl.raw.text, rl.raw.map, lookup, tg, 0, budget);
        if ((textLeft -= x.text.length) < 0) throw new MakeLimitError(`the recipes expand to more than ${MAX_RECIPE_TEXT} characters`);
        if (budget.hit) {
          // a line cut short by the expansion limit cannot be judged (its end is missing): left out, as its own
          // shell it changes no other line; under `.ONESHELL` it is part of every line's script: not followed
          if (mf.oneshell) throw new MakeLimitError(`a recipe line of \`${tg}\` expands to more than ${MAX_EXPANSION} characters`);
          continue;
        }
        let k = 0;
        let ignoreAt: number | undefined;
        while (k < x.text.length && /[@\-+ \t]/.test(x.text[k])) {
          if (x.text[k] === '-' && ignoreAt === undefined) ignoreAt = x.map[k];
          k++;
        }
        lines.push({ script: { text: x.text.slice(k), map: x.map.slice(k) }, ignoreAt });
      }
    }
    const ignoredBy = mf.ignoreAll ?? mf.ignoreTargets.get(tg);
    if (mf.oneshell && lines.length) {
      const script: Mapped = { text: '', map: [] };
      lines.forEach((l, n) => {
        if (n) {
          script.text += '\n';
          script.map.push(l.script.map[0] ?? 0);
        }
        script.text += l.script.text;
        script.map.push(...l.script.map);
      });
      units.push({ target: tg, script, ignoreAt: lines[0].ignoreAt, ignoredBy });
    } else for (const l of lines) units.push({ target: tg, script: l.script, ignoreAt: l.ignoreAt, ignoredBy });
  };
  for (const g of goals) visit(g, 0);
  return units;
}

export interface MakeCall {
  /** `-C` directories, composed */
  dir: string;
  /** `-f FILE` */
  file?: string;
  targets: string[];
  vars: Map<string, string>;
  /** index of the word holding `-i` / `--ignore-errors` */
  ignoreErrors?: number;
  /** `-n`, `-q`, `-t`: recipes are not run */
  noRun: boolean;
}

const MAKE_VALUED_SHORT = 'CfIoW';
const MAKE_VALUED_LONG = /^--(directory|file|makefile|include-dir|old-file|assume-old|new-file|assume-new|what-if|eval)$/;

/** `make [options] [VAR=value] [targets]` (also `gmake`): what it reads and runs; undefined when not make, or not followable (several `-f`). */
export function makeInvocation(words: string[]): MakeCall | undefined {
  if (!/^(make|gmake)$/.test((words[0] ?? '').replace(/^.*\//, ''))) return undefined;
  const call: MakeCall = { dir: '.', targets: [], vars: new Map(), noRun: false };
  let files = 0;
  const setDir = (d: string) => {
    call.dir = posix.join(call.dir, d);
  };
  const setFile = (f: string) => {
    call.file = f;
    files++;
  };
  let opts = true;
  for (let k = 1; k < words.length; k++) {
    const w = words[k];
    if (opts && w === '--') {
      opts = false;
      continue;
    }
    if (opts && w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      const val = eq < 0 ? (MAKE_VALUED_LONG.test(name) ? words[++k] : undefined) : w.slice(eq + 1);
      if (name === '--directory' && val !== undefined) setDir(val);
      else if ((name === '--file' || name === '--makefile') && val !== undefined) setFile(val);
      else if (name === '--ignore-errors') call.ignoreErrors = k;
      else if (/^--(just-print|dry-run|recon|question|touch)$/.test(name)) call.noRun = true;
      continue;
    }
    if (opts && /^-[A-Za-z]/.test(w)) {
      for (let i = 1; i < w.length; i++) {
        const ch = w[i];
        if (MAKE_VALUED_SHORT.includes(ch)) {
          const val = i + 1 < w.length ? w.slice(i + 1) : words[++k];
          if (ch === 'C' && val !== undefined) setDir(val);
          if (ch === 'f' && val !== undefined) setFile(val);
          break;
        }
        if (ch === 'j' || ch === 'l' || ch === 'O') {
          // optional value: attached, or a following number
          if (i + 1 === w.length && /^\d+(\.\d+)?$/.test(words[k + 1] ?? '')) k++;
          break;
        }
        if (ch === 'i') call.ignoreErrors = k;
        if (ch === 'n' || ch === 'q' || ch === 't') call.noRun = true;
      }
      continue;
    }
    const asg = /^([^\s:=]+?)\s*(::?=|:::=|\?=|\+=|=)([\s\S]*)$/.exec(w);
    if (asg) call.vars.set(asg[1], asg[3]);
    else if (w) call.targets.push(w);
  }
  if (files > 1) return undefined;
  return call;
}

// ---------------------------------------------------------------- package.json

export interface PackageScripts {
  scripts: Map<string, Mapped>;
  packageManager?: string;
}

/**
 * The `scripts` of a package.json with, for each script, its value and the source offset of every character (an
 * escape such as `\"` or `\u0041` maps to its backslash), so a finding points at the exact token inside the JSON
 * string. Undefined when the text is not a JSON object.
 */
export function packageScripts(src: string): PackageScripts | undefined {
  let parsed: Record<string, unknown>;
  try {
    const v = JSON.parse(src);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    parsed = v;
  } catch {
    return undefined;
  }
  let i = 0;
  const ws = () => {
    while (i < src.length && /[\s\ufeff]/.test(src[i])) i++;
  };
  const str = (): Mapped => {
    // at the opening quote
    const out: Mapped = { text: '', map: [] };
    i++;
    while (i < src.length && src[i] !== '"') {
      if (src[i] === '\\') {
        const e = src[i + 1];
        const at = i;
        if (e === 'u') {
          out.text += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          out.text += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' } as Record<string, string>)[e] ?? e;
          i += 2;
        }
        out.map.push(at);
        continue;
      }
      out.text += src[i];
      out.map.push(i);
      i++;
    }
    out.map.push(i); // the closing quote
    i++;
    return out;
  };
  const skip = (): void => {
    ws();
    const c = src[i];
    if (c === '"') {
      str();
      return;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (src[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          str();
          ws();
          i++; // :
        }
        skip();
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        i++; // close
        return;
      }
    }
    while (i < src.length && !/[,}\]\s]/.test(src[i])) i++;
  };
  const result: PackageScripts = { scripts: new Map() };
  ws();
  i++; // {
  ws();
  if (src[i] === '}') return result;
  for (;;) {
    ws();
    const key = str().text;
    ws();
    i++; // :
    ws();
    if (key === 'scripts' && src[i] === '{') {
      const scripts = new Map<string, Mapped>();
      i++;
      ws();
      if (src[i] === '}') i++;
      else
        for (;;) {
          ws();
          const name = str().text;
          ws();
          i++;
          ws();
          if (src[i] === '"') scripts.set(name, str());
          else skip();
          ws();
          if (src[i] === ',') {
            i++;
            continue;
          }
          i++;
          break;
        }
      result.scripts = scripts; // a duplicate key: the last wins, as in JSON.parse
    } else if (key === 'packageManager' && src[i] === '"') result.packageManager = str().text;
    else skip();
    ws();
    if (src[i] === ',') {
      i++;
      continue;
    }
    break;
  }
  // what npm sees is what JSON.parse returns: a later `"scripts": 1` or a non-string script leaves nothing to run
  const want = parsed.scripts && typeof parsed.scripts === 'object' && !Array.isArray(parsed.scripts) ? (parsed.scripts as Record<string, unknown>) : {};
  for (const [name, body] of result.scripts) if (!Object.hasOwn(want, name) || want[name] !== body.text) result.scripts.delete(name);
  if (typeof parsed.packageManager !== 'string') result.packageManager = undefined;
  return result;
}

export interface NpmCall {
  pm: 'npm' | 'yarn' | 'pnpm';
  /** the script named (`test` for `npm test`) */
  script: string;
  /** `npm restart`: restart, else stop then start */
  restart?: boolean;
  /** `--prefix` / `-C` / `--dir` / `--cwd` */
  dir: string;
  /** `--ignore-scripts`: no pre/post scripts */
  ignoreScripts: boolean;
  /** indices of the words passed to the script (appended to its command string) */
  args: number[];
}

const NPM_VALUED = /^(--prefix|--loglevel|--registry|--cache|--userconfig|--globalconfig|--script-shell|--node-options|--tag|--otp|--include|--omit)$/;
const NPM_RUN = /^(run|run-script|rum|urn)$/;
const NPM_LIFECYCLE: Record<string, string> = { test: 'test', t: 'test', tst: 'test', start: 'start', stop: 'stop', restart: 'restart' };
/** commands of yarn / pnpm that win over a script of the same name */
const YARN_BUILTINS = new Set(['add', 'audit', 'autoclean', 'bin', 'cache', 'check', 'config', 'constraints', 'create', 'dedupe', 'dlx', 'exec', 'explain', 'generate-lock-entry', 'global', 'help', 'import', 'info', 'init', 'install', 'licenses', 'link', 'list', 'login', 'logout', 'node', 'npm', 'outdated', 'owner', 'pack', 'patch', 'patch-commit', 'plugin', 'policies', 'publish', 'rebuild', 'remove', 'run', 'set', 'stage', 'tag', 'team', 'unlink', 'unplug', 'up', 'upgrade', 'upgrade-interactive', 'version', 'versions', 'why', 'workspace', 'workspaces']);
const PNPM_BUILTINS = new Set(['add', 'audit', 'bin', 'ci', 'config', 'create', 'dedupe', 'deploy', 'dlx', 'env', 'exec', 'fetch', 'i', 'import', 'init', 'install', 'install-test', 'it', 'licenses', 'link', 'list', 'ln', 'ls', 'outdated', 'pack', 'patch', 'patch-commit', 'prune', 'publish', 'rb', 'rebuild', 'remove', 'rm', 'root', 'run', 'server', 'setup', 'store', 'un', 'uninstall', 'unlink', 'up', 'update', 'upgrade', 'why', 'x']);

/**
 * `npm run S` / `npm run-script S` / `npm test|start|stop|restart`, `yarn [run] S`, `pnpm [run] S`, with
 * `--prefix DIR` (npm), `--cwd DIR` (yarn), `-C DIR` / `--dir DIR` (pnpm). Workspace selections (`-w`,
 * `--workspaces`, `--filter`, `-r`) are not followed (undefined).
 */
export function npmInvocation(words: string[]): NpmCall | undefined {
  const pm = words[0];
  if (pm !== 'npm' && pm !== 'yarn' && pm !== 'pnpm') return undefined;
  let dir = '.';
  let ignoreScripts = false;
  const positional: string[] = [];
  const args: number[] = [];
  /** the script's name is known: positional[0] for a lifecycle/shorthand, positional[1] after `run` */
  const named = () => positional.length >= (/^(run|run-script|rum|urn)$/.test(positional[0] ?? '') ? 2 : 1) && !(pm === 'npm' && !NPM_RUN.test(positional[0]) && !NPM_LIFECYCLE[positional[0]]);
  for (let k = 1; k < words.length; k++) {
    const w = words[k];
    if (w === '--') {
      for (let a = k + 1; a < words.length; a++) args.push(a);
      break;
    }
    if (named() && (pm !== 'npm' || !w.startsWith('-'))) {
      // the script's own arguments: npm passes positional words (its options are npm's); yarn and pnpm pass all
      args.push(k);
      continue;
    }
    if (w.startsWith('-') && w !== '-') {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      if (/^(-w|--workspace|--workspaces|-ws|--filter|-F|-r|--recursive|--workspace-root|--global|-g)$/.test(name)) return undefined;
      const valued = NPM_VALUED.test(name) || (pm === 'pnpm' && /^(-C|--dir)$/.test(name)) || (pm === 'yarn' && /^(--cwd|--modules-folder|--cache-folder)$/.test(name));
      const val = eq >= 0 ? w.slice(eq + 1) : valued ? words[++k] : undefined;
      if (val !== undefined && (name === '--prefix' || name === '-C' || name === '--dir' || name === '--cwd')) dir = posix.join(dir, val);
      if (name === '--ignore-scripts' && val !== 'false') ignoreScripts = true;
      continue;
    }
    positional.push(w);
  }
  const [cmd, arg] = positional;
  if (!cmd) return undefined;
  let script: string | undefined;
  if (pm === 'npm') {
    if (NPM_RUN.test(cmd)) script = arg;
    else if (NPM_LIFECYCLE[cmd]) script = NPM_LIFECYCLE[cmd];
  } else if (cmd === 'run') script = arg;
  else if (pm === 'yarn' ? !YARN_BUILTINS.has(cmd) : !PNPM_BUILTINS.has(cmd)) script = cmd;
  if (!script || script.includes('$')) return undefined;
  return { pm, script, restart: pm === 'npm' && script === 'restart' ? true : undefined, dir, ignoreScripts, args };
}

/**
 * The scripts a call runs, in order. npm: `pre<x>`, `<x>`, `post<x>` (not pre/post with `--ignore-scripts`);
 * `npm restart` without a `restart` script runs stop then start. yarn 1 (classic): pre/post too; yarn 2+ (berry:
 * `packageManager: yarn@2…` or a `.yarnrc.yml`) and pnpm (unless `enable-pre-post-scripts=true`): only `<x>`.
 */
export function scriptSequence(call: NpmCall, pkg: PackageScripts, opts: { yarnBerry?: boolean; pnpmPrePost?: boolean } = {}): string[] {
  const has = (n: string) => pkg.scripts.has(n);
  const prePost = call.pm === 'npm' ? !call.ignoreScripts : call.pm === 'yarn' ? !opts.yarnBerry && !/^yarn@([2-9]|\d\d)/.test(pkg.packageManager ?? '') : !!opts.pnpmPrePost;
  const one = (x: string) => (prePost ? [`pre${x}`, x, `post${x}`] : [x]).filter(has);
  if (call.restart && !has('restart')) return [...one('stop'), ...one('start')];
  return has(call.script) ? one(call.script) : [];
}
