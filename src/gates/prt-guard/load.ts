// Discovery and parsing shared by prt-guard and gate-integrity, plus the repository index used to look up
// `workflow_run` upstream workflows by name.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Finding } from '../../core/types.js';
import type { Fingerprinter } from '../../core/fingerprint.js';
import { discoverWorkflowFiles, looksLikeWorkflowOrAction, mustBeWorkflow, readDiscovered, readTextFile } from '../../core/files.js';
import { buildModel, type WorkflowModel } from './model.js';

export interface Loaded {
  models: Array<WorkflowModel & { abs: string }>;
  errors: Finding[];
  files: number;
  skipped: number;
  lookup: (from: WorkflowModel, name: string) => WorkflowModel | undefined;
  resolveLocal: (from: WorkflowModel, path: string) => WorkflowModel | undefined;
  /** local composite actions (`uses: ./.github/actions/x`) */
  resolveAction: (from: WorkflowModel, path: string) => WorkflowModel | undefined;
}

export function loadModels(cwd: string, paths: string[], exclude: string[], rule: string, fp: Fingerprinter): Loaded {
  const files = discoverWorkflowFiles(cwd, paths, exclude);
  const models: Array<WorkflowModel & { abs: string }> = [];
  const errors: Finding[] = [];
  let skipped = 0;
  for (const f of files) {
    const read = readDiscovered(f);
    if (!read.ok) {
      if (read.skip) {
        skipped++;
        continue;
      }
      errors.push({ rule, severity: 'high', isError: true, message: read.message, file: f.rel, line: 1, column: 1, fingerprint: fp.make(rule, f.rel, read.reason) });
      continue;
    }
    const m = buildModel(f.rel, read.text);
    if (m.errors.length) {
      if (!f.expected && !looksLikeWorkflowOrAction(read.text)) {
        skipped++;
        continue;
      }
      const e = m.errors[0];
      errors.push({ rule, severity: 'high', isError: true, message: `invalid YAML: ${e.message}`, file: f.rel, line: e.line, column: e.column, fingerprint: fp.make(rule, f.rel, '') });
      continue;
    }
    if (m.kind === 'other') {
      if (mustBeWorkflow(f)) {
        errors.push({ rule, severity: 'high', isError: true, message: 'not a workflow: no `jobs:` mapping', file: f.rel, line: 1, column: 1, fingerprint: fp.make(rule, f.rel, 'no-jobs') });
      } else skipped++;
      continue;
    }
    models.push(Object.assign(m, { abs: f.abs }));
  }
  return { models, errors, files: files.length, skipped, lookup: makeLookup(models), resolveLocal: makeLocalResolver(models, cwd), resolveAction: makeLocalResolver(models, cwd, 'action') };
}

/** Name GitHub shows for a workflow: its `name:`, else its path. */
function namesOf(m: WorkflowModel): string[] {
  const out: string[] = [];
  if (m.name) out.push(m.name.trim());
  const b = basename(m.file);
  out.push(m.file, b, b.replace(/^.*__/, ''), `.github/workflows/${b.replace(/^.*__/, '')}`);
  return out;
}

export function makeLookup(models: Array<WorkflowModel & { abs?: string }>): (from: WorkflowModel, name: string) => WorkflowModel | undefined {
  const byDir = new Map<string, Array<WorkflowModel & { abs?: string }>>();
  const dirOf = (m: WorkflowModel & { abs?: string }) => dirname(m.abs ?? m.file);
  for (const m of models) {
    const d = dirOf(m);
    if (!byDir.has(d)) byDir.set(d, []);
    byDir.get(d)!.push(m);
  }
  const loadedDirs = new Set<string>();
  return (from, name) => {
    const d = dirOf(from as WorkflowModel & { abs?: string });
    const want = name.trim();
    const find = () => byDir.get(d)?.find((m) => m !== from && m.kind === 'workflow' && namesOf(m).includes(want));
    let hit = find();
    if (!hit && !loadedDirs.has(d) && (from as { abs?: string }).abs) {
      loadedDirs.add(d);
      // the upstream may not be among the files given: read the other workflows beside this one
      try {
        const known = new Set((byDir.get(d) ?? []).map((m) => basename(m.abs ?? m.file)));
        for (const e of readdirSync(d)) {
          if (!/\.ya?ml$/i.test(e) || known.has(e)) continue;
          const r = readTextFile(join(d, e));
          if (!r.ok) continue;
          const m = buildModel(join(dirname(from.file), e), r.text);
          if (m.kind !== 'workflow') continue;
          if (!byDir.has(d)) byDir.set(d, []);
          byDir.get(d)!.push(Object.assign(m, { abs: join(d, e) }));
        }
      } catch {
        /* unknown upstream counts as privileged */
      }
      hit = find();
    }
    return hit;
  };
}

/**
 * Reads local reusable workflows (`uses: ./.github/workflows/x.yml`, a path from the repository root) from disk:
 * the root is above the calling file's `.github/workflows/`, else the workspace. A flattened copy beside the
 * caller (`<dir>/.github__workflows__x.yml`, as in an exported corpus) is found too. Models already loaded are
 * reused; a file that is absent, unreadable or not valid YAML resolves to undefined.
 */
export function makeLocalResolver(models: Array<WorkflowModel & { abs?: string }>, cwd: string, kind: 'workflow' | 'action' = 'workflow'): (from: WorkflowModel, path: string) => WorkflowModel | undefined {
  const byAbs = new Map<string, WorkflowModel | null>();
  for (const m of models) if (m.abs) byAbs.set(resolve(m.abs), m);
  return (from, path) => {
    const rel = path.replace(/^\.\/+/, '').replace(/@.*$/, '').replace(/\/+$/, '');
    if (kind === 'workflow' && !rel) return undefined;
    if (rel.split('/').includes('..')) return undefined;
    const fromAbs = (from as { abs?: string }).abs;
    // a local action is a directory holding action.yml (or action.yaml)
    const files = kind === 'workflow' ? [rel] : ['action.yml', 'action.yaml'].map((f) => (rel ? `${rel}/${f}` : f));
    const candidates: string[] = [];
    if (fromAbs) {
      const wf = /^(.*)[\\/]\.github[\\/](?:workflows[\\/][^\\/]+|.*[\\/]action\.ya?ml)$/.exec(resolve(fromAbs));
      if (wf) for (const f of files) candidates.push(join(wf[1], f));
      for (const f of files) candidates.push(join(dirname(resolve(fromAbs)), f.replace(/\//g, '__')));
    }
    for (const f of files) candidates.push(join(resolve(cwd), f));
    for (const abs of candidates) {
      if (byAbs.has(abs)) {
        const hit = byAbs.get(abs);
        if (hit) return hit;
        continue;
      }
      if (!existsSync(abs)) {
        byAbs.set(abs, null);
        continue;
      }
      const r = readTextFile(abs);
      const relFile = relative(resolve(cwd), abs).split(sep).join('/');
      const m = r.ok ? buildModel(relFile, r.text) : undefined;
      const ok = m && !m.errors.length && m.kind === kind ? Object.assign(m, { abs }) : null;
      byAbs.set(abs, ok);
      if (ok) return ok;
    }
    return undefined;
  };
}
