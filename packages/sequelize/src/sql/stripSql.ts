/**
 * Returns `sql` with string literals (`'...'`, `E'...'`, `$tag$...$tag$`) replaced by `''`
 * and comments removed, keeping double-quoted identifiers intact. Used before keyword
 * scanning so that a value such as `'update me'` can never look like a statement.
 * An unterminated literal or comment swallows the rest of the text (safe: the caller
 * then sees fewer keywords, and treats an unrecognised statement as "writes everything").
 */
export function stripSql(sql: string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  let start = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 39 /* ' */) {
      const escapes = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentChar(sql.charCodeAt(i - 2));
      out += sql.slice(start, escapes ? i - 1 : i) + "''";
      i++;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (escapes && d === 92 /* \ */) {
          i += 2;
          continue;
        }
        if (d === 39) {
          if (sql.charCodeAt(i + 1) === 39) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      start = i;
    } else if (c === 34 /* " */) {
      i++;
      while (i < n && sql.charCodeAt(i) !== 34) i++;
      i++;
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      out += sql.slice(start, i) + ' ';
      while (i < n && sql.charCodeAt(i) !== 10) i++;
      start = i;
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      out += sql.slice(start, i) + ' ';
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      start = i;
    } else if (c === 36 /* $ */ && !isIdentChar(sql.charCodeAt(i - 1))) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        out += sql.slice(start, i) + "''";
        i = end < 0 ? n : end + m[0].length;
        start = i;
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
  return out + sql.slice(start, n);
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
