import { Client } from 'pg';

const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_NAME = 'ql_node_test';

/** DATABASE_URL with the database name replaced by this package's own database. */
export const TEST_DB_URL = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();

/** Creates the test database if missing and (re)creates the fixture table, empty. */
export async function prepareDatabase(): Promise<void> {
  const admin = new Client({ connectionString: BASE_URL });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (found.rowCount === 0) {
      try {
        await admin.query(`CREATE DATABASE ${DB_NAME}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
      }
    }
  } finally {
    await admin.end();
  }
  const c = new Client({ connectionString: TEST_DB_URL });
  await c.connect();
  try {
    await c.query('CREATE TABLE IF NOT EXISTS ql_patients (id serial PRIMARY KEY, name text NOT NULL, ssn text UNIQUE)');
    await c.query('TRUNCATE ql_patients RESTART IDENTITY');
    await c.query(`INSERT INTO ql_patients (name, ssn) SELECT 'patient ' || g, NULL FROM generate_series(1, 10) g`);
  } finally {
    await c.end();
  }
}
