// Bandit JSON reports (1.6 – 1.9): strict shape checks, tolerant of the fields newer versions added.
// A report that does not have the documented shape is not evidence: the caller turns a ReportError into `error`.
//
// What real users' files look like beyond the plain shape, and what is done with each:
// - `bandit -f json > file` on a large tree: Bandit's progress bar / log lines precede the JSON on stdout.
//   Lines before the first line that starts with `{` are dropped (noted); the JSON itself must be complete.
// - `>>` of several runs into one file: several complete JSON documents one after another. Each is parsed
//   and checked as its own report (they are summed like several report files). Anything after the last
//   document (a truncated one, log lines) makes the file invalid.
// - `col_offset` -1 / null (Bandit's default when an issue has no AST node): column unknown → column 1.
// - `metrics` (or `metrics._totals.loc`) missing: parsed, flagged `metricsMissing`; the gate never passes it.

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
  /** set by placement: the path could not be mapped onto a workspace file and is kept as written */
  unplaced?: boolean;
  /** set by placement: the path as the report wrote it, when it was placed at a workspace file */
  reportedAs?: string;
}

export interface BanditError {
  filename: string;
  reason: string;
  unplaced?: boolean;
  reportedAs?: string;
}

export interface BanditReport {
  source: string;
  results: BanditResult[];
  errors: BanditError[];
  /** lines of code Bandit scanned (metrics._totals.loc; 0 when metricsMissing) */
  loc: number;
  /** the report has no usable metrics._totals.loc: how much code was scanned is unknown */
  metricsMissing?: boolean;
  nosec: number;
  /** findings Bandit >= 1.7.5 skipped because of `# nosec <test id>` (metrics._totals.skipped_tests) */
  skippedTests: number;
  /**
   * metrics._totals SEVERITY.* / CONFIDENCE.*: every issue Bandit found, before its report filters
   * (-l/-i, --severity-level/--confidence-level, -b baseline) were applied; absent in stripped reports
   */
  issueTotals?: IssueCounts;
  /**
   * Bandit's per-file metrics (keyed by the path as Bandit wrote it), when they are complete and add up to
   * metrics._totals: the same counts per file, a tighter bound on what a filter left out of each file
   */
  fileTotals?: Map<string, IssueCounts>;
  generatedAt?: string;
}

/** SEVERITY.* / CONFIDENCE.* counts; null: the key is absent (a stripped or converted report) */
export interface IssueCounts {
  severity: Record<BanditLevel, number | null>;
  confidence: Record<BanditLevel, number | null>;
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
 * Split a report file into its JSON documents: leading non-JSON lines (progress bar, log lines captured from
 * stdout) are skipped and reported in `skipped`; several concatenated documents are returned one by one.
 * Throws ReportError for anything that is not a sequence of complete JSON objects.
 */
export function splitJsonDocuments(text: string, source: string): { docs: string[]; skipped: number } {
  let i = 0;
  let skipped = 0;
  // leading noise: whole lines that do not start with `{`
  while (i < text.length) {
    let j = i;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\ufeff')) j++;
    // `bandit -d … > file 2>&1`: debug lines print Python dicts (`\t{'raw': <ast.Name …>}`): a `{` followed by a
    // single quote is never JSON, so such a line is noise, not the start of the report
    if (text[j] === '{' && !/^\{\s*'/.test(text.slice(j, j + 64))) {
      i = j;
      break;
    }
    const nl = text.indexOf('\n', j);
    const line = text.slice(j, nl === -1 ? text.length : nl);
    // a line that holds a report (after other whitespace, behind a prefix) is not noise: dropping it would drop its findings
    if ((/^\s*\{/.test(line) && !/^\s*\{\s*'/.test(line)) || /"(results|errors)"\s*:/.test(line)) {
      throw new ReportError(`${source}: a line before the report holds report data (${show(line.slice(0, 40))}); a report must start on its own line with \`{\``);
    }
    if (line.trim() !== '') skipped++;
    if (nl === -1) {
      i = text.length;
      break;
    }
    i = nl + 1;
  }
  if (i >= text.length) {
    throw new ReportError(skipped ? `${source}: no JSON object in the file (${skipped} line(s) of other output): is this a Bandit JSON report (-f json)?` : `${source}: the report is empty`);
  }
  const docs: string[] = [];
  while (i < text.length) {
    if (text[i] !== '{') {
      throw new ReportError(`${source}: unexpected text after a JSON document (at offset ${i}: ${show(text.slice(i, i + 40))}); a report must be complete JSON`);
    }
    let depth = 0;
    let inStr = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (inStr) {
        if (c === 92 /* \\ */) j++;
        else if (c === 34 /* " */) inStr = false;
      } else if (c === 34) inStr = true;
      else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
      else if (c === 125 /* } */ || c === 93 /* ] */) {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= text.length) {
      // unterminated: let JSON.parse name the problem (truncated report)
      docs.push(text.slice(i));
      break;
    }
    docs.push(text.slice(i, j + 1));
    i = j + 1;
    while (i < text.length && /\s/.test(text[i])) i++;
  }
  return { docs, skipped };
}

/**
 * Parse a file holding one or more Bandit JSON reports (see splitJsonDocuments). `notes` says what was
 * tolerated (skipped leading lines, several documents) so the caller can show it.
 */
export function parseBanditReports(text: string, source: string): { reports: BanditReport[]; notes: string[] } {
  if (text.trim() === '') throw new ReportError(`${source}: the report is empty`);
  // the common case first: the whole file is one JSON document
  if (/^[\s\ufeff]*\{/.test(text)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\ufeff/, ''));
    } catch {
      /* leading noise, several documents, or broken: split below */
    }
    if (doc !== undefined) return { reports: [parseDoc(doc, source)], notes: [] };
  }
  const { docs, skipped } = splitJsonDocuments(text, source);
  const notes: string[] = [];
  if (skipped) notes.push(`${source}: skipped ${skipped} line(s) of non-JSON output before the report (Bandit's progress or log lines captured from stdout; write reports with -o FILE)`);
  if (docs.length > 1) notes.push(`${source}: holds ${docs.length} concatenated Bandit reports; each is checked and they are summed`);
  const reports = docs.map((d, k) => parseOneReport(d, docs.length > 1 ? `${source} (document ${k + 1} of ${docs.length})` : source));
  return { reports, notes };
}

/**
 * Parse a Bandit JSON report. Throws ReportError naming the source and the first problem found:
 * invalid JSON (e.g. truncated), missing `results` / `errors`, or a result whose required fields are missing
 * or of the wrong type. Leading non-JSON lines are tolerated; several concatenated reports are merged.
 */
export function parseBanditReport(text: string, source: string): BanditReport {
  const { reports } = parseBanditReports(text, source);
  if (reports.length === 1) return reports[0];
  return {
    source,
    results: reports.flatMap((r) => r.results),
    errors: reports.flatMap((r) => r.errors),
    loc: reports.reduce((n, r) => n + r.loc, 0),
    nosec: reports.reduce((n, r) => n + r.nosec, 0),
    skippedTests: reports.reduce((n, r) => n + r.skippedTests, 0),
    ...(reports.some((r) => r.metricsMissing) ? { metricsMissing: true } : {}),
    ...(reports.every((r) => r.issueTotals) ? { issueTotals: sumTotals(reports.map((r) => r.issueTotals!)) } : {}),
    generatedAt: reports[reports.length - 1].generatedAt,
  };
}

function parseOneReport(text: string, source: string): BanditReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ReportError(`${source}: not valid JSON (${(e as Error).message.slice(0, MAX_SHOWN)}); a truncated or non-JSON report is not evidence`);
  }
  return parseDoc(doc, source);
}

function sumTotals(ts: IssueCounts[]): IssueCounts {
  const z = () => ({ UNDEFINED: 0, LOW: 0, MEDIUM: 0, HIGH: 0 }) as Record<BanditLevel, number | null>;
  const out = { severity: z(), confidence: z() };
  const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  for (const t of ts) for (const l of BANDIT_LEVELS) {
    out.severity[l] = add(out.severity[l], t.severity[l]);
    out.confidence[l] = add(out.confidence[l], t.confidence[l]);
  }
  return out;
}

const COUNT_KEY = /^(SEVERITY|CONFIDENCE)\.(UNDEFINED|LOW|MEDIUM|HIGH)$/;

/**
 * SEVERITY.* / CONFIDENCE.* of one metrics block. undefined: the block has none of them (a stripped report;
 * nothing to compare). A count that is there but not a number ≥ 0 is not Bandit's: the report is refused
 * (dropping it would silently disable the check that catches -l/-i/-b reports). Bandit 1.6 writes floats (1.0).
 */
function issueCountsOf(block: Record<string, unknown>, where: string): IssueCounts | undefined {
  const sev = {} as Record<BanditLevel, number | null>;
  const conf = {} as Record<BanditLevel, number | null>;
  let any = false;
  for (const l of BANDIT_LEVELS) {
    for (const [k, into] of [[`SEVERITY.${l}`, sev], [`CONFIDENCE.${l}`, conf]] as const) {
      if (!(k in block)) {
        into[l] = null;
        continue;
      }
      any = true;
      const v = block[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ReportError(`${where}["${k}"] is not a count ≥ 0 (${show(v)}): the report's issue counts are damaged, so what its results[] leave out cannot be checked`);
      into[l] = Math.round(v);
    }
  }
  return any ? { severity: sev, confidence: conf } : undefined;
}

/** Per-file counts, only when every file block is an object and they add up to _totals (else undefined). */
function fileCountsOf(metrics: Record<string, unknown>, totals: IssueCounts): Map<string, IssueCounts> | undefined {
  const out = new Map<string, IssueCounts>();
  const sum = { severity: {} as Record<BanditLevel, number>, confidence: {} as Record<BanditLevel, number> };
  for (const l of BANDIT_LEVELS) sum.severity[l] = sum.confidence[l] = 0;
  for (const [name, block] of Object.entries(metrics)) {
    if (name === '_totals') continue;
    if (!isObj(block)) return undefined;
    let c: IssueCounts | undefined;
    try {
      c = issueCountsOf(block, 'x');
    } catch {
      return undefined;
    }
    // a file Bandit could not parse has loc/nosec only: no issues counted there
    const zero = (v: number | null) => v ?? 0;
    const counts: IssueCounts = { severity: {} as Record<BanditLevel, number>, confidence: {} as Record<BanditLevel, number> };
    for (const l of BANDIT_LEVELS) {
      counts.severity[l] = zero(c?.severity[l] ?? null);
      counts.confidence[l] = zero(c?.confidence[l] ?? null);
      sum.severity[l] += counts.severity[l]!;
      sum.confidence[l] += counts.confidence[l]!;
    }
    out.set(name, counts);
  }
  for (const l of BANDIT_LEVELS) {
    if (totals.severity[l] === null || totals.confidence[l] === null) return undefined;
    if (sum.severity[l] !== totals.severity[l] || sum.confidence[l] !== totals.confidence[l]) return undefined;
  }
  return out;
}

function parseDoc(doc: unknown, source: string): BanditReport {
  if (!isObj(doc)) throw new ReportError(`${source}: expected a JSON object with results, errors and metrics`);
  if (Array.isArray(doc.runs) && (typeof doc.version === 'string' || typeof doc.$schema === 'string')) {
    throw new ReportError(
      `${source}: this is a SARIF log (e.g. from bandit-sarif-formatter, \`-f sarif\`), not a Bandit JSON report: SARIF has no lines-scanned count and no errors[] for files Bandit could not parse, so it cannot prove a pass. Give the report written with \`-f json\`.`,
    );
  }
  if (!Array.isArray(doc.results)) throw new ReportError(`${source}: "results" is missing or not an array: is this a Bandit JSON report (-f json)?`);
  if (!Array.isArray(doc.errors)) throw new ReportError(`${source}: "errors" is missing or not an array`);
  if (doc.metrics !== undefined && !isObj(doc.metrics)) throw new ReportError(`${source}: "metrics" is not an object`);
  const totals = isObj(doc.metrics) ? doc.metrics._totals : undefined;
  const locRaw = isObj(totals) ? totals.loc : undefined;
  if (locRaw !== undefined && (typeof locRaw !== 'number' || !Number.isFinite(locRaw) || locRaw < 0)) {
    throw new ReportError(`${source}: "metrics._totals.loc" is not a number ≥ 0 (${show(locRaw)})`);
  }
  const errors: BanditError[] = [];
  for (let i = 0; i < doc.errors.length; i++) {
    const e = doc.errors[i];
    if (!isObj(e) || typeof e.filename !== 'string' || e.filename === '') throw new ReportError(`${source}: errors[${i}] has no "filename"`);
    errors.push({ filename: e.filename, reason: typeof e.reason === 'string' ? e.reason : 'unknown error' });
  }
  const results: BanditResult[] = new Array(doc.results.length);
  for (let i = 0; i < doc.results.length; i++) results[i] = parseResult(doc.results[i], i, source);
  const out: BanditReport = {
    source,
    results,
    errors,
    loc: typeof locRaw === 'number' ? locRaw : 0,
    nosec: isObj(totals) && typeof totals.nosec === 'number' ? totals.nosec : 0,
    skippedTests: isObj(totals) && typeof totals.skipped_tests === 'number' ? totals.skipped_tests : 0,
    generatedAt: typeof doc.generated_at === 'string' ? doc.generated_at : undefined,
  };
  if (typeof locRaw !== 'number') out.metricsMissing = true;
  const it = isObj(totals) ? issueCountsOf(totals, `${source}: metrics._totals`) : undefined;
  if (it) {
    out.issueTotals = it;
    const files = fileCountsOf(doc.metrics as Record<string, unknown>, it);
    if (files) out.fileTotals = files;
  }
  return out;
}

function parseResult(r: unknown, i: number, source: string): BanditResult {
  const where = `${source}: results[${i}]`;
  if (!isObj(r)) throw new ReportError(`${where} is not an object`);
  const str = (k: string, required = true, allowEmpty = false): string | undefined => {
    const v = r[k];
    if ((v === undefined || v === null) && !required) return undefined;
    if (typeof v === 'string' && v === '' && allowEmpty) return v;
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
    issue_text: str('issue_text', true, true)!,
    line_number: int('line_number', true)!,
  };
  // Bandit's Issue defaults col_offset to -1 (and end_col_offset to 0 or null) when no AST node gave one:
  // that is "column unknown", not a malformed report.
  const offset = (k: string): number | undefined => {
    const v = r[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ReportError(`${where}.${k}: expected an integer, got ${show(v)}`);
    return v >= 0 ? v : undefined;
  };
  const col = offset('col_offset');
  if (col !== undefined) out.col_offset = col;
  const endCol = offset('end_col_offset');
  if (endCol !== undefined) out.end_col_offset = endCol;
  if (r.line_range !== undefined && r.line_range !== null) {
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

/**
 * Bandit's `col_offset` / `end_col_offset` are Python's AST offsets: UTF-8 **bytes** into the line, not
 * characters. Annotations and SARIF (default columnKind utf16CodeUnits) count characters, so a line with
 * non-ASCII text before the flagged token (`log("Grüße"); eval(x)`) would otherwise point past it. Returns the
 * UTF-16 offset of `byteOffset` in `line`, or undefined when the offset does not fit the line (beyond its end,
 * or inside a character: the line is not the one Bandit measured).
 */
export function utf16Offset(line: string, byteOffset: number): number | undefined {
  if (!/[^\x00-\x7f]/.test(line)) return byteOffset <= line.length ? byteOffset : undefined;
  const b = Buffer.from(line, 'utf8');
  if (byteOffset > b.length) return undefined;
  if (byteOffset < b.length && (b[byteOffset] & 0xc0) === 0x80) return undefined;
  return b.subarray(0, byteOffset).toString('utf8').length;
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
