import { expect } from 'chai';
import { Sequelize } from 'sequelize-typescript';
import { ALL_MODELS } from '../../src/database/models';
import { seedDatabase } from '../../src/database/seed';
import { SyntheticData } from '../../src/database/synthetic-data';
import { SEED } from '../support/fixtures';
import { testDatabaseUrl } from '../support/database';

describe('seedDatabase', () => {
  describe('the shared seed', () => {
    let sequelize: Sequelize;
    before(() => {
      sequelize = new Sequelize(testDatabaseUrl(), { dialect: 'postgres', logging: false });
    });
    after(() => sequelize.close());

    it('wrote at least the seeded schools, nurses and students, the seeded ones with never-issued SSNs only', async () => {
      const [[row]] = (await sequelize.query(
        `SELECT (SELECT COUNT(*) FROM schools)::int AS schools,
                (SELECT COUNT(*) FROM users WHERE role = 'NURSE')::int AS nurses,
                (SELECT COUNT(*) FROM students)::int AS students,
                (SELECT COUNT(*) FROM students WHERE student_number LIKE 'S%' AND ssn IS NOT NULL AND ssn !~ '^9')::int AS real_looking_ssns`,
      )) as [[{ schools: number; nurses: number; students: number; real_looking_ssns: number }], unknown];
      expect(row.schools).to.be.at.least(SEED.schools);
      expect(row.nurses).to.be.at.least(SEED.nurses);
      expect(row.students).to.be.at.least(SEED.students);
      expect(row.real_looking_ssns).to.equal(0);
    });
  });

  describe('#seedDatabase', () => {
    it('adds the requested sizes without reset (row counts before/after)', async () => {
      const sequelize = new Sequelize(testDatabaseUrl(), { dialect: 'postgres', logging: false, models: ALL_MODELS });
      const count = async (table: string) => {
        const [[{ n }]] = (await sequelize.query(`SELECT COUNT(*)::int AS n FROM ${table}`)) as [[{ n: number }], unknown];
        return n;
      };
      try {
        const before = { students: await count('students'), appointments: await count('appointments') };
        const progress: string[] = [];
        const summary = await seedDatabase(sequelize, { students: 50, nurses: 4, schools: 2, reset: false, onProgress: (table) => progress.push(table) });
        expect(summary).to.include({ students: 50, nurses: 4, schools: 2, medications: 15, appointments: 100 });
        expect(summary.emergencyContacts).to.be.within(50, 150);
        expect(progress).to.include.members(['schools', 'students', 'appointments']);
        expect(await count('students')).to.equal(before.students + 50);
        expect(await count('appointments')).to.equal(before.appointments + 100);
      } finally {
        await sequelize.close();
      }
    });
  });
});

describe('SyntheticData', () => {
  describe('#ssn', () => {
    it('only produces never-issued (900-999) SSNs, unique per sequence number', () => {
      const data = new SyntheticData(1);
      const ssns = new Set(Array.from({ length: 20_000 }, (_, i) => data.ssn(i)));
      expect(ssns.size).to.equal(20_000);
      for (const ssn of ssns) expect(ssn).to.match(/^9\d{2}-\d{2}-\d{4}$/);
    });
  });

  describe('#firstName', () => {
    it('is reproducible for a given seed', () => {
      const a = new SyntheticData(5);
      const b = new SyntheticData(5);
      expect(Array.from({ length: 10 }, () => a.firstName())).to.deep.equal(Array.from({ length: 10 }, () => b.firstName()));
    });
  });
});
