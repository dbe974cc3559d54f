import type { Finding, RuleInfo, Severity } from './types.js';
import { sep as pathSep } from 'node:path';
import { SUITE_VERSION } from './version.js';

export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  if (s === 'critical' || s === 'high') return 'error';
  if (s === 'medium') return 'warning';
  return 'note';
}

/** GitHub code scanning's `security-severity` (0.0–10.0) from our severity. */
function securitySeverity(s: Severity): string {
  return { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' }[s];
}

export interface SarifOptions {
  gate: string;
  rules: RuleInfo[];
  findings: Finding[];
  /** repository root: file paths in results are made relative to it (forward slashes) */
  informationUri?: string;
}

/**
 * SARIF 2.1.0, one run per gate. Results carry `partialFingerprints["chaingate/v1"]` (content-based, see
 * Fingerprinter) so code scanning keeps alert identity when lines move. Suppressed findings carry
 * `suppressions` (inSource for inline ignores, external for config entries).
 */
export function toSarif(opts: SarifOptions): object {
  const ruleIds = new Set(opts.findings.map((f) => f.rule));
  const rules = opts.rules.filter((r) => ruleIds.has(r.id) || true);
  for (const id of ruleIds) {
    if (!rules.some((r) => r.id === id)) {
      rules.push({ id, name: id, description: id, defaultSeverity: 'high' });
    }
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = opts.findings.slice(0, 25_000).map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [physical(f)],
      partialFingerprints: { 'chaingate/v1': f.fingerprint },
      properties: { severity: f.severity, ...(f.properties ?? {}) },
    };
    if (f.related?.length) {
      result.relatedLocations = f.related.map((r, i) => ({ id: i + 1, ...physical(r), message: { text: r.message } }));
    }
    if (f.suppressed) {
      result.suppressions = [
        {
          kind: f.suppressed.kind,
          status: 'accepted',
          justification: f.suppressed.justification,
          ...(f.suppressed.expires ? { properties: { expiryUtc: f.suppressed.expires } } : {}),
        },
      ];
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: `chaingate ${opts.gate}`,
            semanticVersion: SUITE_VERSION.replace(/^v/, ''),
            informationUri: opts.informationUri ?? 'https://github.com/chaingate/chaingate',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.description },
              fullDescription: { text: r.help ?? r.description },
              defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
              properties: { 'security-severity': securitySeverity(r.defaultSeverity), tags: ['security', 'supply-chain'] },
            })),
          },
        },
        automationDetails: { id: `chaingate/${opts.gate}/` },
        results,
      },
    ],
  };
}

/**
 * A file path as the URI reference SARIF's `artifactLocation.uri` must be (RFC 3986): `\\` → `/` on Windows, and every
 * character a URI path cannot hold (space, `%`, `#`, `?`, non-ASCII, …) percent-encoded as UTF-8, so that
 * `sp ace/ü.py` is `sp%20ace/%C3%BC.py` and a `#` in a name is not read as a fragment. A `:` in the first
 * segment of a relative path is encoded too (else it reads as a scheme). `sep` is the platform's path separator
 * (a parameter for tests): `\\` is a separator only where it is one.
 */
export function sarifUri(file: string, sep: string = pathSep): string {
  // `\` separates directories only on Windows; on POSIX it is a character of the name (`a\b.py` is one file)
  const path = sep === '\\' ? file.replace(/\\/g, '/') : file;
  const enc = (seg: string) =>
    Array.from(seg, (ch) => (/^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/.test(ch) ? ch : Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''))).join('');
  // a Windows absolute path (`C:\w\a.py`) is the file URI of that file, not a path under the source root
  const drive = sep === '\\' ? /^([A-Za-z]):\//.exec(path) : null;
  if (drive) return `file:///${drive[1]}:/${path.slice(3).split('/').map(enc).join('/')}`;
  const segs = path.split('/').map(enc);
  if (!path.startsWith('/') && segs[0].includes(':')) segs[0] = segs[0].replace(/:/g, '%3A');
  return segs.join('/');
}

function uriLocation(uri: string): { uri: string; uriBaseId?: string } {
  return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: '%SRCROOT%' };
}

function physical(l: { file: string; line: number; column: number; endLine?: number; endColumn?: number }) {
  const region: Record<string, number> = { startLine: Math.max(1, l.line), startColumn: Math.max(1, l.column) };
  if (l.endLine) region.endLine = l.endLine;
  if (l.endColumn) region.endColumn = l.endColumn;
  return {
    physicalLocation: {
      // an absolute URI (a Windows drive path) carries no uriBaseId (SARIF 3.4.3)
      artifactLocation: uriLocation(sarifUri(l.file)),
      region,
    },
  };
}
