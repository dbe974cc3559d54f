// Core types shared by every gate. No @actions/* import anywhere under src/core.

export type Outcome = 'pass' | 'fail' | 'error' | 'skip';
export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'error', 'skip'];

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s); // critical=5 … info=1
}

/** A location inside a file. Line and column are 1-based; column counts UTF-16 code units like editors do. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Suppression {
  kind: 'inSource' | 'external';
  justification: string;
  expires?: string;
}

export interface Finding extends Location {
  /** rule id, e.g. `unpinned-action`; a gate's rules are declared in its Gate.rules */
  rule: string;
  severity: Severity;
  message: string;
  /** stable identity: does not change when unrelated lines move */
  fingerprint: string;
  related?: RelatedLocation[];
  suppressed?: Suppression;
  /** A finding that means the gate could not evaluate something (bad YAML, unreadable file). */
  isError?: boolean;
  properties?: Record<string, string | number | boolean>;
}

export interface RuleInfo {
  id: string;
  name: string;
  description: string;
  help?: string;
  defaultSeverity: Severity;
}

export interface ToolInfo {
  name: string;
  version: string;
}

export type Metrics = Record<string, number | string | boolean>;

/** An annotation that is not a finding (no rule, maybe no file): e.g. "the last drill is aging". */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface GateResult {
  outcome: Outcome;
  reasons: string[];
  findings: Finding[];
  metrics?: Metrics;
  /** normalised digest (`sha256:<64 hex>`) of what the gate judged, when there is one */
  subject?: { digest?: string; name?: string };
  tool?: ToolInfo;
  /** thresholds and options in force, recorded for the auditor */
  policy?: Record<string, string | number | boolean | null>;
  /** bounded extra facts for the record (short strings/numbers only) */
  details?: Record<string, string | number | boolean | null>;
  /** gate-specific outputs (action outputs / CLI json) */
  outputs?: Record<string, string>;
  /** markdown lines for the job summary, below the standard table */
  summary?: string[];
  /** human lines printed by the CLI text format and action log */
  messages?: string[];
  /** extra workflow annotations beside the findings' own (printed by the action adapter and `--format github`) */
  annotations?: Annotation[];
}

export class InputError extends Error {
  override name = 'InputError';
}

/** A problem in the configuration file. `file:line:col` is put in the message by the loader. */
export class ConfigError extends InputError {
  override name = 'ConfigError';
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

export interface InputSpec {
  name: string;
  description: string;
  required?: boolean;
  default?: string;
  /** CLI: the positional arguments go to this input (newline-joined) */
  positional?: boolean;
  /** CLI only / action only */
  cliOnly?: boolean;
  actionOnly?: boolean;
  /** Never printed, never recorded. */
  secret?: boolean;
  /** boolean flag on the CLI (no value) */
  flag?: boolean;
  /**
   * Takes a list (one per line / comma-separated): the CLI option may be repeated and the values are joined
   * with newlines. Without it, an option given twice (or several positional arguments) is a usage error.
   */
  multiple?: boolean;
}

export interface OutputSpec {
  name: string;
  description: string;
}

export type RawInputs = Record<string, string | undefined>;
