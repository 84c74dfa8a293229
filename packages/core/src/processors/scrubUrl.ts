/** Replacement for redacted URL parts, as instrumentation-http and the semantic conventions use. */
export const REDACTED = 'REDACTED';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,31}$/;
const PLAIN_KEY = /^[A-Za-z_][\w.[\]-]{0,63}$/;

/**
 * Replaces every value of a query string (`a=1&b=Alice+Smith`, no leading `?`) with
 * `REDACTED`, keeping the keys that are plain names (others are redacted too). A parameter without `=` (a bare value such as `?078-05-1120`)
 * is redacted whole. Never throws.
 */
export function scrubQueryString(query: string): string {
  if (query.length === 0) return query;
  const parts = query.split('&');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length === 0) continue;
    const eq = p.indexOf('=');
    // A key that is not a plain name (`Alice+Smith=`, `%41=`) is data too.
    parts[i] = eq < 0 ? REDACTED : `${PLAIN_KEY.test(p.slice(0, eq)) ? p.slice(0, eq) : REDACTED}=${REDACTED}`;
  }
  return parts.join('&');
}

/** Replacement for a redacted path segment. */
export const REDACTED_SEGMENT = ':redacted';
/** A path segment kept when a span has no `http.route`: lowercase letters, `_`, `-`, at most 32 characters. */
const SAFE_SEGMENT = /^[a-z][a-z_-]{0,31}$/;

/**
 * Scrubs a URL path (`/students/078-05-1120`). With `route` (the span's `http.route`, a
 * template such as `/students/:id`), the path is replaced by the route. Without one, only
 * the first segment may stay, and only when it is lowercase letters, `_` and `-` (at most 32
 * characters, e.g. `students`); every other segment becomes `:redacted` (a slug such as
 * `alice-smith` cannot be told from a resource name, so it is redacted). Never throws.
 */
export function scrubUrlPath(path: string, route?: unknown): string {
  if (typeof route === 'string' && route.length > 0) return route;
  if (path.length <= 1 || isSafeFirstSegmentOnly(path)) return path;
  const parts = path.split('/');
  let seen = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length === 0) continue;
    if (seen++ > 0 || !SAFE_SEGMENT.test(p)) parts[i] = REDACTED_SEGMENT;
  }
  return parts.join('/');
}

/** Fast path (no allocation): `/` followed by one safe segment, maybe a trailing `/`. */
function isSafeFirstSegmentOnly(path: string): boolean {
  const n = path.length;
  if (path.charCodeAt(0) !== 47 || n > 34) return false;
  const c1 = path.charCodeAt(1);
  if (c1 < 97 || c1 > 122) return false;
  for (let i = 2; i < n; i++) {
    const c = path.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c === 45 || c === 95) continue;
    return c === 47 && i === n - 1;
  }
  return true;
}

/**
 * Scrubs a URL or a request target (`/path?query#fragment`): credentials in `user:password@`
 * become `REDACTED:REDACTED` (the last `@` before the path ends them, so a `#` or `?` in a
 * password is covered), query-string values and the fragment are redacted, and the path goes
 * through {@link scrubUrlPath} (`route`: the span's `http.route`). The scheme and host are
 * kept. Never throws.
 */
export function scrubUrl(url: string, route?: unknown): string {
  let out = url;
  let pathStart = 0;
  const scheme = out.indexOf('://');
  const hostStart = scheme >= 0 && !out.slice(0, scheme).includes('/') ? scheme + 3 : out.startsWith('//') ? 2 : -1;
  if (hostStart >= 0) {
    let slash = out.indexOf('/', hostStart);
    if (slash < 0) slash = out.length;
    const at = out.lastIndexOf('@', slash - 1);
    if (at >= hostStart) out = `${out.slice(0, hostStart)}${REDACTED}:${REDACTED}${out.slice(at)}`;
    const afterAt = at >= hostStart ? hostStart + REDACTED.length * 2 + 1 : hostStart;
    pathStart = out.length;
    for (const c of ['/', '?', '#']) {
      const i = out.indexOf(c, afterAt);
      if (i >= 0 && i < pathStart) pathStart = i;
    }
  }
  if (hostStart < 0) {
    // `mailto:alice@x.org`: an opaque part holding `@` is an address.
    const colon = out.indexOf(':');
    const end = out.search(/[?#]/);
    if (colon > 0 && SCHEME.test(out.slice(0, colon)) && out.lastIndexOf('@', end < 0 ? out.length : end) > colon) {
      out = `${out.slice(0, colon + 1)}${REDACTED}${end < 0 ? '' : out.slice(end)}`;
      pathStart = colon + 1;
    }
  }
  const hash = out.indexOf('#', pathStart);
  if (hash >= 0) out = `${out.slice(0, hash)}#${hash + 1 < out.length ? REDACTED : ''}`;
  const q = out.indexOf('?', pathStart);
  if (q >= 0) {
    const end = out.indexOf('#', q);
    const query = end >= 0 ? out.slice(q + 1, end) : out.slice(q + 1);
    out = `${out.slice(0, q + 1)}${scrubQueryString(query)}${end >= 0 ? out.slice(end) : ''}`;
  }
  let pathEnd = out.length;
  for (const c of ['?', '#']) {
    const i = out.indexOf(c, pathStart);
    if (i >= 0 && i < pathEnd) pathEnd = i;
  }
  const path = out.slice(pathStart, pathEnd);
  if (path.length > 1 && path.charCodeAt(0) === 47 /* / */) {
    const scrubbed = scrubUrlPath(path, route);
    if (scrubbed !== path) out = `${out.slice(0, pathStart)}${scrubbed}${out.slice(pathEnd)}`;
  }
  return out;
}
