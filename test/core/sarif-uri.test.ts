// SARIF's artifactLocation.uri is a URI reference (RFC 3986), not a file path: a space, `%`, `#`, `?` or a
// non-ASCII letter in a file name must be percent-encoded (code scanning decodes it back), else the log is
// invalid and `#`/`?` cut the path short. Before: the path was written as it is.
import { describe, expect, it } from 'vitest';
import { sarifUri, toSarif } from '../../src/core/sarif.js';

describe('sarifUri', () => {
  it.each([
    ['b.py', 'b.py'],
    ['src/app/main.py', 'src/app/main.py'],
    ['.github/workflows/ci.yml', '.github/workflows/ci.yml'],
    ['sp ace/c.py', 'sp%20ace/c.py'],
    ['a/b#c?.py', 'a/b%23c%3F.py'], // a backslash: test/core/review-last.test.ts
    ['ü/x%y.py', '%C3%BC/x%25y.py'],
    ['日本/a.py', '%E6%97%A5%E6%9C%AC/a.py'],
    ['c:x/y.py', 'c%3Ax/y.py'],
    ['src/a+b@c:d.py', 'src/a+b@c:d.py'],
    ["it's (1)/[x].py", "it's%20(1)/%5Bx%5D.py"],
  ])('%j → %j', (file, uri) => {
    expect(sarifUri(file)).toBe(uri);
    // a URI parser reads the path back unchanged
    expect(decodeURIComponent(new URL(uri, 'file:///root/').pathname.slice('/root/'.length))).toBe(file.replace(/\\/g, '/'));
  });

  it('the SARIF log carries the encoded URI', () => {
    const log = toSarif({
      gate: 'bandit-gate',
      version: '0.0.0',
      rules: [{ id: 'B602', severity: 'high', description: 'shell' }],
      findings: [{ rule: 'B602', severity: 'high', message: 'm', file: 'sp ace/c.py', line: 2, column: 1 }],
    } as never) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('sp%20ace/c.py');
  });
});
