// Placement: map the paths a Bandit report names onto workspace files, or say that it cannot.
//
// Annotations, SARIF, and the path-scoped parts of the policy (suppressions by `file` or fingerprint,
// baseline entries, accepted scan errors) need workspace-relative paths. A report made elsewhere (a
// container, another machine, a subdirectory) names files differently. Placing a path at the wrong file is
// fail-open (a suppression written for that file would silence the finding), so the rule is strict:
//
// A reported path that is not a workspace file as given is placed at workspace file F only when
//  (a) shape: F is a whole-component suffix of the reported absolute path (the workspace was mounted or
//      checked out under another root: `/build/src/app/db.py` → `src/app/db.py`), or the reported relative
//      path is a whole-component suffix of F (the report was made in a subdirectory: `app/db.py` →
//      `backend/app/db.py`). A partial overlap (`/build/src/app/db.py` vs `vendor/app/db.py`) never counts;
//  (b) evidence: when the report quotes the flagged source line (Bandit's `code`), F holds that line (same
//      text, whitespace aside; anywhere in the file, as line numbers may come from a slightly different
//      revision) for every finding on that path; when the report quotes nothing for the path (errors[]
//      entries, stripped reports, baseline entries), the matched part covers at least two components (a
//      directory and the file name: the candidate for an absolute path, the reported path for a relative
//      one), never a bare file name; or, for the live report's own paths, the report's root (the one prefix
//      all its content-confirmed placements agree on) leads to that file;
//  (c) uniqueness: exactly one workspace file passes (a) and (b).
// A path that is a workspace file as given is kept, unless the file lacks the quoted lines and one other file
// passes (a)-(c). Otherwise the reported path is kept as written and marked unplaced: policy entries match it only by that
// exact path, never by a guess. A baseline or errors[] path equal to a path of the live report is placed the
// same way as that path.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { visitFiles } from '../../core/glob.js';
import { flaggedLine, type BanditReport, type BanditResult } from './report.js';
import { isAbsoluteLike, normalizePath } from './suppressions.js';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.tox', '.venv', 'venv', '__pycache__', '.mypy_cache']);

export interface Placement {
  /** notes for the log and the messages (dropped dangling symlinks) */
  warnings: string[];
  /** lines for the summary (what was placed, what was not and why) */
  info: string[];
  /** live report paths kept as written (not workspace files, not placeable) */
  unplaced: number;
  /** live report paths placed at a workspace file */
  moved: number;
}

type Decision = { to: string } | { to: null; why: 'missing' | 'ambiguous' | 'content' | 'too-short'; candidates: string[] };

function normLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function placeFiles(reports: BanditReport[], baseline: BanditReport | undefined, cwd: string, moveReports: boolean): Placement {
  const warnings: string[] = [];
  const moved: string[] = [];
  const missing: string[] = [];
  const ambiguous: string[] = [];
  const mismatched: string[] = [];
  const tooShort: string[] = [];
  let index: string[] | undefined;
  const lines = new Map<string, Set<string> | null>();
  /** the file's lines, whitespace-normalised (null: unreadable or too large to check) */
  const fileLines = (rel: string): Set<string> | null => {
    let l = lines.get(rel);
    if (l === undefined) {
      try {
        const st = statSync(join(cwd, rel));
        l = st.size > 20_000_000 ? null : new Set(decodeSource(readFileSync(join(cwd, rel))).split(/\r\n|\n|\r/).map(normLine));
      } catch {
        l = null;
      }
      lines.set(rel, l);
    }
    return l;
  };

  /** Workspace files whose path fits the reported one by shape (a). */
  const shapeCandidates = (n: string): string[] => {
    if (isAbsoluteLike(n)) {
      const parts = n.replace(/^[A-Za-z]:/, '').split('/').filter(Boolean);
      const out: string[] = [];
      for (let k = 1; k < parts.length; k++) {
        const cand = parts.slice(k).join('/');
        if (isFileIn(cwd, cand)) out.push(cand);
      }
      return out;
    }
    return (index ??= pyIndex(cwd)).filter((p) => p.endsWith(`/${n}`)).sort();
  };

  const holdsAll = (rel: string, quoted: BanditResult[]): boolean => {
    const text = fileLines(rel);
    return text !== null && quoted.every((r) => text.has(normLine(flaggedLine(r)!)));
  };

  const decide = (n: string, quoted: BanditResult[]): Decision => {
    const cands = shapeCandidates(n);
    if (!cands.length) return { to: null, why: 'missing', candidates: [] };
    let fit: string[];
    if (quoted.length) {
      fit = cands.filter((c) => holdsAll(c, quoted));
      if (!fit.length) return { to: null, why: 'content', candidates: cands };
    } else {
      // the part of the path that matched must hold a directory and the file name: for an absolute path that
      // is the candidate (a suffix of it), for a relative one the reported path itself (a suffix of the candidate)
      fit = isAbsoluteLike(n) ? cands.filter((c) => c.split('/').length >= 2) : n.split('/').length >= 2 ? cands : [];
      if (!fit.length) return { to: null, why: 'too-short', candidates: cands };
    }
    if (fit.length > 1) return { to: null, why: 'ambiguous', candidates: fit };
    return { to: fit[0] };
  };

  const decided = new Map<string, Decision | 'as-is'>();
  // Where the live report was made, learnt from the paths confirmed by their quoted lines: one directory for
  // its relative paths (`cd src && bandit -r .` → `src/`), one root for its absolute ones (`/build/`).
  // A live path that quotes nothing (errors[], stripped results) is placed by that root when all
  // confirmed placements agree on it and the file is there: a bare `./bad.py` of that report is `src/bad.py`.
  let relRoot: string | undefined;
  let absRoot: string | undefined;
  const learnRoots = () => {
    const rel = new Set<string>();
    const abs = new Set<string>();
    for (const [f, d] of decided) {
      if (d === 'as-is' || d.to === null || !quotedBy.get(f)?.length) continue;
      const n = normalizePath(f, cwd);
      if (isAbsoluteLike(n)) abs.add(n.slice(0, n.length - d.to.length));
      else rel.add(d.to.slice(0, d.to.length - n.length));
    }
    if (rel.size === 1) relRoot = [...rel][0];
    if (abs.size === 1) absRoot = [...abs][0];
  };
  const viaRoot = (n: string): Decision | undefined => {
    const to = isAbsoluteLike(n) ? (absRoot !== undefined && n.startsWith(absRoot) ? n.slice(absRoot.length) : undefined) : relRoot !== undefined ? relRoot + n : undefined;
    return to !== undefined && to !== '' && !to.startsWith('../') && isFileIn(cwd, to) ? { to } : undefined;
  };
  const placeOne = (f: string, quoted: BanditResult[], live: boolean): Decision | 'as-is' => {
    const prior = decided.get(f);
    if (prior !== undefined) return prior;
    const n = normalizePath(f, cwd);
    let d: Decision | 'as-is';
    if (isFileIn(cwd, n) && quoted.length && !holdsAll(n, quoted)) {
      // the workspace file of that name does not hold the flagged lines: a report made in a subdirectory
      // (`cd backend && bandit -r .` → ./app.py) names a different file that happens to exist at the root.
      // Moved only to the one other file that holds them all; otherwise kept (the report may be older).
      const other = decide(n, quoted);
      d = other.to !== null ? other : 'as-is';
    } else if (isFileIn(cwd, n) || isDangling(cwd, n) || n === '<stdin>' || n.startsWith('../')) d = 'as-is';
    // the root learnt from the live report is that report's: a baseline may have been made elsewhere
    else d = (live && !quoted.length && viaRoot(n)) || decide(n, quoted);
    if (live) {
      decided.set(f, d);
      if (d !== 'as-is') {
        if (d.to !== null) moved.push(`${f} → ${d.to}`);
        else if (d.why === 'missing') missing.push(f);
        else if (d.why === 'ambiguous') ambiguous.push(`${f} (${d.candidates.slice(0, 3).join(', ')}${d.candidates.length > 3 ? ', …' : ''})`);
        else if (d.why === 'content') mismatched.push(`${f} (${d.candidates.slice(0, 3).join(', ')})`);
        else tooShort.push(`${f} (${d.candidates.slice(0, 3).join(', ')})`);
      } else if (!isFileIn(cwd, n) && !isDangling(cwd, n)) missing.push(f);
    }
    return d;
  };
  const apply = (obj: { filename: string; unplaced?: boolean; reportedAs?: string }, d: Decision | 'as-is') => {
    if (d === 'as-is') {
      const n = normalizePath(obj.filename, cwd);
      if (!isFileIn(cwd, n) && !isDangling(cwd, n)) obj.unplaced = true;
      return;
    }
    if (d.to === null) {
      obj.unplaced = true;
      return;
    }
    obj.reportedAs = obj.filename;
    obj.filename = d.to;
  };

  const live = moveReports ? reports : [];
  // quoted lines per reported path, across every live report
  const quotedBy = new Map<string, BanditResult[]>();
  for (const rep of live) {
    for (const r of rep.results) {
      let q = quotedBy.get(r.filename);
      if (!q) quotedBy.set(r.filename, (q = []));
      // a quoted blank line proves nothing
      const l = flaggedLine(r);
      if (l !== undefined && normLine(l) !== '') q.push(r);
    }
  }
  // paths confirmed by quoted lines first: they tell where the report was made
  const unquoted: BanditResult[] = [];
  for (const rep of live) for (const r of rep.results) {
    const q = quotedBy.get(r.filename)!;
    if (q.length) apply(r, placeOne(r.filename, q, true));
    else unquoted.push(r);
  }
  learnRoots();
  for (const r of unquoted) apply(r, placeOne(r.filename, [], true));

  for (const rep of reports) {
    rep.errors = rep.errors.filter((e) => {
      const n = normalizePath(e.filename, cwd);
      if (!isAbsoluteLike(n) && isDangling(cwd, n)) {
        warnings.push(`${n}: a dangling symlink (Bandit: ${e.reason}); no code behind it to scan`);
        return false;
      }
      return true;
    });
    if (moveReports) for (const e of rep.errors) apply(e, placeOne(e.filename, [], true));
  }
  if (baseline) {
    for (const r of baseline.results) {
      // the same reported path as in the live report: the same decision; else path evidence only
      const d = decided.get(r.filename) ?? placeOne(r.filename, [], false);
      if (d !== 'as-is' && d.to !== null) apply(r, d);
    }
  }

  const info: string[] = [];
  const list = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', …' : ''}`;
  const uniq = (xs: string[]) => [...new Set(xs)];
  if (moved.length) info.push(`placed ${moved.length} path(s) from outside the workspace at the one workspace file with that path suffix: ${list(moved)}`);
  const miss = uniq(missing);
  if (miss.length) info.push(`${miss.length} file(s) named in the report are not in the workspace, so annotations cannot point at them (was the report made in another directory?): ${list(miss)}`);
  if (ambiguous.length) info.push(`${ambiguous.length} path(s) not placed because several workspace files fit (kept as written; path-scoped suppressions and baseline entries match them only by that exact path): ${list(ambiguous)}`);
  if (mismatched.length) info.push(`${mismatched.length} path(s) not placed because no workspace file with that path suffix holds the flagged source line (a different file or version; kept as written): ${list(mismatched)}`);
  if (tooShort.length) info.push(`${tooShort.length} path(s) not placed because only the file name matches and the report quotes no source line to confirm it (kept as written): ${list(tooShort)}`);
  return { warnings, info, unplaced: uniq(missing).length + ambiguous.length + mismatched.length + tooShort.length, moved: moved.length };
}

/** Python source as text: UTF-8, else Latin-1 (PEP 263 `coding: latin-1` files; Bandit quotes them decoded). */
export function decodeSource(b: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return b.toString('latin1');
  }
}

/** Workspace-relative paths of the Python files under cwd (bounded walk, the usual tool dirs skipped). */
function pyIndex(cwd: string, max = 200_000): string[] {
  const out: string[] = [];
  visitFiles(cwd, (r, e) => void (/\.pyw?$/i.test(e.name) && out.push(r)), { skipDir: (_r, name) => SKIP_DIRS.has(name), maxEntries: max });
  return out;
}

export function isFileIn(cwd: string, rel: string): boolean {
  try {
    return statSync(join(cwd, rel)).isFile();
  } catch {
    return false;
  }
}

export function isDangling(cwd: string, rel: string): boolean {
  try {
    if (!lstatSync(join(cwd, rel)).isSymbolicLink()) return false;
  } catch {
    return false;
  }
  try {
    statSync(join(cwd, rel));
    return false;
  } catch {
    return true;
  }
}
