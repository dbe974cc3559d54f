import { readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join, relative, sep, isAbsolute } from 'node:path';

/** Convert a glob (`**`, `*`, `?`, `{a,b}`) to an anchored RegExp over forward-slash paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end > i) {
        re += `(?:${glob.slice(i + 1, end).split(',').map(escape).join('|')})`;
        i = end;
      } else re += '\\{';
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

export const DEFAULT_SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * Depth-first walk below `root`: `visit(rel, entry)` for every entry that is not a directory (`rel` relative,
 * forward slashes); `visit` returning true stops the walk. DEFAULT_SKIP_DIRS, directories `skipDir` names and
 * symlinked directories are not entered; at most `maxEntries` entries are looked at (default: no limit).
 */
export function visitFiles(
  root: string,
  visit: (rel: string, entry: Dirent) => boolean | void,
  opts: { skipDir?: (relDir: string, name: string) => boolean; maxEntries?: number } = {},
): void {
  const stack = [''];
  let seen = 0;
  const max = opts.maxEntries ?? Infinity;
  while (stack.length && seen < max) {
    const rel = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      seen++;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!DEFAULT_SKIP_DIRS.has(e.name) && !opts.skipDir?.(r, e.name)) stack.push(r);
      } else if (visit(r, e) === true) return;
    }
  }
}

/** Walk a directory, yielding files (relative, forward slashes). Skips DEFAULT_SKIP_DIRS and symlinked dirs. */
export function walk(root: string, accept: (rel: string) => boolean, skip?: (relDir: string) => boolean): string[] {
  const out: string[] = [];
  visitFiles(root, (r, e) => void (e.isFile() && accept(r) && out.push(r)), { skipDir: skip && ((r) => skip(r)) });
  return out.sort();
}

/** Expand a glob relative to `cwd` (absolute globs allowed). Returns absolute paths, sorted. */
export function expandGlob(pattern: string, cwd: string): string[] {
  const norm = pattern.split(sep).join('/');
  if (!/[*?{]/.test(norm)) {
    const abs = isAbsolute(norm) ? norm : join(cwd, norm);
    try {
      return statSync(abs).isFile() ? [abs] : [];
    } catch {
      return [];
    }
  }
  const parts = norm.split('/');
  const firstGlob = parts.findIndex((p) => /[*?{]/.test(p));
  const base = parts.slice(0, firstGlob).join('/') || (isAbsolute(norm) ? '/' : '.');
  const baseAbs = isAbsolute(base) ? base : join(cwd, base);
  const re = globToRegExp(parts.slice(firstGlob).join('/'));
  return walk(baseAbs, (rel) => re.test(rel)).map((rel) => join(baseAbs, rel));
}

export function toPosix(p: string, root: string): string {
  return relative(root, p).split(sep).join('/') || '.';
}
