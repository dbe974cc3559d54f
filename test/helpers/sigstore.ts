// Test fixtures for sigstore: a mock Sigstore instance (Fulcio CA + CT log, Rekor, TSA from @sigstore/mock)
// served over a real HTTP server on 127.0.0.1, and signing helpers built on @sigstore/sign.
//
//   const ss = await MockSigstore.start();
//   const bundle = await ss.signBlob(Buffer.from('hello'), { identity: GITHUB_IDENTITY, github: GITHUB_CLAIMS });
//   const root = ss.trustedRootJSON();           // trusted_root.json built from the mock keys
//   ss.writeFiles(dir, { bundle, root });         // for CLI / e2e tests
//   await ss.close();
//
// Known traps handled here (see shared/REFERENCE.md): the TSA gets a whole-second clock (fractional-second
// GeneralizedTime does not always parse); DSSE bundles use a Rekor witness with entryType 'intoto'.
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, createHash, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initializeCA, initializeCTLog, initializeTLog, initializeTSA, fulcioHandler, rekorHandler, rekorV2Handler, tsaHandler } from '@sigstore/mock';
import type { HandlerFn } from '@sigstore/mock';
import type { CA, ExtensionValue } from '@sigstore/mock/dist/fulcio/ca.js';
import {
  DSSEBundleBuilder,
  FulcioSigner,
  MessageSignatureBundleBuilder,
  RekorWitness,
  TSAWitness,
  type Signer,
  type Witness,
} from '@sigstore/sign';
import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { HashAlgorithm, PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** GitHub Actions OIDC claims the mock Fulcio turns into Fulcio extensions (same mapping as real Fulcio). */
export interface GitHubClaims {
  /** `org/repo` → 1.5 (legacy) and 1.12 `https://github.com/org/repo` */
  repository?: string;
  /** `refs/tags/v1.0.0` → 1.6 (legacy) and 1.14 */
  ref?: string;
  /** commit sha → 1.3 (legacy) and 1.13 */
  sha?: string;
  /** workflow name → 1.4 (legacy) */
  workflow?: string;
  /** `org/repo/.github/workflows/release.yml@refs/tags/v1.0.0` → 1.18 build config URI (with https://github.com/) */
  workflow_ref?: string;
  /** reusable workflow ref → 1.9 build signer URI (with https://github.com/) */
  job_workflow_ref?: string;
  /** `push`, `workflow_dispatch` … → 1.2 (legacy) and 1.20 */
  event_name?: string;
  /** `github-hosted` → 1.11 */
  runner_environment?: string;
  repository_owner?: string;
  repository_id?: string;
  repository_owner_id?: string;
  repository_visibility?: string;
  workflow_sha?: string;
  job_workflow_sha?: string;
  run_id?: string;
  run_attempt?: string;
}

/** The SAN a GitHub Actions workflow certificate carries (the workflow file at a ref). */
export function githubIdentity(repo: string, workflowPath = '.github/workflows/release.yml', ref = 'refs/tags/v1.0.0'): string {
  return `https://github.com/${repo}/${workflowPath}@${ref}`;
}

/** Claims as GitHub sets them for a tag-push release workflow of `repo`. */
export function githubClaims(repo: string, ref = 'refs/tags/v1.0.0', workflowPath = '.github/workflows/release.yml'): GitHubClaims {
  return {
    repository: repo,
    ref,
    sha: 'c0ffee'.padEnd(40, '0'),
    workflow: 'release',
    workflow_ref: `${repo}/${workflowPath}@${ref}`,
    job_workflow_ref: `${repo}/${workflowPath}@${ref}`,
    event_name: 'push',
    runner_environment: 'github-hosted',
    repository_owner: repo.split('/')[0],
    repository_id: '123456',
    repository_owner_id: '654321',
    repository_visibility: 'public',
    run_id: '4242',
    run_attempt: '1',
  };
}

export interface SignOptions {
  /** certificate SAN (the OIDC `sub` the mock Fulcio copies into the SAN). Default: a GitHub workflow identity. */
  identity?: string;
  /** OIDC issuer (→ Fulcio issuer extensions 1.1 and 1.8). Default: GitHub's. */
  issuer?: string;
  /** GitHub claims → Fulcio extensions (source repository, ref, workflow …). Default: none besides the issuer. */
  github?: GitHubClaims;
  /** transparency log entry: 'v1' (default: hashedrekord / intoto with SET + inclusion proof) or none.
   *  (The mock's Rekor v2 answers with an inclusion proof whose index does not match its tree: unusable.) */
  tlog?: 'v1' | false;
  /** RFC 3161 timestamp from the mock TSA (default true) */
  tsa?: boolean;
  /** use this key pair instead of Fulcio (cosign `--key` style; bundle carries a public-key hint) */
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
  /** hint recorded in a key-pair bundle (default: sha256 of the public key) */
  keyHint?: string;
  /** bundle format version (default '0.3', what cosign 3 writes): 0.1/0.2 carry an x509CertificateChain */
  version?: BundleVersion;
  /** edit the Fulcio extensions the mock CA derives from the claims: certificates real Fulcio issued in other
   *  eras (e.g. only the legacy 1.3 without 1.13) or that no CA should issue (two values that disagree) */
  certExtensions?: CertExtensionEdit;
}

/** Fulcio extensions to drop (by OID) and to add or replace (`legacy`: raw bytes, as 1.1–1.6; else DER UTF8String). */
export interface CertExtensionEdit {
  drop?: string[];
  set?: ExtensionValue[];
}

/** the (unsigned, test-only) token claim that carries a CertExtensionEdit to the mock Fulcio */
const EDIT_CLAIM = 'x_chaingate_test_cert_extensions';

export interface InTotoSubject {
  name: string;
  digest: Record<string, string>;
}

export interface InTotoStatement {
  _type: string;
  subject: InTotoSubject[];
  predicateType: string;
  predicate: unknown;
}

/** An in-toto Statement v1 over `subjects`. */
export function statement(subjects: InTotoSubject[], predicateType = SLSA_PROVENANCE_V1, predicate: unknown = {}): InTotoStatement {
  return { _type: 'https://in-toto.io/Statement/v1', subject: subjects, predicateType, predicate };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };

function ecKeyPair(): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** An unsigned JWT: the mock Fulcio decodes the claims without checking a signature. */
function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.`;
}

function wholeSecond(d: Date): number {
  return Math.floor(d.getTime() / 1000) * 1000;
}

export interface MockSigstoreOptions {
  /** start of validity recorded in the trusted root for every authority (default: one day before start) */
  validFrom?: Date;
}

/**
 * A private Sigstore instance for tests. All services answer on one loopback HTTP server; each instance
 * has fresh keys, so a bundle from one instance does not verify against another instance's root.
 */
export class MockSigstore {
  /** mutable clocks handed to the mock services; set to now on each request (TSA: whole seconds) */
  private readonly caClock = new Date();
  private readonly tsaClock = new Date(wholeSecond(new Date()));
  private readonly tlogClock = new Date();
  private server!: Server;
  url = '';
  private handlers = new Map<string, HandlerFn>();
  private caRoot!: Buffer;
  private ctlogKey!: Buffer;
  private ctlogId!: Buffer;
  private tlogKey!: Buffer;
  private tsaRoot!: Buffer;
  private tsaInt!: Buffer;
  readonly validFrom: Date;

  private constructor(opts: MockSigstoreOptions) {
    this.validFrom = opts.validFrom ?? new Date(Date.now() - 24 * 3600 * 1000);
  }

  static async start(opts: MockSigstoreOptions = {}): Promise<MockSigstore> {
    const ss = new MockSigstore(opts);
    await ss.listen();
    await ss.init();
    return ss;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const fn = req.method === 'POST' ? this.handlers.get((req.url ?? '').split('?')[0]) : undefined;
        if (!fn) {
          res.writeHead(404).end('not found');
          return;
        }
        // Every service reads "now" when asked, as the real ones do. A client signing over HTTP (a dist/
        // bundle in another process) never calls signBlob, so clocks set only there stayed at construction
        // time: older than the CA root made a moment later in init(), and a certificate "not valid at the
        // specified date" whenever a second boundary fell in between (a CI flake).
        this.tick();
        fn(Buffer.concat(chunks).toString('utf8')).then(
          ({ statusCode, response, contentType }) => {
            res.writeHead(statusCode, { 'Content-Type': contentType ?? 'text/plain' });
            res.end(typeof response === 'string' ? response : Buffer.from(response.buffer, response.byteOffset, response.byteLength));
          },
          (e: unknown) => res.writeHead(500).end(String(e)),
        );
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('mock sigstore: no address');
    this.url = `http://127.0.0.1:${addr.port}`;
  }

  private async init(): Promise<void> {
    const caKeys = ecKeyPair();
    const ctKeys = ecKeyPair();
    const tlogKeys = ecKeyPair();
    const tsaKeys = ecKeyPair();
    const ctlog = await initializeCTLog(ctKeys, this.caClock);
    const ca = await initializeCA(caKeys, ctlog, this.caClock);
    const tlog = await initializeTLog(this.url, tlogKeys, this.tlogClock);
    const tsa = await initializeTSA(tsaKeys, this.tsaClock);
    // The mock Fulcio maps the token claims to extensions itself (as real Fulcio: `sha` → 1.3 and 1.13 …). A
    // certificate with other extensions is asked for with an EDIT_CLAIM in the token: the handler wrapper reads
    // it and the CA wrapper applies it. The handler calls issueCertificate synchronously (before its first
    // await), so `pending` is set exactly for that call.
    let pending: CertExtensionEdit | undefined;
    const editedCa: CA = {
      get rootCertificate() {
        return ca.rootCertificate;
      },
      issueCertificate: (o) => {
        const edit = pending;
        pending = undefined;
        if (!edit) return ca.issueCertificate(o);
        const drop = new Set([...(edit.drop ?? []), ...(edit.set ?? []).map((e) => e.oid)]);
        return ca.issueCertificate({ ...o, extensions: [...(o.extensions ?? []).filter((e) => !drop.has(e.oid)), ...(edit.set ?? [])] });
      },
    };
    const fulcio = fulcioHandler(editedCa);
    const fulcioFn: HandlerFn = (body) => {
      pending = editOf(body);
      try {
        return fulcio.fn(body);
      } finally {
        pending = undefined;
      }
    };
    for (const h of [{ path: fulcio.path, fn: fulcioFn }, rekorHandler(tlog), rekorV2Handler(tlog), tsaHandler(tsa)]) this.handlers.set(h.path, h.fn);
    this.caRoot = Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength);
    this.ctlogKey = ctlog.publicKey;
    this.ctlogId = Buffer.from(ctlog.logID.buffer, ctlog.logID.byteOffset, ctlog.logID.byteLength);
    this.tlogKey = tlog.publicKey;
    this.tsaRoot = Buffer.from(tsa.rootCertificate.buffer, tsa.rootCertificate.byteOffset, tsa.rootCertificate.byteLength);
    this.tsaInt = Buffer.from(tsa.intCertificate.buffer, tsa.intCertificate.byteOffset, tsa.intCertificate.byteLength);
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The trusted root (protobuf-specs object) of this instance. */
  trustedRoot(): TrustedRoot {
    const start = this.validFrom;
    return {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      certificateAuthorities: [
        {
          subject: { commonName: 'sigstore', organization: 'sigstore.mock' },
          uri: `${this.url}`,
          certChain: { certificates: [{ rawBytes: this.caRoot }] },
          validFor: { start },
          operator: 'sigstore.mock',
        },
      ],
      tlogs: [
        {
          baseUrl: this.url,
          hashAlgorithm: HashAlgorithm.SHA2_256,
          publicKey: { rawBytes: this.tlogKey, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start } },
          logId: { keyId: createHash('sha256').update(this.tlogKey).digest() },
          checkpointKeyId: undefined,
          operator: 'sigstore.mock',
        },
      ],
      ctlogs: [
        {
          baseUrl: this.url,
          hashAlgorithm: HashAlgorithm.SHA2_256,
          publicKey: { rawBytes: this.ctlogKey, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start } },
          logId: { keyId: this.ctlogId },
          checkpointKeyId: undefined,
          operator: 'sigstore.mock',
        },
      ],
      timestampAuthorities: [
        {
          subject: { commonName: 'tsa', organization: 'sigstore.mock' },
          uri: `${this.url}/api/v1/timestamp`,
          certChain: { certificates: [{ rawBytes: this.tsaInt }, { rawBytes: this.tsaRoot }] },
          validFor: { start },
          operator: 'sigstore.mock',
        },
      ],
    };
  }

  /** trusted_root.json content (the format `cosign --trusted-root` and chaingate's `trusted-root` read). */
  trustedRootJSON(): Record<string, unknown> {
    return TrustedRoot.toJSON(this.trustedRoot()) as Record<string, unknown>;
  }

  private signer(opts: SignOptions): Signer {
    if (opts.keyPair) {
      const { privateKey, publicKey } = opts.keyPair;
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const hint = opts.keyHint ?? sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
      return {
        sign: async (data: Buffer) => ({
          signature: cryptoSign('sha256', data, privateKey),
          key: { $case: 'publicKey', publicKey: pem, hint },
        }),
      };
    }
    const claims: Record<string, unknown> = {
      sub: opts.identity ?? githubIdentity('acme/widget'),
      iss: opts.issuer ?? GITHUB_ISSUER,
      aud: 'sigstore',
      ...(opts.github ?? {}),
      ...(opts.certExtensions ? { [EDIT_CLAIM]: opts.certExtensions } : {}),
    };
    const token = fakeJwt(claims);
    return new FulcioSigner({ fulcioBaseURL: this.url, identityProvider: { getToken: async () => token }, retry: 0 });
  }

  private witnesses(opts: SignOptions, dsse: boolean): Witness[] {
    const w: Witness[] = [];
    const tlog = opts.tlog ?? 'v1';
    if (tlog === 'v1') w.push(new RekorWitness({ rekorBaseURL: this.url, entryType: dsse ? 'intoto' : undefined, retry: 0 }));
    if (opts.tsa ?? true) w.push(new TSAWitness({ tsaBaseURL: this.url, retry: 0 }));
    return w;
  }

  private tick(): void {
    const now = new Date();
    this.caClock.setTime(now.getTime());
    this.tlogClock.setTime(now.getTime());
    // whole seconds, and not before the certificate's notBefore (which X.509 truncates to the second)
    this.tsaClock.setTime(wholeSecond(now));
  }

  /** Sign `data` (a blob): a message-signature bundle, serialized (what `cosign sign-blob --bundle` writes). */
  async signBlob(data: Buffer, opts: SignOptions = {}): Promise<SerializedBundle> {
    const builder = new MessageSignatureBundleBuilder({ signer: this.signer(opts), witnesses: this.witnesses(opts, false) });
    const bundle = await builder.create({ data });
    return setBundleVersion(bundleToJSON(bundle), opts.version ?? '0.3');
  }

  /** Sign a DSSE envelope over `payload` with `payloadType`. */
  async signDsse(payload: Buffer, payloadType: string, opts: SignOptions = {}): Promise<SerializedBundle> {
    const builder = new DSSEBundleBuilder({
      signer: this.signer(opts),
      witnesses: this.witnesses(opts, true),
    });
    const bundle = await builder.create({ data: payload, type: payloadType });
    return setBundleVersion(bundleToJSON(bundle), opts.version ?? '0.3');
  }

  /** Sign an in-toto statement (DSSE, payloadType application/vnd.in-toto+json): an attestation bundle. */
  async signStatement(st: InTotoStatement | Record<string, unknown>, opts: SignOptions = {}): Promise<SerializedBundle> {
    return this.signDsse(Buffer.from(JSON.stringify(st)), IN_TOTO_PAYLOAD_TYPE, opts);
  }

  /** Write a bundle and/or this instance's trusted root as files under `dir`; returns their paths. */
  writeFiles(
    dir: string,
    what: { bundle?: unknown; bundleName?: string; root?: boolean; rootName?: string; artifact?: Buffer; artifactName?: string },
  ): { bundle?: string; root?: string; artifact?: string } {
    mkdirSync(dir, { recursive: true });
    const out: { bundle?: string; root?: string; artifact?: string } = {};
    if (what.bundle !== undefined) {
      out.bundle = join(dir, what.bundleName ?? 'artifact.sigstore.json');
      writeFileSync(out.bundle, `${JSON.stringify(what.bundle, null, 2)}\n`);
    }
    if (what.root) {
      out.root = join(dir, what.rootName ?? 'trusted_root.json');
      writeFileSync(out.root, `${JSON.stringify(this.trustedRootJSON(), null, 2)}\n`);
    }
    if (what.artifact) {
      out.artifact = join(dir, what.artifactName ?? 'artifact.bin');
      writeFileSync(out.artifact, what.artifact);
    }
    return out;
  }
}

/** The CertExtensionEdit a Fulcio signing request's token carries, if any. */
function editOf(body: string): CertExtensionEdit | undefined {
  try {
    const token = (JSON.parse(body) as { credentials?: { oidcIdentityToken?: string } }).credentials?.oidcIdentityToken ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return claims[EDIT_CLAIM] as CertExtensionEdit | undefined;
  } catch {
    return undefined;
  }
}

/** A fresh P-256 key pair for key-pair (cosign `--key`) bundles, and its PEM public key. */
export function keyPairWithPem(): { keyPair: KeyPair; publicKeyPem: string } {
  const keyPair = ecKeyPair();
  return { keyPair, publicKeyPem: keyPair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export type BundleVersion = '0.1' | '0.2' | '0.3';

export const BUNDLE_MEDIA_TYPES: Record<BundleVersion, string> = {
  '0.1': 'application/vnd.dev.sigstore.bundle+json;version=0.1',
  '0.2': 'application/vnd.dev.sigstore.bundle+json;version=0.2',
  '0.3': 'application/vnd.dev.sigstore.bundle.v0.3+json',
};

/**
 * Re-express a bundle in another format version: v0.3 carries one `certificate`, v0.1/v0.2 an
 * `x509CertificateChain`. (v0.1 also needs an inclusion promise on each tlog entry, which 'v1' Rekor gives.)
 */
export function setBundleVersion(b: SerializedBundle, version: BundleVersion): SerializedBundle {
  const j = structuredClone(b) as unknown as { mediaType: string; verificationMaterial: Record<string, unknown> };
  const vm = j.verificationMaterial;
  if (version === '0.3' && vm.x509CertificateChain) {
    vm.certificate = (vm.x509CertificateChain as { certificates: unknown[] }).certificates[0];
    delete vm.x509CertificateChain;
  }
  if (version !== '0.3' && vm.certificate) {
    vm.x509CertificateChain = { certificates: [vm.certificate] };
    delete vm.certificate;
  }
  j.mediaType = BUNDLE_MEDIA_TYPES[version];
  return j as unknown as SerializedBundle;
}

/** Deep copy of a serialized bundle for tampering. */
export function cloneBundle<T>(b: T): T {
  return structuredClone(b);
}
