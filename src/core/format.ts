import type { Finding, GateResult, Severity } from './types.js';
import { SEVERITIES } from './types.js';
import { countFindings } from './record.js';

export const ANNOTATION_LIMIT = 10; // per type per step, see REFERENCE.md

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProp(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotationLevel(f: Finding): 'error' | 'warning' | 'notice' {
  if (f.isError || f.severity === 'critical' || f.severity === 'high') return 'error';
  if (f.severity === 'medium') return 'warning';
  return 'notice';
}

export function workflowCommand(level: 'error' | 'warning' | 'notice', msg: string, loc?: { file?: string; line?: number; column?: number; endLine?: number; endColumn?: number; title?: string }): string {
  const props: string[] = [];
  if (loc?.title) props.push(`title=${escapeProp(loc.title)}`);
  if (loc?.file) props.push(`file=${escapeProp(loc.file)}`);
  if (loc?.line) props.push(`line=${loc.line}`);
  if (loc?.column) props.push(`col=${loc.column}`);
  if (loc?.endLine) props.push(`endLine=${loc.endLine}`);
  if (loc?.endColumn && (!loc.endLine || loc.endLine === loc.line)) props.push(`endColumn=${loc.endColumn}`);
  return `::${level}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(msg)}`;
}

/**
 * Annotation commands for the unsuppressed findings, most severe first, within the runner's per-step limit
 * (10 errors + 10 warnings; notices share the warning budget here to stay quiet). When findings are left
 * out, one last line says how many and where to find them.
 */
export function annotations(gate: string, findings: Finding[]): string[] {
  const open = findings.filter((f) => !f.suppressed);
  const sorted = [...open].sort((a, b) => rank(b) - rank(a));
  const used = { error: 0, warning: 0, notice: 0 };
  const out: string[] = [];
  let left = 0;
  for (const f of sorted) {
    const level = annotationLevel(f);
    const budgetKey = level === 'error' ? 'error' : 'warning';
    if ((budgetKey === 'error' ? used.error : used.warning + used.notice) >= ANNOTATION_LIMIT) {
      left++;
      continue;
    }
    used[level]++;
    out.push(workflowCommand(level, `${f.message}`, { title: `${gate}: ${f.rule} (${f.severity})`, file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }));
  }
  if (left) out.push(workflowCommand('notice', `${left} more finding(s) not annotated (GitHub shows at most ${ANNOTATION_LIMIT} per type per step); see the job summary or the SARIF file.`, { title: `${gate}: more findings` }));
  return out;
}

/** Workflow commands for a result's extra annotations (not findings), within the per-type limit. */
export function extraAnnotations(gate: string, result: GateResult): string[] {
  const used = { error: 0, warning: 0, notice: 0 };
  const out: string[] = [];
  for (const a of result.annotations ?? []) {
    if (used[a.level] >= ANNOTATION_LIMIT) continue;
    used[a.level]++;
    out.push(workflowCommand(a.level, a.message, { title: a.title ?? `chaingate ${gate}`, file: a.file, line: a.line, column: a.column }));
  }
  return out;
}

function rank(f: Finding): number {
  return (f.isError ? 10 : 0) + SEVERITIES.length - SEVERITIES.indexOf(f.severity);
}

export function findingLine(f: Finding): string {
  const sup = f.suppressed ? ` [suppressed: ${f.suppressed.justification}]` : '';
  return `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}${sup}`;
}

/** `shown`: messages the terminal already has (the CLI prints a gate's warnings as they happen): not repeated. */
export function textReport(gate: string, result: GateResult, shown?: (m: string) => boolean): string {
  const lines: string[] = [];
  for (const f of sortFindings(result.findings)) lines.push(findingLine(f));
  for (const m of result.messages ?? []) if (!shown?.(m)) lines.push(m);
  const c = countFindings(result.findings);
  lines.push(
    `${gate}: ${result.outcome.toUpperCase()} (${result.reasons.join(', ')}) — ${c.total} finding(s)` +
      `${c.suppressed ? `, ${c.suppressed} suppressed` : ''}${c.errors ? `, ${c.errors} error(s)` : ''}`,
  );
  return lines.join('\n');
}

export function sortFindings(fs: Finding[]): Finding[] {
  return [...fs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

const ICON: Record<string, string> = { pass: '✅', fail: '❌', error: '⛔', skip: '⏭️' };

/** Markdown for the job summary: a headline, counts by severity, the findings (capped), then gate lines. */
export function summaryMarkdown(gate: string, title: string, result: GateResult, maxRows = 100): string {
  const c = countFindings(result.findings);
  const out: string[] = [];
  out.push(`### ${ICON[result.outcome] ?? ''} chaingate ${title}: ${result.outcome}`);
  out.push('');
  out.push(`Reasons: ${result.reasons.map((r) => `\`${r}\``).join(', ')}`);
  out.push('');
  if (result.findings.length) {
    out.push('| severity | open | ');
    out.push('|---|---|');
    for (const s of SEVERITIES as Severity[]) if (c[s]) out.push(`| ${s} | ${c[s]} |`);
    if (c.suppressed) out.push(`| suppressed | ${c.suppressed} |`);
    out.push('');
    out.push('| location | severity | rule | message |');
    out.push('|---|---|---|---|');
    const sorted = sortFindings(result.findings);
    for (const f of sorted.slice(0, maxRows)) {
      out.push(`| \`${md(f.file)}:${f.line}:${f.column}\` | ${f.suppressed ? `~~${f.severity}~~ (suppressed)` : f.severity} | \`${f.rule}\` | ${md(f.message)} |`);
    }
    if (sorted.length > maxRows) out.push(`\n… and ${sorted.length - maxRows} more (see the SARIF file or \`chaingate ${gate} --format json\`).`);
    out.push('');
  }
  for (const line of result.summary ?? []) out.push(line);
  for (const m of result.messages ?? []) out.push(`> ${md(m)}`);
  return `${out.join('\n')}\n`;
}
