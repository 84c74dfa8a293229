/**
 * A small PostgreSQL lexer (scan.l rules, as far as finding statements and names goes),
 * linear in the input, without backtracking regular expressions:
 * - `--` comments end at `\n` or `\r`; block comments nest (`/* a /* b *\/ c *\/`);
 * - `'...'` with `''`; `E'...'` with backslash escapes (plain strings too when
 *   `standard_conforming_strings` is off); a string continues across whitespace that
 *   holds a newline (`'a'\n'b'` is one string, in the mode of its first part);
 * - dollar quotes `$tag$...$tag$` where the tag is any identifier without `$`, including
 *   non-ASCII letters (`$é$`); a `$` inside an identifier (`a$b$`) is part of it, and a
 *   number does not swallow one (`1$a$...$a$` is a number then a string);
 * - quoted identifiers `"..."` with `""`.
 *
 * Literals become `''`, comments one space. Quoted identifiers are kept, with every
 * character that is not an identifier character written as `\u0001` + 4 hex digits
 * (see {@link decodeQuotedName}) so that text inside them can never look like SQL.
 * An unterminated literal, identifier or comment swallows the rest (PostgreSQL rejects
 * the whole query then, so nothing in it runs).
 */
export function stripStatements(sql: string, backslashEscapes = false): string[] {
  const out: string[] = [];
  const n = sql.length;
  let cur = '';
  let start = 0;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 39 /* ' */) {
      cur += sql.slice(start, i) + "''";
      i = endOfString(sql, i + 1, backslashEscapes);
      start = i;
    } else if (isIdentStart(c)) {
      const s = i;
      i++;
      while (i < n && isIdentCont(sql.charCodeAt(i))) i++;
      if (i - s === 1 && (c === 69 || c === 101) /* E e */ && sql.charCodeAt(i) === 39) {
        cur += sql.slice(start, s) + "''";
        i = endOfString(sql, i + 1, true);
        start = i;
      }
    } else if (c >= 48 && c <= 57 /* digit */) {
      i = endOfNumber(sql, i);
    } else if (c === 46 /* . */ && isDigit(sql.charCodeAt(i + 1))) {
      i = endOfNumber(sql, i);
    } else if (c === 36 /* $ */) {
      let j = i + 1;
      if (j < n && isIdentStart(sql.charCodeAt(j))) {
        j++;
        while (j < n && isDollarTagCont(sql.charCodeAt(j))) j++;
      }
      if (sql.charCodeAt(j) === 36) {
        const delimiter = sql.slice(i, j + 1);
        const end = sql.indexOf(delimiter, j + 1);
        cur += sql.slice(start, i) + "''";
        i = end < 0 ? n : end + delimiter.length;
        start = i;
      } else {
        i++; // a parameter ($1) or an operator character
      }
    } else if (c === 34 /* " */) {
      // Fast path: a name of identifier characters only stays as it is.
      let j = i + 1;
      while (j < n && isIdentCont(sql.charCodeAt(j))) j++;
      if (sql.charCodeAt(j) === 34 && sql.charCodeAt(j + 1) !== 34) {
        i = j + 1;
        continue;
      }
      j = i + 1;
      let name = '';
      for (;;) {
        const q = sql.indexOf('"', j);
        if (q < 0) {
          j = n;
          break;
        }
        name += sql.slice(j, q);
        if (sql.charCodeAt(q + 1) === 34) {
          name += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      cur += sql.slice(start, i) + '"' + encodeQuotedName(name) + '"';
      i = j;
      start = i;
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      cur += sql.slice(start, i) + ' ';
      i = endOfLineComment(sql, i + 2);
      start = i;
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      cur += sql.slice(start, i) + ' ';
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const d = sql.charCodeAt(i);
        if (d === 47 && sql.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (d === 42 && sql.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
      start = i;
    } else if (c === 59 /* ; */) {
      out.push(cur + sql.slice(start, i));
      cur = '';
      i++;
      start = i;
    } else {
      i++;
    }
  }
  cur += sql.slice(start, n);
  if (cur.trim() !== '' || out.length === 0) out.push(cur);
  return out;
}

/** {@link stripStatements} joined with `;`. */
export function stripSql(sql: string, backslashEscapes = false): string {
  return stripStatements(sql, backslashEscapes).join(';');
}

/** Reverses the escaping of a quoted identifier's text done by {@link stripStatements}. */
export function decodeQuotedName(text: string): string {
  let at = text.indexOf('\u0001');
  if (at < 0) return text;
  let out = '';
  let start = 0;
  while (at >= 0) {
    out += text.slice(start, at) + String.fromCharCode(parseInt(text.slice(at + 1, at + 5), 16));
    start = at + 5;
    at = text.indexOf('\u0001', start);
  }
  return out + text.slice(start);
}

/** `\u0001` + 4 hex digits for each ASCII character that is not an identifier character. */
const ESCAPES: readonly string[] = Array.from({ length: 128 }, (_, d) => '\u0001' + d.toString(16).padStart(4, '0'));

function encodeQuotedName(name: string): string {
  let out = '';
  let start = 0;
  for (let k = 0; k < name.length; k++) {
    const d = name.charCodeAt(k);
    if (d < 128 && !isIdentCont(d)) {
      out += name.slice(start, k) + ESCAPES[d];
      start = k + 1;
    }
  }
  return out + name.slice(start);
}

/** Index after the closing quote of a string whose body starts at `i` (with continuations). */
function endOfString(sql: string, i: number, backslash: boolean): number {
  const n = sql.length;
  while (i < n) {
    const d = sql.charCodeAt(i);
    if (d === 92 /* \ */ && backslash) {
      i += 2;
    } else if (d === 39) {
      if (sql.charCodeAt(i + 1) === 39) {
        i += 2;
        continue;
      }
      const next = continuation(sql, i + 1);
      if (next < 0) return i + 1;
      i = next + 1;
    } else {
      i++;
    }
  }
  return n;
}

/**
 * PostgreSQL's `quotecontinue`: `([ \t\f] | --comment)* [\n\r] ([ \t\n\r\f]+ | --comment[\n\r])* '`.
 * Returns the index of the opening quote of the continuation, or -1.
 */
function continuation(sql: string, j: number): number {
  const n = sql.length;
  let newline = false;
  while (j < n) {
    const d = sql.charCodeAt(j);
    if (isHorizontalSpace(d)) {
      j++;
    } else if (isNewline(d)) {
      newline = true;
      j++;
    } else if (d === 45 && sql.charCodeAt(j + 1) === 45) {
      j = endOfLineComment(sql, j + 2);
      if (j >= n) return -1;
    } else {
      return d === 39 && newline ? j : -1;
    }
  }
  return -1;
}

/** Index of the newline ending a `--` comment (it stays: it is whitespace), or the end. */
function endOfLineComment(sql: string, i: number): number {
  const n = sql.length;
  while (i < n && !isNewline(sql.charCodeAt(i))) i++;
  return i;
}

/** digits [. digits] [e [+-] digits]; nothing else (so a `$` after a number starts a dollar quote). */
function endOfNumber(sql: string, i: number): number {
  const n = sql.length;
  while (i < n && isDigit(sql.charCodeAt(i))) i++;
  if (sql.charCodeAt(i) === 46 && sql.charCodeAt(i + 1) !== 46) {
    i++;
    while (i < n && isDigit(sql.charCodeAt(i))) i++;
  }
  const e = sql.charCodeAt(i);
  if (e === 69 || e === 101) {
    let j = i + 1;
    const sign = sql.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(sql.charCodeAt(j))) {
      i = j;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
    }
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `[A-Za-z_\x80-]`: PostgreSQL treats every non-ASCII character as a letter. */
export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

/** Identifier start, digit or `$`. */
export function isIdentCont(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDollarTagCont(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isHorizontalSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13;
}
