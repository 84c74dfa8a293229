/**
 * Mocha global fixture: (re)creates the schema of the test database and seeds a fixed synthetic
 * data set once per run, before any test file. Suites that change rows create their own.
 *
 * Several people run this suite on one machine: a session-level advisory lock, held from setup
 * to teardown, serialises whole runs so one run never truncates the tables under another.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { Sequelize } from 'sequelize-typescript';
import { ALL_MODELS } from '../../src/database/models';
import { seedDatabase } from '../../src/database/seed';
import { ensureTestDatabase, testDatabaseUrl } from './database';

/** Size of the shared seed (enough students for the 1000-student bulk tests). */
export const SEED = { students: 1200, nurses: 12, schools: 3 } as const;

const RUN_LOCK_KEY = 0x5c4001; // arbitrary, constant: "school-health test run"
let lockClient: Client | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  await ensureTestDatabase();
  lockClient = new Client({ connectionString: testDatabaseUrl() });
  await lockClient.connect();
  await lockClient.query('SELECT pg_advisory_lock($1)', [RUN_LOCK_KEY]);
  const sequelize = new Sequelize(testDatabaseUrl(), { dialect: 'postgres', logging: false, models: ALL_MODELS });
  try {
    await sequelize.sync({ force: true });
    await seedDatabase(sequelize, { ...SEED, randomSeed: 7 });
  } finally {
    await sequelize.close();
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  // Ending the session releases the advisory lock.
  await lockClient?.end();
  lockClient = undefined;
}
