// Canary secrets: planted in env and inputs; none may appear in anything chaingate writes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CANARY = {
  githubToken: 'ghp_CANARYcanaryCANARYcanaryCANARY123456',
  runtimeToken: 'canary-runtime-token-7f3a9c1e5b',
  idTokenUrl: 'https://canary.invalid/token?sig=canarySignedUrlValue123',
  inputToken: 'ghs_CANARYinputTOKENcanaryINPUTtoken0987',
  aws: 'AKIACANARYCANARY7777',
  plain: 'cg-canary-secret-Zq8vW2xK',
};

/** Env with canaries under the names a runner and a user would use. */
export function canaryEnv(): Record<string, string> {
  return {
    GITHUB_TOKEN: CANARY.githubToken,
    ACTIONS_RUNTIME_TOKEN: CANARY.runtimeToken,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: CANARY.runtimeToken,
    ACTIONS_ID_TOKEN_REQUEST_URL: CANARY.idTokenUrl,
    AWS_ACCESS_KEY_ID: CANARY.aws,
    MY_SERVICE_SECRET: CANARY.plain,
  };
}

/** Everything below `dir` (records, SARIF, summaries) plus the given strings. */
export function collectText(strings: string[], dirs: string[]): string {
  const parts = [...strings];
  const visit = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) visit(p);
      else if (st.size < 20_000_000) parts.push(readFileSync(p, 'utf8'));
    }
  };
  for (const d of dirs) visit(d);
  return parts.join('\n');
}

/** Returns the canary values found (should be []). Checks raw, base64 and URL-encoded forms. */
export function leakedCanaries(text: string): string[] {
  const found: string[] = [];
  for (const v of Object.values(CANARY)) {
    for (const form of [v, Buffer.from(v).toString('base64'), encodeURIComponent(v)]) {
      if (text.includes(form)) found.push(v);
    }
  }
  return [...new Set(found)];
}
