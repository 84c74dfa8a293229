import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, type Provider, RequestMethod } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MonitoringTokenGuard } from './auth/MonitoringTokenGuard';
import { MetricsCollector } from './history/MetricsCollector';
import { MetricsHistory } from './history/MetricsHistory';
import { HttpMetricsMiddleware } from './http/HttpMetricsMiddleware';
import { RequestMetricsStore } from './http/RequestMetricsStore';
import { MonitoringController } from './monitoring.controller';
import {
  MONITORING_OPTIONS, type MonitoringOptions, monitoringOptionsFromEnv, resolveMonitoringOptions, type ResolvedMonitoringOptions,
} from './monitoring.options';
import { MonitoringService } from './monitoring.service';
import { MONITORING_SOURCES } from './sources/MonitoringSources';
import { querylensSources } from './sources/querylensSources';

const baseProviders: Provider[] = [
  {
    provide: RequestMetricsStore,
    useFactory: (o: ResolvedMonitoringOptions) => new RequestMetricsStore({ maxRoutes: o.maxRoutes }),
    inject: [MONITORING_OPTIONS],
  },
  { provide: MONITORING_SOURCES, useFactory: (moduleRef: ModuleRef) => querylensSources(moduleRef), inject: [ModuleRef] },
  MetricsCollector,
  MetricsHistory,
  MonitoringService,
  MonitoringTokenGuard,
];

/**
 * Self-contained monitoring module (seed section 5): `GET /monitoring/performance`,
 * `/queries`, `/pool`, `/cache`, `/trends`, `/endpoints`, `/memory`, `/health` and
 * `/export` behind a bearer token, per-route HTTP metrics for every request
 * (keyed by route template), and a 24 h history sampled once a minute.
 *
 * `imports: [MonitoringModule]` reads `MONITORING_TOKEN` and
 * `MONITORING_SAMPLE_INTERVAL_MS` from the environment;
 * `MonitoringModule.forRoot(options)` takes them explicitly.
 * Reads only public querylens APIs: `report()`, the app's `QueryCache` and `poolStatus()`.
 */
@Module({
  controllers: [MonitoringController],
  providers: [{ provide: MONITORING_OPTIONS, useFactory: () => monitoringOptionsFromEnv() }, ...baseProviders],
  exports: [MonitoringService, RequestMetricsStore],
})
export class MonitoringModule implements NestModule {
  /** The module with explicit options (invalid options throw an Error naming the option). */
  static forRoot(options: MonitoringOptions = {}): DynamicModule {
    const resolved = resolveMonitoringOptions(options);
    return {
      module: MonitoringModule,
      controllers: [MonitoringController],
      providers: [{ provide: MONITORING_OPTIONS, useValue: resolved }, ...baseProviders],
      exports: [MonitoringService, RequestMetricsStore],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
