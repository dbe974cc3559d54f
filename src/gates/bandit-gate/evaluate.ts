// Pure evaluation: Bandit results + baseline + suppressions + budget → findings and counts.
import type { Finding, Severity } from '../../core/types.js';
import { Fingerprinter } from '../../core/fingerprint.js';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BANDIT_LEVELS, flaggedLine, utf16Offset, type BanditLevel, type BanditReport, type BanditResult } from './report.js';
import { decodeSource } from './place.js';
import { isAbsoluteLike, normalizePath, type ScanErrorEntry, type SuppressionEntry } from './suppressions.js';

export type Confidence = 'low' | 'medium' | 'high';

export interface Budget {
  maxHigh: number;
  maxMedium: number | null;
  maxLow: number | null;
  minConfidence: Confidence;
}

export type Status = 'new' | 'baselined' | 'suppressed' | 'below-confidence';

/** counts[severity][confidence][status] */
export type Table = Record<BanditLevel, Record<BanditLevel, Record<Status, number>>>;

export interface Evaluation {
  findings: Finding[];
  table: Table;
  /** new (counted) findings per Bandit severity */
  counted: Record<BanditLevel, number>;
  baselined: number;
  suppressed: number;
  belowConfidence: number;
  scanErrors: number;
  scanErrorsAccepted: number;
  over: Array<{ severity: 'HIGH' | 'MEDIUM' | 'LOW'; count: number; max: number }>;
  warnings: string[];
  expiredUsed: SuppressionEntry[];
}

const SEVERITY: Record<BanditLevel, Severity> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low', UNDEFINED: 'info' };
// UNDEFINED confidence is ranked with LOW: an unknown confidence is not discounted by the default budget.
const CONF_RANK: Record<BanditLevel, number> = { UNDEFINED: 1, LOW: 1, MEDIUM: 2, HIGH: 3 };
const MIN_RANK: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };

export function emptyTable(): Table {
  const t = {} as Table;
  for (const s of BANDIT_LEVELS) {
    t[s] = {} as Table[BanditLevel];
    for (const c of BANDIT_LEVELS) t[s][c] = { new: 0, baselined: 0, suppressed: 0, 'below-confidence': 0 };
  }
  return t;
}

/** Bandit's own baseline identity (file, test, text, severity, confidence) — no line numbers. */
function baselineKey(r: BanditResult, file: string): string {
  return `${file}\u0000${r.test_id}\u0000${r.issue_text}\u0000${r.issue_severity}\u0000${r.issue_confidence}`;
}

function normLine(s: string | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

interface Item {
  r: BanditResult;
  file: string;
  /** normalised text of the flagged source line ('' when the report has no code excerpt) */
  text: string;
}

/** Order by file, then line, column, test id. Grouping by file first keeps string comparisons few. */
function sortItems(items: Item[]): Item[] {
  const byFile = new Map<string, Item[]>();
  for (const it of items) {
    const g = byFile.get(it.file);
    if (g) g.push(it);
    else byFile.set(it.file, [it]);
  }
  const out: Item[] = [];
  for (const file of [...byFile.keys()].sort()) {
    const g = byFile.get(file)!;
    g.sort((a, b) => a.r.line_number - b.r.line_number || (a.r.col_offset ?? 0) - (b.r.col_offset ?? 0) || (a.r.test_id < b.r.test_id ? -1 : a.r.test_id > b.r.test_id ? 1 : 0));
    for (const it of g) out.push(it);
  }
  return out;
}

export interface EvaluateOptions {
  cwd: string;
  reports: BanditReport[];
  baseline?: BanditReport;
  suppressions: SuppressionEntry[];
  scanErrorEntries: ScanErrorEntry[];
  budget: Budget;
}

export function evaluate(opts: EvaluateOptions): Evaluation {
  const { cwd, budget } = opts;
  const table = emptyTable();
  const counted: Record<BanditLevel, number> = { HIGH: 0, MEDIUM: 0, LOW: 0, UNDEFINED: 0 };
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const fp = new Fingerprinter();
  let baselined = 0;
  let suppressed = 0;
  let belowConfidence = 0;

  // Baseline: a multiset. A baseline entry absorbs at most as many identical findings as the baseline holds.
  // Findings on the same source line text are matched first, then any identical finding in the same file.
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  if (opts.baseline) {
    for (const r of opts.baseline.results) {
      const k = baselineKey(r, normalizePath(r.filename, cwd));
      loose.set(k, (loose.get(k) ?? 0) + 1);
      const e = `${k}\u0000${normLine(flaggedLine(r))}`;
      exact.set(e, (exact.get(e) ?? 0) + 1);
    }
  }

  // the text of a workspace file's line, for reports that quote no code (column conversion only)
  const sources = new Map<string, string[] | null>();
  const sourceLine = (file: string, n: number): string | undefined => {
    if (isAbsoluteLike(file) || file.startsWith('../')) return undefined;
    let lines = sources.get(file);
    if (lines === undefined) {
      try {
        lines = statSync(join(cwd, file)).size > 20_000_000 ? null : decodeSource(readFileSync(join(cwd, file))).replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
      } catch {
        lines = null;
      }
      sources.set(file, lines);
    }
    return lines?.[n - 1];
  };
  const paths = new Map<string, string>();
  const norm = (f: string) => {
    let n = paths.get(f);
    if (n === undefined) paths.set(f, (n = normalizePath(f, cwd)));
    return n;
  };
  const all: Item[] = [];
  for (const rep of opts.reports) for (const r of rep.results) {
    const line = flaggedLine(r);
    all.push({ r, file: norm(r.filename), text: line === undefined ? '' : normLine(line) });
  }
  const items = sortItems(all);
  const fps = items.map(({ r, file, text }) => fp.make(r.test_id, file, text || r.issue_text));

  // Pass 1: confidence and suppressions; pass 2: baseline (exact line text first, then loose).
  const status: Array<Status | undefined> = new Array(items.length);
  const by: Array<SuppressionEntry | undefined> = new Array(items.length);
  const expiredHit: Array<SuppressionEntry | undefined> = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const { r, file } = items[i];
    if (CONF_RANK[r.issue_confidence] < MIN_RANK[budget.minConfidence]) {
      status[i] = 'below-confidence';
      continue;
    }
    for (const s of opts.suppressions) {
      const match = s.fingerprint ? s.fingerprint === fps[i] : s.file === file && s.testId === r.test_id;
      if (!match) continue;
      if (s.expired) {
        expiredHit[i] ??= s;
        continue;
      }
      status[i] = 'suppressed';
      by[i] = s;
      s.used++;
      break;
    }
  }
  if (opts.baseline) {
    const keys = items.map(({ r, file }) => baselineKey(r, file));
    for (let i = 0; i < items.length; i++) {
      if (status[i]) continue;
      const e = `${keys[i]}\u0000${items[i].text}`;
      const n = exact.get(e) ?? 0;
      if (n > 0) {
        exact.set(e, n - 1);
        loose.set(keys[i], (loose.get(keys[i]) ?? 1) - 1);
        status[i] = 'baselined';
      }
    }
    for (let i = 0; i < items.length; i++) {
      if (status[i]) continue;
      const n = loose.get(keys[i]) ?? 0;
      if (n > 0) {
        loose.set(keys[i], n - 1);
        status[i] = 'baselined';
      }
    }
  }

  const expiredUsed = new Set<SuppressionEntry>();
  for (let i = 0; i < items.length; i++) {
    const { r, file } = items[i];
    const st: Status = status[i] ?? 'new';
    table[r.issue_severity][r.issue_confidence][st]++;
    if (st === 'below-confidence') {
      belowConfidence++;
      continue;
    }
    if (st === 'new') counted[r.issue_severity]++;
    if (st === 'baselined') baselined++;
    if (st === 'suppressed') suppressed++;
    if (st === 'new' && expiredHit[i]) expiredUsed.add(expiredHit[i]!);
    const line = Math.max(1, r.line_number);
    // Bandit's offsets are UTF-8 bytes (Python's AST); columns are characters: convert on the flagged line's text.
    // They belong to the AST node's first line (line_range[0]); a test that moves line_number to an argument
    // (B602 `shell=True` on a later line of a multi-line call) leaves them measuring another line: no column then.
    const offsetsHere = r.col_offset !== undefined && !(r.line_range?.length && r.line_range[0] !== r.line_number);
    let src: string | undefined;
    let charCol: number | undefined;
    if (offsetsHere) {
      // the quoted line first; when the offset does not fit it (cut short, another revision), the workspace file
      const quoted = flaggedLine(r);
      if (quoted !== undefined) charCol = utf16Offset((src = quoted), r.col_offset!);
      if (charCol === undefined && !r.unplaced) {
        const fromFile = sourceLine(file, line);
        const c = fromFile !== undefined ? utf16Offset(fromFile, r.col_offset!) : undefined;
        if (c !== undefined) [src, charCol] = [fromFile, c];
      }
    }
    const column = offsetsHere ? (charCol ?? r.col_offset!) + 1 : 1;
    const lastLine = r.line_range?.length ? r.line_range[r.line_range.length - 1] : line;
    const f: Finding = {
      rule: r.test_id,
      severity: SEVERITY[r.issue_severity],
      message: `${r.issue_text} (${r.test_name ? `${r.test_name}; ` : ''}severity ${r.issue_severity}, confidence ${r.issue_confidence}${r.cwe ? `, CWE-${r.cwe}` : ''})`,
      fingerprint: fps[i],
      file,
      line,
      column,
      properties: {
        test_id: r.test_id,
        confidence: r.issue_confidence,
        bandit_severity: r.issue_severity,
        baseline: st === 'baselined' ? 'unchanged' : 'new',
        ...(r.cwe ? { cwe: `CWE-${r.cwe}` } : {}),
        // not a workspace file and not placeable without guessing: the report's own path
        ...(r.unplaced ? { placement: 'unplaced' } : {}),
        ...(r.reportedAs !== undefined ? { placement: 'placed', reported_path: r.reportedAs } : {}),
      },
    };
    if (lastLine > line) f.endLine = lastLine;
    // end_col_offset is on the node's LAST line: only a node on one line (line_range [line]) has an end column here
    if (offsetsHere && r.end_col_offset !== undefined && r.line_range?.length && lastLine === line && r.end_col_offset > r.col_offset!) {
      const end = src !== undefined && charCol !== undefined ? utf16Offset(src, r.end_col_offset) : undefined;
      f.endColumn = (end ?? column - 1 + (r.end_col_offset - r.col_offset!)) + 1;
    }
    if (st === 'baselined') f.suppressed = { kind: 'external', justification: 'present in the baseline report' };
    if (st === 'suppressed') f.suppressed = { kind: 'external', justification: `${by[i]!.justification} (${by[i]!.key})`, expires: by[i]!.expires };
    findings.push(f);
  }
  for (const s of expiredUsed) {
    warnings.push(`suppression ${s.key} at ${s.where} expired on ${s.expires}: the finding(s) it matched count again (${s.justification})`);
  }

  // Files Bandit could not scan: an error unless the config accepts that file (and the entry has not expired).
  let scanErrors = 0;
  let scanErrorsAccepted = 0;
  const seen = new Set<string>();
  for (const rep of opts.reports) {
    for (const e of rep.errors) {
      const file = normalizePath(e.filename, cwd);
      const entry = opts.scanErrorEntries.find((s) => s.file === file);
      const f: Finding = {
        rule: 'scan-error',
        severity: 'high',
        isError: true,
        message: `Bandit could not scan this file: ${e.reason}`,
        file,
        line: 1,
        column: 1,
        fingerprint: fp.make('scan-error', file, e.reason),
        ...(e.unplaced ? { properties: { placement: 'unplaced' } } : e.reportedAs !== undefined ? { properties: { placement: 'placed', reported_path: e.reportedAs } } : {}),
      };
      if (entry && !entry.expired) {
        entry.used++;
        f.suppressed = { kind: 'external', justification: `${entry.justification} (${entry.key})`, expires: entry.expires };
        scanErrorsAccepted++;
      } else {
        scanErrors++;
        if (entry && !seen.has(entry.key)) {
          seen.add(entry.key);
          warnings.push(`scan-errors entry ${entry.key} at ${entry.where} expired on ${entry.expires}: ${file} is an error again`);
        }
      }
      findings.push(f);
    }
  }

  const over: Evaluation['over'] = [];
  if (counted.HIGH > budget.maxHigh) over.push({ severity: 'HIGH', count: counted.HIGH, max: budget.maxHigh });
  if (budget.maxMedium !== null && counted.MEDIUM > budget.maxMedium) over.push({ severity: 'MEDIUM', count: counted.MEDIUM, max: budget.maxMedium });
  if (budget.maxLow !== null && counted.LOW > budget.maxLow) over.push({ severity: 'LOW', count: counted.LOW, max: budget.maxLow });

  return { findings, table, counted, baselined, suppressed, belowConfidence, scanErrors, scanErrorsAccepted, over, warnings, expiredUsed: [...expiredUsed] };
}

export function summaryTable(ev: Evaluation, budget: Budget): string[] {
  const confs: BanditLevel[] = ['HIGH', 'MEDIUM', 'LOW', 'UNDEFINED'];
  const out: string[] = [];
  out.push('#### Bandit findings by severity × confidence (new / baselined / suppressed)');
  out.push('');
  out.push(`| severity | ${confs.map((c) => `conf. ${c}`).join(' | ')} | counted | budget |`);
  out.push(`|---|${confs.map(() => '---:').join('|')}|---:|---|`);
  const max: Record<BanditLevel, number | null> = { HIGH: budget.maxHigh, MEDIUM: budget.maxMedium, LOW: budget.maxLow, UNDEFINED: null };
  for (const s of ['HIGH', 'MEDIUM', 'LOW', 'UNDEFINED'] as BanditLevel[]) {
    const cells = confs.map((c) => {
      const x = ev.table[s][c];
      const below = x['below-confidence'] ? ` (+${x['below-confidence']} below min-confidence)` : '';
      return `${x.new} / ${x.baselined} / ${x.suppressed}${below}`;
    });
    const m = max[s];
    const budgetCell = m === null ? 'no limit' : ev.counted[s] > m ? `**over: max ${m}**` : `max ${m}`;
    out.push(`| ${s} | ${cells.join(' | ')} | ${ev.counted[s]} | ${budgetCell} |`);
  }
  out.push('');
  return out;
}
