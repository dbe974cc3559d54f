// Bandit JSON reports (1.6 – 1.8): strict shape checks, tolerant of the fields newer versions added.
// A report that does not have the documented shape is not evidence: the caller turns a ReportError into `error`.

export const BANDIT_LEVELS = ['UNDEFINED', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type BanditLevel = (typeof BANDIT_LEVELS)[number];

export interface BanditResult {
  filename: string;
  test_id: string;
  test_name: string;
  issue_severity: BanditLevel;
  issue_confidence: BanditLevel;
  issue_text: string;
  line_number: number;
  /** 0-based, Bandit >= 1.7.3 */
  col_offset?: number;
  end_col_offset?: number;
  line_range?: number[];
  code?: string;
  more_info?: string;
  cwe?: number;
}

export interface BanditError {
  filename: string;
  reason: string;
}

export interface BanditReport {
  source: string;
  results: BanditResult[];
  errors: BanditError[];
  /** lines of code Bandit scanned (metrics._totals.loc) */
  loc: number;
  nosec: number;
  generatedAt?: string;
}

export class ReportError extends Error {
  override name = 'ReportError';
}

const MAX_SHOWN = 200;
function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parse a Bandit JSON report. Throws ReportError naming the source and the first problem found:
 * invalid JSON (e.g. truncated), missing `results` / `errors` / `metrics._totals.loc`, or a result
 * whose required fields are missing or of the wrong type.
 */
export function parseBanditReport(text: string, source: string): BanditReport {
  if (text.trim() === '') throw new ReportError(`${source}: the report is empty`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ReportError(`${source}: not valid JSON (${(e as Error).message.slice(0, MAX_SHOWN)}); a truncated or non-JSON report is not evidence`);
  }
  if (!isObj(doc)) throw new ReportError(`${source}: expected a JSON object with results, errors and metrics`);
  if (!Array.isArray(doc.results)) throw new ReportError(`${source}: "results" is missing or not an array: is this a Bandit JSON report (-f json)?`);
  if (!Array.isArray(doc.errors)) throw new ReportError(`${source}: "errors" is missing or not an array`);
  if (!isObj(doc.metrics)) throw new ReportError(`${source}: "metrics" is missing or not an object`);
  const totals = doc.metrics._totals;
  if (!isObj(totals) || typeof totals.loc !== 'number' || !Number.isFinite(totals.loc) || totals.loc < 0) {
    throw new ReportError(`${source}: "metrics._totals.loc" is missing or not a number: cannot tell how much code was scanned`);
  }
  const errors: BanditError[] = [];
  for (let i = 0; i < doc.errors.length; i++) {
    const e = doc.errors[i];
    if (!isObj(e) || typeof e.filename !== 'string' || e.filename === '') throw new ReportError(`${source}: errors[${i}] has no "filename"`);
    errors.push({ filename: e.filename, reason: typeof e.reason === 'string' ? e.reason : 'unknown error' });
  }
  const results: BanditResult[] = new Array(doc.results.length);
  for (let i = 0; i < doc.results.length; i++) results[i] = parseResult(doc.results[i], i, source);
  return {
    source,
    results,
    errors,
    loc: totals.loc,
    nosec: typeof totals.nosec === 'number' ? totals.nosec : 0,
    generatedAt: typeof doc.generated_at === 'string' ? doc.generated_at : undefined,
  };
}

function parseResult(r: unknown, i: number, source: string): BanditResult {
  const where = `${source}: results[${i}]`;
  if (!isObj(r)) throw new ReportError(`${where} is not an object`);
  const str = (k: string, required = true): string | undefined => {
    const v = r[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || (required && v === '')) throw new ReportError(`${where}.${k}: expected a string, got ${show(v)}`);
    return v;
  };
  const int = (k: string, required: boolean): number | undefined => {
    const v = r[k];
    if ((v === undefined || v === null) && !required) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ReportError(`${where}.${k}: expected a non-negative integer, got ${show(v)}`);
    return v;
  };
  const level = (k: string): BanditLevel => {
    const v = r[k];
    if (typeof v !== 'string' || !(BANDIT_LEVELS as readonly string[]).includes(v)) {
      throw new ReportError(`${where}.${k}: expected one of ${BANDIT_LEVELS.join(', ')}, got ${show(v)}`);
    }
    return v as BanditLevel;
  };
  const out: BanditResult = {
    filename: str('filename')!,
    test_id: str('test_id')!,
    test_name: str('test_name', false) ?? '',
    issue_severity: level('issue_severity'),
    issue_confidence: level('issue_confidence'),
    issue_text: str('issue_text')!,
    line_number: int('line_number', true)!,
  };
  const col = int('col_offset', false);
  if (col !== undefined) out.col_offset = col;
  const endCol = int('end_col_offset', false);
  if (endCol !== undefined) out.end_col_offset = endCol;
  if (r.line_range !== undefined) {
    if (!Array.isArray(r.line_range) || !r.line_range.every((n) => typeof n === 'number')) throw new ReportError(`${where}.line_range: expected an array of line numbers`);
    out.line_range = r.line_range as number[];
  }
  const code = str('code', false);
  if (code !== undefined) out.code = code;
  const more = str('more_info', false);
  if (more !== undefined) out.more_info = more;
  if (r.issue_cwe !== undefined && r.issue_cwe !== null) {
    if (!isObj(r.issue_cwe)) throw new ReportError(`${where}.issue_cwe: expected an object {id, link}`);
    const id = r.issue_cwe.id;
    if (typeof id === 'number' && Number.isInteger(id) && id > 0) out.cwe = id;
    else if (id !== undefined && id !== null && id !== 0 && typeof id !== 'number') throw new ReportError(`${where}.issue_cwe.id: expected a number, got ${show(id)}`);
  }
  return out;
}

/** The source text of the flagged line, from Bandit's numbered `code` excerpt (`"5     call(x)\n6 …"`). */
export function flaggedLine(r: BanditResult): string | undefined {
  if (!r.code) return undefined;
  const prefix = `${r.line_number} `;
  for (const l of r.code.split('\n')) {
    if (l.startsWith(prefix)) return l.slice(prefix.length);
    if (l === String(r.line_number)) return '';
  }
  return undefined;
}
