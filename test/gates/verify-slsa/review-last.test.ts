// Second-eyes review of the shared timeout parser in verify-slsa: the config file's `timeout:` takes what the
// input takes (a duration or a bare number of seconds), including a YAML number.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/core/config.js';
import gate from '../../../src/gates/verify-slsa/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function parseWith(configYaml: string, raw: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rvl-slsa-'));
  dirs.push(dir);
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github/chaingate.yml'), configYaml);
  writeFileSync(join(dir, 'a.bin'), 'x');
  writeFileSync(join(dir, 'p.intoto.jsonl'), '{}\n');
  const config = await loadConfig(dir);
  const ctx = { cwd: dir, env: {}, config } as never;
  return gate.parseInputs({ artifact: 'a.bin', provenance: 'p.intoto.jsonl', 'source-uri': 'github.com/acme/widget', ...raw }, ctx) as { timeoutMs: number };
}

describe('verify-slsa config timeout', () => {
  it.each([
    ['a YAML number of seconds', 'timeout: 300', 300_000],
    ['a YAML decimal number of seconds', 'timeout: 1.5', 1500],
    ['a quoted number of seconds', 'timeout: "300"', 300_000],
    ['a duration', 'timeout: 5m', 300_000],
  ])('%s is accepted', async (_n, line, ms) => {
    expect((await parseWith(`verify-slsa:\n  ${line}\n`)).timeoutMs).toBe(ms);
  });
  it('the input wins over the config file', async () => {
    expect((await parseWith('verify-slsa:\n  timeout: 300\n', { timeout: '10s' })).timeoutMs).toBe(10_000);
  });
  it.each([
    ['zero', 'timeout: 0', /must be between/],
    ['a negative number', 'timeout: -5', /must be between/],
    ['over an hour', 'timeout: 7200', /must be between/],
    ['a boolean', 'timeout: true', /timeout/],
    ['a list', 'timeout: [5]', /timeout/],
  ])('%s is refused', async (_n, line, re) => {
    await expect(parseWith(`verify-slsa:\n  ${line}\n`)).rejects.toThrow(re);
  });
});
