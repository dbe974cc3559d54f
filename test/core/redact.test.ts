import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redact.js';
import { CANARY, canaryEnv } from '../helpers/canary.js';

describe('Redactor', () => {
  it('removes token shapes even when nobody registered them', () => {
    const r = new Redactor();
    const text = `a ${CANARY.githubToken} b ${CANARY.aws} c eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2lnbmF0dXJlc2lnbmF0dXJl d`;
    const out = r.redact(text);
    expect(out).not.toContain(CANARY.githubToken);
    expect(out).not.toContain(CANARY.aws);
    expect(out).not.toContain('eyJzdWIiOiJyZXBvOm8vciJ9');
    expect(out).toContain('a *** b *** c *** d');
  });

  it('removes registered values and their encodings, and env secrets by name', () => {
    const r = new Redactor();
    r.addFromEnv(canaryEnv());
    for (const v of Object.values(canaryEnv())) {
      expect(r.redact(`x${v}y`)).not.toContain(v);
      expect(r.redact(Buffer.from(v).toString('base64'))).toBe('***');
    }
  });

  it('removes signed-URL signatures and URL credentials but keeps the rest of the URL', () => {
    const r = new Redactor();
    expect(r.redact('https://bucket.s3.amazonaws.com/o?X-Amz-Signature=abcdef123456&x=1')).toBe('https://bucket.s3.amazonaws.com/o?X-Amz-Signature=***&x=1');
    expect(r.redact('https://user:hunter2secret@example.com/p')).toBe('https://***@example.com/p');
    expect(r.redact('Authorization: Bearer abcdefghijklmnopqrstuvwxyz')).toBe('Authorization: Bearer ***');
  });

  it('leaves ordinary text alone (no false positives on SHAs and digests)', () => {
    const r = new Redactor();
    r.addFromEnv({ GITHUB_TOKEN: '', SOME_TOKEN_COUNT: '3', MY_SECRET_ENABLED: 'true' });
    const text = `uses: actions/checkout@${'a'.repeat(40)} image@sha256:${'b'.repeat(64)} 3 true`;
    expect(r.redact(text)).toBe(text);
  });

  it('deep-redacts objects', () => {
    const r = new Redactor();
    r.add(CANARY.plain);
    expect(r.redactValue({ a: [CANARY.plain, 1, { b: `x ${CANARY.plain}` }] })).toEqual({ a: ['***', 1, { b: 'x ***' }] });
  });
});
