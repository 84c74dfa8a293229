/**
 * The PHI canary (issue 6, "Must hold"): the app runs in a child process exactly as deployed
 * (`--require @querylens/node/register`, spans printed by the console exporter, Prometheus
 * `/metrics`, Redis cache, monitoring token). A student whose name, SSN, notes and emergency
 * contact are canary strings goes through every endpoint, including errors; the canaries must
 * then appear nowhere in the exported spans, the app's logs, `/metrics` or the monitoring endpoints.
 */
import { expect } from 'chai';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { keysUnder, testDatabaseUrl, testRedisPrefix, testRedisUrl } from '../support/database';

/** Every canary contains this token, so one case-insensitive search finds any of them. */
const TOKEN = 'qlcnry';
const CANARY = {
  firstName: 'Qlcnryfirst',
  lastName: 'Qlcnrylast',
  ssn: '771-29-4468',
  notes: 'qlcnry note: allergic to penicillin',
  contactFirstName: 'Qlcnrycontact',
  contactEmail: 'qlcnry@contact.example',
  reason: 'qlcnry reason: chest pain',
};
/** Forms the SSN could take once stripped of its dashes or split by a tokenizer. */
const SSN_FORMS = [CANARY.ssn, CANARY.ssn.replace(/-/g, '')];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('PHI canary (child process under the register)', function () {
  this.timeout(180_000);
  const exampleDir = path.resolve(__dirname, '../..');
  const token = randomBytes(24).toString('hex');
  let child: ChildProcess;
  let output = '';
  let base = '';
  let metricsUrl = '';
  const monitoring: Record<string, string> = {};
  let metricsText = '';
  const statuses: Record<string, number> = {};

  async function call(label: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    statuses[label] = res.status;
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  before(async () => {
    const [appPort, metricsPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${appPort}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    child = spawn(process.execPath, ['--require', 'ts-node/register/transpile-only', '--require', '@querylens/node/register', 'src/main.ts'], {
      cwd: exampleDir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(appPort),
        DATABASE_URL: testDatabaseUrl(),
        DB_SYNC: 'false',
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: `${testRedisPrefix()}canary:`,
        CACHE_KEY_SECRET: randomBytes(24).toString('hex'),
        CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        MONITORING_TOKEN: token,
        MONITORING_SAMPLE_INTERVAL_MS: '1000',
        OTEL_SERVICE_NAME: 'school-health-canary',
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        OTEL_LOG_LEVEL: 'info',
        QUERYLENS_HANDLE_SIGNALS: 'true',
        TS_NODE_TRANSPILE_ONLY: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`app exited early (${child.exitCode}):\n${output.slice(-3000)}`);
      try {
        if ((await fetch(`${base}/schools`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`app did not start:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // --- every endpoint, with the canary student ---
    const schools: Array<{ id: string }> = await call('schools', 'GET', '/schools');
    // Other suites add schools without nurses: start from a seeded nurse and her school.
    const anyNurses: Array<{ id: string; schoolId: string }> = await call('nursesAll', 'GET', '/nurses?limit=100');
    const seeded = anyNurses.find((n) => schools.some((s) => s.id === n.schoolId));
    if (!seeded) throw new Error('the seeded database has no nurse with a school');
    const schoolA = schools.find((s) => s.id === seeded.schoolId)!;
    const schoolB = schools.find((s) => s.id !== schoolA.id)!;
    const nurses = await call('nurses', 'GET', `/nurses?schoolId=${schoolA.id}`);
    const nurse = nurses[0];
    expect(nurse, 'a nurse of the chosen school').to.be.an('object');
    const student = await call('create', 'POST', '/students', {
      studentNumber: `C${Date.now()}`.slice(0, 20),
      firstName: CANARY.firstName,
      lastName: CANARY.lastName,
      dateOfBirth: '2009-09-09',
      grade: 11,
      ssn: CANARY.ssn,
      notes: CANARY.notes,
      schoolId: schoolA.id,
      nurseId: nurse.id,
    });
    await call('duplicateSsn', 'POST', '/students', {
      studentNumber: `D${Date.now()}`.slice(0, 20),
      firstName: CANARY.firstName,
      lastName: CANARY.lastName,
      dateOfBirth: '2009-09-09',
      grade: 11,
      ssn: CANARY.ssn,
      schoolId: schoolA.id,
    });
    await call('invalidBody', 'POST', '/students', { firstName: CANARY.firstName, lastName: CANARY.lastName, ssn: `${CANARY.ssn}x`, grade: 99 });
    await call('search', 'GET', `/students?search=${encodeURIComponent(CANARY.lastName)}`);
    await call('searchInvalid', 'GET', `/students?search=${encodeURIComponent(CANARY.lastName)}&limit=500`);
    await call('searchFirst', 'GET', `/students?search=${encodeURIComponent(CANARY.firstName)}&schoolId=${schoolA.id}`);
    await call('details', 'GET', `/students/${student.id}`);
    await call('details2', 'GET', `/students/${student.id}`);
    await call('badId', 'GET', `/students/${encodeURIComponent(CANARY.lastName)}`);
    await call('unknownRoute', 'GET', `/patients/${encodeURIComponent(CANARY.firstName)}?ssn=${CANARY.ssn}`);
    await call('update', 'PATCH', `/students/${student.id}`, { notes: `${CANARY.notes} (updated)` });
    await call('graduating', 'GET', `/students/graduating?schoolId=${schoolA.id}`);
    await call('contactCreate', 'POST', `/emergency-contacts/student/${student.id}`, {
      firstName: CANARY.contactFirstName,
      lastName: CANARY.lastName,
      relationship: 'MOTHER',
      phone: '555-0142',
      email: CANARY.contactEmail,
      priority: 'PRIMARY',
    });
    await call('contactInvalid', 'POST', `/emergency-contacts/student/${student.id}`, { firstName: CANARY.contactFirstName, phone: CANARY.contactEmail });
    await call('contacts', 'GET', `/emergency-contacts/student/${student.id}`);
    await call('contactStats', 'GET', '/emergency-contacts/statistics');
    const appointment = await call('appointmentCreate', 'POST', '/appointments', {
      studentId: student.id,
      nurseId: nurse.id,
      scheduledDate: '2031-05-05T09:00:00Z',
      type: 'ILLNESS',
      reason: CANARY.reason,
    });
    await call('calendar', 'GET', `/appointments/calendar?date=2031-05-05&nurseId=${nurse.id}`);
    await call('calendarInvalid', 'GET', `/appointments/calendar?date=${CANARY.lastName}`);
    await call('appointmentCancel', 'POST', `/appointments/${appointment.id}/cancel`);
    await call('recordCreate', 'POST', '/health-records', {
      studentId: student.id,
      recordType: 'ALLERGY',
      recordDate: '2030-01-01',
      title: `${CANARY.firstName} allergy`,
      description: CANARY.notes,
    });
    await call('summary', 'GET', `/health-records/student/${student.id}/summary`);
    await call('mentalHealth', 'GET', `/health-records/student/${student.id}/mental-health`);
    const catalog = await call('catalog', 'GET', '/medications');
    const dose = { studentId: student.id, medicationId: catalog[0].id, administeredById: nurse.id, dose: '1 tablet', notes: CANARY.notes };
    await call('administer', 'POST', '/medications/administrations', dose);
    await call('administerBatch', 'POST', '/medications/administrations/batch', { administrations: [dose, dose] });
    await call('administrationLog', 'GET', `/medications/administrations/student/${student.id}`);
    await call('nurse', 'GET', `/nurses/${nurse.id}`);
    await call('gradeTransition', 'POST', '/students/bulk/grade-transition', { studentIds: [student.id] });
    await call('assignNurse', 'POST', '/students/bulk/assign-nurse', { nurseId: nurse.id, studentIds: [student.id] });
    await call('transfer', 'POST', '/students/bulk/transfer', { toSchoolId: schoolB.id, studentIds: [student.id] });
    await call('nPlusOne', 'GET', '/demo/n-plus-one/students-with-nurses?limit=30');
    await call('eager', 'GET', '/demo/eager/students-with-nurses?limit=30');
    await call('slowReport', 'GET', '/demo/slow-report?minDurationMillis=1100');
    await call('search2', 'GET', `/students?search=${encodeURIComponent(CANARY.lastName)}`);

    const auth = { authorization: `Bearer ${token}` };
    await call('monitoringNoToken', 'GET', '/monitoring/performance');
    await new Promise((r) => setTimeout(r, 1500)); // let the history sampler take a point
    for (const endpoint of ['performance', 'queries', 'pool', 'cache', 'trends?hours=1', 'endpoints', 'memory?hours=1', 'health', 'export']) {
      monitoring[endpoint] = JSON.stringify(await call(`monitoring/${endpoint}`, 'GET', `/monitoring/${endpoint}`, undefined, auth));
    }
    metricsText = await (await fetch(metricsUrl)).text();

    child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    const redis = new Redis(testRedisUrl());
    const keys = await keysUnder(redis, `${testRedisPrefix()}canary:`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  describe('the exercise itself', () => {
    it('reached the app: the canary student was created, found by search and the errors happened', () => {
      expect(statuses).to.include({ create: 201, details: 200, search: 200, duplicateSsn: 409, invalidBody: 400, searchInvalid: 400, badId: 400, unknownRoute: 404 });
      expect(statuses).to.include({ contactCreate: 201, contactInvalid: 400, appointmentCreate: 201, calendarInvalid: 400, recordCreate: 201, administer: 201, administerBatch: 201 });
      expect(statuses).to.include({ gradeTransition: 200, assignNurse: 200, transfer: 200, nPlusOne: 200, slowReport: 200, monitoringNoToken: 401 });
      for (const [label, status] of Object.entries(statuses)) {
        if (label.startsWith('monitoring/')) expect(status, label).to.equal(200);
      }
    });

    it('exported spans for the requests and their queries (the search below is not vacuous)', () => {
      expect(output).to.contain('db.query.text');
      expect(output).to.match(/students/);
      expect(output).to.contain('/students/:id');
      expect(metricsText).to.match(/^# (HELP|TYPE) /m);
    });
  });

  describe('the canaries', () => {
    const leaks = (text: string): string[] => {
      const lower = text.toLowerCase();
      return [TOKEN, ...SSN_FORMS].filter((c) => lower.includes(c.toLowerCase()));
    };

    it('are not in the exported spans or the app logs (stdout + stderr)', () => {
      const found = leaks(output);
      const context = found.length ? output.slice(Math.max(0, output.toLowerCase().indexOf(found[0].toLowerCase()) - 400), output.toLowerCase().indexOf(found[0].toLowerCase()) + 200) : '';
      expect(found, context).to.deep.equal([]);
    });

    it('are not in /metrics', () => {
      expect(leaks(metricsText)).to.deep.equal([]);
    });

    it('are not in any monitoring endpoint', () => {
      for (const [endpoint, body] of Object.entries(monitoring)) expect(leaks(body), endpoint).to.deep.equal([]);
    });
  });
});
