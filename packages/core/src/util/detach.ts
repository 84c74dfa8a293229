/**
 * A copy of `s` that shares no memory with the string it was cut from.
 *
 * V8 represents `s.slice(a, b)` (13 characters or more) as a view on the whole original and a
 * concatenation as a tree of its parts, so a sanitized statement built from slices of the raw
 * one keeps the raw statement, literals included, alive for as long as it is itself kept.
 * Strings that outlive the span they came from (memo entries, top queries, detections) are
 * detached first: a concatenation is flattened into a new string, from which the leading
 * character is cut off again.
 * @internal
 */
export function detach(s: string): string {
  if (s.length < 13) return s; // V8 copies short slices and joins: never a view
  const joined = `\u0000${s}`;
  joined.charCodeAt(1); // flattens the concatenation into one new string
  return joined.slice(1);
}

/**
 * The string table's copy of `s`: equal content, no memory shared with `s` or the string it
 * was cut from (like {@link detach}), and the very object of any equal literal or property
 * name in the program. Worth it for a value kept to be compared with each span's: V8 compares
 * two different objects of equal content in the runtime (measured here: 68 ns), two
 * internalized ones by pointer (5 ns). A property name is always internalized.
 * @internal
 */
export function internalized(s: string): string {
  const o: Record<string, number> = {};
  o[s] = 0;
  for (const k in o) return k;
  return detach(s);
}
