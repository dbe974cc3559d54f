import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfigText, parseDuration, parseExpiry } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/types.js';

describe('configuration', () => {
  it('a missing default file is an empty config; a named missing file is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-cfg-'));
    expect((await loadConfig(dir)).config).toEqual({});
    await expect(loadConfig(dir, 'nope.yml')).rejects.toThrow(/nope.yml: configuration file not found/);
  });

  it('names file:line:col and the offending key for schema errors', async () => {
    const text = 'version: 1\npin-lint:\n  polcy:\n    "*": hash-pin\n';
    await expect(parseConfigText(text, '.github/chaingate.yml')).rejects.toThrow(ConfigError);
    await expect(parseConfigText(text, '.github/chaingate.yml')).rejects.toThrow('.github/chaingate.yml:3:3: pin-lint.polcy: unknown key "polcy"');
    await expect(parseConfigText('pin-lint:\n  policy:\n    "actions/*": pinned\n', 'c.yml')).rejects.toThrow(/c.yml:3:18: pin-lint.policy.actions\/\*: must be one of: "hash-pin", "ref-pin", "any"/);
    await expect(parseConfigText('unknown-gate: {}\n', 'c.yml')).rejects.toThrow(/c.yml:1:1: unknown-gate: unknown key/);
  });

  it('reports invalid YAML with its position', async () => {
    await expect(parseConfigText('a: [\n', 'c.yml')).rejects.toThrow(/^c.yml:\d+:\d+: invalid YAML/);
  });

  it('locates keys for gates that point into the config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-cfg-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/chaingate.yml'), 'version: 1\npin-lint:\n  policy:\n    "actions/*": any\n');
    const c = await loadConfig(dir);
    expect(c.file).toBe('.github/chaingate.yml');
    expect(c.locate(['pin-lint', 'policy', 'actions/*'])).toEqual({ line: 4, column: 5 });
  });

  it.each([
    ['7d', 7 * 86_400_000],
    ['168h', 168 * 3_600_000],
    ['P7D', 7 * 86_400_000],
    ['PT12H', 12 * 3_600_000],
    ['P1DT2H', 26 * 3_600_000],
    ['2w', 14 * 86_400_000],
    ['90s', 90_000],
  ])('duration %s', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it.each(['', '7', 'd', 'P', 'PT', '-1d', '0d', 'seven days'])('rejects duration %j', (s) => {
    expect(() => parseDuration(s, 'max-age')).toThrow(/max-age: .* is not a duration/);
  });

  it('parses expiry dates (a bare date lasts the whole day, UTC)', () => {
    expect(parseExpiry('2026-12-31', 'x')).toBe(Date.parse('2026-12-31T23:59:59Z'));
    expect(parseExpiry('2026-12-31T10:00:00Z', 'x')).toBe(Date.parse('2026-12-31T10:00:00Z'));
    expect(() => parseExpiry('next week', 'approved[0].expires')).toThrow(/approved\[0\].expires: "next week" is not a date/);
    expect(() => parseExpiry('2026-13-45', 'x')).toThrow(/not a valid date/);
  });
});
