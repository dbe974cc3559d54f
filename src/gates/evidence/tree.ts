// Read an evidence bundle (a directory, a .tar/.tar.gz or a .zip) into memory, safely.
// Nothing is ever extracted to disk: entries are checked (no absolute paths, no `..`, no links, no devices,
// no duplicates), counted and size-capped, then held in a Map keyed by a clean relative path.
import { fsErrorText } from '../../core/files.js';
import { lstatSync, openSync, readSync, closeSync, readdirSync, fstatSync, constants as fsConstants } from 'node:fs';
import { join, basename } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';

export type TreeReason = 'unsafe-path' | 'link-entry' | 'special-file' | 'limits-exceeded' | 'archive-error' | 'unreadable-file';

/** A problem with the bundle's container. `file` names the entry (or the archive) at fault. */
export class TreeError extends Error {
  override name = 'TreeError';
  constructor(
    readonly reason: TreeReason,
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

export interface TreeLimits {
  /** most files (directories not counted) */
  maxFiles: number;
  /** most bytes, all files together (uncompressed) */
  maxBytes: number;
}

export const DEFAULT_LIMITS: TreeLimits = { maxFiles: 2000, maxBytes: 256 * 1024 * 1024 };

export interface EvidenceTree {
  /** what was read, for messages */
  source: string;
  kind: 'directory' | 'zip' | 'tar' | 'tar.gz';
  /** clean relative path (forward slashes) → bytes */
  files: Map<string, Buffer>;
}

/**
 * Check and clean an entry name. Returns the normalised relative path, or throws `unsafe-path`.
 * Rejected: absolute paths, drive letters, backslashes, `..` segments, NUL and control characters.
 */
export function cleanEntryPath(name: string, shown = name): string {
  if (name.length === 0) throw new TreeError('unsafe-path', shown || '(empty name)', 'empty entry name');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new TreeError('unsafe-path', JSON.stringify(name), 'entry name contains control characters');
  if (name.includes('\\')) throw new TreeError('unsafe-path', shown, 'entry name contains a backslash (a Windows path separator)');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new TreeError('unsafe-path', shown, 'absolute entry path');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new TreeError('unsafe-path', shown, 'entry path leaves the bundle (`..`)');
  if (parts.length === 0) return '';
  return parts.join('/');
}

class Budget {
  files = 0;
  bytes = 0;
  constructor(
    readonly limits: TreeLimits,
    readonly source: string,
  ) {}
  /** bytes still allowed */
  get left(): number {
    return this.limits.maxBytes - this.bytes;
  }
  add(path: string, size: number): void {
    this.files++;
    this.bytes += size;
    if (this.files > this.limits.maxFiles) throw new TreeError('limits-exceeded', path, `more than ${this.limits.maxFiles} files in ${this.source}`);
    if (this.bytes > this.limits.maxBytes) throw new TreeError('limits-exceeded', path, `more than ${this.limits.maxBytes} bytes in ${this.source}`);
  }
}

function put(files: Map<string, Buffer>, path: string, data: Buffer): void {
  if (files.has(path)) throw new TreeError('archive-error', path, 'the same path appears twice');
  files.set(path, data);
}

/** Read a whole file with a size cap, through one descriptor (no TOCTOU between stat and read). */
function readCapped(abs: string, shown: string, cap: number, inDirectory = false): Buffer {
  let fd: number;
  try {
    // O_NOFOLLOW: a file swapped for a symlink between the directory walk's lstat and this open is refused
    fd = openSync(abs, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new TreeError('link-entry', shown, 'symbolic link (links are refused in evidence bundles)');
    throw new TreeError('unreadable-file', shown, `cannot open: ${fsErrorText(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new TreeError('special-file', shown, 'not a regular file');
    if (inDirectory && st.nlink > 1) throw new TreeError('link-entry', shown, 'file has more than one hard link (it may be shared with a file outside the directory)');
    if (st.size > cap) throw new TreeError('limits-exceeded', shown, `file is larger than the ${cap}-byte limit`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off !== st.size) throw new TreeError('unreadable-file', shown, 'file changed while it was read');
    return buf;
  } finally {
    closeSync(fd);
  }
}

function readDirectory(root: string, limits: TreeLimits): EvidenceTree {
  const budget = new Budget(limits, basename(root));
  const files = new Map<string, Buffer>();
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch (e) {
      throw new TreeError('unreadable-file', rel || '.', `cannot list directory: ${fsErrorText(e)}`);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const st = lstatSync(join(root, r));
      if (st.isSymbolicLink()) throw new TreeError('link-entry', r, 'symbolic link in the evidence directory (links are refused: they can point outside it)');
      if (st.isDirectory()) {
        stack.push(r);
        continue;
      }
      if (!st.isFile()) throw new TreeError('special-file', r, 'not a regular file (device, FIFO or socket)');
      if (st.nlink > 1) throw new TreeError('link-entry', r, 'file has more than one hard link (it may be shared with a file outside the directory)');
      budget.add(r, st.size);
      put(files, cleanEntryPath(r), readCapped(join(root, r), r, budget.left + st.size, true));
    }
  }
  return { source: root, kind: 'directory', files };
}

// ---------------------------------------------------------------------------------------------- tar

function octal(buf: Buffer, start: number, len: number, what: string, shown: string): number {
  const field = buf.subarray(start, start + len);
  if (field[0] & 0x80) {
    // base-256 (GNU): big-endian, first byte's high bit set
    let v = 0;
    for (let i = 0; i < field.length; i++) v = v * 256 + (i === 0 ? field[i] & 0x7f : field[i]);
    if (!Number.isSafeInteger(v)) throw new TreeError('archive-error', shown, `${what} is out of range`);
    return v;
  }
  const s = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TreeError('archive-error', shown, `${what} "${s}" is not octal`);
  return parseInt(s, 8);
}

function cstr(buf: Buffer, start: number, len: number): string {
  const field = buf.subarray(start, start + len);
  const z = field.indexOf(0);
  return field.subarray(0, z < 0 ? field.length : z).toString('utf8');
}

function parsePax(data: Buffer, shown: string): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) throw new TreeError('archive-error', shown, 'malformed pax header');
    const len = Number(data.subarray(off, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || off + len > data.length) throw new TreeError('archive-error', shown, 'malformed pax header length');
    const rec = data.subarray(sp + 1, off + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    off += len;
  }
  return out;
}

export function readTar(buf: Buffer, source: string, limits: TreeLimits, kind: 'tar' | 'tar.gz' = 'tar'): EvidenceTree {
  const budget = new Budget(limits, source);
  const files = new Map<string, Buffer>();
  let off = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let sawEnd = false;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) {
      sawEnd = true;
      break;
    }
    const rawName = cstr(h, 0, 100);
    const shownAt = rawName || `entry at byte ${off}`;
    const sum = octal(h, 148, 8, 'header checksum', shownAt);
    let calc = 0;
    for (let i = 0; i < 512; i++) calc += i >= 148 && i < 156 ? 0x20 : h[i];
    if (sum !== calc) throw new TreeError('archive-error', shownAt, 'tar header checksum mismatch (corrupt archive)');
    const size = octal(h, 124, 12, 'size', shownAt);
    const type = String.fromCharCode(h[156] || 0x30);
    const magic = h.subarray(257, 262).toString('latin1');
    const prefix = magic === 'ustar' ? cstr(h, 345, 155) : '';
    const dataStart = off + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > buf.length) throw new TreeError('archive-error', shownAt, 'truncated tar entry');
    const data = buf.subarray(dataStart, dataEnd);
    off = dataStart + Math.ceil(size / 512) * 512;

    if (type === 'x' || type === 'g') {
      const keys = parsePax(data, shownAt);
      if (type === 'g') {
        // a global header that renames or resizes entries is read one way by GNU tar and another by bsdtar
        const bad = Object.keys(keys).filter((k) => k === 'path' || k === 'linkpath' || k === 'size');
        if (bad.length) throw new TreeError('archive-error', shownAt, `global pax header sets ${bad.join(', ')} (ambiguous between tar implementations)`);
        continue; // other global defaults (mtime, uid, …) do not matter here
      }
      pax = keys;
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'K') {
      longLink = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    // pax `size` overrides the header size in GNU tar and bsdtar: a disagreeing one would make them read the
    // entries differently from us (data for them is headers for us, or the reverse)
    if (pax.size !== undefined && (!/^\d+$/.test(pax.size) || Number(pax.size) !== size)) {
      throw new TreeError('archive-error', pax.path ?? shownAt, `pax size ${JSON.stringify(pax.size)} disagrees with the header size ${size}`);
    }
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${rawName}` : rawName);
    const link = pax.linkpath ?? longLink ?? cstr(h, 157, 100);
    pax = {};
    longName = undefined;
    longLink = undefined;
    const path = cleanEntryPath(name, name);
    if (type === '1' || type === '2') {
      throw new TreeError('link-entry', name, `${type === '2' ? 'symbolic' : 'hard'} link to "${link}" (links are refused in evidence bundles)`);
    }
    if (type === '5') continue; // directory
    if (type !== '0' && type !== '7') throw new TreeError('special-file', name, `tar entry type "${type}" is not a regular file`);
    if (path === '') throw new TreeError('unsafe-path', name, 'file entry without a name');
    budget.add(path, size);
    put(files, path, Buffer.from(data));
  }
  if (!sawEnd && off < buf.length) throw new TreeError('archive-error', source, 'trailing bytes after the last tar entry');
  // after the end-of-archive blocks only zero padding: `tar --ignore-zeros` (and a concatenated archive) would
  // read further entries that we never checked
  if (sawEnd && buf.subarray(off).some((b) => b !== 0)) throw new TreeError('archive-error', source, 'data after the end-of-archive marker (a second archive appended?)');
  if (!sawEnd && files.size === 0) throw new TreeError('archive-error', source, 'not a tar archive (no entries)');
  return { source, kind, files };
}

// ---------------------------------------------------------------------------------------------- zip

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** Extra fields that change what an entry is: Info-ZIP Unicode Path (0x7075) renames it for some extractors, ZIP64 (0x0001) resizes it. */
function checkExtra(extra: Buffer, name: string): void {
  let i = 0;
  while (i + 4 <= extra.length) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === 0x7075) throw new TreeError('archive-error', name, 'Unicode Path extra field (some extractors use it as the name instead of the checked one)');
    if (id === 0x0001) throw new TreeError('archive-error', name, 'ZIP64 entries are not supported');
    i += 4 + len;
  }
}

export function readZip(buf: Buffer, source: string, limits: TreeLimits): EvidenceTree {
  const budget = new Budget(limits, source);
  const files = new Map<string, Buffer>();
  // End of central directory: 22 bytes + up to 65535 bytes of comment.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new TreeError('archive-error', source, 'not a zip archive (no end-of-central-directory record)');
  // the end record must be the last thing in the file: a comment that hides another end record (found first
  // by a reader scanning from the end, not by one scanning forward) makes two readers see two archives
  if (eocd + 22 + buf.readUInt16LE(eocd + 20) !== buf.length) throw new TreeError('archive-error', source, 'the end-of-central-directory comment length does not reach the end of the file (a second end record or trailing data)');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOff = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOff === 0xffffffff || cdSize === 0xffffffff) {
    throw new TreeError('archive-error', source, 'ZIP64 archives are not supported (an evidence bundle is far below 4 GiB)');
  }
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0 || buf.readUInt16LE(eocd + 8) !== count) throw new TreeError('archive-error', source, 'multi-disk zip archives are not supported');
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) throw new TreeError('archive-error', source, 'ZIP64 archives are not supported (an evidence bundle is far below 4 GiB)');
  if (cdOff + cdSize !== eocd) throw new TreeError('archive-error', source, 'central directory does not end where the end record begins (prepended or appended data?)');
  if (count > limits.maxFiles * 2 + 1000) throw new TreeError('limits-exceeded', source, `${count} entries in the zip directory`);
  // every byte before the central directory must belong to exactly one entry: a local entry the central
  // directory does not list is invisible here but extracted by streaming readers (`unzip` of a pipe, Java's ZipInputStream)
  const spans: Array<{ start: number; end: number; name: string }> = [];
  let p = cdOff;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) throw new TreeError('archive-error', source, `corrupt central directory entry #${n + 1}`);
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const ext = buf.readUInt32LE(p + 38);
    const local = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > eocd) throw new TreeError('archive-error', source, `corrupt central directory entry #${n + 1}`);
    const nameBuf = buf.subarray(p + 46, p + 46 + nameLen);
    const name = nameBuf.toString('utf8');
    const cdExtra = buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    p += 46 + nameLen + extraLen + commentLen;
    const mode = madeBy === 3 ? ext >>> 16 : 0; // 3 = Unix: permission bits in the high half
    const fileType = mode & 0o170000;
    if (fileType === 0o120000) throw new TreeError('link-entry', name, 'symbolic link (links are refused in evidence bundles)');
    const path = cleanEntryPath(name, name);
    checkExtra(cdExtra, name);
    if (csize === 0xffffffff || usize === 0xffffffff || local === 0xffffffff) throw new TreeError('archive-error', name, 'ZIP64 entries are not supported');
    if (flags & 0x1) throw new TreeError('archive-error', name, 'encrypted zip entries are not supported');
    if (method !== 0 && method !== 8) throw new TreeError('archive-error', name, `compression method ${method} is not supported (only stored and deflate)`);
    // the local header must describe the same entry as the central directory: streaming readers use it alone
    if (local + 30 > cdOff || buf.readUInt32LE(local) !== 0x04034b50) throw new TreeError('archive-error', name, 'local header missing or misplaced');
    const lFlags = buf.readUInt16LE(local + 6);
    const lNameLen = buf.readUInt16LE(local + 26);
    const lExtraLen = buf.readUInt16LE(local + 28);
    if (!buf.subarray(local + 30, local + 30 + lNameLen).equals(nameBuf)) throw new TreeError('archive-error', name, 'local header names another file than the central directory');
    checkExtra(buf.subarray(local + 30 + lNameLen, local + 30 + lNameLen + lExtraLen), name);
    if (buf.readUInt16LE(local + 8) !== method || (lFlags & 0x9) !== (flags & 0x9)) throw new TreeError('archive-error', name, 'local header disagrees with the central directory (method or flags)');
    const start = local + 30 + lNameLen + lExtraLen;
    let end = start + csize;
    if (end > cdOff) throw new TreeError('archive-error', name, 'entry data runs past the central directory');
    if (flags & 0x8) {
      // data descriptor after the data: optional signature, then crc, compressed and uncompressed size
      let d = end;
      if (d + 4 <= cdOff && buf.readUInt32LE(d) === 0x08074b50) d += 4;
      if (d + 12 > cdOff || buf.readUInt32LE(d) !== crc || buf.readUInt32LE(d + 4) !== csize || buf.readUInt32LE(d + 8) !== usize) {
        throw new TreeError('archive-error', name, 'data descriptor disagrees with the central directory');
      }
      end = d + 12;
    } else if (buf.readUInt32LE(local + 14) !== crc || buf.readUInt32LE(local + 18) !== csize || buf.readUInt32LE(local + 22) !== usize) {
      throw new TreeError('archive-error', name, 'local header disagrees with the central directory (CRC or sizes)');
    }
    spans.push({ start: local, end, name });
    const dosDir = madeBy !== 3 && (ext & 0x10) !== 0;
    const isDir = name.endsWith('/') || fileType === 0o040000 || dosDir;
    if (isDir) {
      if (!name.endsWith('/')) throw new TreeError('archive-error', name, 'directory entry without a trailing slash (other extractors write it as a file)');
      if (usize !== 0 || csize > 2) throw new TreeError('archive-error', name, 'directory entry with content');
      continue;
    }
    if (fileType !== 0 && fileType !== 0o100000) throw new TreeError('special-file', name, 'not a regular file');
    if (path === '') throw new TreeError('unsafe-path', name, 'file entry without a name');
    budget.add(path, usize);
    const raw = buf.subarray(start, start + csize);
    let data: Buffer;
    if (method === 0) {
      if (csize !== usize) throw new TreeError('archive-error', name, 'stored entry sizes disagree');
      data = Buffer.from(raw);
    } else {
      try {
        // cap the output at the declared size + 1: a bomb that lies about its size stops here
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, usize + 1) });
      } catch (e) {
        const msg = (e as Error).message;
        if (/larger than|maxOutputLength|buffer/i.test(msg)) throw new TreeError('limits-exceeded', name, 'entry inflates beyond its declared size');
        throw new TreeError('archive-error', name, `cannot inflate: ${msg}`);
      }
    }
    if (data.length !== usize) throw new TreeError('archive-error', name, `entry inflates to ${data.length} bytes, declared ${usize}`);
    if (crc32(data) !== crc) throw new TreeError('archive-error', name, 'CRC-32 mismatch (corrupt entry)');
    put(files, path, data);
  }
  if (p !== cdOff + cdSize) throw new TreeError('archive-error', source, 'the central directory holds more than the end record counts');
  spans.sort((a, b) => a.start - b.start);
  let at = 0;
  for (const s of spans) {
    if (s.start !== at) throw new TreeError('archive-error', s.name, s.start > at ? `${s.start - at} bytes before this entry belong to no listed entry (a hidden entry?)` : 'entries overlap');
    at = s.end;
  }
  if (at !== cdOff) throw new TreeError('archive-error', source, `${cdOff - at} bytes before the central directory belong to no listed entry (a hidden entry?)`);
  return { source, kind: 'zip', files };
}

// ---------------------------------------------------------------------------------------------- entry

/** When every file sits under one top-level directory and there is no manifest at the root, drop that directory. */
function unwrap(tree: EvidenceTree, marker: string): EvidenceTree {
  if (tree.files.has(marker) || tree.files.size === 0) return tree;
  const tops = new Set([...tree.files.keys()].map((k) => k.split('/')[0]));
  if (tops.size !== 1) return tree;
  const [top] = [...tops];
  if (![...tree.files.keys()].every((k) => k.startsWith(`${top}/`))) return tree;
  const files = new Map<string, Buffer>();
  for (const [k, v] of tree.files) files.set(k.slice(top.length + 1), v);
  return { ...tree, files };
}

/**
 * Read a bundle from a directory or an archive file (format detected from its first bytes, not its name).
 * `marker` is the file expected at the bundle root (used to unwrap a single top-level directory).
 */
export function readEvidenceTree(abs: string, shown: string, limits: TreeLimits = DEFAULT_LIMITS, marker = 'manifest.json'): EvidenceTree {
  let st;
  try {
    st = lstatSync(abs);
  } catch (e) {
    throw new TreeError('unreadable-file', shown, `cannot read: ${fsErrorText(e)}`);
  }
  if (st.isSymbolicLink()) throw new TreeError('link-entry', shown, 'the bundle path is a symbolic link');
  if (st.isDirectory()) return unwrap({ ...readDirectory(abs, limits), source: shown }, marker);
  if (!st.isFile()) throw new TreeError('special-file', shown, 'not a file or directory');
  const buf = readCapped(abs, shown, limits.maxBytes);
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) return unwrap(readZip(buf, shown, limits), marker);
  if (buf.length >= 22 && buf.readUInt32LE(0) === 0x06054b50) return readZip(buf, shown, limits);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    let tar: Buffer;
    try {
      tar = gunzipSync(buf, { maxOutputLength: limits.maxBytes + 1024 * 1024 });
    } catch (e) {
      const msg = (e as Error).message;
      if (/larger than|maxOutputLength|buffer/i.test(msg)) throw new TreeError('limits-exceeded', shown, `decompresses beyond the ${limits.maxBytes}-byte limit`);
      throw new TreeError('archive-error', shown, `cannot decompress: ${msg}`);
    }
    return unwrap(readTar(tar, shown, limits, 'tar.gz'), marker);
  }
  if (buf.length >= 512 && buf.subarray(257, 262).toString('latin1') === 'ustar') return unwrap(readTar(buf, shown, limits), marker);
  throw new TreeError('archive-error', shown, 'not a directory, .zip, .tar or .tar.gz');
}
