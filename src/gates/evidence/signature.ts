// Verify the evidence Statement's sigstore bundle and its signer identity with the shared sigstore core
// (src/core/sigstore: the same identity policy as verify-cosign), and map its bounded failure reasons to
// evidence-verify's.
import {
  buildIdentityPolicy,
  publicGoodTrust,
  trustFromFile,
  verifyBundle,
  TrustRootError,
  type IdentityPolicy,
  type LoadedTrust,
  type SigstoreFailureReason,
} from '../../core/sigstore/index.js';
import { INTOTO_PAYLOAD_TYPE, PREDICATE_TYPE } from './format.js';

export const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

export interface IdentityInputs {
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer: string;
}

/** Throws SigstoreUsageError (an InputError) for an ambiguous or unanchored policy. */
export function evidenceIdentityPolicy(i: IdentityInputs): IdentityPolicy {
  return buildIdentityPolicy({ certificateIdentity: i.certificateIdentity, certificateIdentityRegexp: i.certificateIdentityRegexp, certificateOidcIssuer: i.certificateOidcIssuer });
}

export type SignatureReason = 'signature-invalid' | 'identity-mismatch' | 'statement-invalid';

export type SignatureResult =
  | { ok: true; identity: string; issuer: string; payload: Buffer; payloadType: string }
  | { ok: false; reason: SignatureReason; message: string };

const IDENTITY: SigstoreFailureReason[] = ['identity-mismatch', 'issuer-mismatch', 'extension-mismatch'];
const STATEMENT: SigstoreFailureReason[] = ['payload-type-mismatch', 'statement-malformed', 'predicate-type-mismatch'];

/** Load the trust root: the given trusted_root.json, else the public-good root embedded in @sigstore/tuf. */
export function loadTrust(path?: string): LoadedTrust {
  return path ? trustFromFile(path) : publicGoodTrust();
}

export { TrustRootError };

export function verifyEvidenceSignature(bundleJson: unknown, policy: IdentityPolicy, trust: LoadedTrust, now: Date): SignatureResult {
  const r = verifyBundle({
    bundle: bundleJson,
    artifact: { kind: 'none' }, // the subject is checked by evidence-verify itself (its own reason code)
    policy,
    trust,
    expect: { content: 'dsse', payloadType: INTOTO_PAYLOAD_TYPE, predicateType: PREDICATE_TYPE },
    now,
  });
  if (!r.ok) {
    const reason: SignatureReason = IDENTITY.includes(r.reason) ? 'identity-mismatch' : STATEMENT.includes(r.reason) ? 'statement-invalid' : 'signature-invalid';
    const who = r.signer?.identity ? ` (signed by ${r.signer.identity}, issuer ${r.signer.issuer ?? '?'})` : '';
    return { ok: false, reason, message: `${r.reason}: ${r.message}${reason === 'identity-mismatch' ? who : ''}` };
  }
  // Verified: the signed Statement is the payload the core verified — never one read again from the file (a
  // wrapper could put an unsigned envelope beside the verified bundle). A file that is not exactly one bundle
  // (JSON Lines, an attestations API answer) is not evidence-bundle's output.
  if (r.container !== 'file' || r.candidates !== 1) {
    return { ok: false, reason: 'signature-invalid', message: `the signature file holds ${r.candidates} bundle(s) in a ${r.container} wrapper, not exactly one Sigstore bundle` };
  }
  if (!r.payload) return { ok: false, reason: 'signature-invalid', message: 'the verified bundle has no DSSE payload' };
  return { ok: true, identity: r.signer.identity ?? '', issuer: r.signer.issuer ?? '', payload: r.payload, payloadType: r.payloadType ?? '' };
}
