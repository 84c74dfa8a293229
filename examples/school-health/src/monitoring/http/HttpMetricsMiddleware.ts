import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { MONITORING_OPTIONS, type ResolvedMonitoringOptions } from '../monitoring.options';
import { RequestMetricsStore } from './RequestMetricsStore';
import { routeTemplate, type RoutedRequest, UNMATCHED_ROUTE } from './routeTemplate';

interface MinimalRequest extends RoutedRequest {
  method: string;
}

interface MinimalResponse {
  statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Times every HTTP request and records it under its ROUTE TEMPLATE when the
 * response is finished (so 401s from guards, 400s from pipes and 404s count
 * too). Reading the template at `finish` time is what makes it available: the
 * router sets it after this middleware ran. Never throws into the request.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly excluded: string[];

  constructor(
    private readonly store: RequestMetricsStore,
    @Inject(MONITORING_OPTIONS) options: ResolvedMonitoringOptions,
  ) {
    this.excluded = options.excludeRoutePrefixes;
  }

  use(req: MinimalRequest, res: MinimalResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    // Nest mounts route middleware as an Express route of its own (`/{*path}`):
    // if that is still the matched route at the end, no controller route matched.
    const ownRoute = req.route;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      try {
        const template = req.route === ownRoute ? UNMATCHED_ROUTE : routeTemplate(req);
        if (this.excluded.some((p) => template.startsWith(p))) return;
        const millis = Number(process.hrtime.bigint() - started) / 1e6;
        // A connection closed before the response finished is recorded as 499 (client closed request).
        const status = res.statusCode && (res as { writableFinished?: boolean }).writableFinished !== false ? res.statusCode : 499;
        this.store.record(req.method, template, status, millis);
      } catch {
        // Metrics must never break a response.
      }
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  }
}
