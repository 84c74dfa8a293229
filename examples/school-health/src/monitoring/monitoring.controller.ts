import { Controller, Get, Header, Query, UseGuards, ValidationPipe } from '@nestjs/common';
import { MonitoringTokenGuard } from './auth/MonitoringTokenGuard';
import { EndpointsQueryDto } from './dto/EndpointsQueryDto';
import { HoursQueryDto } from './dto/HoursQueryDto';
import type { RequestMetrics } from './http/RequestMetricsStore';
import { MonitoringService } from './monitoring.service';
import type {
  CacheMetrics, ExportResponse, HealthResponse, MemoryMetrics, PerformanceSummary, PoolResponse, QueriesResponse, TrendsResponse,
} from './monitoring.types';

/** Strict per-endpoint validation: the module does not rely on the app's global pipes. */
const query = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

/** The seed's monitoring endpoints (section 5.1), behind {@link MonitoringTokenGuard}; responses are never cached (`no-store`). */
@Controller('monitoring')
@UseGuards(MonitoringTokenGuard)
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Header('Cache-Control', 'no-store')
  @Get('performance')
  performance(): PerformanceSummary {
    return this.monitoring.performance();
  }

  @Header('Cache-Control', 'no-store')
  @Get('queries')
  queries(): QueriesResponse {
    return this.monitoring.queries();
  }

  @Header('Cache-Control', 'no-store')
  @Get('pool')
  pool(@Query(query) q: HoursQueryDto): PoolResponse {
    return this.monitoring.pool(q.hours ?? 1);
  }

  @Header('Cache-Control', 'no-store')
  @Get('cache')
  cache(): CacheMetrics {
    return this.monitoring.cache();
  }

  @Header('Cache-Control', 'no-store')
  @Get('trends')
  trends(@Query(query) q: HoursQueryDto): TrendsResponse {
    return this.monitoring.trends(q.hours ?? 1);
  }

  @Header('Cache-Control', 'no-store')
  @Get('endpoints')
  endpoints(@Query(query) q: EndpointsQueryDto): RequestMetrics[] {
    return this.monitoring.endpoints({ endpoint: q.endpoint, method: q.method });
  }

  @Header('Cache-Control', 'no-store')
  @Get('memory')
  memory(@Query(query) q: HoursQueryDto): MemoryMetrics[] {
    return this.monitoring.memory(q.hours ?? 1);
  }

  @Header('Cache-Control', 'no-store')
  @Get('health')
  health(): HealthResponse {
    return this.monitoring.health();
  }

  @Header('Cache-Control', 'no-store')
  @Get('export')
  export(): ExportResponse {
    return this.monitoring.export();
  }
}
