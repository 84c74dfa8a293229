/**
 * Mocha global fixture: (re)creates the schema of the test database and seeds a fixed synthetic
 * data set once per run, before any test file. Suites that change rows create their own.
 */
import 'reflect-metadata';
import { Sequelize } from 'sequelize-typescript';
import { ALL_MODELS } from '../../src/database/models';
import { seedDatabase } from '../../src/database/seed';
import { ensureTestDatabase, testDatabaseUrl } from './database';

/** Size of the shared seed (enough students for the 1000-student bulk tests). */
export const SEED = { students: 1200, nurses: 12, schools: 3 } as const;

export async function mochaGlobalSetup(): Promise<void> {
  await ensureTestDatabase();
  const sequelize = new Sequelize(testDatabaseUrl(), { dialect: 'postgres', logging: false, models: ALL_MODELS });
  try {
    await sequelize.sync({ force: true });
    await seedDatabase(sequelize, { ...SEED, randomSeed: 7 });
  } finally {
    await sequelize.close();
  }
}
