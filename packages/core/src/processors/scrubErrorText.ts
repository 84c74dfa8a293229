/**
 * Removes row values from free text such as a span status message, `exception.message` or
 * the message part of `exception.stacktrace`. PostgreSQL error messages and details carry
 * row values (`Key (ssn)=(078-05-1120) already exists`, `Failing row contains (...)`,
 * `invalid input syntax for type integer: "abc"`); other layers quote values too.
 *
 * Rules, fail closed (when unsure, redact more):
 * - `Key (cols)=(values)`: values become `?`; only a known tail (` already exists`, ` is not
 *   present in table "t"`, ` is still referenced from table "t"`) is kept after them.
 * - `Failing row contains (...)`: everything to the end of the line becomes `(?)`.
 * - Single-quoted strings become `'?'` (an unterminated one is redacted to the end).
 * - Double-quoted strings become `"?"` unless an identifier kind precedes them
 *   (`relation "patients"`, `constraint "patients_ssn_key"`, `column "name"` ...).
 * - Outside kept identifiers: SSN-shaped, date-shaped and e-mail-shaped tokens and runs of
 *   6 or more digits become `?`.
 * Linear time (no backtracking-prone patterns); never throws for any string.
 */
export function scrubErrorText(text: string): string {
  if (text.length === 0) return text;
  let out = text.replace(KEY_VALUES, redactKeyValues);
  out = out.replace(FAILING_ROW, 'Failing row contains (?)');
  out = out.replace(QUOTED, redactQuoted);
  return out.replace(SHAPED, '?');
}

/**
 * Scrubs an `exception.stacktrace`: the message lines (before the first `    at ` frame)
 * go through {@link scrubErrorText}; frames are kept (they are code locations).
 */
export function scrubStackTrace(stack: string): string {
  const at = stack.indexOf('\n    at ');
  if (at < 0) return scrubErrorText(stack);
  return scrubErrorText(stack.slice(0, at)) + stack.slice(at);
}

const KEY_VALUES = /(Key \([^)\n]{0,2000}\)=\()([^\n]*)/g;
const FAILING_ROW = /Failing row contains \([^\n]*/g;
const QUOTED = /'(?:[^']|'')*(?:'|$)|"[^"\n]*(?:"|$)/g;
const SHAPED =
  /\b\d{3}-\d{2}-\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|[^\s@"'(),;<>]+@[^\s@"'(),;<>]+\.[A-Za-z]{2,}|\d{6,}/g;
const KNOWN_TAIL = /^ (?:already exists|is not present in table "[^"]*"|is still referenced from table "[^"]*")\.?$/;
const IDENTIFIER_BEFORE =
  /(?:relation|constraint|column|table|index|schema|function|type|database|role|sequence|view|trigger|extension|operator|collation|domain|tablespace|user|field|model|attribute|key|savepoint|cursor|statement|portal|channel|publication|subscription|policy|rule|server|language|cast|aggregate|procedure|routine|enum)\s$/i;

function redactKeyValues(_m: string, head: string, rest: string): string {
  const close = rest.lastIndexOf(')');
  const tail = close >= 0 ? rest.slice(close + 1) : '';
  return `${head}?)${KNOWN_TAIL.test(tail) ? tail : ''}`;
}

function redactQuoted(m: string, offset: number, whole: string): string {
  if (m.charCodeAt(0) === 39 /* ' */) return "'?'";
  const before = whole.slice(Math.max(0, offset - 16), offset);
  // An identifier in double quotes still goes through the shape rules below, via `SHAPED`.
  return IDENTIFIER_BEFORE.test(before) ? m : '"?"';
}
