import { expect } from 'chai';
import { captureQueries } from '@querylens/core/testing';
import { NurseFilterDto } from '../../src/users/dto/nurse-filter.dto';
import { UsersService } from '../../src/users/users.service';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { itPinsHotPath } from '../support/hot-path';
import { startTestApp, type TestApp } from '../support/test-app';

describe('UsersService (query counts)', () => {
  let t: TestApp;
  let schoolId: string;
  let nurseId: string;
  before(async () => {
    t = await startTestApp();
    schoolId = (await createSchool()).id;
    nurseId = (await createNurse(schoolId)).id;
  });
  after(async () => t?.close());

  describe('#findNurses', () => {
    itPinsHotPath(1, () => ({ run: () => t.app.get(UsersService).findNurses(Object.assign(new NurseFilterDto(), { schoolId })) }), (nurses) => {
      expect(nurses.map((n) => n.id)).to.deep.equal([nurseId]);
    });
  });

  describe('#findNurse', () => {
    it('costs 2 parallel queries cold and 1 warm (the workload count is never cached)', async () => {
      const users = t.app.get(UsersService);
      const cold = await captureQueries(() => users.findNurse(nurseId));
      expect(cold.count).to.equal(2);
      await createStudents(2, { schoolId, nurseId });
      const warm = await captureQueries(() => users.findNurse(nurseId));
      expect(warm.count).to.equal(1);
      expect(warm.result.workload).to.equal(2);
    });
  });
});
