import { CHAR_CLASS, IDENT_CONT } from './charClasses';

/**
 * 64-bit shape hash (16 hex characters) of an already sanitized statement: runs of
 * whitespace count as one separator and only between two word characters, unquoted
 * ASCII letters are folded to lower case (PostgreSQL folds unquoted identifiers and
 * keywords), quoted identifiers are hashed exactly. Two FNV-1a lanes with different
 * primes and seeds, each finished with the murmur3 mixer.
 * @internal
 */
export function fingerprintSanitized(text: string): string {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x2f9be6cb | 0;
  let inQuote = false;
  let pendingSpace = false;
  let prevWord = false;
  let m = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (inQuote) {
      if (c === 0x22) inQuote = false;
    } else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      pendingSpace = true;
      continue;
    } else {
      const word = c >= 0x80 || (CHAR_CLASS[c] & IDENT_CONT) !== 0 || c === 0x3f || c === 0x22;
      if (pendingSpace && word && prevWord) {
        h1 = Math.imul(h1 ^ 0x20, 0x01000193);
        h2 = Math.imul(h2 ^ 0x20, 0x5bd1e995);
      }
      prevWord = word;
      if (c === 0x22) inQuote = true;
      else if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    }
    pendingSpace = false;
    m++;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return hex8(fmix32(h1 ^ m)) + hex8(fmix32(h2 ^ Math.imul(m, 0x9e3779b1)));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex8(v: number): string {
  return (v + 0x100000000).toString(16).slice(1);
}
