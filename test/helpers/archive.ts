// Tiny archive writers for tests: they write exactly the entries asked for, hostile ones included
// (`../` names, absolute paths, symlinks, hard links), which the system zip/tar refuse or rewrite.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { crc32, TreeError } from '../../src/gates/evidence/tree.js';

/** write archive bytes under `name` in a fresh temporary directory; returns the path */
export function writeArchive(name: string, data: Buffer): string {
  const p = join(mkdtempSync(join(tmpdir(), 'cg-archive-')), name);
  writeFileSync(p, data);
  return p;
}

/** the TreeError `fn` throws (any other exception is re-thrown; no exception fails the test) */
export function treeError(fn: () => unknown): TreeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TreeError) return e;
    throw e;
  }
  throw new Error('expected a TreeError');
}

export interface Entry {
  name: string;
  data?: Buffer | string;
  /** 'file' (default), 'dir', 'symlink', 'hardlink' (tar only), 'fifo' (tar only) */
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';
  link?: string;
  /** zip: deflate (default) or store */
  store?: boolean;
  /** zip: lie about the uncompressed size */
  declaredSize?: number;
}

export function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name, 'utf8');
    const raw = Buffer.from(e.type === 'symlink' ? (e.link ?? '') : (e.data ?? ''));
    const store = e.store || e.type === 'symlink' || e.type === 'dir';
    const body = store ? raw : deflateRawSync(raw);
    const crc = crc32(raw);
    const mode = e.type === 'symlink' ? 0o120777 : e.type === 'dir' ? 0o040755 : 0o100644;
    const usize = e.declaredSize ?? raw.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt16LE(store ? 0 : 8, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(usize, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, body);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt16LE(store ? 0 : 8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(usize, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE((mode << 16) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

function tarHeader(name: string, size: number, type: string, link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write(link.slice(0, 100), 157, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

export function tar(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    const type = { file: '0', dir: '5', symlink: '2', hardlink: '1', fifo: '6' }[e.type ?? 'file'];
    const size = type === '0' ? data.length : 0;
    if (Buffer.byteLength(e.name) > 100) {
      const long = Buffer.from(`${e.name}\0`);
      parts.push(tarHeader('././@LongLink', long.length, 'L'), long, Buffer.alloc((512 - (long.length % 512)) % 512));
    }
    parts.push(tarHeader(e.name, size, type, e.link));
    if (size) parts.push(data, Buffer.alloc((512 - (size % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tgz(entries: Entry[]): Buffer {
  return gzipSync(tar(entries));
}
