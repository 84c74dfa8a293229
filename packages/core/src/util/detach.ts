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
