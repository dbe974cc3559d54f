import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { ConfigError } from './types.js';
import { fsErrorText } from './files.js';
import { parseYaml, posOf, resolve, isMap, isSeq, mapGetPair, type ParsedYaml, type YNode } from './yaml.js';

export const DEFAULT_CONFIG_PATH = '.github/chaingate.yml';

/** The whole configuration file. Each gate reads its own section (`config[gateId]`). */
export interface ChaingateConfig {
  version?: number;
  records?: { mode?: 'strict' | 'best-effort'; path?: string };
  [section: string]: unknown;
}

export interface LoadedConfig {
  /** path as given/relative to the workspace, for messages */
  file: string | null;
  config: ChaingateConfig;
  /** position of a key path inside the file, for findings that point into the config */
  locate(path: Array<string | number>): { line: number; column: number } | undefined;
}

/**
 * Load `.github/chaingate.yml` (or `path`). A missing default file is an empty config; a missing file that
 * was asked for by name is an error. Validation errors name file:line:col and the offending key.
 */
export async function loadConfig(root: string, path?: string): Promise<LoadedConfig> {
  const explicit = !!path;
  const rel = path ?? DEFAULT_CONFIG_PATH;
  const abs = isAbsolute(rel) ? rel : join(root, rel);
  const shown = isAbsolute(rel) ? relative(root, abs) || abs : rel;
  if (!existsSync(abs)) {
    if (explicit) throw new ConfigError(`${shown}: configuration file not found`);
    return { file: null, config: {}, locate: () => undefined };
  }
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const isDir = (e as NodeJS.ErrnoException).code === 'EISDIR';
    throw new ConfigError(`${shown}: cannot read configuration: ${fsErrorText(e)}${isDir ? '; give the path of the file, e.g. .github/chaingate.yml' : ''}`);
  }
  return parseConfigText(text, shown);
}

export async function parseConfigText(text: string, shown: string): Promise<LoadedConfig> {
  const p = parseYaml(text);
  if (p.errors.length) {
    const e = p.errors[0];
    throw new ConfigError(`${shown}:${e.line}:${e.column}: invalid YAML: ${e.message}`);
  }
  if (p.docs.length > 1) throw new ConfigError(`${shown}: expected one YAML document, found ${p.docs.length}`);
  const doc = p.docs[0];
  const value = (doc ? doc.toJS({ maxAliasCount: 1000 }) : null) ?? {};
  const locate = (path: Array<string | number>) => locateIn(p, path);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${shown}:1:1: the configuration must be a mapping`);
  }
  // ajv and the schema are loaded only when there is a configuration to validate (they cost cold start otherwise)
  const { validateAgainst, configSchema } = await import('./schema.js');
  const problems = validateAgainst(configSchema, value);
  if (problems.length) {
    const lines = problems.slice(0, 10).map((pr) => {
      const parts = pr.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const keyish = /unknown key|missing required key/.test(pr.message);
      const pos = (keyish ? locate(parts) : locateIn(p, parts, 'value')) ?? locate(parts.slice(0, -1)) ?? { line: 1, column: 1 };
      const key = parts.length ? parts.join('.') : '(root)';
      return `${shown}:${pos.line}:${pos.column}: ${key}: ${pr.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  return { file: shown, config: value as ChaingateConfig, locate };
}

function locateIn(p: ParsedYaml, path: Array<string | number>, want: 'key' | 'value' = 'key'): { line: number; column: number } | undefined {
  const doc = p.docs[0];
  if (!doc) return undefined;
  let node: YNode | null = doc.contents as YNode | null;
  let keyNode: YNode | null = null;
  for (const seg of path) {
    node = resolve(doc, node);
    if (isMap(node)) {
      const pair = mapGetPair(doc, node, String(seg));
      if (!pair) return undefined;
      keyNode = pair.key as YNode;
      node = pair.value as YNode | null;
    } else if (isSeq(node)) {
      const i = typeof seg === 'number' ? seg : Number(seg);
      node = (node.items[i] as YNode) ?? null;
      keyNode = node;
    } else return undefined;
  }
  const pos = posOf(p, want === 'value' ? node ?? keyNode : keyNode ?? node);
  return pos ? { line: pos.line, column: pos.column } : undefined;
}

/** Parse a duration: `7d`, `168h`, `30m`, `90s`, `2w`, or ISO-8601 `P7D` / `PT12H` / `P1DT2H`. Returns ms. */
export function parseDuration(s: string, what = 'duration'): number {
  const t = s.trim();
  const simple = /^(\d+(?:\.\d+)?)\s*(w|d|h|m|s)$/i.exec(t);
  if (simple) {
    const n = Number(simple[1]);
    const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[simple[2].toLowerCase() as 'w'];
    if (n > 0) return n * unit;
  }
  const iso = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(t);
  if (iso && t.toUpperCase() !== 'P' && !/T$/i.test(t)) {
    const [, w, d, h, m, sec] = iso.map((x) => (x === undefined ? 0 : Number(x))) as number[];
    const ms = w * 604_800_000 + d * 86_400_000 + h * 3_600_000 + m * 60_000 + sec * 1000;
    if (ms > 0) return ms;
  }
  throw new ConfigError(`${what}: "${s}" is not a duration (use e.g. 7d, 168h, 30m or ISO-8601 P7D)`);
}

/** A strict ISO date or date-time for `expires:` fields; returns ms since epoch. */
export function parseExpiry(s: unknown, what: string): number {
  const str = s instanceof Date ? s.toISOString() : String(s ?? '');
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(str)) {
    throw new ConfigError(`${what}: "${str}" is not a date (use YYYY-MM-DD)`);
  }
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(str) ? `${str}T23:59:59Z` : str);
  if (Number.isNaN(ms)) throw new ConfigError(`${what}: "${str}" is not a valid date`);
  return ms;
}
