import { Controller, Get, HttpCode, InternalServerErrorException, type INestApplication, Module, Param, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SequelizeModule } from '@nestjs/sequelize';
import { MonitoringModule } from '../../src/monitoring/monitoring.module';
import type { MonitoringOptions } from '../../src/monitoring/monitoring.options';

/** URL of this suite's own database (`ql_app_test`), derived from DATABASE_URL. */
export function testDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  url.pathname = '/ql_app_test';
  return url.toString();
}

/** A tiny feature controller so HTTP metrics have real routes with ids and query strings. */
@Controller('things')
class ThingsController {
  @Get(':id')
  one(@Param('id') id: string, @Query('name') _name?: string): { id: string } {
    return { id };
  }

  @Get('fail/now')
  fail(): never {
    throw new InternalServerErrorException('boom');
  }

  @Get()
  @HttpCode(200)
  list(): string[] {
    return [];
  }
}

export interface Harness {
  app: INestApplication;
  baseUrl: string;
  token: string;
  get(path: string, token?: string | null): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Starts a minimal Nest app importing MonitoringModule and a real Sequelize connection, on a free port. */
export async function startHarness(options: MonitoringOptions & { withDatabase?: boolean } = {}): Promise<Harness> {
  const token = options.token ?? 'test-token-0123456789abcdef';
  const imports = [MonitoringModule.forRoot({ ...options, token })] as any[];
  if (options.withDatabase !== false) {
    imports.push(SequelizeModule.forRoot({ dialect: 'postgres', uri: testDatabaseUrl(), logging: false, pool: { max: 5 } } as any));
  }
  @Module({ imports, controllers: [ThingsController] })
  class TestAppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    token,
    async get(path, useToken = token) {
      const headers: Record<string, string> = {};
      if (useToken !== null) headers.authorization = `Bearer ${useToken}`;
      const res = await fetch(baseUrl + path, { headers });
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body };
    },
    close: () => app.close(),
  };
}
