// chaingate's in-process Sigstore verification core (no @actions/* imports; shared by verify-cosign,
// verify-slsa and the evidence bundle). Offline: nothing here touches the network except
// refreshPublicGoodTrust, which a caller must ask for.
//
// Typical use:
//   const trust = trustFromFile('trusted_root.json');            // or publicGoodTrust(), trustFromFile(p, 'github')
//   const policy = buildIdentityPolicy({                         // throws SigstoreUsageError (an InputError)
//     certificateIdentity: 'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.2.3',
//     certificateOidcIssuer: 'https://token.actions.githubusercontent.com',
//     extensions: { sourceRepositoryURI: 'https://github.com/org/repo' },
//   });
//   const r = verifyBundle({ bundle: readFileSync(b), artifact: { kind: 'bytes', bytes }, policy, trust,
//                            expect: { predicateType: 'https://slsa.dev/provenance/v1' } });
//   if (r.ok) … r.signer.identity, r.signer.issuer, r.signer.extensions, r.statement, r.verifiedDigest
//   else     … r.reason (one of SIGSTORE_FAILURE_REASONS), r.message
//
// Stable API: verifyBundle, VerifyResult (VerifySuccess | VerifyFailure), SIGSTORE_FAILURE_REASONS,
// buildIdentityPolicy, IdentityPolicyInput, SigstoreUsageError, publicGoodTrust, trustFromFile,
// trustFromBytes, refreshPublicGoodTrust, TrustRootError, LoadedTrust, Thresholds, FULCIO_EXTENSIONS,
// decodeFulcioExtensions, verifyPrehashed.
export {
  verifyBundle,
  classifyVerifyError,
  verifyPrehashed,
  SIGSTORE_FAILURE_REASONS,
  BUNDLE_MEDIA_TYPES,
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPES,
  UnsupportedKeyError,
} from './verify.js';
export type {
  ArtifactInput,
  InTotoStatement,
  SignerInfo,
  SigstoreFailureReason,
  VerifyBundleOptions,
  VerifyExpectations,
  VerifyFailure,
  VerifyResult,
  VerifySuccess,
} from './verify.js';
export { unwrapBundleInput, MAX_CANDIDATES } from './formats.js';
export type { BundleCandidate, BundleContainer, BundleFormat, UnwrapResult } from './formats.js';
export { buildIdentityPolicy, anchoredRegExp, exactRegExp, escapeRegExp, matches, describeMatcher, SigstoreUsageError } from './policy.js';
export type { IdentityPolicy, IdentityPolicyInput, Matcher } from './policy.js';
export {
  publicGoodTrust,
  publicGoodVersion,
  trustFromBytes,
  trustFromFile,
  refreshPublicGoodTrust,
  TrustRootError,
  DEFAULT_THRESHOLDS,
  GITHUB_THRESHOLDS,
  KEY_THRESHOLDS,
} from './trust.js';
export type { LoadedTrust, Thresholds, TrustInfo, TrustSource, RefreshOptions } from './trust.js';
export { FULCIO_EXTENSIONS, FULCIO_EXTENSION_NAMES, LEGACY_TWINS, decodeFulcioExtensions, describeExtension, issuerOf, readExtension } from './extensions.js';
export type { FulcioExtensionName, FulcioExtensions, DecodedExtensions, ExtensionReading, RawExtension } from './extensions.js';
export { decodeDerUtf8String, decodeRawUtf8, readTlv, DerError } from './der.js';
