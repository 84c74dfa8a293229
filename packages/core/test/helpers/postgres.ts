import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { TracerProvider } from '@opentelemetry/sdk-trace';

/** One pg instrumentation for the process; each test points it at its own provider. */
export const pgInstrumentation = new PgInstrumentation();
registerInstrumentations({ instrumentations: [pgInstrumentation] });

// Loaded after the instrumentation is registered so that it is patched.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import pg = require('pg');

/** The database of this package's tests (ql_core_test), derived from DATABASE_URL. */
export function testDatabaseUrl(): string {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  base.pathname = '/ql_core_test';
  return base.toString();
}

/** Creates ql_core_test if it is missing. */
export async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  try {
    const r = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'ql_core_test'");
    if (r.rowCount === 0) await admin.query('CREATE DATABASE ql_core_test');
  } finally {
    await admin.end();
  }
}

/** Routes pg spans to `provider` and returns a connected client of ql_core_test. */
export async function tracedClient(provider: TracerProvider): Promise<pg.Client> {
  pgInstrumentation.setTracerProvider(provider);
  pgInstrumentation.enable();
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  return client;
}

export { pg };
