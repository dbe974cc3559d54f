// Suppression and accepted-scan-error entries of `.github/chaingate.yml` (section `bandit-gate`).
// The config loader has already checked types and required keys against config.schema.json; here we check
// what a schema cannot say clearly, each problem reported as `file:line:col: key: message`.
import type { LoadedConfig } from '../../core/config.js';
import { parseExpiry } from '../../core/config.js';
import { ConfigError } from '../../core/types.js';

export const SECTION = 'bandit-gate';
export const DEFAULT_MAX_SUPPRESSION_DAYS = 90;
const DAY = 86_400_000;

export interface SuppressionEntry {
  /** `bandit-gate.suppressions[2]` */
  key: string;
  /** `file:line` of the entry in the config file */
  where: string;
  fingerprint?: string;
  file?: string;
  testId?: string;
  justification: string;
  expires: string;
  expiresMs: number;
  expired: boolean;
  /** findings this entry matched (filled in by the evaluation) */
  used: number;
}

export interface ScanErrorEntry {
  key: string;
  where: string;
  file: string;
  justification: string;
  expires: string;
  expiresMs: number;
  expired: boolean;
  used: number;
}

export interface BanditGateConfig {
  'max-high'?: number;
  'max-medium'?: number;
  'max-low'?: number;
  'min-confidence'?: 'low' | 'medium' | 'high';
  'max-suppression-days'?: number;
  suppressions?: Array<Record<string, string>>;
  'scan-errors'?: Array<Record<string, string>>;
}

export function sectionOf(config: LoadedConfig): BanditGateConfig {
  return (config.config[SECTION] ?? {}) as BanditGateConfig;
}

/**
 * `./a/b.py`, `a\b.py`, `.\a\b.py`, `/ws/a/b.py`, `D:\a\ws\a\b.py` (cwd `D:\a\ws`) → `a/b.py`
 * (relative to the workspace when under it; Windows drive letters compare case-insensitively).
 */
export function normalizePath(p: string, cwd: string): string {
  let s = p.replace(/\\/g, '/');
  const root = cwd.replace(/\\/g, '/').replace(/\/+$/, '');
  const drive = /^[A-Za-z]:\//.test(root);
  if (s.startsWith(`${root}/`) || (drive && s.toLowerCase().startsWith(`${root.toLowerCase()}/`))) s = s.slice(root.length + 1);
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/\/{2,}/g, '/').replace(/(\/\.)+\//g, '/');
  return s;
}

/** An absolute path (POSIX or Windows drive) after normalizePath: it is not under the workspace. */
export function isAbsoluteLike(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

const FINGERPRINT = /^[0-9a-f]{32}$/;
const TEST_ID = /^B\d{3}$/;

export function parseSuppressions(config: LoadedConfig, now: Date, cwd: string): { suppressions: SuppressionEntry[]; scanErrors: ScanErrorEntry[]; maxDays: number } {
  const cfg = sectionOf(config);
  const maxDays = cfg['max-suppression-days'] ?? DEFAULT_MAX_SUPPRESSION_DAYS;
  const problems: string[] = [];
  const at = (path: Array<string | number>): string => {
    const pos = config.locate(path) ?? config.locate(path.slice(0, -1));
    return `${config.file ?? 'config'}${pos ? `:${pos.line}:${pos.column}` : ''}`;
  };
  const line = (path: Array<string | number>): string => {
    const pos = config.locate(path);
    return `${config.file ?? 'config'}${pos ? `:${pos.line}` : ''}`;
  };
  const nowMs = now.getTime();

  const checkCommon = (list: string, i: number, e: Record<string, string>) => {
    const key = `${SECTION}.${list}[${i}]`;
    if (!e.justification || e.justification.trim().length < 3) {
      problems.push(`${at([SECTION, list, i, 'justification'])}: ${key}.justification: say why this is acceptable (a few words at least)`);
    }
    let expiresMs = NaN;
    try {
      expiresMs = parseExpiry(e.expires, `${key}.expires`);
    } catch (err) {
      problems.push(`${at([SECTION, list, i, 'expires'])}: ${(err as Error).message}`);
    }
    if (!Number.isNaN(expiresMs) && expiresMs - nowMs > maxDays * DAY) {
      problems.push(
        `${at([SECTION, list, i, 'expires'])}: ${key}.expires: ${e.expires} is more than ${maxDays} days away (max-suppression-days); choose an earlier date and review the entry then`,
      );
    }
    return { key, where: line([SECTION, list, i]), justification: (e.justification ?? '').trim(), expires: String(e.expires), expiresMs, expired: !Number.isNaN(expiresMs) && expiresMs < nowMs, used: 0 };
  };

  const suppressions: SuppressionEntry[] = [];
  (cfg.suppressions ?? []).forEach((e, i) => {
    const common = checkCommon('suppressions', i, e);
    const key = common.key;
    const hasFp = e.fingerprint !== undefined;
    const hasFile = e.file !== undefined || e.test_id !== undefined;
    if (hasFp && hasFile) {
      problems.push(`${at([SECTION, 'suppressions', i])}: ${key}: give either "fingerprint" or "file" + "test_id", not both`);
    } else if (!hasFp && !hasFile) {
      problems.push(`${at([SECTION, 'suppressions', i])}: ${key}: says nothing to match: give "fingerprint" or "file" + "test_id"`);
    } else if (hasFp && !FINGERPRINT.test(e.fingerprint)) {
      problems.push(`${at([SECTION, 'suppressions', i, 'fingerprint'])}: ${key}.fingerprint: "${e.fingerprint}" is not a bandit-gate fingerprint (32 lowercase hex characters, see the SARIF file or the job summary)`);
    } else if (hasFile) {
      if (!e.file || !e.file.trim()) problems.push(`${at([SECTION, 'suppressions', i, 'file'])}: ${key}: "file" is required with "test_id"`);
      if (!e.test_id) problems.push(`${at([SECTION, 'suppressions', i, 'test_id'])}: ${key}: "test_id" (e.g. B602) is required with "file"`);
      else if (!TEST_ID.test(e.test_id)) problems.push(`${at([SECTION, 'suppressions', i, 'test_id'])}: ${key}.test_id: "${e.test_id}" is not a Bandit test id (B followed by three digits, e.g. B602)`);
    }
    suppressions.push({ ...common, fingerprint: e.fingerprint, file: e.file !== undefined ? normalizePath(e.file.trim(), cwd) : undefined, testId: e.test_id });
  });

  const scanErrors: ScanErrorEntry[] = [];
  (cfg['scan-errors'] ?? []).forEach((e, i) => {
    const common = checkCommon('scan-errors', i, e);
    if (!e.file || !e.file.trim()) problems.push(`${at([SECTION, 'scan-errors', i, 'file'])}: ${common.key}.file: must name a file`);
    scanErrors.push({ ...common, file: normalizePath((e.file ?? '').trim(), cwd) });
  });

  if (problems.length) throw new ConfigError(problems.join('\n'));
  return { suppressions, scanErrors, maxDays };
}
