// Shared by the prt-guard test files: analyse a small repository given as path → text (under /repo), as
// runStatic does (every workflow and local action, with the local resolvers), and merge duplicate findings.
import { expect } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel, type WorkflowModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeWorkflow, mergeDuplicateFindings } from '../../../src/gates/prt-guard/analyze.js';
import { makeLocalResolver, makeLookup } from '../../../src/gates/prt-guard/load.js';

export function repoFindings(files: Record<string, string>) {
  const models = Object.entries(files).map(([f, t]) => {
    const m = buildModel(f, t);
    expect(m.errors).toEqual([]);
    return Object.assign(m, { abs: `/repo/${f}` });
  }).filter((m) => m.kind !== 'other') as Array<WorkflowModel & { abs: string }>;
  const opts = { fingerprinter: new Fingerprinter(), lookup: makeLookup(models), resolveLocal: makeLocalResolver(models, '/repo'), resolveAction: makeLocalResolver(models, '/repo', 'action') };
  return mergeDuplicateFindings(models.flatMap((m) => analyzeWorkflow(m, opts)));
}

/** repoFindings as sorted `rule file line:column severity` lines (with `withRelated`, the related locations too) */
export function scanRepo(files: Record<string, string>, withRelated = false): string[] {
  return repoFindings(files).map((f) => `${f.rule} ${f.file} ${f.line}:${f.column} ${f.severity}${withRelated ? ` <- ${(f.related ?? []).map((r) => `${r.file}:${r.line}:${r.column}`).join(', ')}` : ''}`).sort();
}
