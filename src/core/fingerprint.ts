import { sha256Hex } from './digest.js';

/**
 * A stable fingerprint: rule + file + the offending token's normalised text + the job/step context the
 * gate gives + which occurrence of that same combination it is. Line numbers are not part of it, so the
 * fingerprint survives unrelated edits above the finding.
 */
export class Fingerprinter {
  private readonly seen = new Map<string, number>();

  make(rule: string, file: string, token: string, context = ''): string {
    const norm = token.replace(/\s+/g, ' ').trim();
    const key = `${rule}\u0000${file.replace(/\\/g, '/')}\u0000${context}\u0000${norm}`;
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return sha256Hex(`${key}\u0000${n}`).slice(0, 32);
  }
}
