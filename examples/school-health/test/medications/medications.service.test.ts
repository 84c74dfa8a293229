import { expect } from 'chai';
import { MedicationsService } from '../../src/medications/medications.service';
import { itPinsHotPath } from '../support/hot-path';
import { startTestApp, type TestApp } from '../support/test-app';

describe('MedicationsService (query counts)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('#catalog', () => {
    itPinsHotPath(1, () => ({ run: () => t.app.get(MedicationsService).catalog() }), (catalog) => {
      expect(catalog.length).to.be.greaterThan(0);
    });
  });

  describe('#administerBatch', () => {
    it('logs 1 or 50 doses with the same number of statements (one INSERT in one transaction)', async () => {
      const { captureQueries } = await import('@querylens/core/testing');
      const service = t.app.get(MedicationsService);
      const [med] = await service.catalog();
      const [[row]] = (await t.sequelize.query(`SELECT s.id AS student, u.id AS nurse FROM students s, users u WHERE u.role = 'NURSE' LIMIT 1`)) as [[{ student: string; nurse: string }], unknown];
      const dose = { studentId: row.student, medicationId: med.id, administeredById: row.nurse, dose: '1 tablet' };
      const counts: number[] = [];
      for (const n of [1, 50]) {
        const c = await captureQueries(() => service.administerBatch(Array.from({ length: n }, () => ({ ...dose }))));
        expect(c.result.logged).to.equal(n);
        counts.push(c.count);
      }
      expect(counts[0]).to.equal(counts[1]);
      expect(counts[0]).to.equal(3); // START, INSERT, COMMIT
    });
  });
});
