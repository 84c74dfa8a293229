/**
 * CLI: fills `DATABASE_URL` with synthetic data.
 *   node dist/seed.js [--students 3000] [--nurses 40] [--schools 6] [--no-reset]
 * Creates the tables first when they are missing (never drops them).
 */
import 'reflect-metadata';
import { Sequelize } from 'sequelize-typescript';
import { loadConfig } from './database/app-config';
import { ALL_MODELS } from './database/models';
import { seedDatabase } from './database/seed';

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = loadConfig();
  const sequelize = new Sequelize(config.databaseUrl, { dialect: 'postgres', logging: false, models: ALL_MODELS });
  try {
    await sequelize.sync();
    const summary = await seedDatabase(sequelize, {
      students: flag(args, 'students'),
      nurses: flag(args, 'nurses'),
      schools: flag(args, 'schools'),
      reset: !args.includes('--no-reset'),
      onProgress: (table, rows) => process.stdout.write(`seeded ${table}: ${rows}\n`),
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await sequelize.close();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`seed failed: ${err.name}: ${err.message}\n`);
    process.exit(1);
  });
}
