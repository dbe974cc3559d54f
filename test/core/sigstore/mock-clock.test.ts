// The mock Sigstore as a signing client in another process sees it: over plain HTTP, with no helper
// call to set its clocks. Regression for a CI flake in test/e2e/evidence.e2e.test.ts: the services kept the
// clock of the moment the mock was constructed, so a certificate issued later carried a notBefore older
// than the CA root (created a moment after construction), and verification failed with
// "certificate is not valid or expired at the specified date" whenever a second boundary fell in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness, TSAWitness } from '@sigstore/sign';
import { bundleToJSON } from '@sigstore/bundle';
import { MockSigstore, GITHUB_ISSUER, githubIdentity } from '../../helpers/sigstore.js';
import { buildIdentityPolicy, trustFromBytes, verifyBundle } from '../../../src/core/sigstore/index.js';

const IDENTITY = githubIdentity('acme/widget');
let ss: MockSigstore;

beforeAll(async () => {
  ss = await MockSigstore.start();
});
afterAll(async () => {
  await ss?.close();
});

function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'none', typ: 'JWT' })}.${b(claims)}.`;
}

describe('mock Sigstore signed over HTTP by an outside client', () => {
  it('issues certificates and log times at the time of the request, not at construction', async () => {
    await sleep(1_100); // a second boundary between construction and signing, every time
    const before = Math.floor(Date.now() / 1000) * 1000;
    const token = jwt({ sub: IDENTITY, iss: GITHUB_ISSUER, aud: 'sigstore' });
    const builder = new MessageSignatureBundleBuilder({
      signer: new FulcioSigner({ fulcioBaseURL: ss.url, identityProvider: { getToken: async () => token }, retry: 0 }),
      witnesses: [new RekorWitness({ rekorBaseURL: ss.url, retry: 0 }), new TSAWitness({ tsaBaseURL: ss.url, retry: 0 })],
    });
    const bundle = bundleToJSON(await builder.create({ data: Buffer.from('artifact') }));

    const leaf = bundle.verificationMaterial.certificate?.rawBytes ?? bundle.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes;
    expect(leaf).toBeTruthy();
    const cert = new X509Certificate(Buffer.from(leaf!, 'base64'));
    expect(Date.parse(cert.validFrom)).toBeGreaterThanOrEqual(before);
    const integrated = Number(bundle.verificationMaterial.tlogEntries[0]?.integratedTime) * 1000;
    expect(integrated).toBeGreaterThanOrEqual(before);

    const trust = trustFromBytes(JSON.stringify(ss.trustedRootJSON()), 'file', 'file');
    const policy = buildIdentityPolicy({ certificateIdentity: IDENTITY, certificateOidcIssuer: GITHUB_ISSUER });
    const r = verifyBundle({ bundle, artifact: { kind: 'bytes', bytes: Buffer.from('artifact') }, policy, trust });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});
