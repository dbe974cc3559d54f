// bandit-gate: a Bandit findings budget (HIGH: 0 by default) that fails closed.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { parse as parseYamlDoc } from 'yaml';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Gate, GateContext } from '../../core/gate.js';
import type { GateResult } from '../../core/types.js';
import { InputError } from '../../core/types.js';
import { parseTimeout } from '../../core/timeout.js';
import { parseBool, splitList, fsErrorText } from '../../core/files.js';
import { expandGlob, visitFiles } from '../../core/glob.js';
import { BANDIT_LEVELS, parseBanditReport, parseBanditReports, ReportError, type BanditLevel, type BanditReport, type BanditResult, type IssueCounts } from './report.js';
import { evaluate, summaryTable, type Budget, type Confidence } from './evaluate.js';
import { normalizePath, parseSuppressions, sectionOf, type ScanErrorEntry, type SuppressionEntry } from './suppressions.js';
import { BANDIT_RULES } from './rules.js';
import { placeFiles } from './place.js';
import { dotBanditFiles, effectiveIniOptions, isBanditIni, readBanditIniFile } from './ini.js';

export { isBanditIni } from './ini.js';

export interface BanditGateInputs {
  targets: string[];
  reports: string[];
  baseline?: string;
  banditConfig?: string;
  skips: string[];
  excludes: string[];
  ignoreNosec: boolean;
  budget: Budget;
  timeoutMs: number;
  banditPath: string;
  suppressions: SuppressionEntry[];
  scanErrorEntries: ScanErrorEntry[];
  maxSuppressionDays: number;
}

export const REASONS = [
  'budget-exceeded',
  'bandit-missing',
  'bandit-timeout',
  'bandit-failed',
  'report-invalid',
  'baseline-invalid',
  'scan-errors',
  'nothing-scanned',
  'suppression-expired',
  'baselined',
  'report-incomplete',
] as const;

const DEFAULT_TIMEOUT = '10m';
const VERSION_TIMEOUT_MS = 60_000;
/** Environment handed to Bandit: what Python needs, nothing else (no tokens). */
const ENV_ALLOW = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TEMP', 'TMP', 'PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV', 'SYSTEMROOT', 'PYTHONIOENCODING'];

function budgetNumber(raw: string | undefined, fromConfig: number | undefined, name: string): number | null {
  const v = raw?.trim();
  if (v === undefined || v === '') return fromConfig ?? null;
  if (/^(none|unlimited|-)$/i.test(v)) return null;
  // max-high always has a budget (no "none"): do not offer what the next run would refuse
  if (!/^\d+$/.test(v)) throw new InputError(`${name}: "${v}" is not a whole number ≥ 0${name === 'max-high' ? '' : ' (or "none" for no limit)'}`);
  return Number(v);
}

const gate: Gate<BanditGateInputs> = {
  id: 'bandit-gate',
  title: 'bandit-gate',
  description: 'Bandit findings within budget (no HIGH by default); unscanned code, crashes and bad reports fail closed',
  static: false,
  inputs: [
    { name: 'targets', description: 'Files or directories Bandit scans (`bandit -r`), one per line. Default `.` (ignored for the run when `report` is given).', positional: true, multiple: true },
    { name: 'report', description: 'Existing Bandit JSON report file(s) or globs, one per line. When given, Bandit is not run.', multiple: true },
    { name: 'baseline', description: 'A previous Bandit JSON report: identical findings (line numbers ignored) are reported as baselined, at most as many copies as the baseline holds.' },
    { name: 'bandit-config', description: "Bandit's own configuration file, passed as `-c` (YAML; TOML from Bandit 1.7), or as `--ini` when it is a `.bandit`-style INI file." },
    { name: 'skips', description: 'Bandit test ids to skip (`-s`), comma- or newline-separated.', multiple: true },
    { name: 'excludes', description: 'Paths Bandit excludes (`-x`), comma- or newline-separated.', multiple: true },
    { name: 'ignore-nosec', description: 'Pass `--ignore-nosec`: `# nosec` comments do not hide findings.', flag: true, default: 'false' },
    { name: 'max-high', description: 'HIGH-severity findings allowed after baseline and suppressions. Default 0 (or `max-high` in the config).' },
    { name: 'max-medium', description: 'MEDIUM-severity findings allowed. Default: no limit.' },
    { name: 'max-low', description: 'LOW-severity findings allowed. Default: no limit.' },
    { name: 'min-confidence', description: 'Findings below this confidence (low, medium, high) do not count. Default low.' },
    { name: 'timeout', description: 'Hard timeout for the Bandit run (e.g. 10m, PT10M, or a bare number of seconds; 1 second to 6 hours); the process group is killed when it expires.', default: DEFAULT_TIMEOUT },
    { name: 'bandit-path', description: 'The Bandit executable. Default `bandit` on PATH.', default: 'bandit' },
  ],
  outputs: [
    { name: 'high', description: 'New HIGH-severity findings that count against the budget.' },
    { name: 'medium', description: 'New MEDIUM-severity findings that count against the budget.' },
    { name: 'low', description: 'New LOW-severity findings that count against the budget.' },
    { name: 'baselined', description: 'Findings absorbed by the baseline.' },
    { name: 'suppressed', description: 'Findings suppressed by config entries.' },
    { name: 'lines-scanned', description: 'Lines of code Bandit reports it scanned.' },
  ],
  rules: BANDIT_RULES,
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = sectionOf(ctx.config);
    const minConfidence = (raw['min-confidence']?.trim().toLowerCase() || cfg['min-confidence'] || 'low') as Confidence;
    if (!['low', 'medium', 'high'].includes(minConfidence)) throw new InputError(`min-confidence: "${raw['min-confidence']}" is not one of low, medium, high`);
    const maxHigh = budgetNumber(raw['max-high'], cfg['max-high'], 'max-high');
    if (maxHigh === null && raw['max-high']?.trim()) throw new InputError('max-high: a HIGH budget is required (a number, default 0)');
    const budget: Budget = {
      maxHigh: maxHigh ?? 0,
      maxMedium: budgetNumber(raw['max-medium'], cfg['max-medium'], 'max-medium'),
      maxLow: budgetNumber(raw['max-low'], cfg['max-low'], 'max-low'),
      minConfidence,
    };
    // GitHub ends a job after 6 hours at most
    const timeoutMs = parseTimeout(raw.timeout, { name: 'timeout', default: DEFAULT_TIMEOUT, minMs: 1000, maxMs: 6 * 3_600_000 });
    const { suppressions, scanErrors, maxDays } = parseSuppressions(ctx.config, ctx.now(), ctx.cwd);
    const list = (v: string | undefined) => (v ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    return {
      targets: list(raw.targets),
      reports: list(raw.report),
      baseline: raw.baseline?.trim() || undefined,
      banditConfig: raw['bandit-config']?.trim() || undefined,
      skips: splitList(raw.skips),
      excludes: splitList(raw.excludes),
      ignoreNosec: parseBool(raw['ignore-nosec'], 'ignore-nosec'),
      budget,
      timeoutMs,
      banditPath: raw['bandit-path']?.trim() || 'bandit',
      suppressions,
      scanErrorEntries: scanErrors,
      maxSuppressionDays: maxDays,
    };
  },

  run(inputs, ctx) {
    return runBanditGate(inputs, ctx);
  },
};

export default gate;

type Step<T> = { ok: true; value: T } | { ok: false; result: GateResult };

function fail(reason: string, message: string, extra: Partial<GateResult> = {}): { ok: false; result: GateResult } {
  return { ok: false, result: { outcome: 'error', reasons: [reason], findings: [], messages: [message], ...extra } };
}

function policyOf(inputs: BanditGateInputs): Record<string, string | number | boolean | null> {
  return {
    'max-high': inputs.budget.maxHigh,
    'max-medium': inputs.budget.maxMedium,
    'max-low': inputs.budget.maxLow,
    'min-confidence': inputs.budget.minConfidence,
    baseline: inputs.baseline ?? null,
    suppressions: inputs.suppressions.length,
    'accepted-scan-errors': inputs.scanErrorEntries.length,
    'max-suppression-days': inputs.maxSuppressionDays,
    'ignore-nosec': inputs.ignoreNosec,
    skips: inputs.skips.length ? inputs.skips.join(',') : null,
    mode: inputs.reports.length ? 'report' : 'run',
  };
}

export async function runBanditGate(inputs: BanditGateInputs, ctx: GateContext): Promise<GateResult> {
  const policy = policyOf(inputs);
  let tool: GateResult['tool'];
  let reports: BanditReport[];

  const notes: string[] = [];
  if (inputs.reports.length) {
    const r = readReports(inputs.reports, ctx);
    if (!r.ok) return { ...r.result, policy };
    reports = r.value.reports;
    notes.push(...r.value.notes);
  } else {
    const targets = inputs.targets.length ? inputs.targets : ['.'];
    for (const t of targets) {
      if (!existsSync(resolvePath(ctx.cwd, t))) throw new InputError(`targets: ${t}: no such file or directory`);
    }
    if (!inputs.banditConfig && hasToolBanditSection(ctx.cwd)) {
      notes.push('pyproject.toml has a [tool.bandit] section but `bandit-config` is empty: Bandit reads it only when given with -c (set `bandit-config: pyproject.toml`; Bandit 1.6 cannot read TOML)');
    }
    const empty = targets.filter((t) => !holdsPythonCode(resolvePath(ctx.cwd, t)));
    if (empty.length === targets.length) {
      return { outcome: 'error', reasons: ['no-files'], findings: [], policy, messages: [`no Python code under ${targets.join(', ')}: nothing for Bandit to check (an empty target proves nothing)`] };
    }
    // the others hold code and are judged; a named target without any is said, never passed over in silence
    if (empty.length) notes.push(`target(s) ${empty.join(', ')} hold no Python code (.py/.pyw with code): Bandit checks nothing there; only ${targets.filter((t) => !empty.includes(t)).join(', ')} are evidence`);
    const ini = iniInEffect(inputs, targets, ctx.cwd);
    if ('error' in ini) return { outcome: 'error', reasons: ['config-error'], findings: [], policy, messages: ini.error };
    if (ini.file && ini.options.length) {
      policy['bandit-ini'] = ini.file;
      policy['bandit-ini-options'] = ini.options.join('; ').slice(0, 500);
      const m = `${ini.file}: Bandit applies ${ini.options.join('; ')} from this INI file${ini.declared ? '' : ' (found at a target root; Bandit reads it without being told)'}`;
      // `tests`/`profile` make Bandit run ONLY the tests named: every other check is off, and that is said
      if (ini.options.some((o) => /^(tests|profile) =/.test(o))) notes.push(`${m}: Bandit runs only the tests it selects, every other Bandit check is off for this scan`);
      else ctx.logger.info(m);
    }
    const yamlSel = yamlConfigSelection(inputs, ctx.cwd);
    if (yamlSel) {
      if (yamlSel.tests.length) policy['bandit-config-tests'] = yamlSel.tests.join(',').slice(0, 500);
      if (yamlSel.skips.length) policy['bandit-config-skips'] = yamlSel.skips.join(',').slice(0, 500);
      // Bandit's -c YAML `tests:` list is its profile's include set: only those tests run (bandit/cli/main.py _get_profile)
      if (yamlSel.tests.length) notes.push(`${inputs.banditConfig}: \`tests: [${yamlSel.tests.join(', ')}]\` makes Bandit run only these tests; every other Bandit check is off for this scan`);
      if (yamlSel.skips.length) ctx.logger.info(`${inputs.banditConfig}: Bandit skips ${yamlSel.skips.join(', ')} (its \`skips:\` list)`);
    }
    const r = await runBandit(inputs, targets, ctx);
    if (!r.ok) return { ...r.result, policy };
    reports = [r.value.report];
    tool = { name: 'bandit', version: r.value.version };
  }

  let baseline: BanditReport | undefined;
  if (inputs.baseline) {
    const abs = resolvePath(ctx.cwd, inputs.baseline);
    try {
      baseline = parseBanditReport(readFileSync(abs, 'utf8'), `baseline ${inputs.baseline}`);
    } catch (e) {
      const msg = e instanceof ReportError ? e.message : `baseline ${inputs.baseline}: cannot read: ${fsErrorText(e)}`;
      return { outcome: 'error', reasons: ['baseline-invalid'], findings: [], messages: [msg], policy, tool };
    }
  }

  // Bandit run here names files as they are: only files of given reports (and the baseline) are placed
  const placed = placeFiles(reports, baseline, ctx.cwd, inputs.reports.length > 0);
  notes.push(...placed.warnings);
  for (const i of placed.info) ctx.logger.info(i);
  const ev = evaluate({ cwd: ctx.cwd, reports, baseline, suppressions: inputs.suppressions, scanErrorEntries: inputs.scanErrorEntries, budget: inputs.budget });
  const loc = reports.reduce((n, r) => n + r.loc, 0);
  const nosec = reports.reduce((n, r) => n + r.nosec, 0);
  const skippedTests = reports.reduce((n, r) => n + r.skippedTests, 0);
  const reasons = new Set<string>();
  const messages: string[] = [];
  for (const w of [...notes, ...ev.warnings]) ctx.logger.warn(w);
  messages.push(...notes, ...ev.warnings);

  const errorsFatal = ev.scanErrors > 0;
  // A report without metrics._totals.loc cannot say how much code was scanned: its findings are shown and
  // counted, but it never proves a pass (outcome error, report-invalid).
  const noMetrics = reports.filter((r) => r.metricsMissing);
  if (noMetrics.length) {
    reasons.add('report-invalid');
    messages.push(
      `${noMetrics.map((r) => r.source).join(', ')}: no metrics._totals.loc: cannot tell how much code Bandit scanned, so this report cannot prove a pass (its ${noMetrics.reduce((n, r) => n + r.results.length, 0)} finding(s) are still shown and counted). Keep Bandit's "metrics" in the report.`,
    );
  }
  // every report must have scanned code: an empty one beside a full one is still unscanned code
  const emptyReports = reports.filter((r) => r.loc === 0 && !r.metricsMissing);
  const nothing = emptyReports.length > 0;
  if (errorsFatal) {
    reasons.add('scan-errors');
    messages.push(`Bandit could not scan ${ev.scanErrors} file(s) (its errors[]; Bandit still exits 0 for these): unscanned code is not evidence. Fix them, exclude them, or accept them under bandit-gate.scan-errors.`);
  }
  if (nothing) {
    reasons.add('nothing-scanned');
    messages.push(
      inputs.reports.length
        ? `${emptyReports.length === reports.length ? 'the report says' : `${emptyReports.map((r) => r.source).join(', ')} says`} Bandit scanned 0 lines of code: an empty report is not evidence`
        : 'Bandit scanned 0 lines of code although the targets hold Python files (all excluded? wrong working directory?)',
    );
  }
  // A report written with a filter (-l/-i, --severity-level/--confidence-level) or Bandit's own baseline (-b)
  // lists fewer findings than Bandit counted in metrics._totals: the missing ones may be exactly what counts.
  const omitted = reports.map((r) => omittedFindings(r, inputs.budget)).filter((o) => o.total > 0);
  const incomplete = omitted.filter((o) => o.couldCount);
  if (incomplete.length) {
    reasons.add('report-incomplete');
    for (const o of incomplete) {
      messages.push(
        `${o.source}: lists ${o.total} finding(s) fewer than Bandit counted (${o.detail}${o.files ? `; in ${o.files.slice(0, 5).join(', ')}${o.files.length > 5 ? ', …' : ''}` : ''}): it was written with a severity or confidence filter (-l, -ll, -lll, --severity-level, -i, -ii, -iii, --confidence-level) or with Bandit's own baseline (-b, which hides every copy of a baselined finding), so findings that count under this policy are missing. Write the report without them: give the baseline to the gate's \`baseline\` input, and use min-confidence and the budgets instead of -l/-i.`,
      );
    }
  }
  for (const o of omitted.filter((x) => !x.couldCount)) {
    const m = `${o.source}: omits ${o.total} finding(s) Bandit counted (${o.detail}; a -l/-i filter, or Bandit's default filter, which drops UNDEFINED severity or confidence); none of them could count under this policy (only unbudgeted severities or confidence below min-confidence${o.perFile ? ', file by file' : ''})`;
    ctx.logger.info(m);
    messages.push(m);
  }
  for (const o of ev.over) messages.push(`${o.count} new ${o.severity} finding(s), budget max ${o.max}`);
  if (ev.over.length) reasons.add('budget-exceeded');
  if (ev.expiredUsed.length || ev.warnings.some((w) => w.startsWith('scan-errors entry'))) reasons.add('suppression-expired');
  if (ev.suppressed || ev.scanErrorsAccepted) reasons.add('findings-suppressed');
  if (ev.baselined) reasons.add('baselined');

  const outcome = errorsFatal || nothing || noMetrics.length || incomplete.length ? 'error' : ev.over.length ? 'fail' : 'pass';
  if (outcome === 'pass') reasons.add('ok');

  const unused = inputs.suppressions.filter((s) => s.used === 0 && !s.expired);
  const summary = [
    ...summaryTable(ev, inputs.budget),
    `Lines scanned: ${loc}; \`# nosec\` lines skipped by Bandit: ${nosec}${skippedTests ? `; findings skipped by \`# nosec <test id>\`: ${skippedTests}` : ''}${nosec || skippedTests ? ' (not counted: the report does not say their severity; `ignore-nosec: true` counts them)' : ''}; below min-confidence (${inputs.budget.minConfidence}): ${ev.belowConfidence}; files Bandit could not scan: ${ev.scanErrors}${ev.scanErrorsAccepted ? ` (+${ev.scanErrorsAccepted} accepted)` : ''}.`,
    ...(inputs.baseline ? [`Baseline: \`${inputs.baseline}\` (${baseline?.results.length ?? 0} entries, ${ev.baselined} finding(s) absorbed).`] : []),
    ...placed.info,
    ...(unused.length ? [`Suppressions that matched nothing (remove them): ${unused.map((s) => `${s.key} (${s.where})`).join(', ')}.`] : []),
    '',
  ];
  return {
    outcome,
    reasons: [...reasons],
    findings: ev.findings,
    tool,
    policy,
    metrics: { loc, nosec, skipped_tests: skippedTests, results: ev.findings.length },
    details: {
      new_high: ev.counted.HIGH,
      new_medium: ev.counted.MEDIUM,
      new_low: ev.counted.LOW,
      new_undefined: ev.counted.UNDEFINED,
      baselined: ev.baselined,
      suppressed: ev.suppressed,
      below_confidence: ev.belowConfidence,
      scan_errors: ev.scanErrors,
      scan_errors_accepted: ev.scanErrorsAccepted,
      expired_suppressions: ev.expiredUsed.length,
      lines_scanned: loc,
      nosec,
      skipped_tests: skippedTests,
      reports: reports.length,
      placed_paths: placed.moved,
      unplaced_paths: placed.unplaced,
    },
    outputs: {
      high: String(ev.counted.HIGH),
      medium: String(ev.counted.MEDIUM),
      low: String(ev.counted.LOW),
      baselined: String(ev.baselined),
      suppressed: String(ev.suppressed),
      'lines-scanned': String(loc),
    },
    summary,
    messages,
  };
}

/**
 * What a report leaves out: metrics._totals counts every issue Bandit found (nosec'd ones excluded), before
 * -l/-i/-b filtered the results. In an unfiltered run they are equal (checked against real Bandit for
 * nosec, --ignore-nosec, -s/-t, -x, overlapping targets, parse errors, -n, -a). Only marginal counts are
 * known (per severity, per confidence), so an omitted finding "could count" unless every omitted one is of
 * an unbudgeted severity or every omitted one is below min-confidence. Bandit's per-file metrics, when
 * complete and adding up to _totals, make this exact per file: a file whose omitted findings cannot count
 * does not make the report incomplete because another file's uncountable ones are of the other kind.
 */
export function omittedFindings(r: BanditReport, budget: Budget): { source: string; total: number; couldCount: boolean; detail: string; files?: string[]; perFile?: boolean } {
  const none = { source: r.source, total: 0, couldCount: false, detail: '' };
  if (!r.issueTotals) return none;
  const all = hiddenIn(r.issueTotals, r.results, budget);
  if (!all.total) return none;
  const levels = ['HIGH', 'MEDIUM', 'LOW', 'UNDEFINED'] as const;
  const fmt = (h: Record<BanditLevel, number | null>) => levels.filter((l) => h[l] !== 0).map((l) => `${l} ${h[l] ?? '?'}`).join(', ') || 'unknown';
  const detail = `missing by severity: ${fmt(all.sev)}; by confidence: ${fmt(all.conf)}`;
  let couldCount = all.couldCount;
  let files: string[] | undefined;
  let perFile = false;
  if (couldCount && r.fileTotals) {
    const byFile = new Map<string, BanditResult[]>();
    for (const x of r.results) {
      const f = x.reportedAs ?? x.filename;
      const g = byFile.get(f);
      if (g) g.push(x);
      else byFile.set(f, [x]);
    }
    if ([...byFile.keys()].every((f) => r.fileTotals!.has(f))) {
      files = [...r.fileTotals].filter(([f, c]) => hiddenIn(c, byFile.get(f) ?? [], budget).couldCount).map(([f]) => f);
      couldCount = files.length > 0;
      perFile = true;
    }
  }
  return { source: r.source, total: all.total, couldCount, detail, ...(files?.length ? { files } : {}), ...(perFile ? { perFile } : {}) };
}

/** Omitted findings in one scope (a report, or one file of it) from its counts and its listed results. */
function hiddenIn(c: IssueCounts, results: BanditResult[], budget: Budget): { total: number; couldCount: boolean; sev: Record<BanditLevel, number | null>; conf: Record<BanditLevel, number | null> } {
  const sevN = { HIGH: 0, MEDIUM: 0, LOW: 0, UNDEFINED: 0 };
  const confN = { HIGH: 0, MEDIUM: 0, LOW: 0, UNDEFINED: 0 };
  for (const x of results) {
    sevN[x.issue_severity]++;
    confN[x.issue_confidence]++;
  }
  const sev = {} as Record<BanditLevel, number | null>;
  const conf = {} as Record<BanditLevel, number | null>;
  for (const l of BANDIT_LEVELS) {
    sev[l] = c.severity[l] === null ? null : Math.max(0, c.severity[l]! - sevN[l]);
    conf[l] = c.confidence[l] === null ? null : Math.max(0, c.confidence[l]! - confN[l]);
  }
  const sum = (h: Record<BanditLevel, number | null>) => BANDIT_LEVELS.reduce((n, l) => n + (h[l] ?? 0), 0);
  const total = Math.max(sum(sev), sum(conf));
  // an absent count (a converted report) can hide anything: what the other side says is missing may be of it
  const sevGap = BANDIT_LEVELS.some((l) => sev[l] === null) ? total - sum(sev) : 0;
  const confGap = BANDIT_LEVELS.some((l) => conf[l] === null) ? total - sum(conf) : 0;
  const budgeted = (sev.HIGH ?? 0) + (budget.maxMedium !== null ? sev.MEDIUM ?? 0 : 0) + (budget.maxLow !== null ? sev.LOW ?? 0 : 0) + sevGap;
  const rank = { low: 1, medium: 2, high: 3 }[budget.minConfidence];
  const atConfidence = (rank <= 1 ? (conf.LOW ?? 0) + (conf.UNDEFINED ?? 0) : 0) + (rank <= 2 ? conf.MEDIUM ?? 0 : 0) + (conf.HIGH ?? 0) + confGap;
  return { total, couldCount: budgeted > 0 && atConfidence > 0, sev, conf };
}

function readReports(patterns: string[], ctx: GateContext): Step<{ reports: BanditReport[]; notes: string[] }> {
  const files: string[] = [];
  for (const p of patterns) {
    if (/[*?{]/.test(p)) {
      const hits = expandGlob(p, ctx.cwd);
      if (!hits.length) return fail('report-invalid', `report: no file matches ${p}`);
      files.push(...hits.map((h) => (isAbsolute(h) ? h : join(ctx.cwd, h))));
    } else files.push(resolvePath(ctx.cwd, p));
  }
  const out: BanditReport[] = [];
  const notes: string[] = [];
  for (const f of [...new Set(files)]) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      return fail('report-invalid', `report ${f}: cannot read: ${fsErrorText(e)}`);
    }
    try {
      const parsed = parseBanditReports(text, `report ${normalizePath(f, ctx.cwd)}`);
      out.push(...parsed.reports);
      notes.push(...parsed.notes);
    } catch (e) {
      return fail('report-invalid', (e as Error).message);
    }
  }
  return { ok: true, value: { reports: out, notes } };
}

function tail(s: string, n = 600): string {
  const t = s.trim();
  return t.length > n ? `…${t.slice(-n)}` : t;
}

async function runBandit(inputs: BanditGateInputs, targets: string[], ctx: GateContext): Promise<Step<{ report: BanditReport; version: string }>> {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ENV_ALLOW) if (ctx.env[k] !== undefined) env[k] = ctx.env[k];
  const started = Date.now();
  const ver = await ctx.exec(inputs.banditPath, ['--version'], { cwd: ctx.cwd, env, timeoutMs: Math.min(VERSION_TIMEOUT_MS, inputs.timeoutMs), maxOutputBytes: 64 * 1024 });
  if (ver.status === 'spawn-failed') {
    return fail('bandit-missing', `Bandit is not installed or not executable (${inputs.banditPath}: ${ver.error ?? 'spawn failed'}); install it (the composite action does, hash-checked) or give a report`);
  }
  if (ver.status === 'timed-out') return fail('bandit-timeout', `\`${inputs.banditPath} --version\` did not finish in time: killed`);
  if (ver.status !== 'exited' || ver.exitCode !== 0) {
    return fail('bandit-failed', `\`${inputs.banditPath} --version\` failed (${ver.status}${ver.exitCode !== null ? `, exit ${ver.exitCode}` : ''}${ver.signal ? `, ${ver.signal}` : ''}): ${tail(ver.stderr || ver.stdout)}`);
  }
  const m = /bandit\s+v?(\d+\.\d+\.\d+\S*)/i.exec(ver.stdout + ver.stderr);
  const version = m ? m[1] : 'unknown';

  const out = join(ctx.tempDir, `bandit-${randomBytes(6).toString('hex')}.json`);
  const args = ['-r', '-f', 'json', '-o', out];
  // a `.bandit`-style INI given as bandit-config: `-c` would make Bandit parse it as YAML and exit 2
  if (inputs.banditConfig) args.push(isBanditIni(resolvePath(ctx.cwd, inputs.banditConfig)) ? '--ini' : '-c', inputs.banditConfig);
  if (inputs.skips.length) args.push('-s', inputs.skips.join(','));
  if (inputs.excludes.length) args.push('-x', banditExcludes(inputs.excludes, ctx.cwd, targets.some((t) => isAbsolute(t))).join(','));
  if (inputs.ignoreNosec) args.push('--ignore-nosec');
  args.push(...targets.map((t) => (t.startsWith('-') ? `./${t}` : t)));
  const remaining = Math.max(1000, inputs.timeoutMs - (Date.now() - started));
  const r = await ctx.exec(inputs.banditPath, args, { cwd: ctx.cwd, env, timeoutMs: remaining, maxOutputBytes: 256 * 1024 });
  const tool = { name: 'bandit', version };
  if (r.status !== 'exited' || (r.exitCode !== 0 && r.exitCode !== 1)) rmSync(out, { force: true });
  if (r.status === 'spawn-failed') return fail('bandit-missing', `cannot start Bandit (${inputs.banditPath}): ${r.error ?? 'spawn failed'}`, { tool });
  if (r.status === 'timed-out') return fail('bandit-timeout', `Bandit did not finish within the timeout (${Math.round(inputs.timeoutMs / 1000)} s): its process group was killed`, { tool });
  if (r.status === 'killed') return fail('bandit-failed', `Bandit was killed by ${r.signal}`, { tool });
  if (r.exitCode !== 0 && r.exitCode !== 1) {
    return fail('bandit-failed', `Bandit exited ${r.exitCode} (usage, configuration or internal error)${configHint(inputs, ctx.cwd)}: ${tail(r.stderr || r.stdout) || 'no output'}`, { tool });
  }
  // Python exits 1 on an uncaught exception too (`-c` naming an empty file crashes Bandit 1.6 before it scans):
  // a traceback and no usable report is a crash, not "findings"
  const crashed = (why: string) =>
    /Traceback \(most recent call last\)/.test(r.stderr) && r.exitCode === 1
      ? fail('bandit-failed', `Bandit crashed (a Python traceback, exit 1) and ${why}${configHint(inputs, ctx.cwd)}: ${tail(r.stderr)}`, { tool })
      : undefined;
  if (!existsSync(out)) return crashed('wrote no report') ?? fail('report-invalid', `Bandit exited ${r.exitCode} but wrote no report (-o ${out})`, { tool });
  let text: string;
  try {
    text = readFileSync(out, 'utf8');
  } finally {
    // the raw report quotes source lines (and whatever secrets they hold): it does not outlive the run
    rmSync(out, { force: true });
  }
  try {
    const report = parseBanditReport(text, 'Bandit report');
    if (r.exitCode === 1 && report.results.length === 0) {
      return fail('report-invalid', 'Bandit exited 1 (findings) but its report lists none: the report cannot be trusted', { tool });
    }
    return { ok: true, value: { report, version } };
  } catch (e) {
    return crashed(`its report is unusable (${(e as Error).message})`) ?? fail('report-invalid', (e as Error).message, { tool });
  }
}

/**
 * The tests a YAML `bandit-config` (given as -c) selects or skips: Bandit reads its top-level `tests:` and
 * `skips:` lists as the profile's include / exclude sets. Undefined for INI and TOML files, unreadable or
 * non-mapping YAML (Bandit then says what it thinks of the file).
 */
export function yamlConfigSelection(inputs: Pick<BanditGateInputs, 'banditConfig'>, cwd: string): { tests: string[]; skips: string[] } | undefined {
  const c = inputs.banditConfig;
  if (!c || /\.toml$/i.test(c)) return undefined;
  const abs = resolvePath(cwd, c);
  let doc: unknown;
  try {
    if (isBanditIni(abs)) return undefined;
    // as Bandit's PyYAML safe_load reads it: merge keys (`<<: *base`) resolved, a repeated key's last value wins
    // (YAML 1.2 defaults refused both, and a selection Bandit applied went unsaid)
    doc = parseYamlDoc(readFileSync(abs, 'utf8'), { merge: true, uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : []);
  const d = doc as Record<string, unknown>;
  return { tests: list(d.tests), skips: list(d.skips) };
}

/** Why Bandit may have refused `bandit-config` (said beside Bandit's own words). */
function configHint(inputs: BanditGateInputs, cwd: string): string {
  const c = inputs.banditConfig;
  if (!c) return '';
  if (/\.toml$/i.test(c)) return ' (bandit-config is TOML: Bandit before 1.7 reads only YAML with -c, and newer ones need the bandit[toml] extra on Python < 3.11)';
  let text: string;
  try {
    text = readFileSync(resolvePath(cwd, c), 'utf8');
  } catch {
    return '';
  }
  if (text.trim() === '') return ` (bandit-config ${c} is empty: Bandit 1.6 crashes on an empty -c file; give a YAML mapping, or no bandit-config)`;
  if (!isBanditIni(resolvePath(cwd, c)) && /^\s*\[[^\]\n]+\]\s*$/m.test(text)) {
    return ` (bandit-config ${c} looks like an INI file but has no [bandit] section Bandit can read, so it was passed as -c, which is YAML: add a [bandit] section, or point bandit-config at the YAML file)`;
  }
  return '';
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.tox', '.venv', 'venv', '__pycache__', '.mypy_cache']);

/** Does this file or directory hold a .py/.pyw file with at least one line of code? (stops at the first) */
export function holdsPythonCode(abs: string): boolean {
  let st;
  try {
    st = statSync(abs);
  } catch {
    return false;
  }
  if (st.isFile()) return hasCode(abs, true);
  let found = false;
  // Bandit scans symlinked files too
  visitFiles(abs, (r, e) => (found = (e.isFile() || e.isSymbolicLink()) && /\.pyw?$/i.test(e.name) && hasCode(join(abs, r), false)), { skipDir: (_r, name) => SKIP_DIRS.has(name) });
  return found;
}

function hasCode(p: string, named: boolean): boolean {
  if (!named && !/\.pyw?$/i.test(p)) return false;
  try {
    const st = statSync(p);
    if (st.size === 0) return false;
    if (st.size > 1_000_000) return true;
    return readFileSync(p, 'utf8').split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  } catch {
    return false;
  }
}

/**
 * Bandit's `-x` turns an existing directory `tests` into the glob `tests/*` and matches it against the paths
 * it walks, which start with the target as given: under target `.` they read `./tests/a.py`, which
 * `tests/*` does not match, so `-x tests` silently excludes nothing there. Each plain relative entry is
 * therefore also passed as `./entry` (what users mean: the path relative to the workspace); an entry written
 * `./src/tests` is also passed as `src/tests` when that directory exists (targets written `src`); and when a
 * target is an absolute path (`${{ github.workspace }}/src`), Bandit's paths are absolute too, so the entry is
 * also passed under the workspace's absolute path; an absolute entry naming a workspace directory is also passed
 * relative (`tests`, `./tests`) for relative targets. A non-directory entry is never widened (Bandit excludes
 * every path that merely *contains* it: `./setup.py` → `setup.py` would also exclude `pkg/mysetup.py`).
 */
export function banditExcludes(excludes: string[], cwd?: string, absoluteTargets = false): string[] {
  const out: string[] = [];
  const add = (x: string) => void (out.includes(x) || out.push(x));
  for (const e of excludes) {
    add(e);
    // an absolute entry naming a workspace directory (`${{ github.workspace }}/tests`) under relative targets
    const root = cwd?.replace(/[\\/]+$/, '');
    if (root && e.startsWith(`${root}/`) && isDirectory(e)) {
      const rel = e.slice(root.length + 1).replace(/\/+$/, '');
      if (rel) for (const x of [rel, `./${rel}`]) add(x);
      continue;
    }
    if (e === '.' || /^(\.\.[\\/]|[\\/]|[*?[]|[A-Za-z]:)/.test(e)) continue;
    const rel = e.replace(/^(\.[\\/])+/, '');
    if (rel === '' || rel === '.') continue;
    if (rel === e) add(`./${e}`);
    else if (cwd && isDirectory(join(cwd, rel))) add(rel);
    if (absoluteTargets && cwd) add(`${cwd.replace(/[\\/]+$/, '')}/${rel}`);
  }
  return out;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The `.bandit` INI file Bandit will read, and what it changes. A declared INI `bandit-config` is passed with
 * `--ini` (Bandit then reads no other). Otherwise Bandit walks every target for files named `.bandit` (all of
 * its directories: node_modules, .git, .venv included) and applies the one it finds to the WHOLE scan; two make
 * it exit 2. One at a target's root is the project's own; one deeper down (vendored code, a sub-project) that
 * changes what this run checks (`skips = B602`, `tests = B101`) silently weakens the scan everywhere: a
 * config-error. Files Bandit ignores (no `[bandit]` section, a YAML `.bandit`, a configparser error) and options
 * that lose to the gate's own command line (`targets`; `skips`/`exclude` when `skips`/`excludes` are given) are
 * harmless.
 */
export function iniInEffect(
  inputs: Pick<BanditGateInputs, 'banditConfig' | 'skips' | 'excludes'>,
  targets: string[],
  cwd: string,
): { file?: string; options: string[]; declared: boolean } | { error: string[] } {
  const given = { skips: inputs.skips.length > 0, excludes: inputs.excludes.length > 0 };
  if (inputs.banditConfig && isBanditIni(resolvePath(cwd, inputs.banditConfig))) {
    return { file: inputs.banditConfig, options: effectiveIniOptions(readBanditIniFile(resolvePath(cwd, inputs.banditConfig)), given), declared: true };
  }
  const found = dotBanditFiles(targets, cwd);
  if (found.length > 1) {
    const names = [...new Set(found.map((f) => f.file))];
    return {
      error: [
        `Bandit finds ${found.length} .bandit files under the targets (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}${names.length < found.length ? '; one is reached through two targets' : ''}) and exits 2 ("Multiple .bandit files found"): set \`bandit-config\` to the one to apply (it is passed with --ini, and Bandit then reads no other), or remove the others.`,
      ],
    };
  }
  if (!found.length) return { options: [], declared: false };
  const f = found[0];
  const options = effectiveIniOptions(readBanditIniFile(f.abs), given);
  if (!f.atRoot && options.length) {
    return {
      error: [
        `${f.file}: Bandit would apply this .bandit file, found below a target's root, to the WHOLE scan, not only to its directory (${options.join('; ').slice(0, 200)}): a scan weakened by a file nobody declared is not evidence. \`excludes\` do not stop Bandit from reading it. Set \`bandit-config: ${f.file}\` to apply it deliberately, move it to the target's root, narrow \`targets\` so it is not under them, or remove it.`,
      ],
    };
  }
  return { file: f.file, options, declared: false };
}

function hasToolBanditSection(cwd: string): boolean {
  try {
    return /^\s*\[tool\.bandit(\.[^\]]*)?\]\s*$/m.test(readFileSync(join(cwd, 'pyproject.toml'), 'utf8'));
  } catch {
    return false;
  }
}

