import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { globToRegExp, toPosix, walk } from './glob.js';
import { InputError } from './types.js';

/**
 * A file-system error as a person reads it: "no such file or directory", "is a directory, not a file", … with
 * the errno code in brackets (so logs stay greppable), never a bare `ENOENT` or Node's
 * "illegal operation on a directory".
 */
export function fsErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const plain: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EISDIR: 'is a directory, not a file',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EMFILE: 'too many open files',
    ELOOP: 'too many levels of symbolic links',
    ENAMETOOLONG: 'file name too long',
  };
  if (code && plain[code]) return `${plain[code]} (${code})`;
  return code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * `mkdir -p` that cannot hang. Node's `mkdirSync(dir, { recursive: true })` loops forever when mkdir answers
 * ENOENT for a directory whose parent exists (e.g. under /proc, some FUSE mounts): a gate must never hang on a
 * bad --record-file or --sarif-file. Creates each missing component in turn; any error is thrown as is.
 */
export function ensureDir(dir: string): void {
  const abs = resolvePath(dir);
  const missing: string[] = [];
  for (let d = abs; ; ) {
    if (existsSync(d)) break;
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type ReadText = { ok: true; text: string } | { ok: false; reason: 'unreadable-file' | 'binary' | 'not-utf8' | 'too-large'; message: string };

/** Read a text file for analysis; binary, non-UTF-8, oversized and unreadable files are reported, not guessed at. */
export function readTextFile(abs: string): ReadText {
  let buf: Buffer;
  try {
    const st = statSync(abs);
    if (st.size > MAX_FILE_BYTES) return { ok: false, reason: 'too-large', message: `file is larger than ${MAX_FILE_BYTES} bytes` };
    buf = readFileSync(abs);
  } catch (e) {
    return { ok: false, reason: 'unreadable-file', message: `cannot read file: ${fsErrorText(e)}` };
  }
  if (buf.includes(0)) return { ok: false, reason: 'binary', message: 'file is binary (contains NUL bytes), not YAML' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    return { ok: false, reason: 'not-utf8', message: 'file is not valid UTF-8' };
  }
}

/**
 * Read one discovered file for a workflow gate. A file found by walking a directory that turns out binary
 * or not UTF-8 is not ours to judge (`skip`); a file the user named, or one where workflows and actions
 * live, that cannot be read is an error the gate must report (fail closed).
 */
export function readDiscovered(f: FoundFile): { ok: true; text: string } | { ok: false; skip: true } | { ok: false; skip: false; reason: string; message: string } {
  const read = readTextFile(f.abs);
  if (read.ok) return read;
  if (!f.expected && read.reason !== 'unreadable-file') return { ok: false, skip: true };
  return { ok: false, skip: false, reason: read.reason, message: read.message };
}

/** Whether YAML text that failed to parse still looks like a workflow (`jobs:`) or an action (`runs:`). */
export function looksLikeWorkflowOrAction(text: string): boolean {
  return /^(jobs|runs):/m.test(text);
}

/** A file under .github/workflows that has no `jobs:` is a broken workflow, not some other YAML. */
export function mustBeWorkflow(f: FoundFile): boolean {
  return f.expected && /(^|\/)\.github\/workflows\//.test(f.rel);
}

export interface FoundFile {
  abs: string;
  /** path shown in findings: relative to the workspace, forward slashes */
  rel: string;
  /** true when the user named this file, or it sits where workflows/actions live: parse errors count */
  expected: boolean;
}

const YAML_EXT = /\.ya?ml$/i;
const ACTION_FILE = /^action\.ya?ml$/i;

export function isWorkflowPath(rel: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(rel);
}

/**
 * Files a workflow gate reads.
 * - No paths: `.github/workflows/*.y(a)ml` (top level) and every `action.y(a)ml` under the workspace.
 * - A file path: that file.
 * - A directory: when it holds `.github/workflows`, the same as the default below it; otherwise every
 *   `*.y(a)ml` below it (workflows and actions are told apart by content).
 * `exclude` globs (workspace-relative) drop files; node_modules and .git are never read.
 */
export function discoverWorkflowFiles(cwd: string, paths: string[], exclude: string[] = []): FoundFile[] {
  const ex = exclude.map(globToRegExp);
  const excluded = (rel: string) => ex.some((re) => re.test(rel));
  const out = new Map<string, FoundFile>();
  const addRepo = (root: string) => {
    for (const rel of walk(root, (r) => isWorkflowPath(r) && r.split('/').length === 3 || ACTION_FILE.test(basename(r)), (d) => excluded(toPosix(join(root, d), cwd)))) {
      const abs = join(root, rel);
      const shown = toPosix(abs, cwd);
      if (!excluded(shown)) out.set(abs, { abs, rel: shown, expected: true });
    }
  };
  if (paths.length === 0) {
    addRepo(cwd);
    return [...out.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1));
  }
  for (const p of paths) {
    const abs = isAbsolute(p) ? p : resolvePath(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new InputError(`${p}: no such file or directory`);
    }
    if (st.isFile()) {
      out.set(abs, { abs, rel: toPosix(abs, cwd), expected: true });
    } else if (st.isDirectory()) {
      let hasWorkflows = false;
      try {
        hasWorkflows = statSync(join(abs, '.github', 'workflows')).isDirectory();
      } catch {
        /* no */
      }
      if (hasWorkflows) addRepo(abs);
      else {
        for (const rel of walk(abs, (r) => YAML_EXT.test(r), (d) => excluded(toPosix(join(abs, d), cwd)))) {
          const f = join(abs, rel);
          const shown = toPosix(f, cwd);
          if (excluded(shown)) continue;
          out.set(f, { abs: f, rel: shown, expected: isWorkflowPath(shown) || ACTION_FILE.test(basename(f)) });
        }
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Split a multi-value input (newlines or commas). */
export function splitList(v: string | undefined): string[] {
  if (!v) return [];
  return v
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseBool(v: string | undefined, name: string, def = false): boolean {
  if (v === undefined || v.trim() === '') return def;
  const s = v.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(s)) return true;
  if (['false', 'no', '0', 'off'].includes(s)) return false;
  throw new InputError(`${name}: "${v}" is not a boolean (true or false)`);
}
