import type { Gate, GateContext } from '../../core/gate.js';
import type { Annotation, GateResult } from '../../core/types.js';
import { ConfigError, InputError } from '../../core/types.js';
import { parseDuration } from '../../core/config.js';
import { parseTimeout } from '../../core/timeout.js';
import { splitList } from '../../core/files.js';
import { evaluate, hours, human, type Drill, type LatestFailedPolicy, type Policy } from './policy.js';
import { scanRecords, type RecordScan } from './records.js';
import type { GitHubScan } from './github.js';

export interface DrFreshnessInputs {
  records: string[];
  recordGate: string;
  subject?: string;
  workflow?: string;
  /** job(s) of the drill workflow that do the drill; each must have succeeded in the run */
  drillJobs: string[];
  repository?: string;
  branch?: string;
  token?: string;
  apiUrl: string;
  maxRequests: number;
  /** per API request (a server that accepts and never answers) */
  apiTimeoutMs: number;
  policy: Policy;
  /** as written, for the record */
  maxAge: string;
  warnAge: string;
  skew: string;
}

interface DrFreshnessConfig {
  records?: string[];
  'record-gate'?: string;
  subject?: string;
  workflow?: string | number;
  'drill-job'?: string | string[];
  repository?: string;
  branch?: string;
  'max-age'?: string;
  'warn-age'?: string;
  'clock-skew'?: string;
  'latest-failed'?: LatestFailedPolicy;
}

export const REASONS = [
  'no-evidence',
  'stale',
  'aging',
  'latest-drill-failed',
  'invalid-record',
  'bad-timestamp',
  'future-timestamp',
  'api-error',
  'not-found',
  'rate-limited',
  'search-incomplete',
] as const;

const GATE_ID = /^[a-z][a-z0-9-]{1,40}$/;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

const gate: Gate<DrFreshnessInputs> = {
  id: 'dr-freshness',
  title: 'dr-freshness',
  description: 'fails a release when the last successful disaster-recovery drill is older than its SLA',
  static: false,
  inputs: [
    {
      name: 'records',
      description:
        'Globs or paths of `pipeline_run` NDJSON files holding drill records (written by `chaingate record`), one per line or comma-separated. A named file that is missing is an error; a glob that matches nothing gives no evidence.',
      positional: true,
      multiple: true,
    },
    { name: 'record-gate', description: 'Gate id of the drill records to read.', default: 'dr-drill' },
    { name: 'subject', description: 'Only records whose subject name (or digest) equals this, e.g. the database the drill restored.' },
    { name: 'workflow', description: 'Drill workflow (file name such as `dr-drill.yml`, `.github/workflows/dr-drill.yml`, or numeric id) whose last successful run on `branch` is evidence, through the GitHub API.' },
    {
      name: 'drill-job',
      description:
        'Name of the job that does the drill (as the run shows it; matrix `drill (a, b)` and reusable-workflow `drill / x` jobs included). A run counts only when that job succeeded in it, not merely the run: a drill job skipped by an `if:` leaves a green run. Default: any job that succeeded.',
    },
    { name: 'repository', description: 'owner/repo of the drill workflow, and of the runs that wrote drill records (records of another repository are not evidence). Default: `$GITHUB_REPOSITORY`.' },
    { name: 'branch', description: "Branch the drill runs must be on (`main` or `refs/heads/main`); drill records of runs on another ref are then not evidence. Default: the repository's default branch (records: any branch)." },
    { name: 'token', description: 'GitHub token for the API source (`actions: read`). CLI default: `$GITHUB_TOKEN` or `$GH_TOKEN`.', secret: true },
    { name: 'api-url', description: 'GitHub REST API base URL. Default: `$GITHUB_API_URL`, else https://api.github.com.' },
    { name: 'max-age', description: 'SLA: the newest successful drill may be at most this old (`7d`, `168h`, ISO-8601 `P7D`).', default: '7d' },
    { name: 'warn-age', description: 'Older than this gives a warning annotation. Default: 80 % of max-age.' },
    { name: 'clock-skew', description: 'A drill timestamp further than this in the future is an error (at most `1h`).', default: '5m' },
    { name: 'latest-failed', description: '`warn` (the newest drill failed after an older pass: warning, the pass still counts) or `fail`.', default: 'warn' },
    { name: 'max-requests', description: 'Most GitHub API requests one run may make before giving up with an error.', default: '50' },
    { name: 'api-timeout', description: 'Longest wait for one GitHub API answer (`30s`, `2m`; 0.1 seconds to 10 minutes); a request that times out is retried up to 3 times, then the gate errors.', default: '30s' },
  ],
  outputs: [
    { name: 'last-drill-at', description: 'ISO-8601 time of the newest successful drill; empty when there is none.' },
    { name: 'age-hours', description: 'Age of that drill in hours (one decimal); empty when there is none.' },
    { name: 'evidence-source', description: '`records` or `github`: where the newest successful drill was found; empty when none.' },
    { name: 'evidence-url', description: 'Link to the run that did the drill (or `file:line` of the record when it has no run link).' },
    { name: 'latest-drill-outcome', description: '`pass` or `fail`: the outcome of the newest drill of any outcome; empty when none.' },
  ],
  rules: [],
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = (ctx.config.config['dr-freshness'] ?? {}) as DrFreshnessConfig;
    const where = (key: string) => {
      const pos = ctx.config.locate(['dr-freshness', key]);
      return pos ? `${ctx.config.file}:${pos.line}:${pos.column}: dr-freshness.${key}` : `dr-freshness.${key}`;
    };
    const pick = (name: string, cfgKey: keyof DrFreshnessConfig, def?: string): { value: string | undefined; what: string; fromConfig: boolean } => {
      const given = raw[name]?.trim();
      const spec = gate.inputs.find((s) => s.name === name);
      // an input equal to its default does not override the config file
      if (given && !(spec?.default !== undefined && given === spec.default && cfg[cfgKey] !== undefined)) return { value: given, what: name, fromConfig: false };
      if (cfg[cfgKey] !== undefined) return { value: String(cfg[cfgKey]), what: where(cfgKey), fromConfig: true };
      return { value: def, what: name, fromConfig: false };
    };
    const duration = (p: { value: string | undefined; what: string; fromConfig: boolean }) => {
      try {
        return parseDuration(p.value ?? '', p.what);
      } catch (e) {
        throw p.fromConfig ? e : new InputError((e as Error).message);
      }
    };
    const maxAgeP = pick('max-age', 'max-age', '7d');
    const maxAgeMs = duration(maxAgeP);
    const warnP = pick('warn-age', 'warn-age');
    const warnAgeMs = warnP.value ? duration(warnP) : maxAgeMs * 0.8;
    if (warnAgeMs > maxAgeMs) {
      const msg = `${warnP.what}: "${warnP.value}" is longer than max-age "${maxAgeP.value}"`;
      throw warnP.fromConfig ? new ConfigError(msg) : new InputError(msg);
    }
    const skewP = pick('clock-skew', 'clock-skew', '5m');
    const skewMs = duration(skewP);
    if (skewMs > 3_600_000) {
      // a wide tolerance would let a drill dated in the future count as fresh for that long
      const msg = `${skewP.what}: "${skewP.value}" is more than 1h; clock skew between honest clocks is seconds to minutes`;
      throw skewP.fromConfig ? new ConfigError(msg) : new InputError(msg);
    }
    const lf = pick('latest-failed', 'latest-failed', 'warn');
    if (lf.value !== 'warn' && lf.value !== 'fail') throw new InputError(`${lf.what}: "${lf.value}" is not one of warn, fail`);

    const records = raw.records?.trim() ? splitList(raw.records) : (cfg.records ?? []);
    const recordGate = pick('record-gate', 'record-gate', 'dr-drill').value as string;
    if (!GATE_ID.test(recordGate)) throw new InputError(`record-gate: "${recordGate}" is not a gate id (lower-case letters, digits and dashes)`);
    const subject = pick('subject', 'subject').value || undefined;
    const wfP = pick('workflow', 'workflow');
    // the API takes the file name or the id; `.github/workflows/dr-drill.yml` (as people write it) means the file name
    const workflow = wfP.value?.replace(/^(?:\.\/)?\.github\/workflows\/(?=[^/]+$)/, '') || undefined;
    if (workflow !== undefined && (!/^[\w.-]+\.ya?ml$/.test(workflow) && !/^\d+$/.test(workflow))) {
      throw new InputError(`workflow: "${wfP.value}" is neither a workflow file name (e.g. dr-drill.yml, or .github/workflows/dr-drill.yml) nor a numeric workflow id`);
    }
    const djRaw = raw['drill-job']?.trim() ? raw['drill-job'] : cfg['drill-job'] === undefined ? '' : ([] as string[]).concat(cfg['drill-job']).join('\n');
    const drillJobs = splitList(djRaw);
    if (drillJobs.length > 10 || drillJobs.some((n) => n.length > 100 || /[\u0000-\u001f]/.test(n))) {
      throw new InputError('drill-job: give at most 10 job names of at most 100 characters each');
    }
    if (drillJobs.length && !workflow) throw new InputError('drill-job: applies to the drill workflow\'s runs; give `workflow` too');
    const repository = pick('repository', 'repository').value || ctx.env.GITHUB_REPOSITORY || undefined;
    if (workflow && !repository) throw new InputError('repository: the workflow source needs owner/repo (or $GITHUB_REPOSITORY)');
    if (repository && !REPO.test(repository)) throw new InputError(`repository: "${repository}" is not owner/repo`);
    // `refs/heads/main` (as GITHUB_REF spells it) is the branch `main`; the API filters by the bare name
    const branch = pick('branch', 'branch').value?.replace(/^refs\/heads\//, '') || undefined;
    if (!records.length && !workflow) {
      throw new InputError('no evidence source: give `records` (drill record files) and/or `workflow` (the drill workflow, read through the GitHub API)');
    }
    const maxRequests = Number(raw['max-requests'] || '50');
    if (!Number.isInteger(maxRequests) || maxRequests < 1 || maxRequests > 1000) throw new InputError(`max-requests: "${raw['max-requests']}" is not a whole number between 1 and 1000`);
    const apiTimeoutMs = parseTimeout(raw['api-timeout'], { name: 'api-timeout', default: '30s', minMs: 100, maxMs: 600_000 });
    const token = raw.token?.trim() || ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN || undefined;
    if (token) ctx.redactor.add(token);
    return {
      records,
      recordGate,
      subject,
      workflow,
      drillJobs,
      repository,
      branch,
      token,
      apiUrl: (raw['api-url']?.trim() || ctx.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
      maxRequests,
      apiTimeoutMs,
      policy: { maxAgeMs, warnAgeMs, skewMs, latestFailed: lf.value },
      maxAge: maxAgeP.value as string,
      warnAge: warnP.value ?? '80% of max-age',
      skew: skewP.value as string,
    };
  },

  async run(inputs, ctx) {
    return runDrFreshness(inputs, ctx);
  },
};

export default gate;

export async function runDrFreshness(inputs: DrFreshnessInputs, ctx: GateContext): Promise<GateResult> {
  const nowMs = ctx.now().getTime();
  const drills: Drill[] = [];
  const errors: Array<{ reason: string; message: string; file?: string; line?: number; column?: number }> = [];
  const searched: string[] = [];
  const metrics: Record<string, number> = {};
  let recScan: RecordScan | undefined;
  let ghScan: GitHubScan | undefined;

  if (inputs.records.length) {
    recScan = scanRecords(inputs.records, { cwd: ctx.cwd, gate: inputs.recordGate, subject: inputs.subject, repository: inputs.repository, branch: inputs.branch, nowMs, skewMs: inputs.policy.skewMs });
    drills.push(...recScan.drills);
    errors.push(...recScan.errors);
    metrics.record_files = recScan.files.length;
    metrics.drill_records = recScan.drillRecords;
    metrics.other_records = recScan.otherRecords;
    metrics.foreign_records = recScan.foreignRecords;
    metrics.duplicate_records = recScan.duplicateRecords;
    metrics.off_branch_records = recScan.offBranchRecords;
    searched.push(
      `records: ${recScan.files.length} file(s), ${recScan.drillRecords} \`${inputs.recordGate}\` record(s)${inputs.subject ? ` for subject \`${inputs.subject}\`` : ''}` +
        (recScan.foreignRecords ? `, ${recScan.foreignRecords} of other repositories ignored` : '') +
        (recScan.offBranchRecords ? `, ${recScan.offBranchRecords} of pull requests${inputs.branch ? ` or other refs than \`${inputs.branch}\`` : ''} ignored` : '') +
        (recScan.duplicateRecords ? `, ${recScan.duplicateRecords} duplicate(s) counted once` : '') +
        (recScan.unmatched.length ? `; no file matched ${recScan.unmatched.map((p) => `\`${p}\``).join(', ')}` : ''),
    );
  }
  if (inputs.workflow) {
    const { scanGitHub } = await import('./github.js');
    ghScan = await scanGitHub({
      apiUrl: inputs.apiUrl,
      token: inputs.token,
      repository: inputs.repository as string,
      workflow: inputs.workflow,
      drillJobs: inputs.drillJobs,
      branch: inputs.branch,
      nowMs,
      skewMs: inputs.policy.skewMs,
      maxRequests: inputs.maxRequests,
      timeoutMs: inputs.apiTimeoutMs,
      fetch: ctx.fetch,
      sleep: ctx.sleep,
      now: () => ctx.now().getTime(),
    });
    drills.push(...ghScan.drills);
    errors.push(...ghScan.errors);
    metrics.api_requests = ghScan.requests;
    metrics.runs_seen = ghScan.runsSeen;
    searched.push(
      `GitHub: \`${inputs.workflow}\` in ${inputs.repository}${ghScan.branch ? ` on \`${ghScan.branch}\`` : ''} (${ghScan.requests} API request(s), ${ghScan.runsSeen} run(s) read` +
        `${ghScan.foreignRuns ? `, ${ghScan.foreignRuns} from forks ignored` : ''}${ghScan.prRuns ? `, ${ghScan.prRuns} pull-request run(s) ignored` : ''}` +
        `${ghScan.notDrillCount ? `, ${ghScan.notDrillCount} successful run(s) without a drill${inputs.drillJobs.length ? ` (drill-job ${inputs.drillJobs.map((n) => `\`${n}\``).join(', ')})` : ''}` : ''})`,
    );
    metrics.runs_without_drill = ghScan.notDrillCount;
  }

  const policy = {
    'max-age': inputs.maxAge,
    'max-age-hours': hours(inputs.policy.maxAgeMs),
    'warn-age-hours': hours(inputs.policy.warnAgeMs),
    'clock-skew': inputs.skew,
    'latest-failed': inputs.policy.latestFailed,
    'record-gate': inputs.records.length ? inputs.recordGate : null,
    subject: inputs.subject ?? null,
    records: inputs.records.length ? inputs.records.join(',') : null,
    workflow: inputs.workflow ?? null,
    'drill-job': inputs.drillJobs.length ? inputs.drillJobs.join(',') : null,
    repository: inputs.repository ?? null,
    branch: ghScan?.branch ?? inputs.branch ?? null,
  };
  const outputs: Record<string, string> = { 'last-drill-at': '', 'age-hours': '', 'evidence-source': '', 'evidence-url': '', 'latest-drill-outcome': '' };

  if (errors.length) {
    // Fail closed: evidence we could not read or trust decides nothing, even when the other source looks fresh.
    const reasons = [...new Set(errors.map((e) => e.reason))];
    const annotations: Annotation[] = errors.slice(0, 10).map((e) => ({ level: 'error', title: `dr-freshness: ${e.reason}`, message: e.message, file: e.file, line: e.line, column: e.column }));
    const messages = errors.slice(0, 50).map((e) => e.message);
    if (errors.length > 50) messages.push(`… and ${errors.length - 50} more problem(s)`);
    return {
      outcome: 'error',
      reasons,
      findings: [],
      metrics: { ...metrics, evidence_errors: errors.length },
      policy,
      details: { evidence_errors: errors.length },
      outputs,
      annotations,
      messages,
      summary: ['Could not establish when the last DR drill happened:', '', ...errors.slice(0, 20).map((e) => `- ${md(e.message)}`), '', `Searched: ${searched.join('; ')}`],
    };
  }

  const ev = evaluate(drills, nowMs, inputs.policy);
  const annotations: Annotation[] = [];
  const messages: string[] = [];
  if (ghScan?.notDrills.length) messages.push(`successful runs that did not do the drill (not evidence): ${ghScan.notDrills.join('; ')}${ghScan.notDrillCount > ghScan.notDrills.length ? '; …' : ''}`);
  const summary: string[] = ['| | |', '|---|---|'];
  const details: Record<string, string | number | boolean | null> = {
    drills_seen: drills.length,
    last_drill_at: null,
    age_hours: null,
    evidence_source: null,
    evidence_url: null,
    latest_drill_outcome: ev.latest ? (ev.latest.passed ? 'pass' : 'fail') : null,
    latest_drill_at: ev.latest ? new Date(ev.latest.at).toISOString() : null,
    latest_drill_failed: ev.latestFailed,
  };
  if (ev.latest) outputs['latest-drill-outcome'] = ev.latest.passed ? 'pass' : 'fail';

  if (ev.lastPass && ev.ageMs !== undefined) {
    const p = ev.lastPass;
    const atIso = new Date(p.at).toISOString();
    const link = p.url ?? p.where;
    outputs['last-drill-at'] = atIso;
    outputs['age-hours'] = hours(ev.ageMs).toFixed(1);
    outputs['evidence-source'] = p.source;
    outputs['evidence-url'] = link;
    Object.assign(details, { last_drill_at: atIso, age_hours: hours(ev.ageMs), evidence_source: p.source, evidence_url: link, evidence_where: p.where });
    const deadline = new Date(p.at + inputs.policy.maxAgeMs).toISOString();
    summary.push(`| last successful drill | ${atIso} — from **${p.source === 'records' ? 'drill records' : 'GitHub Actions'}** (${p.url ? `[${md(p.where)}](${p.url})` : `\`${md(p.where)}\``}) |`);
    summary.push(`| age | ${hours(ev.ageMs)} h (max-age ${hours(inputs.policy.maxAgeMs)} h, warning after ${hours(inputs.policy.warnAgeMs)} h) |`);
    summary.push(`| next drill due | ${deadline} |`);
    messages.push(`last successful DR drill: ${atIso} (${human(ev.ageMs)} ago) from ${p.source}: ${link}`);
    if (ev.stale) {
      const m = `the last successful DR drill is ${human(ev.ageMs)} old, older than max-age ${inputs.maxAge} (it was due by ${deadline}); run the drill before releasing`;
      messages.push(m);
      annotations.push({ level: 'error', title: 'dr-freshness: stale', message: m });
    } else if (ev.aging) {
      const m = `the last successful DR drill is ${human(ev.ageMs)} old; past warn-age (${hours(inputs.policy.warnAgeMs)} h), releases stop after ${deadline}`;
      messages.push(m);
      annotations.push({ level: 'warning', title: 'dr-freshness: aging', message: m });
    }
  } else {
    const m = `no successful DR drill found (${searched.join('; ')}); a release needs evidence of a drill within ${inputs.maxAge}`;
    messages.push(m);
    annotations.push({ level: 'error', title: 'dr-freshness: no-evidence', message: m });
    summary.push('| last successful drill | **none found** |');
  }
  if (ev.latestFailed && ev.latest) {
    const l = ev.latest;
    const m = `the latest DR drill FAILED (${new Date(l.at).toISOString()}, ${l.status}, ${l.url ?? l.where})${ev.lastPass ? '; the older successful drill still counts for age' : ''}${inputs.policy.latestFailed === 'fail' ? '; latest-failed is `fail`' : ''}`;
    messages.push(m);
    annotations.push({ level: inputs.policy.latestFailed === 'fail' ? 'error' : 'warning', title: 'dr-freshness: latest drill failed', message: m });
    summary.push(`| latest drill | **failed** ${new Date(l.at).toISOString()} (${l.url ? `[${md(l.where)}](${l.url})` : `\`${md(l.where)}\``}) |`);
  } else if (ev.latest) {
    summary.push(`| latest drill | passed |`);
  }
  summary.push(`| searched | ${md(searched.join('; '))} |`);
  summary.push('');

  return { outcome: ev.outcome, reasons: ev.reasons, findings: [], metrics, policy, details, outputs, annotations, messages, summary };
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}
