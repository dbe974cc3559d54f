// Signature and signer of one provenance document, through chaingate's sigstore verification core.
import type { ProvenanceDoc } from './provenance.js';
import type { SignerIdentity } from './claims.js';

export type SignatureVerdict =
  | { ok: true; identity: SignerIdentity; detail: string }
  | { ok: false; reason: 'signature-invalid'; message: string }
  /** could not judge (trust material unusable, a log entry to look up online): never a pass */
  | { ok: false; reason: 'trusted-root-invalid' | 'rekor-required'; message: string; error: true };

export interface SignatureVerifier {
  verify(doc: ProvenanceDoc): Promise<SignatureVerdict>;
}

/** Build the in-process verifier for a trusted root (path) or, when absent, the embedded public-good root. */
export async function createSignatureVerifier(_trustedRootPath: string | undefined, _cwd: string): Promise<SignatureVerifier> {
  throw new Error('sigstore core not available yet (branch verify-cosign not merged)');
}
