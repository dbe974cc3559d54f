// schema.ts turns a `pattern` error into "not of the expected form: <description>": every pattern in the
// composed config schema needs a description that reads well after that phrase (else the reader gets a regex).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config.js';

function patterns(node: unknown, path: string, out: Array<{ path: string; description?: unknown }>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n, i) => patterns(n, `${path}/${i}`, out));
  const o = node as Record<string, unknown>;
  if (typeof o.pattern === 'string') out.push({ path, description: o.description });
  for (const [k, v] of Object.entries(o)) patterns(v, `${path}/${k}`, out);
}

async function problem(yaml: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-pat-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github', 'chaingate.yml'), yaml);
  return loadConfig(dir).then(
    () => 'loaded',
    (e: Error) => e.message,
  );
}

describe('config schema patterns', () => {
  it('every pattern has a description that says the form in words', () => {
    const found: Array<{ path: string; description?: unknown }> = [];
    // the composed schema (npm run build writes it from scripts/build.mjs and src/gates/*/config.schema.json)
    patterns(JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8')), '#', found);
    expect(found.length).toBeGreaterThanOrEqual(5);
    for (const f of found) {
      expect(typeof f.description, f.path).toBe('string');
      expect(f.description as string, f.path).toMatch(/^(a|an|owner\/repo) /);
    }
  });

  it.each([
    ['dr-freshness.record-gate', 'version: 1\ndr-freshness:\n  record-gate: Drill_1\n', /not of the expected form: a gate id of 2-41 lower-case/],
    ['dr-freshness.repository', 'version: 1\ndr-freshness:\n  repository: acme\n', /not of the expected form: owner\/repo/],
    ['evidence.required-gates', 'version: 1\nevidence:\n  required-gates: [PinLint]\n', /not of the expected form: a gate id/],
    ['verify-slsa.trusted-builders', 'version: 1\nverify-slsa:\n  trusted-builders: ["https://github.com/o/r/.github/workflows/b.yml@refs/tags/v1"]\n', /not of the expected form: an https:\/\/ workflow URI without @ref/],
    ['records.path', 'version: 1\nrecords:\n  path: /etc/x\n', /not of the expected form: a default record file relative to the workspace/],
  ])('%s: the message says the form, not a regex', async (_n, yaml, want) => {
    const m = await problem(yaml);
    expect(m).toMatch(want);
    expect(m).not.toMatch(/must match pattern/);
  });
});
