// Keyless signing of the evidence Statement with @sigstore/sign (DSSE, Fulcio certificate, Rekor entry).
// The OIDC token comes from the runner's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, `id-token: write`)
// or, outside Actions, from SIGSTORE_ID_TOKEN. Both the request URL and the token are secrets: they are
// registered with the redactor and never written anywhere.
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';
import { bundleToJSON } from '@sigstore/bundle';
import type { Redactor } from '../../core/redact.js';
import { retry } from '../../core/retry.js';
import { INTOTO_PAYLOAD_TYPE } from './format.js';

export const DEFAULT_FULCIO_URL = 'https://fulcio.sigstore.dev';
export const DEFAULT_REKOR_URL = 'https://rekor.sigstore.dev';

/** Bounded signing failures; `reason` becomes the gate's reason code. */
export class SignError extends Error {
  override name = 'SignError';
  constructor(
    readonly reason: 'oidc-unavailable' | 'oidc-token-failed' | 'signing-failed',
    message: string,
  ) {
    super(message);
  }
}

export interface TokenDeps {
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  redactor: Redactor;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
}

/** Get an OIDC identity token for `audience`. The token is registered as a secret before it is returned. */
export async function getIdentityToken(audience: string, deps: TokenDeps): Promise<{ token: string; source: 'actions' | 'env' }> {
  const url = deps.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  deps.redactor.add(url);
  deps.redactor.add(bearer);
  if (url && bearer) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new SignError('oidc-token-failed', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
    }
    u.searchParams.set('audience', audience);
    deps.redactor.add(u.href);
    let status = 0;
    try {
      const { value } = await retry(
        async () => {
          const res = await deps.fetch(u.href, {
            headers: { Accept: 'application/json', Authorization: `Bearer ${bearer}` },
            signal: AbortSignal.timeout(deps.timeoutMs),
          });
          status = res.status;
          if (!res.ok) {
            await res.body?.cancel().catch(() => undefined);
            return undefined;
          }
          const text = await res.text();
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            throw new SignError('oidc-token-failed', 'the token endpoint answered with something that is not JSON');
          }
          const token = (parsed as { value?: unknown })?.value;
          if (typeof token !== 'string' || token.split('.').length !== 3) throw new SignError('oidc-token-failed', 'the token endpoint answered without a JWT in `value`');
          deps.redactor.add(token);
          return token;
        },
        {
          retries: 2,
          baseDelayMs: 500,
          sleep: deps.sleep,
          isTransientResult: () => status >= 500 || status === 429 || status === 408,
          isTransientError: (e) => !(e instanceof SignError),
        },
      );
      if (!value) throw new SignError('oidc-token-failed', `the runner's token endpoint answered HTTP ${status}${status === 403 || status === 401 ? ' (does the job have `permissions: id-token: write`?)' : ''}`);
      return { token: value, source: 'actions' };
    } catch (e) {
      if (e instanceof SignError) throw e;
      const name = (e as Error)?.name;
      throw new SignError('oidc-token-failed', `cannot reach the runner's token endpoint: ${name === 'TimeoutError' ? `no answer within ${deps.timeoutMs} ms` : ((e as Error)?.message ?? String(e))}`);
    }
  }
  const direct = deps.env.SIGSTORE_ID_TOKEN?.trim();
  if (direct) {
    deps.redactor.add(direct);
    return { token: direct, source: 'env' };
  }
  throw new SignError(
    'oidc-unavailable',
    'signing needs an OIDC identity token: give the job `permissions: id-token: write` (or set SIGSTORE_ID_TOKEN outside Actions), or set `sign: false` to skip signing',
  );
}

export interface SignOptions {
  fulcioUrl: string;
  rekorUrl: string;
  /** optional RFC 3161 timestamp authority */
  tsaUrl?: string;
  timeoutMs: number;
}

/** Sign `payload` (the Statement bytes) as a DSSE envelope; returns the sigstore bundle as JSON. */
export async function signStatement(payload: Buffer, token: string, opts: SignOptions): Promise<object> {
  const fetchOpts = { timeout: opts.timeoutMs, retry: { retries: 2, minTimeout: 500, maxTimeout: 5000 } };
  const signer = new FulcioSigner({ identityProvider: { getToken: async () => token }, fulcioBaseURL: opts.fulcioUrl, ...fetchOpts });
  const witnesses: Witness[] = [new RekorWitness({ rekorBaseURL: opts.rekorUrl, entryType: 'intoto', ...fetchOpts })];
  if (opts.tsaUrl) witnesses.push(new TSAWitness({ tsaBaseURL: opts.tsaUrl, ...fetchOpts }));
  try {
    const bundle = await new DSSEBundleBuilder({ signer, witnesses, certificateChain: false }).create({ data: payload, type: INTOTO_PAYLOAD_TYPE });
    return bundleToJSON(bundle) as object;
  } catch (e) {
    const err = e as Error & { code?: string; cause?: Error };
    const cause = err.cause?.message ? `: ${err.cause.message}` : '';
    throw new SignError('signing-failed', `keyless signing failed (${err.code ?? err.name ?? 'error'}): ${err.message}${cause}`);
  }
}
