// Fixtures in the shapes users download: cosign's legacy bundle (made from a mock-signed v0.1 bundle by the
// reverse of the mapping src/core/sigstore/formats.ts applies), detached signatures, gh JSONL, API answers.
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';

export interface LegacyCosignBundle {
  base64Signature: string;
  cert?: string;
  rekorBundle: {
    SignedEntryTimestamp: string;
    Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
  };
}

function pem(der: Buffer, type = 'CERTIFICATE'): string {
  const b = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${type}-----\n${b}\n-----END ${type}-----\n`;
}

/**
 * What `cosign sign-blob --bundle` (v1/v2) writes, from a v0.1 message-signature bundle signed by the mock
 * (hashedrekord entry with a SET). Keyless bundles get `cert`; key-pair bundles have none.
 */
export function toLegacyCosignBundle(b: SerializedBundle): LegacyCosignBundle {
  const j = b as unknown as {
    verificationMaterial: {
      x509CertificateChain?: { certificates: { rawBytes: string }[] };
      certificate?: { rawBytes: string };
      tlogEntries: { logIndex: string; logId: { keyId: string }; integratedTime: string; inclusionPromise?: { signedEntryTimestamp: string }; canonicalizedBody: string; kindVersion: { kind: string } }[];
    };
    messageSignature?: { signature: string };
  };
  if (!j.messageSignature) throw new Error('legacy bundles hold message signatures');
  const e = j.verificationMaterial.tlogEntries[0];
  if (!e?.inclusionPromise) throw new Error('the bundle needs a tlog entry with a SET');
  const certB64 = j.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes ?? j.verificationMaterial.certificate?.rawBytes;
  const out: LegacyCosignBundle = {
    base64Signature: j.messageSignature.signature,
    rekorBundle: {
      SignedEntryTimestamp: e.inclusionPromise.signedEntryTimestamp,
      Payload: { body: e.canonicalizedBody, integratedTime: Number(e.integratedTime), logIndex: Number(e.logIndex), logID: Buffer.from(e.logId.keyId, 'base64').toString('hex') },
    },
  };
  if (certB64) out.cert = Buffer.from(pem(Buffer.from(certB64, 'base64'))).toString('base64');
  return out;
}

/** The Rekor entry body of a legacy bundle, decoded. */
export function legacyBody(l: LegacyCosignBundle): Record<string, any> {
  return JSON.parse(Buffer.from(l.rekorBundle.Payload.body, 'base64').toString('utf8'));
}

export function withLegacyBody(l: LegacyCosignBundle, body: unknown): LegacyCosignBundle {
  const c = structuredClone(l);
  c.rekorBundle.Payload.body = Buffer.from(JSON.stringify(body)).toString('base64');
  return c;
}

/** Re-sign the SET with a fresh key (a log nobody trusts), optionally claiming another log ID. */
export function withForeignSet(l: LegacyCosignBundle, logID?: string): LegacyCosignBundle {
  const c = structuredClone(l);
  if (logID) c.rekorBundle.Payload.logID = logID;
  const p = c.rekorBundle.Payload;
  // Rekor's SET: ECDSA over the canonical JSON of {body, integratedTime, logID, logIndex} (keys sorted)
  const canonical = JSON.stringify({ body: p.body, integratedTime: p.integratedTime, logID: p.logID, logIndex: p.logIndex });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  c.rekorBundle.SignedEntryTimestamp = cryptoSign('sha256', Buffer.from(canonical), privateKey).toString('base64');
  return c;
}

/** `cosign sign-blob --output-signature sig --output-certificate cert.pem`: the two detached files. */
export function detachedFiles(b: SerializedBundle): { signature: string; certificatePem: string } {
  const l = toLegacyCosignBundle(b);
  return { signature: `${l.base64Signature}\n`, certificatePem: Buffer.from(l.cert ?? '', 'base64').toString('utf8') };
}

/** `gh attestation download` output: one `{"bundle": …}` per line. */
export function ghJsonl(bundles: unknown[]): string {
  return bundles.map((b) => JSON.stringify({ bundle: b, bundle_url: 'https://example.invalid/b' })).join('\n') + '\n';
}

/** The attestations REST API answer (`GET /repos/{o}/{r}/attestations/{digest}`). */
export function apiAnswer(bundles: unknown[]): { attestations: { bundle: unknown; repository_id: number }[] } {
  return { attestations: bundles.map((b) => ({ bundle: b, repository_id: 1 })) };
}
