import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { toErrorBody } from '../filters/error-body';

/**
 * Logs one line per request: method, route *pattern* (`/students/:id`), status and duration.
 * Never the URL, query string, params or body, which carry PHI (names in searches, ids of patients).
 */
@Injectable()
export class RequestLoggingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HTTP');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const started = process.hrtime.bigint();
    const route = `${request.baseUrl ?? ''}${(request.route as { path?: string } | undefined)?.path ?? '(unmatched)'}`;
    const log = (status: number) => {
      const millis = Number(process.hrtime.bigint() - started) / 1e6;
      this.logger.log(`${request.method} ${route} ${status} ${millis.toFixed(1)}ms`);
    };
    return next.handle().pipe(
      tap({
        next: () => log(context.switchToHttp().getResponse<Response>().statusCode),
        error: (err: unknown) => log(toErrorBody(err).statusCode),
      }),
    );
  }
}
