import { Client } from 'pg';

/** The database of the deploy tests (no other suite uses it). */
export const DEPLOY_DB = 'ql_deploy_test';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) with its database replaced by {@link DEPLOY_DB}. */
export function deployDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_URL);
  url.pathname = `/${DEPLOY_DB}`;
  return url.toString();
}

/** Creates {@link DEPLOY_DB} when it is missing. */
export async function ensureDeployDatabase(): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL ?? DEFAULT_URL });
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DEPLOY_DB]);
    if (r.rowCount === 0) await client.query(`CREATE DATABASE ${DEPLOY_DB}`);
  } finally {
    await client.end();
  }
}
