/**
 * Replaces every value of a query string by `REDACTED`, keeping the keys, so that
 * `name=Alice+Smith&page=2` becomes `name=REDACTED&page=REDACTED`. Unlike the http
 * instrumentation's own list of "sensitive" parameter names, no value is trusted.
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? pair : `${pair.slice(0, eq)}=REDACTED`;
    })
    .join('&');
}
