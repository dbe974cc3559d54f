// In-process verification throughput: bundles verified per second (one core), beside the cost of the
// ECDSA verifications such a bundle needs (crypto.verify alone). Goal: ≥ 1,000 bundles/s.
// A mock-Sigstore bundle with a TSA timestamp and a Rekor entry needs 6 ECDSA P-256 verifications:
// leaf certificate (CA signature), SCT, Rekor SET, Rekor checkpoint, RFC 3161 timestamp, artifact signature.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { MockSigstore, githubClaims, githubIdentity, sha256Hex, statement } from '../test/helpers/sigstore.js';
import { buildIdentityPolicy, trustFromBytes, verifyBundle } from '../src/core/sigstore/index.js';

const ECDSA_PER_BUNDLE = 6;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

function rate(fn: () => void): number {
  for (let i = 0; i < 50; i++) fn(); // warm-up
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < end) {
    fn();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

const ss = await MockSigstore.start();
const identity = githubIdentity('acme/widget');
const trust = trustFromBytes(JSON.stringify(ss.trustedRootJSON()), 'file', 'file');
const policy = buildIdentityPolicy({ certificateIdentity: identity, certificateOidcIssuer: 'https://token.actions.githubusercontent.com' });
const blobs: { bundle: string; data: Buffer }[] = [];
const atts: { bundle: string; data: Buffer }[] = [];
for (let i = 0; i < 16; i++) {
  const data = Buffer.from(`artifact ${i} `.repeat(100));
  blobs.push({ bundle: JSON.stringify(await ss.signBlob(data, { identity, github: githubClaims('acme/widget') })), data });
  atts.push({
    bundle: JSON.stringify(await ss.signStatement(statement([{ name: `a${i}`, digest: { sha256: sha256Hex(data) } }]), { identity, github: githubClaims('acme/widget') })),
    data,
  });
}
await ss.close();

let i = 0;
const blobRate = rate(() => {
  const b = blobs[i++ % blobs.length];
  const r = verifyBundle({ bundle: b.bundle, artifact: { kind: 'bytes', bytes: b.data }, policy, trust });
  if (!r.ok) throw new Error(r.message);
});
const digestRate = rate(() => {
  const b = blobs[i++ % blobs.length];
  const r = verifyBundle({ bundle: b.bundle, artifact: { kind: 'digest', digest: sha256Hex(b.data) }, policy, trust });
  if (!r.ok) throw new Error(r.message);
});
const attRate = rate(() => {
  const b = atts[i++ % atts.length];
  const r = verifyBundle({ bundle: b.bundle, artifact: { kind: 'bytes', bytes: b.data }, policy, trust, expect: { predicateType: 'https://slsa.dev/provenance/v1' } });
  if (!r.ok) throw new Error(r.message);
});

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const msg = Buffer.from('x'.repeat(1400));
const sig = sign('sha256', msg, privateKey);
const ecdsaRate = rate(() => {
  if (!verify('sha256', msg, publicKey, sig)) throw new Error('bad');
});
const ecdsaBundleEquivalent = ecdsaRate / ECDSA_PER_BUNDLE;

const fmt = (n: number) => n.toFixed(0).padStart(7);
console.log(`ECDSA P-256 crypto.verify alone:        ${fmt(ecdsaRate)} /s  → ${fmt(ecdsaBundleEquivalent)} bundles/s if only the ${ECDSA_PER_BUNDLE} verifications cost`);
console.log(`blob bundle (artifact bytes):           ${fmt(blobRate)} bundles/s  ratio ${(blobRate / ecdsaBundleEquivalent).toFixed(2)} of the ECDSA bound`);
console.log(`blob bundle (digest only, @noble ECDSA): ${fmt(digestRate)} bundles/s  ratio ${(digestRate / ecdsaBundleEquivalent).toFixed(2)}`);
console.log(`DSSE in-toto attestation:               ${fmt(attRate)} bundles/s  ratio ${(attRate / ecdsaBundleEquivalent).toFixed(2)}`);
console.log(`goal ≥ 1000 bundles/s on one core: ${blobRate >= 1000 ? 'met' : 'NOT met'} (blob), ${attRate >= 1000 ? 'met' : 'NOT met'} (attestation)`);
