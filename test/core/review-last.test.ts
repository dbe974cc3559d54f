// Second-eyes review of sarifUri (commit 9bad62e): `\` is a directory separator only on Windows, and a Windows
// absolute path is a file URI, not a path under %SRCROOT%. Before: on Linux `a\b.py` (one file) became
// `a/b.py` (another file), and `C:\w\a.py` became `C%3A/w/a.py` under the source root.
import { describe, expect, it } from 'vitest';
import { sarifUri, toSarif } from '../../src/core/sarif.js';

const loc = (file: string) =>
  (
    toSarif({
      gate: 'bandit-gate',
      version: '0.0.0',
      rules: [{ id: 'B602', severity: 'high', description: 'shell' }],
      findings: [{ rule: 'B602', severity: 'high', message: 'm', file, line: 2, column: 1 }],
    } as never) as { runs: { results: { locations: { physicalLocation: { artifactLocation: Record<string, string> } }[] }[] }[] }
  ).runs[0].results[0].locations[0].physicalLocation.artifactLocation;

describe('sarifUri and the platform separator', () => {
  it.each([
    ['POSIX: a backslash is part of the name', 'a\\b.py', '/', 'a%5Cb.py'],
    ['POSIX: a name like a drive stays relative', 'C:\\w\\a.py', '/', 'C%3A%5Cw%5Ca.py'],
    ['Windows: a backslash separates', 'a\\b#c?.py', '\\', 'a/b%23c%3F.py'],
    ['Windows: a drive path is a file URI', 'C:\\w\\sp ace\\a.py', '\\', 'file:///C:/w/sp%20ace/a.py'],
    ['Windows: forward slashes too', 'd:/w/a.py', '\\', 'file:///d:/w/a.py'],
    ['Windows: a relative path with a colon stays relative', 'c:x\\y.py', '\\', 'c%3Ax/y.py'],
    ['true negative: a plain relative path', 'src/app.py', '/', 'src/app.py'],
    ['true negative: a plain relative path on Windows', 'src\\app.py', '\\', 'src/app.py'],
  ])('%s: %j → %j', (_n, file, sep, uri) => {
    expect(sarifUri(file, sep)).toBe(uri);
  });
  it('a POSIX backslash name reads back as itself under the source root', () => {
    expect(decodeURIComponent(new URL(sarifUri('a\\b.py', '/'), 'file:///root/').pathname)).toBe('/root/a\\b.py');
  });
  it('the log: a relative path has uriBaseId %SRCROOT%, an absolute file URI has none', () => {
    expect(loc('sp ace/c.py')).toEqual({ uri: 'sp%20ace/c.py', uriBaseId: '%SRCROOT%' });
    if (process.platform !== 'win32') expect(loc('a\\b.py')).toEqual({ uri: 'a%5Cb.py', uriBaseId: '%SRCROOT%' });
  });
});
