// A small POSIX-shell tokenizer: enough to find commands, their words and the operators between them, with
// offsets into the script so findings can point at the exact token. Not a full parser: subshells and
// command substitutions stay inside one word; heredoc bodies are skipped (they are data, not commands).

export interface Word {
  /** the word with quotes removed (escapes kept simple) */
  text: string;
  /** raw source of the word */
  raw: string;
  start: number;
  end: number;
}

export type Sep = ';' | '&&' | '||' | '|' | '&' | '\n' | '';

export interface Command {
  words: Word[];
  start: number;
  /** operator after this command */
  sep: Sep;
  /** operator before this command */
  prev: Sep;
  /** index of the command in the script */
  index: number;
}

/** End offset (exclusive) of the `$(…)` starting at `i` (balanced parentheses, quotes skipped). */
export function substEnd(script: string, i: number): number {
  let depth = 0;
  let k = i + 1;
  for (; k < script.length; k++) {
    const c = script[k];
    if (c === '\\') k++;
    else if (c === "'" && depth > 0) {
      const e = script.indexOf("'", k + 1);
      k = e < 0 ? script.length : e;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) break;
  }
  return Math.min(k + 1, script.length);
}

/** End offset (exclusive) of the backtick substitution starting at `i`. */
export function backtickEnd(script: string, i: number): number {
  let k = i + 1;
  while (k < script.length && script[k] !== '`') k += script[k] === '\\' ? 2 : 1;
  return Math.min(k + 1, script.length);
}

/**
 * Command substitutions (`$(…)` and backticks, not `$((…))` arithmetic) that start inside [start, end) of a
 * script, outside single quotes, at the top level (nested ones are found by scanning the inner text).
 * `open` is the offset of `$` or the backtick; [a, b) is the inner script.
 */
export function findSubstitutions(script: string, start: number, end: number): Array<{ open: number; a: number; b: number }> {
  const out: Array<{ open: number; a: number; b: number }> = [];
  let dq = false;
  for (let k = start; k < end; k++) {
    const c = script[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === "'" && !dq) {
      const e = script.indexOf("'", k + 1);
      k = e < 0 ? end : e;
      continue;
    }
    if (c === '"') {
      dq = !dq;
      continue;
    }
    if (c === '$' && script[k + 1] === '(') {
      const e = substEnd(script, k);
      if (script[k + 2] !== '(') out.push({ open: k, a: k + 2, b: e - 1 });
      k = e - 1;
      continue;
    }
    if (c === '`') {
      const e = backtickEnd(script, k);
      out.push({ open: k, a: k + 1, b: e - 1 });
      k = e - 1;
    }
  }
  return out;
}

export function tokenizeShell(script: string): Command[] {
  const cmds: Command[] = [];
  let words: Word[] = [];
  let prev: Sep = '';
  const heredocs: string[] = [];
  let i = 0;
  const n = script.length;
  const finish = (sep: Sep) => {
    if (words.length) {
      cmds.push({ words, start: words[0].start, sep, prev, index: cmds.length });
      prev = sep;
    } else if (sep === '\n' || sep === ';') {
      // empty command: keep the previous separator semantics simple
      if (prev !== '&&' && prev !== '||' && prev !== '|') prev = sep;
    }
    words = [];
  };
  while (i < n) {
    const c = script[i];
    if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\\' && script[i + 1] === '\r' && script[i + 2] === '\n') {
      i += 3;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      finish('\n');
      i++;
      // skip heredoc bodies
      while (heredocs.length) {
        const tag = heredocs.shift()!;
        while (i < n) {
          const e = script.indexOf('\n', i);
          const line = script.slice(i, e < 0 ? n : e).replace(/\r$/, '');
          i = e < 0 ? n : e + 1;
          if (line.trim() === tag) break;
        }
      }
      continue;
    }
    if (c === '#' ) {
      const e = script.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === ';') {
      finish(';');
      i++;
      if (script[i] === ';') i++;
      continue;
    }
    if (c === '&' && script[i + 1] === '&') {
      finish('&&');
      i += 2;
      continue;
    }
    if (c === '|' && script[i + 1] === '|') {
      finish('||');
      i += 2;
      continue;
    }
    if (c === '|') {
      finish('|');
      i++;
      if (script[i] === '&') i++;
      continue;
    }
    if (c === '&' && script[i + 1] !== '>') {
      finish('&');
      i++;
      continue;
    }
    if ((c === '(' || c === ')' || c === '{' || c === '}') && words.length === 0) {
      // grouping: treat as separators so the inner commands are seen
      i++;
      continue;
    }
    if (c === ')' ) {
      finish(';');
      i++;
      continue;
    }
    // a word
    const start = i;
    let text = '';
    while (i < n) {
      const d = script[i];
      if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === ';' || d === '|' || (d === '&' && script[i + 1] !== '>' && script[i - 1] !== '>') || (d === ')' )) break;
      if (d === '\\' && i + 1 < n) {
        if (script[i + 1] === '\n') {
          i += 2;
          continue;
        }
        text += script[i + 1];
        i += 2;
        continue;
      }
      if (d === "'") {
        const e = script.indexOf("'", i + 1);
        const stop = e < 0 ? n : e;
        text += script.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (d === '"') {
        let k = i + 1;
        while (k < n && script[k] !== '"') {
          if (script[k] === '\\') k++;
          else if (script[k] === '$' && script[k + 1] === '(') k = substEnd(script, k) - 1;
          else if (script[k] === '`') k = backtickEnd(script, k) - 1;
          k++;
        }
        text += script.slice(i + 1, Math.min(k, n)).replace(/\\(["\\$`])/g, '$1');
        i = k + 1;
        continue;
      }
      if (d === '$' && script[i + 1] === '(') {
        // command substitution: keep as one word (balanced parens)
        const e = substEnd(script, i);
        text += script.slice(i, e);
        i = e;
        continue;
      }
      if (d === '`') {
        // backtick command substitution: one word up to the closing backtick
        const e = backtickEnd(script, i);
        text += script.slice(i, e);
        i = e;
        continue;
      }
      if (d === '$' && script[i + 1] === '{') {
        const e = script.indexOf('}', i);
        const stop = e < 0 ? n : e + 1;
        text += script.slice(i, stop);
        i = stop;
        continue;
      }
      text += d;
      i++;
    }
    const raw = script.slice(start, Math.min(i, n));
    const hd = /^<<-?(['"]?)([A-Za-z_][\w-]*)\1$/.exec(raw) ?? /^<<-?\s*$/.exec(raw);
    if (hd && hd[2]) heredocs.push(hd[2]);
    else if (raw === '<<' || raw === '<<-') {
      // `<< EOF`: the next word is the tag
      const m = /^\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(script.slice(i));
      if (m) heredocs.push(m[2]);
    }
    words.push({ text, raw, start, end: Math.min(i, n) });
  }
  finish('');
  return cmds;
}

/** Words of a command without leading env assignments and wrappers (sudo, env, time, timeout N, nohup, exec, xvfb-run). */
export function commandWords(cmd: Command): { words: Word[]; timeoutWrapped: boolean } {
  let w = cmd.words;
  let timeoutWrapped = false;
  let k = 0;
  for (;;) {
    while (k < w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[k].text)) k++;
    const t = w[k]?.text;
    // `command -v X` / `command -V X` looks X up, it does not run it
    if (t === 'command' && /^-p?[vV]/.test(w[k + 1]?.text ?? '')) break;
    if (t === 'sudo' || t === 'time' || t === 'nohup' || t === 'exec' || t === 'command' || t === 'xvfb-run' || t === 'stdbuf') {
      k++;
      while (k < w.length && w[k].text.startsWith('-')) k++;
      continue;
    }
    if (t === 'env') {
      k++;
      while (k < w.length && (w[k].text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[k].text))) k++;
      continue;
    }
    if (t === 'timeout' || t === 'gtimeout') {
      timeoutWrapped = true;
      k++;
      while (k < w.length && w[k].text.startsWith('-')) {
        if (/^(-s|--signal|-k|--kill-after)$/.test(w[k].text)) k++;
        k++;
      }
      k++; // the duration
      continue;
    }
    break;
  }
  w = w.slice(k);
  return { words: w, timeoutWrapped };
}

/** Tokenize the slice [a, b) of a script, with offsets into the whole script. */
export function tokenizeSlice(script: string, a: number, b: number): Command[] {
  return tokenizeShell(script.slice(a, b)).map((c) => ({
    ...c,
    start: c.start + a,
    words: c.words.map((w) => ({ ...w, start: w.start + a, end: w.end + a })),
  }));
}

const SHELLS = /^(sh|bash|zsh|dash|ksh)$/;

/**
 * Commands of a script with `bash -c "…"` / `sh -c '…'` strings opened up: the string's own commands replace the
 * wrapper (offsets still point into the script), so a checkout or a build inside the string is seen. Nested
 * `-c` strings are opened too (a few levels).
 */
export function scriptCommands(script: string, depth = 0): Command[] {
  return expandShellC(script, tokenizeShell(script), depth);
}

function expandShellC(script: string, cmds: Command[], depth: number): Command[] {
  if (depth > 3) return cmds;
  const out: Command[] = [];
  for (const c of cmds) {
    const { words } = commandWords(c);
    const ci = words.findIndex((w, i) => i > 0 && /^-[a-z]*c$/.test(w.text));
    const body = ci > 0 && SHELLS.test(words[0].text.replace(/^.*\//, '')) && words.slice(1, ci).every((w) => w.text.startsWith('-')) ? words[ci + 1] : undefined;
    if (!body) {
      out.push(c);
      continue;
    }
    const q = body.raw[0];
    const quoted = (q === '"' || q === "'") && body.raw.length >= 2 && body.raw.endsWith(q);
    const a = quoted ? body.start + 1 : body.start;
    const b = quoted ? body.end - 1 : body.end;
    const inner = tokenizeSlice(script, a, b).map((x, k) => ({ ...x, index: c.index + k / 100 }));
    if (!inner.length) {
      out.push(c);
      continue;
    }
    out.push(...expandShellC(script, inner, depth + 1));
  }
  return out;
}
