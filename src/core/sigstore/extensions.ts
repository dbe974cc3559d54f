// Fulcio certificate extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md).
// 1.1–1.6 are deprecated and hold raw bytes; 1.8 onwards are DER-encoded UTF8String values.
import { DerError, decodeDerUtf8String, decodeRawUtf8 } from './der.js';

const BASE = '1.3.6.1.4.1.57264.1.';

export const FULCIO_EXTENSIONS = {
  issuerV1: { oid: `${BASE}1`, legacy: true },
  githubWorkflowTrigger: { oid: `${BASE}2`, legacy: true },
  githubWorkflowSha: { oid: `${BASE}3`, legacy: true },
  githubWorkflowName: { oid: `${BASE}4`, legacy: true },
  githubWorkflowRepository: { oid: `${BASE}5`, legacy: true },
  githubWorkflowRef: { oid: `${BASE}6`, legacy: true },
  issuer: { oid: `${BASE}8`, legacy: false },
  buildSignerURI: { oid: `${BASE}9`, legacy: false },
  buildSignerDigest: { oid: `${BASE}10`, legacy: false },
  runnerEnvironment: { oid: `${BASE}11`, legacy: false },
  sourceRepositoryURI: { oid: `${BASE}12`, legacy: false },
  sourceRepositoryDigest: { oid: `${BASE}13`, legacy: false },
  sourceRepositoryRef: { oid: `${BASE}14`, legacy: false },
  sourceRepositoryIdentifier: { oid: `${BASE}15`, legacy: false },
  sourceRepositoryOwnerURI: { oid: `${BASE}16`, legacy: false },
  sourceRepositoryOwnerIdentifier: { oid: `${BASE}17`, legacy: false },
  buildConfigURI: { oid: `${BASE}18`, legacy: false },
  buildConfigDigest: { oid: `${BASE}19`, legacy: false },
  buildTrigger: { oid: `${BASE}20`, legacy: false },
  runInvocationURI: { oid: `${BASE}21`, legacy: false },
  sourceRepositoryVisibilityAtSigning: { oid: `${BASE}22`, legacy: false },
} as const;

export type FulcioExtensionName = keyof typeof FULCIO_EXTENSIONS;
export const FULCIO_EXTENSION_NAMES = Object.keys(FULCIO_EXTENSIONS) as FulcioExtensionName[];
export type FulcioExtensions = Partial<Record<FulcioExtensionName, string>>;

const BY_OID = new Map<string, FulcioExtensionName>(FULCIO_EXTENSION_NAMES.map((n) => [FULCIO_EXTENSIONS[n].oid, n]));
/** the Fulcio extensions by their last arc (all share the arcs of BASE) */
const BY_LAST_ARC = new Map<number, FulcioExtensionName>(FULCIO_EXTENSION_NAMES.map((n) => [Number(FULCIO_EXTENSIONS[n].oid.slice(BASE.length)), n]));
const BASE_ARCS = BASE.slice(0, -1).split('.').map(Number); // 1.3.6.1.4.1.57264.1

/**
 * The extension's name, exactly as `BY_OID.get(e.oid?.id.join('.'))` (which stays the definition and handles
 * anything unusual) but without building a string per extension. When every arc is a safe integer, its
 * string has digits only (and perhaps a leading '-'), so the joined OID has exactly `id.length - 1` dots: it
 * can equal a Fulcio OID (8 dots) only with 9 arcs, each equal to the corresponding arc (String is one-to-one
 * on safe integers; -0 prints as "0" and equals 0).
 */
function extensionName(e: RawExtension): FulcioExtensionName | undefined {
  const id = e.oid?.id;
  if (Array.isArray(id) && id.every((a) => Number.isSafeInteger(a))) {
    if (id.length !== 9) return undefined;
    for (let k = 0; k < 8; k++) if (id[k] !== BASE_ARCS[k]) return undefined;
    return BY_LAST_ARC.get(id[8]);
  }
  const oid = e.oid?.id.join('.');
  return oid ? BY_OID.get(oid) : undefined;
}

/** One certificate extension as @sigstore/verify reports it: OID arcs and the extnValue bytes. */
export interface RawExtension {
  oid?: { id: number[] };
  value: Uint8Array;
}

export interface DecodedExtensions {
  values: FulcioExtensions;
  /** extensions present but not decodable (bad DER, bad UTF-8, duplicated): never trusted */
  malformed: FulcioExtensionName[];
}

/** Decode the Fulcio extensions of a certificate. Malformed or duplicated values are reported, never guessed. */
export function decodeFulcioExtensions(exts: readonly RawExtension[]): DecodedExtensions {
  const values: FulcioExtensions = {};
  const malformed = new Set<FulcioExtensionName>();
  const seen = new Set<FulcioExtensionName>();
  for (const e of exts) {
    const name = extensionName(e);
    if (!name) continue;
    if (seen.has(name)) {
      malformed.add(name);
      delete values[name];
      continue;
    }
    seen.add(name);
    try {
      const bytes = e.value instanceof Uint8Array ? e.value : new Uint8Array(e.value);
      values[name] = FULCIO_EXTENSIONS[name].legacy ? decodeRawUtf8(bytes) : decodeDerUtf8String(bytes);
    } catch (err) {
      if (!(err instanceof DerError)) throw err;
      malformed.add(name);
    }
  }
  for (const m of malformed) delete values[m];
  return { values, malformed: [...malformed] };
}

/** The OIDC issuer: the DER v2 extension (1.8) when present, else the deprecated raw v1 extension (1.1). */
export function issuerOf(d: DecodedExtensions): string | undefined {
  if (d.values.issuer !== undefined) return d.values.issuer;
  if (d.malformed.includes('issuer')) return undefined; // a broken v2 value is not replaced by v1
  return d.values.issuerV1;
}

/**
 * Extensions whose deprecated raw v1 twin carries the same OIDC claim. Fulcio has issued both since 2023
 * (oid-info.md); certificates from before carry only the v1 one, and cosign's
 * `--certificate-github-workflow-sha` / `-trigger` read only the v1 one (1.3 / 1.2).
 */
export const LEGACY_TWINS: Partial<Record<FulcioExtensionName, FulcioExtensionName>> = {
  sourceRepositoryDigest: 'githubWorkflowSha', // 1.13 ↔ 1.3: the commit SHA (claim `sha`)
  buildTrigger: 'githubWorkflowTrigger', // 1.20 ↔ 1.2: the event name (claim `event_name`)
};

/** `name (1.3.6.1.4.1.57264.1.N)`, for messages. */
export function describeExtension(name: FulcioExtensionName): string {
  return `${name} (${FULCIO_EXTENSIONS[name].oid})`;
}

export type ExtensionReading =
  | { ok: true; value: string | undefined; from?: FulcioExtensionName }
  | { ok: false; problem: 'malformed' | 'conflict'; message: string };

/**
 * The value a policy compares for extension `name`: the extension itself, else its legacy twin (LEGACY_TWINS)
 * holding the same claim. Never guessed: a malformed value on either side is not replaced by the other, and
 * two values that disagree prove neither (the caller fails).
 */
export function readExtension(d: DecodedExtensions, name: FulcioExtensionName): ExtensionReading {
  const twin = LEGACY_TWINS[name];
  for (const n of twin ? [name, twin] : [name]) {
    if (d.malformed.includes(n)) return { ok: false, problem: 'malformed', message: `certificate extension ${describeExtension(n)} is malformed (not a decodable value, or present twice)` };
  }
  const v = d.values[name];
  const legacy = twin ? d.values[twin] : undefined;
  if (v !== undefined && legacy !== undefined && v !== legacy) {
    return {
      ok: false,
      problem: 'conflict',
      message: `certificate extensions ${describeExtension(name)} ${JSON.stringify(v)} and its legacy twin ${describeExtension(twin as FulcioExtensionName)} ${JSON.stringify(legacy)} disagree: the certificate proves neither`,
    };
  }
  if (v !== undefined) return { ok: true, value: v, from: name };
  if (legacy !== undefined) return { ok: true, value: legacy, from: twin };
  return { ok: true, value: undefined };
}
