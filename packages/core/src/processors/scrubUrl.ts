/** Replacement for redacted URL parts, as instrumentation-http and the semantic conventions use. */
export const REDACTED = 'REDACTED';

/**
 * Replaces every value of a query string (`a=1&b=Alice+Smith`, no leading `?`) with
 * `REDACTED`, keeping the keys. A parameter without `=` (a bare value such as `?078-05-1120`)
 * is redacted whole. Never throws.
 */
export function scrubQueryString(query: string): string {
  if (query.length === 0) return query;
  const parts = query.split('&');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length === 0) continue;
    const eq = p.indexOf('=');
    parts[i] = eq < 0 ? REDACTED : `${p.slice(0, eq)}=${REDACTED}`;
  }
  return parts.join('&');
}

/**
 * Scrubs a URL or a request target (`/path?query#fragment`): query-string values and the
 * fragment are redacted, and so are credentials in `user:password@` (as the semantic
 * conventions ask for `url.full`). The scheme, host and path are kept. Never throws.
 */
export function scrubUrl(url: string): string {
  let out = url;
  const hash = out.indexOf('#');
  if (hash >= 0) out = `${out.slice(0, hash)}#${hash + 1 < out.length ? REDACTED : ''}`;
  const q = out.indexOf('?');
  if (q >= 0) {
    const end = out.indexOf('#', q);
    const query = end >= 0 ? out.slice(q + 1, end) : out.slice(q + 1);
    out = `${out.slice(0, q + 1)}${scrubQueryString(query)}${end >= 0 ? out.slice(end) : ''}`;
  }
  const scheme = out.indexOf('://');
  if (scheme >= 0) {
    const hostStart = scheme + 3;
    let hostEnd = out.length;
    for (const c of ['/', '?', '#']) {
      const i = out.indexOf(c, hostStart);
      if (i >= 0 && i < hostEnd) hostEnd = i;
    }
    const at = out.lastIndexOf('@', hostEnd - 1);
    if (at >= hostStart) out = `${out.slice(0, hostStart)}${REDACTED}:${REDACTED}${out.slice(at)}`;
  }
  return out;
}
