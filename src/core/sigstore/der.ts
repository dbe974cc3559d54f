// Minimal, strict DER reading for the values chaingate needs from certificates (Fulcio extensions).
// Strict means: definite lengths only, minimal length encoding, no trailing bytes.

export class DerError extends Error {
  override name = 'DerError';
}

export const DER_TAG_UTF8STRING = 0x0c;

export interface Tlv {
  tag: number;
  /** offset of the first content byte */
  start: number;
  /** offset just past the last content byte */
  end: number;
}

/** Read one TLV at `offset` of `buf` (single-byte tags only: all universal types chaingate reads). */
export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  if (offset + 2 > buf.length) throw new DerError('truncated DER header');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  const first = buf[offset + 1];
  let len: number;
  let p = offset + 2;
  if (first < 0x80) {
    len = first;
  } else if (first === 0x80) {
    throw new DerError('indefinite length is not DER');
  } else {
    const n = first & 0x7f;
    if (n > 4) throw new DerError('DER length too large');
    if (p + n > buf.length) throw new DerError('truncated DER length');
    if (buf[p] === 0) throw new DerError('non-minimal DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    if (len < 0x80) throw new DerError('non-minimal DER length');
    p += n;
  }
  if (p + len > buf.length) throw new DerError('DER value runs past the end of its container');
  return { tag, start: p, end: p + len };
}

// ignoreBOM: a leading U+FEFF is part of the value Fulcio wrote (the default decoder drops it, so "\uFEFFpush"
// would have read as "push"); values are compared exactly, as cosign compares the bytes
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode a whole buffer that must be exactly one DER UTF8String. */
export function decodeDerUtf8String(buf: Uint8Array): string {
  const tlv = readTlv(buf, 0);
  if (tlv.tag !== DER_TAG_UTF8STRING) throw new DerError(`expected a UTF8String (tag 0x0c), got tag 0x${tlv.tag.toString(16).padStart(2, '0')}`);
  if (tlv.end !== buf.length) throw new DerError('trailing bytes after the UTF8String');
  try {
    return utf8.decode(buf.subarray(tlv.start, tlv.end));
  } catch {
    throw new DerError('UTF8String is not valid UTF-8');
  }
}

/** Decode raw (non-DER) UTF-8 bytes, as Fulcio's deprecated v1 extensions carry them. */
export function decodeRawUtf8(buf: Uint8Array): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw new DerError('value is not valid UTF-8');
  }
}
