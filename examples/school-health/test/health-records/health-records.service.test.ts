import { expect } from 'chai';
import { PaginationDto } from '../../src/common/dto/pagination.dto';
import { HealthRecordsService } from '../../src/health-records/health-records.service';
import { MentalHealthRecord } from '../../src/health-records/models/mental-health-record.model';
import { itPinsHotPath } from '../support/hot-path';
import { startTestApp, type TestApp } from '../support/test-app';

describe('HealthRecordsService (query counts)', () => {
  let t: TestApp;
  let studentId: string;
  before(async () => {
    t = await startTestApp();
    const record = await MentalHealthRecord.findOne({ attributes: ['studentId'] });
    studentId = record!.studentId;
  });
  after(async () => t?.close());

  describe('#summary', () => {
    itPinsHotPath(3, () => ({ run: () => t.app.get(HealthRecordsService).summary(studentId) }), (summary) => {
      expect(summary.studentId).to.equal(studentId);
    });
  });

  describe('#mentalHealthTimeline', () => {
    const page = Object.assign(new PaginationDto(), { page: 1, limit: 10 });
    itPinsHotPath(2, () => ({ run: () => t.app.get(HealthRecordsService).mentalHealthTimeline(studentId, page) }), (timeline) => {
      expect(timeline.meta.total).to.be.greaterThan(0);
      expect(timeline.data[0].counselor).to.not.equal(undefined);
    });
  });
});
