/**
 * Token-level shape hash behind {@link SanitizedSql.fingerprint}. The lexer hashes each
 * token's characters twice, into two independent 32-bit hashes ({@link hashToken} and
 * {@link hashToken2}: different seed, rotation and multiplier; unquoted words case-folded,
 * quoted identifiers exactly, so `"id"` equals `id` as in PostgreSQL), and feeds the first
 * to lane A ({@link mixA}) and the second to lane B ({@link mixB}), finished by the murmur3
 * finalizer: two names collide only if both 32-bit hashes do (64-bit strength; one hash
 * feeding both lanes gave natural collisions among ~100k names). Fixed tokens (literal `?`,
 * punctuation, ORDER BY ordinals) feed the same constant to both lanes. Whitespace and comments are never tokens, so they cannot change the result;
 * every literal is the same token. The lanes are plain numbers, so the lexer can save and
 * restore them to drop collapsed IN-list elements and VALUES rows.
 * @internal
 */

/** Seed and multiplier of {@link hashToken}. */
export const TOKEN_SEED = 0x811c9dc5 | 0;
export const TOKEN_PRIME = 0x9e3779b1 | 0;
/** Seed and multiplier of {@link hashToken2}. */
export const TOKEN_SEED2 = 0x3c6ef372 | 0;
export const TOKEN_PRIME2 = 0x85ebca77 | 0;
/** Lane seeds. */
export const SEED_A = 0x1b873593 | 0;
export const SEED_B = 0x2f9be6cb | 0;
/** Token hash of every literal (`?`). */
export const LITERAL_TOKEN = 0x3f3f3f3f;
/** Token kinds mixed into punctuation so `(` can never equal a word's hash by construction. */
export const PUNCT_TOKEN = 0x70000000;

/**
 * Token hash of `s[start, end)`: one rotate-xor-multiply step per pair of UTF-16 code
 * units (a block of 32 bits; an odd last unit is a block on its own), then xor the length.
 * With `fold`, ASCII `A-Z` count as `a-z` (unquoted words); without, exact (quoted
 * identifiers). The lexer inlines this same step in its scanning loops.
 */
export function hashToken(s: string, start: number, end: number, fold: boolean): number {
  let h = TOKEN_SEED;
  for (let k = start; k < end; k += 2) {
    let a = s.charCodeAt(k);
    let b = k + 1 < end ? s.charCodeAt(k + 1) : 0;
    if (fold) {
      if (a - 0x41 >>> 0 < 26) a |= 0x20;
      if (b - 0x41 >>> 0 < 26) b |= 0x20;
    }
    h = Math.imul(((h << 7) | (h >>> 25)) ^ (a | (b << 16)), TOKEN_PRIME);
  }
  return h ^ (end - start);
}

/**
 * Second token hash of `s[start, end)`, independent of {@link hashToken}: the same blocks,
 * another seed, rotation (13) and multiplier, and the length mixed by a multiply.
 */
export function hashToken2(s: string, start: number, end: number, fold: boolean): number {
  let h = TOKEN_SEED2;
  for (let k = start; k < end; k += 2) {
    let a = s.charCodeAt(k);
    let b = k + 1 < end ? s.charCodeAt(k + 1) : 0;
    if (fold) {
      if (a - 0x41 >>> 0 < 26) a |= 0x20;
      if (b - 0x41 >>> 0 < 26) b |= 0x20;
    }
    h = Math.imul(((h << 13) | (h >>> 19)) ^ (a | (b << 16)), TOKEN_PRIME2);
  }
  return Math.imul(h ^ (end - start), TOKEN_PRIME);
}

/** Token hash of an ORDER BY / GROUP BY ordinal `v` (kept apart like pg_stat_statements does). */
export function ordinalToken(v: number): number {
  return (Math.imul(v + 1, 0x9e3779b1) ^ 0x4f524400) | 1;
}

/** Lane A: murmur3_32 block step. */
export function mixA(h: number, t: number): number {
  let k = Math.imul(t, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Lane B: a cheaper chain (rotate, xor, multiply) over the same token hashes; token
 * hashes are already well mixed, and lane A carries the murmur3 avalanche.
 */
export function mixB(h: number, t: number): number {
  return Math.imul(((h << 5) | (h >>> 27)) ^ t, 0x5bd1e995);
}

/**
 * Recently formatted fingerprints, direct-mapped by their 64 bits (x, y below): the same
 * statement shapes recur all the time, and formatting 16 hex digits (String.fromCharCode
 * with 16 arguments) cost about as much as lexing a 20-character statement. Exact: a slot
 * is used only when both 32-bit halves match; bounded (512 slots). Slot 0 starts as the
 * string of (0, 0), so every slot is valid from the start.
 */
const FORMAT_SLOTS = 512;
const formatKeys = new Int32Array(FORMAT_SLOTS * 2);
const formatted: string[] = new Array<string>(FORMAT_SLOTS).fill('0000000000000000');

/** 16 lowercase hex characters from both lanes and the token count. */
export function finishFingerprint(a: number, b: number, tokens: number): string {
  const x = fmix32(a ^ tokens);
  const y = fmix32(b ^ Math.imul(tokens, 0x9e3779b1));
  const slot = (x ^ (y >>> 9)) & (FORMAT_SLOTS - 1);
  if (formatKeys[slot * 2] === (x | 0) && formatKeys[slot * 2 + 1] === (y | 0)) return formatted[slot];
  // one allocation: 16 char codes from a nibble table
  const hex = String.fromCharCode(
    HEX[x >>> 28], HEX[(x >>> 24) & 15], HEX[(x >>> 20) & 15], HEX[(x >>> 16) & 15],
    HEX[(x >>> 12) & 15], HEX[(x >>> 8) & 15], HEX[(x >>> 4) & 15], HEX[x & 15],
    HEX[y >>> 28], HEX[(y >>> 24) & 15], HEX[(y >>> 20) & 15], HEX[(y >>> 16) & 15],
    HEX[(y >>> 12) & 15], HEX[(y >>> 8) & 15], HEX[(y >>> 4) & 15], HEX[y & 15],
  );
  formatKeys[slot * 2] = x;
  formatKeys[slot * 2 + 1] = y;
  formatted[slot] = hex;
  return hex;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Char codes of `0-9a-f`. */
const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
