// `${{ … }}` expressions: where they are and which contexts they read, via @actions/expressions' parser.
import { Lexer, Parser } from '@actions/expressions';

export interface ExprRef {
  /** offset of `${{` in the string */
  start: number;
  /** offset after `}}` */
  end: number;
  /** the inner expression text */
  text: string;
}

/** Every `${{ … }}` in a string (expressions do not nest; a `}}` inside a string literal is respected). */
export function findExpressions(s: string): ExprRef[] {
  const out: ExprRef[] = [];
  let i = 0;
  for (;;) {
    const a = s.indexOf('${{', i);
    if (a < 0) break;
    let k = a + 3;
    let inStr = false;
    while (k < s.length) {
      const c = s[k];
      if (inStr) {
        if (c === "'") {
          if (s[k + 1] === "'") k++;
          else inStr = false;
        }
      } else if (c === "'") inStr = true;
      else if (c === '}' && s[k + 1] === '}') break;
      k++;
    }
    if (k >= s.length) {
      out.push({ start: a, end: s.length, text: s.slice(a + 3) });
      break;
    }
    out.push({ start: a, end: k + 2, text: s.slice(a + 3, k) });
    i = k + 2;
  }
  return out;
}

const CONTEXTS = ['github', 'env', 'vars', 'job', 'jobs', 'steps', 'runner', 'secrets', 'strategy', 'matrix', 'needs', 'inputs'];
const BOOL_FUNCS = new Set(['contains', 'startswith', 'endswith', 'success', 'always', 'failure', 'cancelled', 'hashfiles', 'case']);

export interface ExprInfo {
  /** every context path read, lower-cased, array indexes as `*`, dynamic index as `?` */
  paths: string[];
  /** paths whose value can flow into the result string (not only into a comparison or boolean function) */
  flowing: string[];
  /** paths whose whole object flows (toJSON(github.event), bare github.event) */
  objects: string[];
  parsed: boolean;
}

const cache = new Map<string, ExprInfo>();

/** Analyse one expression: which context paths it reads and which of them can reach its result. */
export function analyzeExpression(text: string): ExprInfo {
  const hit = cache.get(text);
  if (hit) return hit;
  let info: ExprInfo;
  try {
    const lr = new Lexer(text.trim()).lex();
    const ast = new Parser(lr.tokens, CONTEXTS, [{ name: 'hashFiles', minArgs: 1, maxArgs: 255 }]).parse();
    const paths: string[] = [];
    const flowing: string[] = [];
    const objects: string[] = [];
    walk(ast, true, paths, flowing, objects);
    info = { paths, flowing, objects, parsed: true };
  } catch {
    // unparseable: read context-like paths with a regex, all of them flowing (fail towards reporting)
    const paths = [...text.matchAll(/\b(github|env|steps|needs|inputs|matrix|vars|secrets)((?:\.[A-Za-z_*][\w-]*|\[\s*'[^']*'\s*\]|\[\s*\d+\s*\]|\.\*)*)/gi)].map((m) =>
      normalizePath(`${m[1]}${m[2].replace(/\[\s*'([^']*)'\s*\]/g, '.$1').replace(/\[\s*\d+\s*\]/g, '.*')}`),
    );
    info = { paths, flowing: paths, objects: [], parsed: false };
  }
  if (cache.size > 5000) cache.clear();
  cache.set(text, info);
  return info;
}

function normalizePath(p: string): string {
  return p.toLowerCase().replace(/\.\d+(?=\.|$)/g, '.*');
}

/** Build the path of an access chain, or undefined when the chain does not start at a context. */
function chainPath(node: any): string | undefined {
  const parts: string[] = [];
  let n = node;
  while (n) {
    if (n.name && n.name.lexeme !== undefined && !n.functionName && !n.args) {
      parts.unshift(String(n.name.lexeme));
      return normalizePath(parts.join('.'));
    }
    if (n.expr !== undefined && 'index' in n) {
      const idx = n.index;
      if (idx && idx.literal !== undefined) {
        const v = idx.literal.value;
        parts.unshift(typeof v === 'number' ? '*' : String(v));
      } else if (idx && Object.keys(idx).length === 0) parts.unshift('*');
      else parts.unshift('?');
      n = n.expr;
      continue;
    }
    return undefined;
  }
  return undefined;
}

function walk(node: any, flows: boolean, paths: string[], flowing: string[], objects: string[], asObject = false): void {
  if (!node || typeof node !== 'object') return;
  const path = chainPath(node);
  if (path !== undefined) {
    paths.push(path);
    if (flows) {
      flowing.push(path);
      objects.push(path);
    } else if (asObject) objects.push(path);
    // dynamic indexes may themselves read contexts
    let n = node;
    while (n && n.expr !== undefined && 'index' in n) {
      if (n.index && n.index.literal === undefined && Object.keys(n.index).length) walk(n.index, false, paths, flowing, objects);
      n = n.expr;
    }
    return;
  }
  if (node.functionName) {
    const fname = String(node.functionName.lexeme).toLowerCase();
    const f = flows && !BOOL_FUNCS.has(fname);
    for (const a of node.args ?? []) walk(a, f, paths, flowing, objects, fname === 'tojson');
    return;
  }
  if (node.operator && node.left !== undefined) {
    // comparison: boolean result
    walk(node.left, false, paths, flowing, objects);
    walk(node.right, false, paths, flowing, objects);
    return;
  }
  if (node.operator && Array.isArray(node.args)) {
    // && / || return one of their operands
    for (const a of node.args) walk(a, flows, paths, flowing, objects);
    return;
  }
  if (node.operator && node.expr !== undefined) {
    walk(node.expr, false, paths, flowing, objects); // `!x` is boolean
    return;
  }
  if (node.group !== undefined) return walk(node.group, flows, paths, flowing, objects, asObject);
  if (node.expr !== undefined && node.index !== undefined) {
    // indexing into a function result e.g. fromJSON(x).y
    walk(node.expr, flows, paths, flowing, objects);
    walk(node.index, false, paths, flowing, objects);
  }
}

// ---------------------------------------------------------------------------------------------
// Attacker-controlled contexts

const ACTOR_TEXT = [
  /^github\.head_ref$/,
  /^github\.event\.pull_request\.(title|body)$/,
  /^github\.event\.pull_request\.head\.(ref|label)$/,
  /^github\.event\.pull_request\.head\.repo\.(default_branch|description|homepage)$/,
  /^github\.event\.(issue|discussion)\.(title|body)$/,
  /^github\.event\.(comment|review|review_comment)\.body$/,
  /^github\.event\.pages\.\*\.page_name$/,
  /^github\.event\.(commits\.\*|head_commit|workflow_run\.head_commit|merge_group\.head_commit)\.(message|author\.(name|email)|committer\.(name|email))$/,
  /^github\.event\.workflow_run\.(head_branch|display_title)$/,
  /^github\.event\.workflow_run\.head_repository\.(description|default_branch|homepage)$/,
  /^github\.event\.workflow_run\.pull_requests\.\*\.head\.ref$/,
  /^github\.event\.(check_suite|check_run\.check_suite)\.head_branch$/,
  /^github\.event\.changes\.(title|body)\.from$/,
  /^github\.event\.merge_group\.head_ref$/,
];

/** True when `path` is attacker-controlled text, or an object that contains some (when `asObject`). */
export function isActorControlled(path: string, asObject: boolean): boolean {
  if (path.includes('?')) {
    const base = path.slice(0, path.indexOf('?')).replace(/\.$/, '');
    return base === 'github' || base.startsWith('github.event');
  }
  if (ACTOR_TEXT.some((re) => re.test(path))) return true;
  if (!asObject) return false;
  // a whole object that holds attacker text: github, github.event, github.event.pull_request, …
  if (path === 'github' || path === 'github.event') return true;
  return /^github\.event\.(pull_request|issue|comment|review|review_comment|discussion|pages|commits|head_commit|workflow_run|changes|merge_group)(\.(head|head_commit|head_repository|pull_requests|\*|title|body))*$/.test(path);
}

/** The attacker-controlled paths that reach an expression's result. */
export function actorControlledIn(info: ExprInfo): string[] {
  const out = new Set<string>();
  for (const p of info.flowing) if (isActorControlled(p, info.objects.includes(p))) out.add(p);
  return [...out];
}

// Pull-request code refs: what names a commit or repository the PR author controls.
const PR_REF = [
  /^github\.head_ref$/,
  /^github\.event\.pull_request\.head\.(sha|ref|label)$/,
  /^github\.event\.pull_request\.merge_commit_sha$/,
  /^github\.event\.workflow_run\.(head_sha|head_branch|head_commit\.id)$/,
  /^github\.event\.workflow_run\.pull_requests\.\*\.head\.(sha|ref)$/,
  /^github\.event\.(check_suite|check_run\.check_suite)\.(head_sha|head_branch)$/,
  /^github\.event\.check_run\.head_sha$/,
  /^github\.event\.merge_group\.head_(sha|ref)$/,
];
const PR_REPO = [/^github\.event\.pull_request\.head\.repo\.(full_name|clone_url|git_url|ssh_url|html_url|name)$/, /^github\.event\.workflow_run\.head_repository\.(full_name|clone_url|git_url|ssh_url|html_url|name)$/, /^github\.event\.pull_request\.head\.user\.login$/, /^github\.event\.workflow_run\.head_repository\.owner\.login$/];

export function isPrRefPath(path: string): boolean {
  return PR_REF.some((re) => re.test(path));
}
export function isPrRepoPath(path: string): boolean {
  return PR_REPO.some((re) => re.test(path));
}
