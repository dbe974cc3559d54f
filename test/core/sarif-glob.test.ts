import { describe, expect, it } from 'vitest';
import { toSarif } from '../../src/core/sarif.js';
import { Fingerprinter } from '../../src/core/fingerprint.js';
import { globToRegExp } from '../../src/core/glob.js';
import { annotations } from '../../src/core/format.js';
import type { Finding } from '../../src/core/types.js';

describe('fingerprints', () => {
  it('do not depend on line numbers, and tell identical findings apart by occurrence', () => {
    const a = new Fingerprinter();
    const b = new Fingerprinter();
    const x1 = a.make('unpinned-action', 'w.yml', 'actions/checkout@v4', 'build/#0');
    const x2 = a.make('unpinned-action', 'w.yml', 'actions/checkout@v4', 'build/#0');
    expect(x1).not.toBe(x2);
    expect(b.make('unpinned-action', 'w.yml', 'actions/checkout@v4', 'build/#0')).toBe(x1);
    expect(b.make('unpinned-action', 'other.yml', 'actions/checkout@v4', 'build/#0')).not.toBe(x1);
  });
});

describe('SARIF 2.1.0', () => {
  it('maps severities, carries partialFingerprints and suppressions', () => {
    const findings: Finding[] = [
      { rule: 'a', severity: 'critical', message: 'm', file: 'x.yml', line: 3, column: 7, fingerprint: 'f1' },
      { rule: 'a', severity: 'medium', message: 'm', file: 'x.yml', line: 4, column: 1, fingerprint: 'f2', suppressed: { kind: 'external', justification: 'ok', expires: '2027-01-01' } },
      { rule: 'b', severity: 'low', message: 'm', file: 'x.yml', line: 5, column: 1, fingerprint: 'f3', related: [{ file: 'x.yml', line: 9, column: 2, message: 'runs it' }] },
    ];
    const s: any = toSarif({ gate: 'g', rules: [{ id: 'a', name: 'A', description: 'd', defaultSeverity: 'high' }], findings });
    expect(s.version).toBe('2.1.0');
    const [r1, r2, r3] = s.runs[0].results;
    expect(r1).toMatchObject({ ruleId: 'a', level: 'error', partialFingerprints: { 'chaingate/v1': 'f1' }, locations: [{ physicalLocation: { region: { startLine: 3, startColumn: 7 } } }] });
    expect(r2.level).toBe('warning');
    expect(r2.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'ok', properties: { expiryUtc: '2027-01-01' } }]);
    expect(r3.level).toBe('note');
    expect(r3.relatedLocations[0].message.text).toBe('runs it');
    expect(s.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual(['a', 'b']);
  });
});

describe('annotations', () => {
  it('respect the per-step limit and say how many are left out', () => {
    const fs: Finding[] = Array.from({ length: 25 }, (_, i) => ({ rule: 'r', severity: 'high', message: `m${i}`, file: 'f.yml', line: i + 1, column: 1, fingerprint: String(i) }));
    const out = annotations('g', fs);
    expect(out.filter((l) => l.startsWith('::error'))).toHaveLength(10);
    expect(out.at(-1)).toMatch(/^::notice title=g%3A more findings::15 more finding\(s\) not annotated/);
  });
  it('escape messages so a finding cannot inject workflow commands', () => {
    const out = annotations('g', [{ rule: 'r', severity: 'high', message: 'x\n::set-output name=a::b', file: 'a,b.yml', line: 1, column: 1, fingerprint: 'f' }]);
    expect(out[0]).toContain('x%0A::set-output');
    expect(out[0]).toContain('file=a%2Cb.yml');
    expect(out[0].split('\n')).toHaveLength(1);
  });
});

describe('globs', () => {
  it.each([
    ['drills/*.ndjson', 'drills/a.ndjson', true],
    ['drills/*.ndjson', 'drills/x/a.ndjson', false],
    ['test/fixtures/**', 'test/fixtures/a/b/action.yml', true],
    ['**/action.yml', 'action.yml', true],
    ['**/action.yml', 'a/b/action.yml', true],
    ['*.{yml,yaml}', 'a.yaml', true],
    ['a?.yml', 'ab.yml', true],
    ['a.yml', 'axyml', false],
  ])('%s matches %s: %s', (g, p, want) => expect(globToRegExp(g).test(p)).toBe(want));
});
