// Archive tricks where the reader and another extractor (unzip, a streaming zip reader, GNU tar) would see
// different files: each must be refused (archive-error), never read as something that then verifies.
import { describe, expect, it } from 'vitest';
import { linkSync } from 'node:fs';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { readEvidenceTree, readZip, crc32 } from '../../../src/gates/evidence/tree.js';
import { treeError, writeArchive, zip, tar, tgz } from '../../helpers/archive.js';

interface RawEntry {
  name: string;
  data: string;
  store?: boolean;
  /** in the central directory (default true) */
  central?: boolean;
  /** extra field bytes, in both headers */
  extra?: Buffer;
  /** overrides written into the local header only */
  local?: { method?: number; csize?: number; usize?: number; crc?: number };
  /** external attributes (made by MS-DOS when set) */
  dosAttr?: number;
}

/** A zip writer that can lie: entries missing from the central directory, local headers that disagree, comments. */
function rawZip(entries: RawEntry[], opts: { comment?: Buffer; gapAfterFirst?: Buffer; cdCountExtra?: number } = {}): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  let count = 0;
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf8');
    const raw = Buffer.from(e.data);
    const body = e.store ? raw : deflateRawSync(raw);
    const crc = crc32(raw);
    const extra = e.extra ?? Buffer.alloc(0);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt16LE(e.local?.method ?? (e.store ? 0 : 8), 8);
    lh.writeUInt32LE(e.local?.crc ?? crc, 14);
    lh.writeUInt32LE(e.local?.csize ?? body.length, 18);
    lh.writeUInt32LE(e.local?.usize ?? raw.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(extra.length, 28);
    parts.push(lh, name, extra, body);
    if (e.central !== false) {
      const ch = Buffer.alloc(46);
      ch.writeUInt32LE(0x02014b50, 0);
      ch.writeUInt16LE(e.dosAttr !== undefined ? 20 : (3 << 8) | 20, 4);
      ch.writeUInt16LE(20, 6);
      ch.writeUInt16LE(0x800, 8);
      ch.writeUInt16LE(e.store ? 0 : 8, 10);
      ch.writeUInt32LE(crc, 16);
      ch.writeUInt32LE(body.length, 20);
      ch.writeUInt32LE(raw.length, 24);
      ch.writeUInt16LE(name.length, 28);
      ch.writeUInt16LE(extra.length, 30);
      ch.writeUInt32LE(e.dosAttr !== undefined ? e.dosAttr : (0o100644 << 16) >>> 0, 38);
      ch.writeUInt32LE(offset, 42);
      centrals.push(ch, name, extra);
      count++;
    }
    offset += 30 + name.length + extra.length + body.length;
    if (i === 0 && opts.gapAfterFirst) {
      parts.push(opts.gapAfterFirst);
      offset += opts.gapAfterFirst.length;
    }
  });
  const cd = Buffer.concat(centrals);
  const comment = opts.comment ?? Buffer.alloc(0);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(count - (opts.cdCountExtra ?? 0), 8);
  eocd.writeUInt16LE(count - (opts.cdCountExtra ?? 0), 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...parts, cd, eocd, comment]);
}

const MANIFEST = { name: 'manifest.json', data: '{"a":1}\n' };
const RECORDS = { name: 'records/pipeline_run.ndjson', data: '{"x":1}\n' };

function unicodePathExtra(name: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const b = Buffer.alloc(4 + 5 + n.length);
  b.writeUInt16LE(0x7075, 0);
  b.writeUInt16LE(5 + n.length, 2);
  b.writeUInt8(1, 4);
  b.writeUInt32LE(crc32(Buffer.from('records/pipeline_run.ndjson')), 5);
  n.copy(b, 9);
  return b;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (`${len}${body}`.length !== len) len = `${len}${body}`.length;
  return `${len}${body}`;
}

function tarHeader(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}
const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

describe('zip: what another extractor would see differently is refused', () => {
  it('the control: the raw writer makes a zip the reader accepts', () => {
    const t = readEvidenceTree(writeArchive('b.zip', rawZip([MANIFEST, RECORDS])), 'b.zip');
    expect([...t.files.keys()].sort()).toEqual(['manifest.json', 'records/pipeline_run.ndjson']);
  });

  it('an entry with a local header but no central-directory entry (hidden from the reader, seen by streaming unzip)', () => {
    const z = rawZip([MANIFEST, { name: 'records/smuggled.ndjson', data: '{"evil":1}\n', central: false }, RECORDS]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('bytes between entries that no central-directory entry accounts for', () => {
    const z = rawZip([MANIFEST, RECORDS], { gapAfterFirst: Buffer.from('hidden bytes') });
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('a local header whose method or sizes disagree with the central directory', () => {
    const z1 = rawZip([MANIFEST, { ...RECORDS, store: true, local: { method: 8 } }]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z1), 'b.zip')).reason).toBe('archive-error');
    const z2 = rawZip([MANIFEST, { ...RECORDS, local: { usize: 3 } }]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z2), 'b.zip')).reason).toBe('archive-error');
    const z3 = rawZip([MANIFEST, { ...RECORDS, local: { crc: 1 } }]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z3), 'b.zip')).reason).toBe('archive-error');
  });

  it('an Info-ZIP Unicode Path extra field naming another file than the entry name', () => {
    const z = rawZip([MANIFEST, { ...RECORDS, extra: unicodePathExtra('reports/other.sarif') }]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('a comment that hides a second end-of-central-directory record', () => {
    // the comment holds an EOCD pointing at nothing useful; a reader scanning from the end finds it first
    const inner = Buffer.alloc(22);
    inner.writeUInt32LE(0x06054b50, 0);
    const z = rawZip([MANIFEST, RECORDS], { comment: inner });
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('a central directory holding more entries than the end record counts', () => {
    const z = rawZip([MANIFEST, RECORDS], { cdCountExtra: 1 });
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('an MS-DOS "directory" attribute on a name without a trailing slash (unzip would write a file)', () => {
    const z = rawZip([MANIFEST, RECORDS, { name: 'reports/x.sarif', data: '', store: true, dosAttr: 0x10 }]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('a zip with a prepended stub (self-extractor) is refused, not read at shifted offsets', () => {
    const z = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), zip([MANIFEST, RECORDS])]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('duplicate names in the central directory are refused', () => {
    const z = zip([MANIFEST, RECORDS, { name: 'records/pipeline_run.ndjson', data: '{"y":2}\n' }]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('archive-error');
  });

  it('a NUL byte in a name is unsafe-path', () => {
    const z = zip([MANIFEST, { name: 'records/a.ndjson\0.txt', data: 'x' }]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', z), 'b.zip')).reason).toBe('unsafe-path');
  });

  it('case-only different names are two files (each must then be listed in the manifest)', () => {
    const t = readEvidenceTree(writeArchive('b.zip', zip([MANIFEST, RECORDS, { name: 'Manifest.json', data: '{}' }])), 'b.zip');
    expect(t.files.has('Manifest.json')).toBe(true);
    expect(t.files.get('manifest.json')?.toString()).toBe(MANIFEST.data);
  });
});

describe('tar: what GNU tar would see differently is refused', () => {
  it('a pax `size` that disagrees with the header size', () => {
    const pax = Buffer.from(paxRecord('size', '1024'));
    const data = Buffer.from(RECORDS.data);
    const t = Buffer.concat([tarHeader('PaxHeader', pax.length, 'x'), pax, pad(pax.length), tarHeader(RECORDS.name, data.length, '0'), data, pad(data.length), Buffer.alloc(1024)]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.tar', t), 'b.tar')).reason).toBe('archive-error');
  });

  it('a global pax header setting a path', () => {
    const pax = Buffer.from(paxRecord('path', 'records/other.ndjson'));
    const data = Buffer.from(RECORDS.data);
    const t = Buffer.concat([tarHeader('GlobalHead', pax.length, 'g'), pax, pad(pax.length), tarHeader(RECORDS.name, data.length, '0'), data, pad(data.length), Buffer.alloc(1024)]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.tar', t), 'b.tar')).reason).toBe('archive-error');
  });

  it('a pax path overriding the header name is the name used (and checked)', () => {
    const pax = Buffer.from(paxRecord('path', '../escape.ndjson'));
    const data = Buffer.from(RECORDS.data);
    const t = Buffer.concat([tarHeader('PaxHeader', pax.length, 'x'), pax, pad(pax.length), tarHeader(RECORDS.name, data.length, '0'), data, pad(data.length), Buffer.alloc(1024)]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.tar', t), 'b.tar')).reason).toBe('unsafe-path');
  });

  it('entries after the end-of-archive blocks (tar --ignore-zeros would extract them)', () => {
    const t = Buffer.concat([tar([MANIFEST]), tar([RECORDS])]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.tar', t), 'b.tar')).reason).toBe('archive-error');
    expect(treeError(() => readEvidenceTree(writeArchive('b.tgz', gzipSync(t)), 'b.tgz')).reason).toBe('archive-error');
  });

  it('zero padding after the end blocks is fine (tar pads to a 10240-byte record)', () => {
    const t = Buffer.concat([tar([MANIFEST, RECORDS]), Buffer.alloc(10240)]);
    expect([...readEvidenceTree(writeArchive('b.tar', t), 'b.tar').files.keys()].sort()).toEqual(['manifest.json', 'records/pipeline_run.ndjson']);
  });

  it('a symlink entry in a tar.gz is link-entry', () => {
    expect(treeError(() => readEvidenceTree(writeArchive('b.tgz', tgz([MANIFEST, { name: 'records/x.ndjson', type: 'symlink', link: '/etc/passwd' }])), 'b.tgz')).reason).toBe('link-entry');
  });

  it('a truncated gzip is archive-error', () => {
    const g = tgz([MANIFEST, RECORDS]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.tgz', g.subarray(0, g.length - 10)), 'b.tgz')).reason).toBe('archive-error');
  });

  it('a gzip that inflates past max-bytes is limits-exceeded', () => {
    const g = gzipSync(tar([MANIFEST, { name: 'reports/big', data: Buffer.alloc(4 * 1024 * 1024) }]));
    expect(treeError(() => readEvidenceTree(writeArchive('b.tgz', g), 'b.tgz', { maxFiles: 100, maxBytes: 1024 * 1024 })).reason).toBe('limits-exceeded');
  });
});

describe('zips written by real tools still read', () => {
  it('a data-descriptor (streamed) zip, as actions/upload-artifact writes, is read', () => {
    // flag bit 3: sizes and CRC after the data, local header zeros
    const name = Buffer.from('records/pipeline_run.ndjson');
    const raw = Buffer.from(RECORDS.data);
    const body = deflateRawSync(raw);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x808, 6);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(name.length, 26);
    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc32(raw), 4);
    dd.writeUInt32LE(body.length, 8);
    dd.writeUInt32LE(raw.length, 12);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4);
    ch.writeUInt16LE(0x808, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc32(raw), 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(raw.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    const local = Buffer.concat([lh, name, body, dd]);
    const cd = Buffer.concat([ch, name]);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(local.length, 16);
    const t = readZip(Buffer.concat([local, cd, eocd]), 'b.zip', { maxFiles: 10, maxBytes: 1 << 20 });
    expect(t.files.get('records/pipeline_run.ndjson')?.toString()).toBe(RECORDS.data);
    // and a descriptor that disagrees with the central directory is refused
    dd.writeUInt32LE(raw.length + 1, 12);
    const bad = Buffer.concat([lh, name, body, dd, cd, eocd]);
    expect(treeError(() => readEvidenceTree(writeArchive('b.zip', bad), 'b.zip')).reason).toBe('archive-error');
  });
});

describe('the bundle file itself', () => {
  it('an archive that is hard-linked elsewhere is still read (only files inside a directory bundle must not be shared)', () => {
    const p = writeArchive('b.zip', zip([MANIFEST, RECORDS]));
    linkSync(p, `${p}.copy`);
    expect(readEvidenceTree(p, 'b.zip').files.size).toBe(2);
  });
});
