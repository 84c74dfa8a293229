import { Module } from '@nestjs/common';

/**
 * Self-contained monitoring module: `GET /monitoring/*` endpoints (performance,
 * queries, pool, cache, trends, endpoints, memory, health, export) behind a
 * bearer token. Import it once in the root module.
 *
 * Initial placeholder so the application module can import it; the controllers
 * and providers are being added.
 */
@Module({})
export class MonitoringModule {}
