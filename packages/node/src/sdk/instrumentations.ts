import type { Span } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { IncomingMessage } from 'node:http';
import { redactQuery } from './redactQuery';

/** What {@link createInstrumentations} needs. */
export interface InstrumentationOptions {
  /** Incoming paths never traced (exact match on the path, query string ignored). */
  ignoreIncomingPaths: string[];
  /** Spans for express layers; without them the request span still gets `http.route`. */
  expressLayerSpans: boolean;
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The instrumentations the register starts: http (health and metrics paths ignored,
 * every query-string value redacted at the source), pg (bind values never recorded),
 * express and nestjs-core (for `http.route` and the handler name).
 *
 * No Sequelize instrumentation: Sequelize runs its queries through pg, so a Sequelize
 * span would wrap the very pg span that carries the statement, doubling the query
 * count unless every consumer de-duplicates. The pg span alone has the statement,
 * the timing and the error.
 */
export function createInstrumentations(options: InstrumentationOptions): Instrumentation[] {
  const ignored = new Set(options.ignoreIncomingPaths);
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => ignored.has(pathOf(req.url)),
      // Every value, not only the instrumentation's list of known sensitive names.
      requestHook: (span: Span, req) => {
        const url = (req as IncomingMessage).url;
        if (typeof url !== 'string') return;
        const q = url.indexOf('?');
        if (q !== -1) span.setAttribute('url.query', redactQuery(url.slice(q + 1)));
      },
    }),
    new PgInstrumentation({ enhancedDatabaseReporting: false }),
    // The instrumentation stores the matched route on the request span before it checks
    // whether the layer is ignored, so ignoring every layer type keeps `http.route`.
    new ExpressInstrumentation(
      options.expressLayerSpans
        ? {}
        : { ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER] },
    ),
    new NestInstrumentation(),
  ];
}
