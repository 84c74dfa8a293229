/** Longest error text scrubbed and kept (characters); the rest is dropped and {@link TRUNCATED_MARKER} appended. */
export const MAX_ERROR_TEXT_CHARS = 4096;
/** Longest free text (span names in reports, event attribute values) kept by {@link scrubFreeText}. */
export const MAX_FREE_TEXT_CHARS = 256;
/** Longest stack trace kept by {@link scrubStackTrace} (frames included). */
export const MAX_STACK_TRACE_CHARS = 16_384;
/** Appended to a text cut at its cap. */
export const TRUNCATED_MARKER = ' [truncated]';

/**
 * Removes row values from free text such as a span status message, `exception.message` or
 * the message part of `exception.stacktrace`. PostgreSQL error messages and details carry
 * row values (`Key (ssn)=(078-05-1120) already exists`, `Failing row contains (...)`,
 * `invalid input syntax for type integer: "abc"`); other layers quote values too.
 *
 * Rules, fail closed (when unsure, redact more):
 * - The text is cut to `maxChars` (default {@link MAX_ERROR_TEXT_CHARS}) first; the rest is
 *   dropped and {@link TRUNCATED_MARKER} appended.
 * - `Key (cols)=(values)` (any case, balanced parentheses in `cols`): values become `?`, up to
 *   the last known tail in the whole text (` already exists.`, ` is not present in table "t".`,
 *   ` is still referenced from table "t".`, ` conflicts with existing key (`), whatever lines
 *   they span; without a valid tail everything to the end of the text is redacted.
 * - `Failing row contains (` (and its de/fr/es/it/pt/ru forms): the rest of the text becomes `(?)`.
 * - Quoted strings become `'?'`, `"?"`, `«?»`, `»?«`, `“?”`, `„?“`, `‘?’`, `‹?›` ...: a
 *   backslash escapes the next character, a doubled `'`/`"` is part of the string, and an
 *   unterminated string is redacted to the end of the text. Kept: a double-quoted identifier
 *   (no spaces) after an identifier kind (`relation "patients"`, `constraint
 *   "patients_ssn_key"`; not `user`/`role`, which name people), and
 *   a quoted word from a short list of type words (`'error'`, `'string'`, `'null'` ...).
 * - Then, everywhere: a word holding `@` (an e-mail) becomes `?`, and so does a run of
 *   digits joined by `-`, `/`, `.` or a space (SSN, dates, phone numbers, MRNs) holding 6
 *   or more digits.
 * Linear time (hand-written scanners and backtracking-free patterns); never throws.
 */
export function scrubErrorText(text: string, maxChars = MAX_ERROR_TEXT_CHARS): string {
  if (typeof text !== 'string') return '?';
  if (text.length === 0) return text;
  const capped = cap(text, maxChars);
  const body = scrubStructure(capped === text ? text : capped.slice(0, capped.length - TRUNCATED_MARKER.length));
  return scrubShapes(capped === text ? body : body + TRUNCATED_MARKER);
}

/**
 * A name (of a span) that may carry data: a quote of any script, `@`, or three digits in a row.
 * Such a name is scrubbed as free text, and never remembered as it is.
 */
export const DATA_LIKE_NAME = /['"`«»“”„‘’‚‹›「」『』@]|\d\d\d/;

/**
 * Scrubs free text that should hold no data but may (a parent span's name, an event's
 * string attribute): the rules of {@link scrubErrorText}, cut to {@link MAX_FREE_TEXT_CHARS}.
 * A bare name in prose (`chart for Bob Jones`) has no shape and is not detected.
 */
export function scrubFreeText(text: string, maxChars = MAX_FREE_TEXT_CHARS): string {
  return scrubErrorText(text, maxChars);
}

/**
 * Scrubs an `exception.stacktrace`: the message lines (before the first `    at ` frame)
 * go through {@link scrubErrorText}; the frames (code locations) go through the quote and
 * shape rules too, since a frame line can be forged from data. Cut to {@link MAX_STACK_TRACE_CHARS}.
 */
export function scrubStackTrace(stack: string): string {
  if (typeof stack !== 'string') return '?';
  const at = stack.indexOf('\n    at ');
  if (at < 0) return scrubErrorText(stack);
  return scrubErrorText(stack.slice(0, at)) + scrubErrorText(stack.slice(at), MAX_STACK_TRACE_CHARS);
}

function cap(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // never leave a lone high surrogate
  return text.slice(0, end) + TRUNCATED_MARKER;
}

/** Closers of each opening quote (several for the German/Polish low-9 quotes). */
const CLOSERS: Record<string, string> = {
  "'": "'", '"': '"', '`': '`',
  '«': '»', '»': '«', '‹': '›', '›': '‹',
  '“': '”“', '„': '“”', '‘': '’‘', '‚': '‘’',
  '「': '」', '『': '』',
};
const SAFE_QUOTED = new Set([
  'error', 'warning', 'notice', 'fatal', 'panic', 'info', 'debug', 'log', 'null', 'undefined', 'true', 'false',
  'string', 'number', 'integer', 'bigint', 'boolean', 'object', 'function', 'symbol', 'text', 'json', 'jsonb', 'date',
]);
const IDENTIFIER_BEFORE =
  /(?:relation|constraint|column|table|index|schema|function|type|database|sequence|view|trigger|extension|operator|collation|domain|tablespace|field|model|attribute|key|savepoint|cursor|statement|portal|channel|publication|subscription|policy|rule|server|language|cast|aggregate|procedure|routine|enum)\s$/i;
/** What a kept identifier looks like: no spaces (`"Alice Smith"` after `column` is a value, as in a 42703 error from a double-quoted literal). */
const IDENTIFIER = /^[A-Za-z_][\w$.-]{0,62}$/;
/** Phrases after which the rest of the text is a row: it becomes `(?)`. */
const ROW_PREFIXES = [
  'failing row contains (', 'ligne en échec contient (', 'zeile enthält (', 'fila que falla contiene (',
  'riga in errore contiene (', 'linha que falhou contém (', 'строка содержит (',
];
/** Tails after `Key (cols)=(values` that end the values; each with the check of what may follow it. */
const KEY_TAILS: Array<[string, RegExp, boolean]> = [
  [') already exists', /^\.?(?=$|[\r\n])/, true],
  [') is not present in table "', /^[^"\r\n]{0,128}"\.?(?=$|[\r\n])/, true],
  [') is still referenced from table "', /^[^"\r\n]{0,128}"\.?(?=$|[\r\n])/, true],
  // The next `key (...)=(...)` is scrubbed on its own: only the phrase is consumed.
  [') conflicts with existing ', /^key ?\(/, false],
];
const ANY_QUOTE = /['"`«»“”„‘’‚‹›「」『』]/;

/**
 * Row, key and quote rules, in that order and each in one left-to-right pass: the row and
 * key rules do not depend on how quotes pair up (a stray quote cannot shift them).
 */
function scrubStructure(input: string): string {
  // Same length as the text (a full toLowerCase may change lengths, e.g. 'İ').
  let lower = input.toLowerCase();
  if (lower.length !== input.length) lower = input.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  let text = input;
  let row = -1;
  for (const p of ROW_PREFIXES) {
    const at = lower.indexOf(p);
    if (at >= 0 && (row < 0 || at < row)) row = at + p.length - 1;
  }
  if (row >= 0) {
    text = `${text.slice(0, row)}(?)`;
    lower = lower.slice(0, row);
  }
  return scrubQuotes(scrubKeys(text, lower));
}

/** `Key (cols)=(values)` rule. */
function scrubKeys(text: string, lower: string): string {
  const n = lower.length;
  let out = '';
  let last = 0; // text[last, i) is still to be copied
  let tails: Array<[number, number]> | undefined; // [tail start, end of what is kept], computed once
  let i = lower.indexOf('key');
  while (i >= 0 && i < n) {
    let next = i + 3;
    if (i === 0 || !isWordChar(text.charCodeAt(i - 1))) {
      let j = i + 3;
      while (j < n && text[j] === ' ') j++;
      if (text[j] === '(') {
        const colsEnd = balancedEnd(text, j);
        if (colsEnd < 0) return `${out}${text.slice(last, j)}(?)`;
        if (text[colsEnd + 1] === '=' && text[colsEnd + 2] === '(') {
          tails ??= lastTails(lower);
          const valuesStart = colsEnd + 3;
          let best = -1;
          let bestEnd = -1;
          for (const [at, to] of tails) if (at >= valuesStart && at > best) { best = at; bestEnd = to; }
          // The columns are schema (maybe an expression) and keep their text, unless they quote something.
          const cols = text.slice(j + 1, colsEnd);
          out += `${text.slice(last, j + 1)}${ANY_QUOTE.test(cols) ? '?' : cols})=(?`;
          if (best < 0) return `${out})`;
          out += text.slice(best, bestEnd);
          last = next = bestEnd;
        }
      }
    }
    i = lower.indexOf('key', next);
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Quote rule. */
function scrubQuotes(text: string): string {
  const n = text.length;
  let out = '';
  let last = 0; // text[last, i) is still to be copied
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    const closers = CLOSERS[ch];
    if (closers === undefined) continue;
    // Apostrophes inside words (`can't`) open nothing.
    if ((ch === "'" || ch === '`') && i > 0 && i + 1 < n && isWordChar(text.charCodeAt(i - 1)) && isWordChar(text.charCodeAt(i + 1))) continue;
    const end = closingQuote(text, i + 1, closers, ch);
    const content = text.slice(i + 1, end);
    const keep = end < n && ((ch === '"' && IDENTIFIER.test(content) && IDENTIFIER_BEFORE.test(text.slice(Math.max(0, i - 16), i)))
      || SAFE_QUOTED.has(content.toLowerCase()));
    const close = end < n ? text[end] : closers[0];
    out += text.slice(last, i) + (keep ? `${ch}${content}${close}` : `${ch}?${close}`);
    last = end < n ? end + 1 : n;
    i = last - 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Index of the quote closing the one before `from`, or `text.length` when unterminated. */
function closingQuote(text: string, from: number, closers: string, opener: string): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    const ch = text[j];
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (closers.includes(ch)) {
      if ((opener === "'" || opener === '"') && text[j + 1] === opener) {
        j += 2;
        continue;
      }
      return j;
    }
    j++;
  }
  return n;
}

/** Index of the `)` balancing the `(` at `open`, or -1 (none within 2000 characters). */
function balancedEnd(text: string, open: number): number {
  let depth = 0;
  const end = Math.min(text.length, open + 2000);
  for (let j = open; j < end; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 40) depth++;
    else if (ch === 41 && --depth === 0) return j;
  }
  return -1;
}

/** For each key tail present and well-formed, its last position in the text and the end of what it keeps. */
function lastTails(lower: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const [phrase, after, keepMatch] of KEY_TAILS) {
    const at = lower.lastIndexOf(phrase);
    if (at < 0) continue;
    const m = after.exec(lower.slice(at + phrase.length, at + phrase.length + 200));
    // A tail followed by anything unexpected may be part of a value: not a tail (redact to the end).
    if (m !== null) found.push([at, at + phrase.length + (keepMatch ? m[0].length : 0)]);
  }
  return found;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

// Each word is matched once from its start and nothing must follow it: no backtracking.
const WORD_WITH_AT = /[^\s"'(),;<>«»“”„‘’[\]{}]+/g;
// Groups of digits separated by a single joiner: unambiguous, linear.
const DIGIT_RUN = /\d+(?:[-/. ]\d+)*/g;

function scrubShapes(text: string): string {
  let out = text;
  if (out.includes('@')) out = out.replace(WORD_WITH_AT, redactEmail);
  return out.replace(DIGIT_RUN, redactDigits);
}

function redactEmail(word: string): string {
  return word.includes('@') ? '?' : word;
}

function redactDigits(run: string): string {
  if (run.length < 6) return run;
  let digits = 0;
  for (let k = 0; k < run.length; k++) {
    const c = run.charCodeAt(k);
    if (c >= 48 && c <= 57 && ++digits >= 6) return '?';
  }
  return run;
}
