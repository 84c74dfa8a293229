/** Label of requests that matched no route (404s of unknown paths). */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The parts of an Express request that {@link routeTemplate} reads. */
export interface RoutedRequest {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * The route template that served a request (`/students/:id`), read from the
 * router's match, never from the URL: a raw URL carries ids and query strings,
 * which are PHI. Returns {@link UNMATCHED_ROUTE} when no route matched.
 */
export function routeTemplate(req: RoutedRequest): string {
  const path = req.route?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  const base = typeof req.baseUrl === 'string' && req.route ? req.baseUrl : '';
  const template = `${base}${path}`;
  // A template is code, not data; still bound its length so a label can never grow without limit.
  return template.length > 200 ? `${template.slice(0, 200)}…` : template || '/';
}
