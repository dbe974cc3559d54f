// Identity policy: who must have signed. Built from user inputs; every ambiguity is a usage error
// (SigstoreUsageError, an InputError) so a gate can never end up "verifying anything signed".
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { InputError } from '../types.js';
import { FULCIO_EXTENSION_NAMES, type FulcioExtensionName, type FulcioExtensions } from './extensions.js';

export class SigstoreUsageError extends InputError {
  override name = 'SigstoreUsageError';
}

export interface IdentityPolicyInput {
  /** exact certificate SAN (cosign --certificate-identity) */
  certificateIdentity?: string;
  /** regular expression for the SAN; must be anchored ^…$ (cosign --certificate-identity-regexp) */
  certificateIdentityRegexp?: string;
  /** exact OIDC issuer (cosign --certificate-oidc-issuer) */
  certificateOidcIssuer?: string;
  /** regular expression for the issuer; must be anchored ^…$ */
  certificateOidcIssuerRegexp?: string;
  /** Fulcio extensions that must equal these values exactly (e.g. sourceRepositoryURI, sourceRepositoryRef, buildConfigURI) */
  extensions?: FulcioExtensions;
  /** key-pair mode: a PEM public key instead of a keyless identity (cosign --key) */
  publicKeyPem?: string;
}

export type Matcher = { kind: 'exact'; value: string } | { kind: 'regexp'; source: string; re: RegExp };

export type IdentityPolicy =
  | { kind: 'keyless'; identity: Matcher; issuer: Matcher; extensions: FulcioExtensions }
  | { kind: 'key'; publicKey: KeyObject; fingerprint: string };

const present = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== '';

/** Escape a string so it matches itself literally in a JavaScript RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const exactRegExps = new Map<string, RegExp>();
const EXACT_REGEXP_MAX = 64;

/**
 * RegExp matching exactly `s` (escaped and anchored): what the library needs, since it treats strings as
 * unanchored regexes. Compiled once per string (verifyBundle asks for the policy's identity on every bundle):
 * the same source always compiles to the same pattern, and a RegExp without the g / y flags keeps no state
 * between `match` / `test` calls, so handing out the same object is exact.
 */
export function exactRegExp(s: string): RegExp {
  let re = exactRegExps.get(s);
  if (re === undefined) {
    if (exactRegExps.size >= EXACT_REGEXP_MAX) exactRegExps.clear();
    re = new RegExp(`^${escapeRegExp(s)}$`);
    exactRegExps.set(s, re);
  }
  return re;
}

/** True when the final `$` of a pattern is an anchor, not an escaped dollar (`\$`). */
function endsWithAnchor(p: string): boolean {
  if (!p.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = p.length - 2; i >= 0 && p[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * Compile a user regular expression that must be anchored at both ends. The body is re-wrapped as
 * `^(?:body)$` so a top-level alternation (`^a|b$`) cannot escape the anchors.
 */
export function anchoredRegExp(pattern: string, what: string): RegExp {
  const p = pattern.trim();
  if (!p.startsWith('^') || !endsWithAnchor(p) || p.length < 2) {
    throw new SigstoreUsageError(
      `${what} must be anchored: start it with ^ and end it with $ (got ${JSON.stringify(truncate(p))}). ` +
        'An unanchored pattern also matches look-alike identities such as https://github.com/org/repo-evil/…',
    );
  }
  const body = p.slice(1, -1);
  try {
    return new RegExp(`^(?:${body})$`);
  } catch (e) {
    throw new SigstoreUsageError(`${what} is not a valid JavaScript regular expression: ${(e as Error).message}`);
  }
}

function matcher(exact: string | undefined, regexp: string | undefined, what: string, flag: string): Matcher {
  if (present(exact) && present(regexp)) {
    throw new SigstoreUsageError(`give either ${flag} or ${flag}-regexp, not both`);
  }
  if (present(exact)) return { kind: 'exact', value: exact.trim() };
  if (present(regexp)) return { kind: 'regexp', source: regexp.trim(), re: anchoredRegExp(regexp, `${flag}-regexp`) };
  throw new SigstoreUsageError(
    `${what} is required: give ${flag} (exact) or ${flag}-regexp (anchored ^…$). Without it any signer would be accepted.`,
  );
}

export function matches(m: Matcher, value: string | undefined): boolean {
  if (value === undefined) return false;
  return m.kind === 'exact' ? value === m.value : m.re.test(value);
}

export function describeMatcher(m: Matcher): string {
  return m.kind === 'exact' ? m.value : `/${m.source}/`;
}

/** Build the identity policy, or throw SigstoreUsageError explaining what is missing or wrong. */
export function buildIdentityPolicy(input: IdentityPolicyInput): IdentityPolicy {
  const keyless =
    present(input.certificateIdentity) ||
    present(input.certificateIdentityRegexp) ||
    present(input.certificateOidcIssuer) ||
    present(input.certificateOidcIssuerRegexp) ||
    Object.values(input.extensions ?? {}).some(present);
  if (present(input.publicKeyPem)) {
    if (keyless) {
      throw new SigstoreUsageError('give either a public key (key-pair signatures) or a certificate identity and issuer (keyless), not both');
    }
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: input.publicKeyPem, format: 'pem' });
    } catch (e) {
      throw new SigstoreUsageError(`the public key is not a PEM public key: ${(e as Error).message}`);
    }
    if (publicKey.type !== 'public') throw new SigstoreUsageError('the key must be a public key');
    const fingerprint = `sha256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
    return { kind: 'key', publicKey, fingerprint };
  }
  const identity = matcher(input.certificateIdentity, input.certificateIdentityRegexp, 'a certificate identity', 'certificate-identity');
  const issuer = matcher(input.certificateOidcIssuer, input.certificateOidcIssuerRegexp, 'a certificate OIDC issuer', 'certificate-oidc-issuer');
  const extensions: FulcioExtensions = {};
  for (const [k, v] of Object.entries(input.extensions ?? {})) {
    if (!FULCIO_EXTENSION_NAMES.includes(k as FulcioExtensionName)) throw new SigstoreUsageError(`unknown Fulcio extension "${k}"`);
    if (present(v)) extensions[k as FulcioExtensionName] = v.trim();
  }
  return { kind: 'keyless', identity, issuer, extensions };
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
