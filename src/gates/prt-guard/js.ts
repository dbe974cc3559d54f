// A small look at actions/github-script scripts: is an offset inside a JavaScript string literal, and which
// attacker-controlled `context.payload` values reach a command line (exec.exec, execSync, child_process, eval).

/** True when `offset` lies inside a '…', "…" or `…` literal or a comment of `script` (a template's `${…}` counts as inside). */
export function insideJsString(script: string, offset: number): boolean {
  let q: string | undefined;
  for (let i = 0; i < offset && i < script.length; i++) {
    const c = script[i];
    if (q === '//') {
      if (c === '\n') q = undefined;
      continue;
    }
    if (q === '/*') {
      if (c === '*' && script[i + 1] === '/') {
        q = undefined;
        i++;
      }
      continue;
    }
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') q = c;
    else if (c === '/' && script[i + 1] === '/') q = '//';
    else if (c === '/' && script[i + 1] === '*') q = '/*';
  }
  return q !== undefined;
}

const PAYLOAD =
  /\b(?:github\.)?context\.payload\.(?:pull_request\.(?:title|body|head\.ref|head\.label)|issue\.(?:title|body)|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|head_commit\.message|workflow_run\.(?:head_branch|display_title|head_commit\.message))\b(?![\w$])|\bprocess\.env\.GITHUB_HEAD_REF\b/g;
const SINK = /(?:\bexec\.(?:exec|getExecOutput)|\b(?:child_process|childProcess|cp)\.(?:exec|execSync)|\brequire\(\s*['"](?:node:)?child_process['"]\s*\)\.(?:exec|execSync)|(?<![.\w$])(?:execSync|execaCommand|execaCommandSync|eval))\s*\(/g;

export interface JsSink {
  /** offset of the attacker-controlled reference inside the script */
  start: number;
  end: number;
  /** what is referenced (the payload path, or `alias (= path)`) */
  what: string;
  sink: string;
}

/** End offset (exclusive) of the first argument of a call whose `(` is at `open`. */
function firstArgEnd(s: string, open: number): number {
  return argumentEnd(s, open + 1);
}

/**
 * End offset (exclusive) of a JavaScript argument that starts at `start`: the first `,` or closing bracket at
 * depth 0, skipping strings and template substitutions.
 */
export function argumentEnd(s: string, start: number): number {
  let depth = 0;
  let q: string | undefined;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = undefined;
      else if (q === '`' && c === '$' && s[i + 1] === '{') {
        // a template substitution: skip to its closing brace
        let d = 0;
        for (i += 1; i < s.length; i++) {
          if (s[i] === '{') d++;
          else if (s[i] === '}' && --d === 0) break;
        }
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') q = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
  }
  return s.length;
}

/** Attacker-controlled payload text (directly or through a `const x = …` alias) in the command argument of a shell/exec sink. */
export function jsPayloadSinks(script: string): JsSink[] {
  const aliases = new Map<string, string>();
  for (const m of script.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*/g)) {
    const rest = script.slice(m.index! + m[0].length);
    const p = /^(?:github\.)?context\.payload\.[\w.]+|^process\.env\.GITHUB_HEAD_REF\b/.exec(rest);
    if (!p) continue;
    const pm = new RegExp(PAYLOAD.source).exec(p[0]);
    if (pm && pm.index === 0 && pm[0].length === p[0].length) aliases.set(m[1], p[0]);
  }
  const out: JsSink[] = [];
  for (const sm of script.matchAll(SINK)) {
    const open = sm.index! + sm[0].length - 1;
    const end = firstArgEnd(script, open);
    const arg = script.slice(open + 1, end);
    const base = open + 1;
    const sink = sm[0].replace(/\s*\($/, '');
    const code = (i: number) => /\$\{\s*$/.test(arg.slice(0, i)) || !insideJsString(arg, i);
    for (const pm of arg.matchAll(PAYLOAD)) if (code(pm.index!)) out.push({ start: base + pm.index!, end: base + pm.index! + pm[0].length, what: pm[0], sink });
    for (const [name, path] of aliases) {
      const re = new RegExp(`(?<![\\w$.'"])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
      for (const am of arg.matchAll(re)) if (code(am.index!)) out.push({ start: base + am.index!, end: base + am.index! + name.length, what: `${name} (= ${path})`, sink });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Strings and regular-expression literals blanked (same length), so operators inside them are not read. */
function maskLiterals(s: string): string {
  let out = '';
  let i = 0;
  let prev = '';
  while (i < s.length) {
    const c = s[i];
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      out += c + ' '.repeat(Math.max(0, Math.min(j, s.length) - i - 1)) + (j < s.length ? c : '');
      i = j + 1;
      prev = c;
      continue;
    }
    if (c === '/' && (prev === '' || /[(,=!&|?:;{}[\s]/.test(prev)) && s[i + 1] !== '/' && s[i + 1] !== '*') {
      let j = i + 1;
      let cls = false;
      while (j < s.length && (cls || s[j] !== '/') && s[j] !== '\n') {
        if (s[j] === '\\') j++;
        else if (s[j] === '[') cls = true;
        else if (s[j] === ']') cls = false;
        j++;
      }
      out += `/${' '.repeat(Math.max(0, j - i - 1))}/`;
      i = j + 1;
      while (i < s.length && /[a-z]/.test(s[i])) out += s[i++];
      prev = '/';
      continue;
    }
    out += c;
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return out.slice(0, s.length);
}

/** The text at parenthesis/bracket depth 0 (nested content blanked). */
function topLevel(s: string): string {
  let depth = 0;
  let out = '';
  for (const c of s) {
    if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) out += c;
      else out += ' ';
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      out += depth === 0 ? c : ' ';
    } else out += depth === 0 ? c : ' ';
  }
  return out;
}

const SCALAR_METHODS = /\.(startsWith|endsWith|includes|test|some|every|indexOf|lastIndexOf|search|localeCompare|hasOwnProperty|has|isArray|isInteger|isNaN|findIndex|charCodeAt|codePointAt|getTime|valueOf)\s*\(\s*\)$/;
const SCALAR_CALLS = /^(?:Number|parseInt|parseFloat|Boolean|Math\.\w+|Number\.\w+|Array\.isArray|isNaN)\s*\(\s*\)$/;

/**
 * Does a JavaScript value expression only yield a boolean or a number (`pr.title.startsWith('feat')`,
 * `/re/.test(pr.title)`, `pr.body.length`, `!pr.body`, `x === y`, `Number(…)`)? Such an output carries no text.
 */
export function jsScalarOnly(expr: string): boolean {
  let t = expr.trim().replace(/;+\s*$/, '').trim();
  while (t.startsWith('(') && argumentEnd(t, 1) === t.length - 1) t = t.slice(1, -1).trim();
  if (!t) return false;
  if (/^(?:true|false|\d+(?:\.\d+)?|null|undefined)$/.test(t)) return true;
  const top = topLevel(maskLiterals(t));
  if (/\?|\|\|/.test(top)) return false;
  const ands = top.split('&&');
  if (ands.length > 1) {
    // `a && b` yields b, or a falsy a (false, '', 0, null)
    const lastStart = top.lastIndexOf('&&') + 2;
    return jsScalarOnly(t.slice(lastStart));
  }
  if (/^\s*!(?!=)/.test(top) || /^\s*typeof\b/.test(top)) return true;
  if (/===|!==|==|!=|<=|>=|(?<![=-])>|</.test(top.replace(/=>/g, '  '))) return true;
  if (/\.(length|size)$/.test(top.trim())) return true;
  const compact = top.replace(/\s+/g, '');
  if (SCALAR_METHODS.test(compact) || SCALAR_CALLS.test(compact)) return true;
  return false;
}
