// Redaction: everything that leaves a gate (logs, records, SARIF, outputs, summaries) passes through here.

/** Token shapes (gitleaks' default rules, see REFERENCE.md) and signed-URL parameters. */
const PATTERNS: RegExp[] = [
  /\bghp_[0-9A-Za-z]{36}\b/g,
  /\bgithub_pat_\w{82}\b/g,
  /\bgh[ousr]_[0-9A-Za-z]{36}\b/g,
  /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g,
  /\bxox[baprse]-[0-9A-Za-z-]{10,}\b/g,
  /\bAIza[\w-]{35}\b/g,
  /-----BEGIN[ A-Z0-9]*PRIVATE KEY-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY-----|$)/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bglpat-[\w-]{20,}\b/g,
  /\b(?:sk|rk)_(?:test|live)_[0-9A-Za-z]{10,}\b/g,
  /\bpypi-AgEIcHlwaS5vcmc[\w-]{20,}\b/g,
  /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}\b/g, // JWT (OIDC tokens)
  // credentials in URLs: https://user:pass@host
  /(?<=[a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+(?=@)/gi,
  // signed-URL query parameters (S3, Azure SAS, GCS, generic token/sig)
  /(?<=[?&](?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Goog-Signature|X-Goog-Credential|sig|signature|token|access_token|sv|se|sp|skoid|sktid|code)=)[^&\s"']+/gi,
  // Authorization headers
  /(?<=\b(?:authorization|bearer|token)[:=]?\s+(?:bearer\s+|token\s+|basic\s+)?)[A-Za-z0-9._~+/=-]{16,}/gi,
];

export const REDACTED = '***';

/** Environment variable names whose values are always secret when set. */
export const SECRET_ENV_NAMES = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RUNTIME_URL',
  'INPUT_TOKEN',
  'INPUT_GITHUB-TOKEN',
  'CHAINGATE_TOKEN',
  'SIGSTORE_ID_TOKEN',
];

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL|AUTH)/i;

export class Redactor {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  /** Register a literal secret value. Values shorter than 6 characters are ignored (too many false hits). */
  add(value: string | undefined | null): void {
    if (!value) return;
    const v = String(value);
    if (v.length < 6) return;
    for (const piece of [v, v.trim(), encodeURIComponent(v), Buffer.from(v).toString('base64')]) {
      if (piece.length >= 6) this.values.add(piece);
    }
    this.sorted = [...this.values].sort((a, b) => b.length - a.length);
  }

  /** Register values of well-known secret variables and of any variable whose name says it is secret. */
  addFromEnv(env: NodeJS.ProcessEnv): void {
    for (const name of SECRET_ENV_NAMES) this.add(env[name]);
    for (const [name, value] of Object.entries(env)) {
      if (SECRET_NAME.test(name) && value && !/^(true|false|\d+)$/i.test(value)) this.add(value);
    }
  }

  redact(text: string): string {
    if (!text) return text;
    let out = text;
    for (const v of this.sorted) {
      if (out.includes(v)) out = out.split(v).join(REDACTED);
    }
    for (const re of PATTERNS) {
      re.lastIndex = 0;
      out = out.replace(re, REDACTED);
    }
    return out;
  }

  /** Deep-redact every string in a JSON-like value. */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as unknown as T;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v)) as unknown as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.redactValue(v);
      return out as T;
    }
    return value;
  }
}
