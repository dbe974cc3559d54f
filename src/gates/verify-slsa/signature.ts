// Signature and signer of one provenance document, through chaingate's sigstore verification core
// (src/core/sigstore). The core verifies the bundle (certificate chain, SCTs, log entries, timestamps)
// against the trust material and returns the signer; the SLSA claims on that signer (issuer, builder,
// caller repository) are checked by claims.ts so each one shows in the summary with its own reason.
import { buildIdentityPolicy, publicGoodTrust, trustFromFile, verifyBundle, type LoadedTrust } from '../../core/sigstore/index.js';
import type { ProvenanceDoc } from './provenance.js';
import type { SignerIdentity } from './claims.js';

export type SignatureVerdict =
  | { ok: true; identity: SignerIdentity; detail: string }
  | { ok: false; reason: 'signature-invalid'; message: string }
  /** could not judge (a log entry to look up online): never a pass */
  | { ok: false; reason: 'rekor-required'; message: string; error: true };

export interface SignatureVerifier {
  trust: string;
  /** sha256 of the trusted_root.json in use, and its version, for the record */
  trustSha256: string;
  trustVersion: string;
  verify(doc: ProvenanceDoc): Promise<SignatureVerdict>;
}

/** Content checks the core also makes; verify-slsa makes them itself (per claim), so they do not void the signature. */
const CONTENT_REASONS = new Set(['payload-type-mismatch', 'statement-malformed', 'predicate-type-mismatch', 'subject-digest-mismatch']);

/**
 * Any GitHub-or-other keyless signer passes the core's policy filter; the claims decide who is trusted.
 * (Both patterns are anchored, as the core requires.)
 */
const ANY_SIGNER = buildIdentityPolicy({ certificateIdentityRegexp: '^.+$', certificateOidcIssuerRegexp: '^.+$' });

/** Build the in-process verifier for a trusted root file or, when absent, the public-good root embedded in chaingate. */
export async function createSignatureVerifier(trustedRootPath: string | undefined, instance: 'public-good' | 'github' = 'public-good'): Promise<SignatureVerifier> {
  const trust: LoadedTrust = trustedRootPath ? trustFromFile(trustedRootPath, instance === 'github' ? 'github' : 'file') : publicGoodTrust();
  return {
    trust: trust.info.source,
    trustSha256: trust.info.sha256,
    trustVersion: trust.info.version,
    async verify(doc) {
      if (doc.format !== 'sigstore-bundle' || !doc.bundle) {
        return {
          ok: false,
          reason: 'rekor-required',
          error: true,
          message: 'a DSSE envelope without a sigstore bundle carries no log entry or timestamp: its signing time can only be proved by a Rekor lookup (use mode slsa-verifier or auto)',
        };
      }
      const r = verifyBundle({ bundle: doc.bundle, artifact: { kind: 'none' }, policy: ANY_SIGNER, trust, expect: { content: 'dsse' } });
      // The signature must be this document's own: exactly the bundle handed in (not one unwrapped from a
      // container inside it), and, when it verified, over exactly the payload the claims are read from.
      if (r.container !== undefined && (r.container !== 'file' || r.candidates !== 1)) {
        return { ok: false, reason: 'signature-invalid', message: `the document is a ${r.container} wrapper of ${r.candidates} bundle(s), not one Sigstore bundle` };
      }
      if (r.ok && (r.payloadType !== doc.envelope.payloadType || !r.payload?.equals(Buffer.from(doc.envelope.payload, 'base64')))) {
        return { ok: false, reason: 'signature-invalid', message: 'the verified DSSE payload is not the document\'s envelope' };
      }
      const signer = r.ok ? r.signer : CONTENT_REASONS.has(r.reason) ? r.signer : undefined;
      if (!signer || signer.kind !== 'certificate' || !signer.identity) {
        const why = r.ok ? 'the bundle is not signed with a Fulcio certificate' : `${r.reason}: ${r.message}`;
        return { ok: false, reason: 'signature-invalid', message: why };
      }
      const identity: SignerIdentity = {
        san: signer.identity,
        issuer: signer.issuer,
        sourceRepositoryUri: signer.extensions.sourceRepositoryURI,
        sourceRepositoryRef: signer.extensions.sourceRepositoryRef,
        buildConfigUri: signer.extensions.buildConfigURI,
      };
      const detail = r.ok ? `verified (bundle v${r.bundleVersion}, ${r.tlogEntries} tlog entr${r.tlogEntries === 1 ? 'y' : 'ies'}, ${r.timestamps.tsa} RFC 3161 timestamp(s))` : 'verified';
      return { ok: true, identity, detail };
    },
  };
}
