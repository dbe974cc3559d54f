// Verify the evidence Statement's sigstore bundle and its signer identity.
// TEMPORARY: a thin @sigstore/verify call until the shared core (src/core/sigstore, branch verify-cosign)
// is merged; then this file only maps the core's result to evidence-verify's reason codes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

export const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

export interface IdentityPolicyInput {
  identity?: string;
  identityRegexp?: string;
  issuer: string;
}

export type SignatureResult =
  | { ok: true; identity: string; issuer: string; payload: Buffer; payloadType: string }
  | { ok: false; reason: 'signature-invalid' | 'identity-mismatch'; message: string };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function loadRoot(path?: string): unknown {
  if (path) return JSON.parse(readFileSync(path, 'utf8'));
  const req = createRequire(import.meta.url);
  const seeds = req('@sigstore/tuf/seeds.json') as Record<string, { 'targets/trusted_root.json'?: string; targets?: Record<string, string> }>;
  const seed = seeds['https://tuf-repo-cdn.sigstore.dev'] as any;
  return JSON.parse(Buffer.from(seed.targets['trusted_root.json'], 'base64').toString('utf8'));
}

export async function verifyEvidenceSignature(bundleJson: unknown, policy: IdentityPolicyInput, opts: { trustedRootPath?: string; now: Date }): Promise<SignatureResult> {
  void opts.now;
  let bundle;
  try {
    bundle = bundleFromJSON(bundleJson);
  } catch (e) {
    return { ok: false, reason: 'signature-invalid', message: `not a valid sigstore bundle: ${(e as Error).message}` };
  }
  if (bundle.content.$case !== 'dsseEnvelope') return { ok: false, reason: 'signature-invalid', message: 'the sigstore bundle does not hold a DSSE envelope' };
  let verifier;
  try {
    verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(loadRoot(opts.trustedRootPath))), { tlogThreshold: 1, ctlogThreshold: 1 });
  } catch (e) {
    return { ok: false, reason: 'signature-invalid', message: `cannot load the trusted root: ${(e as Error).message}` };
  }
  const entity = toSignedEntity(bundle);
  let signer;
  try {
    signer = verifier.verify(entity);
  } catch (e) {
    return { ok: false, reason: 'signature-invalid', message: `signature does not verify: ${(e as Error).message}` };
  }
  const san = signer.identity?.subjectAlternativeName;
  const issuer = signer.identity?.extensions?.issuer;
  const re = policy.identity ? new RegExp(`^${escapeRegExp(policy.identity)}$`) : new RegExp(`^(?:${(policy.identityRegexp ?? '').replace(/^\^/, '').replace(/\$$/, '')})$`);
  if (!san || !re.test(san) || issuer !== policy.issuer) {
    return { ok: false, reason: 'identity-mismatch', message: `signed by ${san ?? '(no identity)'} (issuer ${issuer ?? '?'}), the policy wants ${policy.identity ?? policy.identityRegexp} (issuer ${policy.issuer})` };
  }
  const env = bundle.content.dsseEnvelope;
  return { ok: true, identity: san, issuer, payload: Buffer.from(env.payload), payloadType: env.payloadType };
}
