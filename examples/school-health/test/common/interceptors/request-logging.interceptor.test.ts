import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { createSchool, createStudents } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/test-app';

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, context?: string): void {
    this.lines.push(`${context ?? ''} ${String(message)}`);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push(`ERROR ${String(message)} ${rest.map(String).join(' ')}`);
  }
  warn(message: unknown): void {
    this.lines.push(`WARN ${String(message)}`);
  }
}

describe('RequestLoggingInterceptor', () => {
  let t: TestApp;
  const logger = new CapturingLogger();
  before(async () => {
    t = await startTestApp({ logger });
  });
  after(async () => t?.close());

  describe('#intercept', () => {
    it('logs method, route template, status and duration: never ids, query strings or bodies', async () => {
      const school = await createSchool();
      const [id] = await createStudents(1, { schoolId: school.id, lastName: 'Logcanary' });
      await t.request('GET', `/students/${id}`);
      await t.request('GET', `/students?search=Logcanary&schoolId=${school.id}`);
      await t.request('GET', `/students/${randomUUID()}`);
      const ssn = '771-11-2222';
      const body = { studentNumber: `L${Date.now()}`.slice(0, 20), firstName: 'Logcanary', lastName: 'Logcanary', dateOfBirth: '2012-01-01', grade: 1, ssn, schoolId: school.id };
      await t.request('POST', '/students', body);
      await t.request('POST', '/students', { ...body, studentNumber: `M${Date.now()}`.slice(0, 20) });
      const http = logger.lines.filter((l) => l.startsWith('HTTP '));
      expect(http.some((l) => /^HTTP GET \/students\/:id 200 \d+\.\dms$/.test(l))).to.equal(true);
      expect(http.some((l) => /^HTTP GET \/students 200 /.test(l))).to.equal(true);
      expect(http.some((l) => /^HTTP GET \/students\/:id 404 /.test(l))).to.equal(true);
      expect(http.some((l) => /^HTTP POST \/students 409 /.test(l)), http.join('\n')).to.equal(true);
      const all = logger.lines.join('\n');
      for (const secret of [id, 'Logcanary', ssn, 'search=', school.id]) expect(all).not.to.contain(secret);
    });
  });
});
