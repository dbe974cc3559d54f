import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { readEvidenceTree, TreeError, cleanEntryPath, crc32 } from '../../../src/gates/evidence/tree.js';
import { treeError, writeArchive, zip, tar, tgz, type Entry } from '../../helpers/archive.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'cg-tree-'));
}

const GOOD: Entry[] = [
  { name: 'manifest.json', data: '{"a":1}\n' },
  { name: 'records/pipeline_run.ndjson', data: '{"x":1}\n' },
  { name: 'reports/pin-lint.sarif', data: 'x'.repeat(5000) },
];

describe('reading a bundle safely', () => {
  it.each([
    ['zip', () => writeArchive('b.zip', zip(GOOD)), 'zip'],
    ['tar.gz', () => writeArchive('b.tar.gz', tgz(GOOD)), 'tar.gz'],
    ['tar', () => writeArchive('b.tar', tar(GOOD)), 'tar'],
    ['zip with a misleading extension', () => writeArchive('b.tar.gz', zip(GOOD)), 'zip'],
  ])('reads a %s into memory without extracting it', (_, make, kind) => {
    const t = readEvidenceTree(make(), 'b');
    expect(t.kind).toBe(kind);
    expect([...t.files.keys()].sort()).toEqual(['manifest.json', 'records/pipeline_run.ndjson', 'reports/pin-lint.sarif']);
    expect(t.files.get('reports/pin-lint.sarif')?.toString()).toBe('x'.repeat(5000));
  });

  it('unwraps a single top-level directory (tar czf b.tgz evidence/)', () => {
    const t = readEvidenceTree(writeArchive('b.tgz', tgz([{ name: 'evidence/', type: 'dir' }, ...GOOD.map((e) => ({ ...e, name: `evidence/${e.name}` }))])), 'b.tgz');
    expect(t.files.has('manifest.json')).toBe(true);
  });

  it('reads a directory', () => {
    const d = tmp();
    mkdirSync(join(d, 'records'));
    writeFileSync(join(d, 'manifest.json'), '{}');
    writeFileSync(join(d, 'records', 'r.ndjson'), '');
    const t = readEvidenceTree(d, 'd');
    expect(t.kind).toBe('directory');
    expect([...t.files.keys()].sort()).toEqual(['manifest.json', 'records/r.ndjson']);
  });

  it.each<[string, () => string, string, string]>([
    ['zip with ../ entry', () => writeArchive('b.zip', zip([...GOOD, { name: '../../etc/cron.d/x', data: 'boom' }])), 'unsafe-path', '../../etc/cron.d/x'],
    ['zip with a nested ../ entry', () => writeArchive('b.zip', zip([{ name: 'records/../../x', data: 'boom' }])), 'unsafe-path', 'records/../../x'],
    ['zip with an absolute path', () => writeArchive('b.zip', zip([{ name: '/etc/passwd', data: 'boom' }])), 'unsafe-path', '/etc/passwd'],
    ['zip with a backslash path', () => writeArchive('b.zip', zip([{ name: '..\\..\\x', data: 'boom' }])), 'unsafe-path', '..\\..\\x'],
    ['zip with a drive letter', () => writeArchive('b.zip', zip([{ name: 'C:/x', data: 'boom' }])), 'unsafe-path', 'C:/x'],
    ['zip with a symlink', () => writeArchive('b.zip', zip([...GOOD, { name: 'reports/passwd', type: 'symlink', link: '/etc/passwd' }])), 'link-entry', 'reports/passwd'],
    ['tar.gz with ../ entry', () => writeArchive('b.tgz', tgz([...GOOD, { name: '../escape.txt', data: 'boom' }])), 'unsafe-path', '../escape.txt'],
    ['tar.gz with a long ../ name (GNU LongLink)', () => writeArchive('b.tgz', tgz([{ name: `${'a/'.repeat(60)}../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../x`, data: 'boom' }])), 'unsafe-path', 'a/a/'],
    ['tar.gz with a symlink leaving the directory', () => writeArchive('b.tgz', tgz([...GOOD, { name: 'reports/key', type: 'symlink', link: '../../../home/runner/.ssh/id_rsa' }])), 'link-entry', 'reports/key'],
    ['tar.gz with a hard link', () => writeArchive('b.tgz', tgz([...GOOD, { name: 'reports/h', type: 'hardlink', link: '/etc/shadow' }])), 'link-entry', 'reports/h'],
    ['tar.gz with a FIFO', () => writeArchive('b.tgz', tgz([...GOOD, { name: 'reports/p', type: 'fifo' }])), 'special-file', 'reports/p'],
    ['zip with the same path twice', () => writeArchive('b.zip', zip([...GOOD, { name: 'manifest.json', data: '{"b":2}' }])), 'archive-error', 'manifest.json'],
    ['zip that is not a zip', () => writeArchive('b.zip', Buffer.from('PK\u0003\u0004garbage')), 'archive-error', 'b.zip'],
    ['random bytes', () => writeArchive('b.bin', Buffer.from('hello world, not an archive')), 'archive-error', 'b.bin'],
    ['a truncated gzip', () => writeArchive('b.tgz', tgz(GOOD).subarray(0, 60)), 'archive-error', 'b.tgz'],
  ])('%s → %s naming the entry', (_, make, reason, file) => {
    const p = make();
    const e = treeError(() => readEvidenceTree(p, basename(p)));
    expect(e.reason).toBe(reason);
    expect(e.file).toContain(file);
    expect(e.message).toContain(file.slice(0, 4));
  });

  it('a zip entry whose CRC does not match is refused', () => {
    const z = zip([{ name: 'manifest.json', data: 'hello', store: true }]);
    const i = z.indexOf('hello');
    z[i] = 'j'.charCodeAt(0);
    const e = treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip'));
    expect(e.reason).toBe('archive-error');
    expect(e.message).toContain('CRC');
  });

  it('a zip bomb that lies about its size stops at the declared size', () => {
    const p = writeArchive('bomb.zip', zip([{ name: 'manifest.json', data: Buffer.alloc(5_000_000), declaredSize: 100 }]));
    const e = treeError(() => readEvidenceTree(p, 'bomb.zip'));
    expect(e.reason).toBe('limits-exceeded');
    expect(e.file).toBe('manifest.json');
  });

  it('caps the number of files and the bytes', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `reports/r${i}`, data: 'x' }));
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', zip(many)), 'b.zip', { maxFiles: 10, maxBytes: 1e6 })).reason).toBe('limits-exceeded');
    expect(treeError(() => readEvidenceTree(writeArchive('b.tgz', tgz(GOOD)), 'b.tgz', { maxFiles: 10, maxBytes: 1000 })).reason).toBe('limits-exceeded');
    // a gzip that decompresses past the cap is stopped while decompressing
    const big = writeArchive('big.tgz', tgz([{ name: 'manifest.json', data: Buffer.alloc(3_000_000) }]));
    expect(treeError(() => readEvidenceTree(big, 'big.tgz', { maxFiles: 10, maxBytes: 100_000 })).reason).toBe('limits-exceeded');
  });

  it('refuses symlinks, hard links and FIFOs in a downloaded directory, naming the file', () => {
    const d = tmp();
    mkdirSync(join(d, 'reports'));
    writeFileSync(join(d, 'manifest.json'), '{}');
    symlinkSync('/etc/passwd', join(d, 'reports', 'passwd'));
    let e = treeError(() => readEvidenceTree(d, 'd'));
    expect(e).toMatchObject({ reason: 'link-entry', file: 'reports/passwd' });

    const d2 = tmp();
    writeFileSync(join(d2, 'manifest.json'), '{}');
    const outside = join(tmp(), 'secret');
    writeFileSync(outside, 'secret');
    linkSync(outside, join(d2, 'hard'));
    e = treeError(() => readEvidenceTree(d2, 'd2'));
    expect(e).toMatchObject({ reason: 'link-entry', file: 'hard' });

    const d3 = tmp();
    symlinkSync(d2, join(d3, 'link'));
    expect(treeError(() => readEvidenceTree(join(d3, 'link'), 'link')).reason).toBe('link-entry');
  });

  it('a missing bundle is unreadable, named', () => {
    const e = treeError(() => readEvidenceTree('/nonexistent/bundle.zip', 'bundle.zip'));
    expect(e).toMatchObject({ reason: 'unreadable-file', file: 'bundle.zip' });
  });

  it('cleanEntryPath keeps safe names and normalises ./', () => {
    expect(cleanEntryPath('./records/a.ndjson')).toBe('records/a.ndjson');
    expect(cleanEntryPath('records//a')).toBe('records/a');
    expect(() => cleanEntryPath('a/../b')).toThrow(TreeError);
    expect(() => cleanEntryPath('a\u0000b')).toThrow(TreeError);
  });

  it('crc32 matches the zlib check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    void deflateRawSync;
  });
});
