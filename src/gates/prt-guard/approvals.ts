// Approvals / allowlist entries with a justification and an expiry (shared by prt-guard and gate-integrity).
import { basename } from 'node:path';
import { ConfigError } from '../../core/types.js';
import { parseExpiry } from '../../core/config.js';
import type { LoadedConfig } from '../../core/config.js';

export interface Approval {
  workflow: string;
  justification: string;
  expires: string;
  expiresMs: number;
  expired: boolean;
  rule?: string;
  job?: string;
  step?: string;
  index: number;
}

export function parseApprovals(config: LoadedConfig, section: string, key: string, now: Date): Approval[] {
  const sec = (config.config[section] ?? {}) as Record<string, unknown>;
  const list = sec[key];
  if (list === undefined) return [];
  const where = (i: number, k?: string) => {
    const pos = config.locate(k ? [section, key, i, k] : [section, key, i]) ?? config.locate([section, key]);
    return `${config.file ?? 'config'}${pos ? `:${pos.line}:${pos.column}` : ''}`;
  };
  if (!Array.isArray(list)) throw new ConfigError(`${where(0)}: ${section}.${key} must be a list`);
  return list.map((raw, i) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const workflow = typeof e.workflow === 'string' ? e.workflow.trim() : '';
    if (!workflow) throw new ConfigError(`${where(i)}: ${section}.${key}[${i}]: \`workflow\` is required`);
    const justification = typeof e.justification === 'string' ? e.justification.trim() : '';
    if (!justification) throw new ConfigError(`${where(i)}: ${section}.${key}[${i}] (${workflow}): a \`justification\` is required`);
    if (e.expires === undefined || e.expires === null || e.expires === '') throw new ConfigError(`${where(i)}: ${section}.${key}[${i}] (${workflow}): an \`expires\` date (YYYY-MM-DD) is required`);
    const expiresStr = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires);
    const expiresMs = parseExpiry(expiresStr, `${where(i, 'expires')}: ${section}.${key}[${i}].expires`);
    return {
      workflow,
      justification,
      expires: expiresStr,
      expiresMs,
      expired: expiresMs < now.getTime(),
      rule: typeof e.rule === 'string' ? e.rule : undefined,
      job: typeof e.job === 'string' ? e.job : undefined,
      step: typeof e.step === 'string' ? e.step : undefined,
      index: i,
    };
  });
}

/** Does an approval's `workflow` name this file (path, path suffix, file name) or its `name:`? */
export function approvalMatches(a: Approval, file: string, workflowName?: string): boolean {
  const w = a.workflow.replace(/^\.\//, '');
  const f = file.replace(/\\/g, '/');
  if (w === f || f.endsWith(`/${w}`)) return true;
  if (!w.includes('/') && (basename(f) === w || basename(f).endsWith(`__${w}`))) return true;
  if (w.startsWith('.github/workflows/') && basename(f).endsWith(`__${basename(w)}`) && f.includes('.github__workflows__')) return true;
  return !!workflowName && workflowName.trim() === w;
}
