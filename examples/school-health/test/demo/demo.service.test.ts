import { expect } from 'chai';
import { captureQueries } from '@querylens/core/testing';
import { DemoService } from '../../src/demo/demo.service';
import { startTestApp, type TestApp } from '../support/test-app';

describe('DemoService', () => {
  let t: TestApp;
  let demo: DemoService;
  before(async () => {
    t = await startTestApp();
    demo = t.app.get(DemoService);
  });
  after(async () => t?.close());

  describe('#studentsWithNursesNPlusOne', () => {
    it('makes 1 + N queries and is detected as an N+1', async () => {
      const c = await captureQueries(() => demo.studentsWithNursesNPlusOne(20));
      const withNurse = c.result.filter((s) => s.nurse !== null).length;
      expect(withNurse).to.be.greaterThan(5);
      expect(c.count).to.equal(1 + withNurse);
      expect(c.nPlusOne).to.have.length.greaterThan(0);
      expect(c.nPlusOne[0].count).to.be.at.least(5);
    });
  });

  describe('#studentsWithNursesEager', () => {
    it('makes 1 query and no N+1', async () => {
      const c = await captureQueries(() => demo.studentsWithNursesEager(20));
      expect(c.count).to.equal(1);
      expect(c.nPlusOne).to.deep.equal([]);
      expect(c.result).to.have.length(20);
    });
  });
});
