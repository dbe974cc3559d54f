// A positioned model of a workflow or composite action, shared by prt-guard and gate-integrity.
import { parseYaml, mapGet, mapEntries, seqItems, scalarString, isMap, isSeq, isScalar, posOf, mapGetPair, type ParsedYaml, type YNode, type Document } from '../../core/yaml.js';
import { scalarText, valuePos, type ScalarText } from './scalar.js';

export type FileKind = 'workflow' | 'action' | 'other';

export interface Step {
  index: number;
  node: YNode;
  id?: string;
  name?: string;
  uses?: string;
  usesNode?: YNode;
  run?: ScalarText;
  runNode?: YNode;
  shell?: string;
  with: Map<string, { value: string; node: YNode }>;
  env: Map<string, { value: string; node: YNode }>;
  ifText?: string;
  ifNode?: YNode;
  continueOnError?: { value: string; node: YNode };
  timeoutMinutes?: string;
  workingDirectory?: string;
  /** label for messages and fingerprints */
  label: string;
}

export interface Job {
  key: string;
  keyNode: YNode;
  node: YNode;
  name?: string;
  permissions?: YNode | null;
  permissionsPair?: boolean;
  ifText?: string;
  ifNode?: YNode;
  continueOnError?: { value: string; node: YNode };
  timeoutMinutes?: string;
  env: Map<string, { value: string; node: YNode }>;
  steps: Step[];
  /** reusable workflow call */
  uses?: string;
  usesNode?: YNode;
  secretsInherit: boolean;
  /** `with:` of a reusable workflow call */
  with: Map<string, { value: string; node: YNode }>;
  runsOn: string;
  defaultShell?: string;
  outputs: Map<string, string>;
  /** raw source text of the job (for evidence searches) */
  text: string;
}

export interface WorkflowModel {
  file: string;
  kind: FileKind;
  p: ParsedYaml;
  doc?: Document.Parsed;
  name?: string;
  /** event names, lower-cased */
  triggers: Set<string>;
  /** on.workflow_run.workflows */
  workflowRunUpstreams: string[];
  /** `on.workflow_call.outputs.<o>.value` of a reusable workflow (read by callers as `needs.<job>.outputs.<o>`) */
  callOutputs?: Map<string, string>;
  permissions?: YNode | null;
  hasPermissions: boolean;
  env: Map<string, { value: string; node: YNode }>;
  defaultShell?: string;
  jobs: Job[];
  errors: Array<{ message: string; line: number; column: number }>;
}

function strMap(doc: Document.Parsed, node: YNode | null): Map<string, { value: string; node: YNode }> {
  const m = new Map<string, { value: string; node: YNode }>();
  for (const e of mapEntries(doc, node)) {
    const v = scalarString(doc, e.value);
    if (v !== undefined && e.value) m.set(e.key, { value: v, node: e.value });
  }
  return m;
}

function triggersOf(doc: Document.Parsed, on: YNode | null): { triggers: Set<string>; upstreams: string[] } {
  const triggers = new Set<string>();
  const upstreams: string[] = [];
  if (!on) return { triggers, upstreams };
  if (isScalar(on)) {
    const v = scalarString(doc, on);
    if (v) triggers.add(v.toLowerCase());
  } else if (isSeq(on)) {
    for (const it of seqItems(doc, on)) {
      const v = scalarString(doc, it);
      if (v) triggers.add(v.toLowerCase());
    }
  } else if (isMap(on)) {
    for (const e of mapEntries(doc, on)) {
      triggers.add(e.key.toLowerCase());
      if (e.key === 'workflow_run') {
        const w = mapGet(doc, e.value, 'workflows');
        if (isSeq(w)) for (const it of seqItems(doc, w)) upstreams.push(scalarString(doc, it) ?? '');
        else if (w) upstreams.push(scalarString(doc, w) ?? '');
      }
    }
  }
  return { triggers, upstreams: upstreams.filter(Boolean) };
}

function stepOf(doc: Document.Parsed, p: ParsedYaml, node: YNode, index: number, prefix: string): Step {
  const uses = mapGet(doc, node, 'uses');
  const run = mapGet(doc, node, 'run');
  const id = scalarString(doc, mapGet(doc, node, 'id'));
  const name = scalarString(doc, mapGet(doc, node, 'name'));
  const ifN = mapGet(doc, node, 'if');
  const coe = mapGet(doc, node, 'continue-on-error');
  const usesStr = scalarString(doc, uses);
  return {
    index,
    node,
    id,
    name,
    uses: usesStr?.trim(),
    usesNode: uses ?? undefined,
    run: run ? scalarText(p, run) : undefined,
    runNode: run ?? undefined,
    shell: scalarString(doc, mapGet(doc, node, 'shell')),
    with: strMap(doc, mapGet(doc, node, 'with')),
    env: strMap(doc, mapGet(doc, node, 'env')),
    ifText: ifN ? scalarString(doc, ifN) : undefined,
    ifNode: ifN ?? undefined,
    continueOnError: coe && scalarString(doc, coe) !== undefined ? { value: scalarString(doc, coe)!, node: coe } : undefined,
    timeoutMinutes: scalarString(doc, mapGet(doc, node, 'timeout-minutes')),
    workingDirectory: scalarString(doc, mapGet(doc, node, 'working-directory')),
    label: `${prefix}${id ?? name ?? usesStr?.trim() ?? `step ${index + 1}`}`,
  };
}

export function buildModel(file: string, source: string): WorkflowModel {
  const p = parseYaml(source);
  const m: WorkflowModel = { file, kind: 'other', p, triggers: new Set(), workflowRunUpstreams: [], hasPermissions: false, env: new Map(), jobs: [], errors: p.errors };
  if (p.errors.length) return m;
  const doc = p.docs.find((d) => isMap(d.contents));
  if (!doc) return m;
  m.doc = doc;
  const root = doc.contents as YNode;
  const jobs = mapGet(doc, root, 'jobs');
  const runs = mapGet(doc, root, 'runs');
  m.name = scalarString(doc, mapGet(doc, root, 'name'));
  if (jobs && isMap(jobs)) {
    m.kind = 'workflow';
    // `on` may be parsed as the boolean key `true` by YAML 1.1 readers; the yaml package (1.2 core) keeps "on"
    const on = mapGet(doc, root, 'on') ?? mapGet(doc, root, 'true');
    const t = triggersOf(doc, on);
    m.triggers = t.triggers;
    m.workflowRunUpstreams = t.upstreams;
    const callOuts = mapGet(doc, mapGet(doc, on, 'workflow_call'), 'outputs');
    if (callOuts) {
      m.callOutputs = new Map();
      for (const o of mapEntries(doc, callOuts)) {
        const v = scalarString(doc, mapGet(doc, o.value, 'value'));
        if (v !== undefined) m.callOutputs.set(o.key, v);
      }
    }
    const permPair = mapGetPair(doc, root, 'permissions');
    m.hasPermissions = !!permPair;
    m.permissions = permPair ? mapGet(doc, root, 'permissions') : undefined;
    m.env = strMap(doc, mapGet(doc, root, 'env'));
    m.defaultShell = scalarString(doc, mapGet(doc, mapGet(doc, mapGet(doc, root, 'defaults'), 'run'), 'shell'));
    for (const e of mapEntries(doc, jobs)) {
      const j = e.value;
      if (!j || !isMap(j)) continue;
      const steps = seqItems(doc, mapGet(doc, j, 'steps'))
        .filter((s) => isMap(s))
        .map((s, i) => stepOf(doc, p, s, i, `${e.key}/`));
      const jPerm = mapGetPair(doc, j, 'permissions');
      const coe = mapGet(doc, j, 'continue-on-error');
      const ifN = mapGet(doc, j, 'if');
      const uses = mapGet(doc, j, 'uses');
      const outputs = new Map<string, string>();
      for (const o of mapEntries(doc, mapGet(doc, j, 'outputs'))) outputs.set(o.key, scalarString(doc, o.value) ?? '');
      const range = (j as YNode).range;
      const runsOn = mapGet(doc, j, 'runs-on');
      m.jobs.push({
        key: e.key,
        keyNode: e.keyNode,
        node: j,
        name: scalarString(doc, mapGet(doc, j, 'name')),
        permissions: jPerm ? mapGet(doc, j, 'permissions') : undefined,
        permissionsPair: !!jPerm,
        ifText: ifN ? scalarString(doc, ifN) : undefined,
        ifNode: ifN ?? undefined,
        continueOnError: coe && scalarString(doc, coe) !== undefined ? { value: scalarString(doc, coe)!, node: coe } : undefined,
        timeoutMinutes: scalarString(doc, mapGet(doc, j, 'timeout-minutes')),
        env: strMap(doc, mapGet(doc, j, 'env')),
        steps,
        uses: scalarString(doc, uses)?.trim(),
        usesNode: uses ?? undefined,
        secretsInherit: scalarString(doc, mapGet(doc, j, 'secrets')) === 'inherit',
        with: strMap(doc, mapGet(doc, j, 'with')),
        runsOn: runsOn ? (isScalar(runsOn) ? (scalarString(doc, runsOn) ?? '') : p.text.slice(runsOn.range?.[0] ?? 0, runsOn.range?.[1] ?? 0)) : '',
        defaultShell: scalarString(doc, mapGet(doc, mapGet(doc, mapGet(doc, j, 'defaults'), 'run'), 'shell')) ?? m.defaultShell,
        outputs,
        text: range ? p.text.slice(range[0], range[1]) : '',
      });
    }
  } else if (runs && isMap(runs)) {
    m.kind = 'action';
    const using = scalarString(doc, mapGet(doc, runs, 'using'));
    if (using === 'composite') {
      const steps = seqItems(doc, mapGet(doc, runs, 'steps'))
        .filter((s) => isMap(s))
        .map((s, i) => stepOf(doc, p, s, i, 'runs/'));
      const range = (runs as YNode).range;
      // `outputs: { x: { value: ${{ steps.s.outputs.y }} } }`: what a caller reads as `steps.<id>.outputs.x`
      const outputs = new Map<string, string>();
      for (const o of mapEntries(doc, mapGet(doc, root, 'outputs'))) {
        const v = scalarString(doc, mapGet(doc, o.value, 'value'));
        if (v !== undefined) outputs.set(o.key, v);
      }
      m.jobs.push({
        key: 'runs',
        keyNode: runs,
        node: runs,
        env: new Map(),
        steps,
        secretsInherit: false,
        with: new Map(),
        runsOn: '',
        outputs,
        text: range ? p.text.slice(range[0], range[1]) : '',
      });
    }
  }
  return m;
}

export interface Loc {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Position of a node's content (inside quotes). */
export function nodeLoc(p: ParsedYaml, node: YNode): Loc {
  if (isScalar(node)) {
    const st = scalarText(p, node);
    if (st && st.value.length) {
      const a = valuePos(st, 0);
      const b = valuePos(st, st.value.length - 1);
      return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column + 1 };
    }
  }
  const pos = posOf(p, node);
  return pos ? { line: pos.line, column: pos.column, endLine: pos.endLine, endColumn: pos.endColumn } : { line: 1, column: 1 };
}

/** Position of a span [a, b) of a scalar's value. */
export function spanLoc(st: ScalarText, a: number, b: number): Loc {
  const s = valuePos(st, a);
  const e = valuePos(st, Math.max(a, b - 1));
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column + 1 };
}

/** Lower-cased `owner/repo[/path]` of a `uses:` value and its ref. */
export function splitUses(uses: string): { name: string; ref: string } {
  const at = uses.lastIndexOf('@');
  return at < 0 ? { name: uses.toLowerCase(), ref: '' } : { name: uses.slice(0, at).toLowerCase(), ref: uses.slice(at + 1) };
}

/** Trailing `# comment` on the line where `node` ends. */
export function commentAfter(p: ParsedYaml, node: YNode): string | undefined {
  const r = node.range;
  if (!r) return undefined;
  const lp = p.lineCounter.linePos(r[1]);
  const lineEnd = p.lineCounter.lineStarts[lp.line] ?? p.text.length;
  const rest = p.text.slice(r[1], lineEnd);
  const m = /^[^\S\n]*#\s?(.*)/.exec(rest);
  return m ? m[1].trim() : undefined;
}
