// Runs dist bundles and composite actions the way the GitHub runner does:
// INPUT_* env, pre-created GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, `bash --noprofile --norc -eo pipefail`,
// `${{ inputs.* }}` / `${{ github.* }}` / `${{ env.* }}` / `${{ steps.*.outputs.* }}` evaluated with @actions/expressions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { Lexer, Parser, Evaluator, data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import { validateRecord } from '../../src/core/schema.js';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const NODE = process.execPath;

export interface RunnerFiles {
  dir: string;
  output: string;
  summary: string;
  records: string;
  runnerTemp: string;
  workspace: string;
}

export function runnerFiles(workspace?: string): RunnerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'cg-runner-'));
  const output = join(dir, 'github_output');
  const summary = join(dir, 'step_summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const runnerTemp = join(dir, 'runner_temp');
  mkdirSync(runnerTemp);
  const ws = workspace ?? join(dir, 'workspace');
  mkdirSync(ws, { recursive: true });
  return { dir, output, summary, records: join(runnerTemp, 'chaingate', 'pipeline_run.ndjson'), runnerTemp, workspace: ws };
}

/** Runner files whose workspace holds the given files (path → content). */
export function workspaceWith(files: Record<string, string | Buffer>): RunnerFiles {
  const f = runnerFiles();
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(f.workspace, p, '..'), { recursive: true });
    writeFileSync(join(f.workspace, p), text);
  }
  return f;
}

/** A minimal, realistic runner environment (no secrets of the developer's shell leak in). */
export function runnerEnv(f: RunnerFiles, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? f.dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: f.output,
    GITHUB_STEP_SUMMARY: f.summary,
    GITHUB_WORKSPACE: f.workspace,
    RUNNER_TEMP: f.runnerTemp,
    GITHUB_REPOSITORY: 'acme/widget',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_WORKFLOW: 'release',
    GITHUB_JOB: 'gates',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    ...extra,
  };
}

/** Parse the `name<<delimiter` blocks (and plain `name=value` lines) of a GITHUB_OUTPUT file. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = /^([^=<]+)<<(.+)$/.exec(l);
    if (m) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i]);
      out[m[1]] = body.join('\n');
    } else if (l.includes('=')) {
      const k = l.slice(0, l.indexOf('='));
      out[k] = l.slice(l.indexOf('=') + 1);
    }
  }
  return out;
}

export interface StepRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  records: any[];
  recordProblems: string[];
}

export function readRecordsFile(path: string): { records: any[]; problems: string[] } {
  if (!existsSync(path)) return { records: [], problems: [] };
  const records: any[] = [];
  const problems: string[] = [];
  for (const [i, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    records.push(r);
    for (const p of validateRecord(r)) problems.push(`line ${i + 1}: ${p.path} ${p.message}`);
  }
  return { records, problems };
}

/** Run `node dist/<entry>.js` as a JavaScript step would, with inputs as INPUT_* env. */
export function runDist(entry: string, inputs: Record<string, string>, f: RunnerFiles, env: Record<string, string> = {}, timeoutMs = 60_000): StepRun {
  const inputEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const r = spawnSync(NODE, [join(ROOT, 'dist', `${entry}.js`)], {
    cwd: f.workspace,
    env: { ...runnerEnv(f, env), ...inputEnv },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return collect(r.status, r.stdout, r.stderr, f);
}

function collect(status: number | null, stdout: string, stderr: string, f: RunnerFiles, recordsPath?: string): StepRun {
  const { records, problems } = readRecordsFile(recordsPath ?? f.records);
  return {
    exitCode: status,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(f.output, 'utf8')),
    summary: readFileSync(f.summary, 'utf8'),
    records,
    recordProblems: problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Composite actions

function toData(v: unknown): any {
  if (v === null || v === undefined) return new data.Null();
  if (typeof v === 'string') return new data.StringData(v);
  if (typeof v === 'number') return new data.NumberData(v);
  if (typeof v === 'boolean') return new data.BooleanData(v);
  if (Array.isArray(v)) return new data.Array(...v.map(toData));
  return new data.Dictionary(...Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ key, value: toData(value) })));
}

function evaluate(expr: string, ctx: Record<string, unknown>): any {
  const lr = new Lexer(expr).lex();
  const parser = new Parser(lr.tokens, Object.keys(ctx), []);
  const ast = parser.parse();
  return new Evaluator(ast, toData(ctx)).evaluate();
}

/** Replace every `${{ … }}` in a string the way the runner does before a step runs. */
export function substitute(template: string, ctx: Record<string, unknown>): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => evaluate(e.trim(), ctx).coerceString());
}

function evalIf(cond: string | undefined, ctx: Record<string, unknown>, failed: boolean): boolean {
  if (!cond) return !failed;
  let c = String(cond).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  const hasStatus = /\b(always|failure|success|cancelled)\s*\(\)/.test(c);
  c = c.replace(/\balways\s*\(\)/g, 'true').replace(/\bfailure\s*\(\)/g, failed ? 'true' : 'false').replace(/\bsuccess\s*\(\)/g, failed ? 'false' : 'true').replace(/\bcancelled\s*\(\)/g, 'false');
  const v = truthy(evaluate(c, ctx));
  return hasStatus ? v : v && !failed;
}

export interface CompositeRun {
  steps: Array<{ id?: string; name?: string; ran: boolean; uses?: string; exitCode?: number | null }>;
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  records: any[];
  recordProblems: string[];
}

/**
 * Run the `run:` steps of actions/<name>/action.yml as the runner would. `uses:` steps are not executed
 * (no network here); they are listed with ran=false so tests can assert their conditions.
 */
export function runComposite(
  name: string,
  inputs: Record<string, string>,
  f: RunnerFiles,
  opts: { env?: Record<string, string>; github?: Record<string, unknown>; timeoutMs?: number; recordsPath?: string } = {},
): CompositeRun {
  const actionPath = name === '.' ? ROOT : join(ROOT, 'actions', name);
  const meta = parseYamlText(readFileSync(join(actionPath, 'action.yml'), 'utf8'));
  const declared = meta.inputs ?? {};
  for (const k of Object.keys(inputs)) if (!(k in declared)) throw new Error(`input "${k}" is not declared by ${actionPath}/action.yml`);
  const inputCtx: Record<string, string> = {};
  for (const [k, spec] of Object.entries<any>(declared)) inputCtx[k] = inputs[k] ?? (spec.default !== undefined ? String(spec.default) : '');
  const baseEnv = runnerEnv(f, { GITHUB_ACTION_PATH: actionPath, ...(opts.env ?? {}) });
  const stepsCtx: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const result: CompositeRun = { steps: [], exitCode: 0, stdout: '', stderr: '', outputs: {}, summary: '', records: [], recordProblems: [] };
  let failed = false;
  for (const step of meta.runs.steps as any[]) {
    const ctx = { inputs: inputCtx, github: { token: '', action_path: actionPath, workspace: f.workspace, ...(opts.github ?? {}) }, env: baseEnv, steps: stepsCtx, runner: { temp: f.runnerTemp, os: 'Linux' } };
    const ran = evalIf(step.if, ctx, failed);
    if (!ran || step.uses) {
      result.steps.push({ id: step.id, name: step.name, ran: false, uses: step.uses });
      continue;
    }
    if (!step.shell) throw new Error(`composite step ${step.id ?? step.name} has no shell`);
    const env: Record<string, string> = { ...baseEnv };
    for (const [k, v] of Object.entries<any>(step.env ?? {})) env[k] = substitute(String(v), ctx);
    writeFileSync(f.output, '');
    const script = substitute(String(step.run), ctx);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: f.workspace, env, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
    const outs = parseOutputFile(readFileSync(f.output, 'utf8'));
    if (step.id) stepsCtx[step.id] = { outputs: outs, outcome: r.status === 0 ? 'success' : 'failure', conclusion: r.status === 0 ? 'success' : 'failure' };
    result.stdout += r.stdout;
    result.stderr += r.stderr;
    result.steps.push({ id: step.id, name: step.name, ran: true, exitCode: r.status });
    if (r.status !== 0) {
      failed = true;
      result.exitCode = r.status ?? 1;
    }
  }
  const ctx = { inputs: inputCtx, steps: stepsCtx, github: {}, env: baseEnv };
  for (const [k, spec] of Object.entries<any>(meta.outputs ?? {})) result.outputs[k] = substitute(String(spec.value), ctx);
  result.summary = readFileSync(f.summary, 'utf8');
  const rec = readRecordsFile(opts.recordsPath ?? f.records);
  result.records = rec.records;
  result.recordProblems = rec.problems;
  return result;
}
