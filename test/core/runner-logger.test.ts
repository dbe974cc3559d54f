// Review: the logger a gate gets through ctx is an output too (CLI stderr, action log): it must be redacted
// like everything else that leaves a gate.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gate } from '../../src/core/gate.js';
import { executeGate } from '../../src/core/runner.js';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_INPUT = 'hunter2-secret-input-value';

const gate: Gate<{ key: string }> = {
  id: 'log-probe',
  title: 'log-probe',
  description: 'logs what it was given',
  static: false,
  inputs: [{ name: 'key', description: 'a secret', secret: true }],
  outputs: [],
  rules: [],
  reasons: [],
  parseInputs: (raw) => ({ key: raw.key ?? '' }),
  async run(i, ctx) {
    ctx.logger.info(`retrying with ${ctx.env.GITHUB_TOKEN}`);
    ctx.logger.warn(`key was ${i.key}`);
    ctx.logger.debug(`url https://user:pa55word@example.com/x?X-Amz-Signature=abcdef123456`);
    return { outcome: 'pass', reasons: ['ok'], findings: [] };
  },
};

describe('runner: ctx.logger is redacted', () => {
  it('no token, secret input or signed-URL part reaches the logger', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-log-'));
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), debug: (m: string) => lines.push(m) };
    const out = await executeGate(gate, { key: SECRET_INPUT, 'record-file': join(cwd, 'r.ndjson') }, { cwd, env: { GITHUB_TOKEN: TOKEN }, logger });
    expect(out.result.outcome).toBe('pass');
    expect(lines).toHaveLength(3);
    const text = lines.join('\n');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SECRET_INPUT);
    expect(text).not.toContain('pa55word');
    expect(text).not.toContain('abcdef123456');
    expect(text).toContain('retrying with ***');
  });
});
