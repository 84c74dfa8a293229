/**
 * Character classes of the PostgreSQL lexer (`scan.l`), as bit flags over ASCII.
 * Every code unit >= 0x80 is an identifier character in PostgreSQL (it lexes bytes of
 * multibyte characters as letters), so callers treat `c >= 0x80` as {@link IDENT_START}.
 * @internal
 */
export const WHITESPACE = 1;
/** `[A-Za-z_]`: may start an identifier or keyword. */
export const IDENT_START = 2;
/** `[0-9]` */
export const DIGIT = 4;
/** `[A-Za-z0-9_$]`: may continue an identifier. */
export const IDENT_CONT = 8;
/** Characters with their own case in the lexer's main switch. */
export const SPECIAL = 16;

/** PostgreSQL operator characters `+ - * / < > = ~ ! @ # % ^ & | \` ?`. */
export const OPERATOR = 32;

/** Lookup table indexed by `charCodeAt` for code units below 0x80. */
export const CHAR_CLASS: Uint8Array = buildTable();

function buildTable(): Uint8Array {
  const t = new Uint8Array(128);
  for (const c of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) t[c] = WHITESPACE;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = IDENT_START | IDENT_CONT;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = IDENT_START | IDENT_CONT;
  t[0x5f] = IDENT_START | IDENT_CONT; // _
  for (let c = 0x30; c <= 0x39; c++) t[c] = DIGIT | IDENT_CONT;
  t[0x24] = IDENT_CONT | SPECIAL; // $ continues identifiers, starts params and dollar quotes
  for (const ch of `'"-/.+(),;`) t[ch.charCodeAt(0)] = SPECIAL;
  for (const ch of '+-*/<>=~!@#%^&|`?') t[ch.charCodeAt(0)] |= OPERATOR;
  return t;
}
