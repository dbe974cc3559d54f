// A stand-in for the runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): a real HTTP server on
// 127.0.0.1 that checks the bearer token and the audience, and answers `{"value": "<jwt>"}` as GitHub does.
// The JWT is unsigned: the mock Fulcio decodes claims without checking a signature (and copies `sub` to the SAN).
import { createServer, type Server } from 'node:http';

export const REQUEST_TOKEN = 'canary-id-token-request-bearer-5d1e';

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.`;
}

export interface TokenServer {
  /** what to put in ACTIONS_ID_TOKEN_REQUEST_URL (carries a signed-URL-like query, as the real one does) */
  requestUrl: string;
  /** claims of the next tokens (mutable) */
  claims: Record<string, unknown>;
  /** status to answer with instead of a token (0 = answer normally); `hang` never answers */
  mode: { status: number; hang: boolean };
  requests: Array<{ audience: string | null; authorized: boolean }>;
  /** every token handed out (so tests can assert they never leak) */
  issued: string[];
  close(): Promise<void>;
}

export async function startTokenServer(claims: Record<string, unknown>): Promise<TokenServer> {
  const state: Omit<TokenServer, 'requestUrl' | 'close'> = { claims, mode: { status: 0, hang: false }, requests: [], issued: [] };
  const hanging: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const authorized = req.headers.authorization === `Bearer ${REQUEST_TOKEN}`;
    state.requests.push({ audience: u.searchParams.get('audience'), authorized });
    if (state.mode.hang) {
      hanging.push(() => res.destroy());
      return;
    }
    if (!authorized) return void res.writeHead(401).end('unauthorized');
    if (state.mode.status) return void res.writeHead(state.mode.status).end('nope');
    const now = Math.floor(Date.now() / 1000);
    const token = unsignedJwt({ aud: u.searchParams.get('audience'), iat: now, exp: now + 300, jti: Math.random().toString(36).slice(2), ...state.claims });
    state.issued.push(token);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ count: 1, value: token }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return Object.assign(state, {
    requestUrl: `http://127.0.0.1:${port}/_apis/distributedtask/genid?api-version=2.0&sig=canarySignedUrlSig9f8e7d`,
    close: async () => {
      for (const h of hanging) h();
      await new Promise<void>((r) => server.close(() => r()));
    },
  }) as TokenServer;
}
