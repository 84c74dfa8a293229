import { expect } from 'chai';
import { Redis } from 'ioredis';
import { QueryCache } from '@querylens/sequelize';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { keysUnder, testRedisPrefix, testRedisUrl } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';


describe('QueryCache on Redis (HTTP, real PostgreSQL and Redis)', () => {
  let t: TestApp;
  let redis: Redis;
  const prefix = testRedisPrefix();

  before(async () => {
    redis = new Redis(testRedisUrl());
    t = await startTestApp({ redis: true, config: { cacheEncryptionKey: Buffer.alloc(32, 9) } });
  });
  after(async () => {
    await t?.close();
    const keys = await keysUnder(redis, prefix);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  describe('GET /students', () => {
    it('serves the second read from Redis and never a stale one after a write', async () => {
      const cache = t.app.get(QueryCache);
      const school = await createSchool();
      const nurse = await createNurse(school.id);
      await createStudents(3, { schoolId: school.id, nurseId: nurse.id, lastName: 'Quillbright' });
      const first = await t.request('GET', `/students?schoolId=${school.id}`);
      const hitsBefore = cache.stats().hits;
      const second = await t.request('GET', `/students?schoolId=${school.id}`);
      expect(cache.stats().hits).to.be.greaterThan(hitsBefore);
      expect(second.body).to.deep.equal(first.body);
      expect(second.body.meta.total).to.equal(3);

      const created = await t.request('POST', '/students', {
        studentNumber: `R${Date.now()}`.slice(0, 20),
        firstName: 'Fresh',
        lastName: 'Quillbright',
        dateOfBirth: '2014-02-02',
        grade: 4,
        schoolId: school.id,
      });
      expect(created.status).to.equal(201);
      const third = await t.request('GET', `/students?schoolId=${school.id}`);
      expect(third.body.meta.total).to.equal(4);
    });

    it('stores keys under the app prefix, HMAC-keyed and encrypted (no names in Redis)', async () => {
      const keys = await keysUnder(redis, prefix);
      expect(keys.length).to.be.greaterThan(0);
      for (const key of keys) expect(key).not.to.contain('Quillbright');
      const values = await Promise.all(keys.map((k) => redis.type(k).then((type) => (type === 'string' ? redis.getBuffer(k) : null))));
      const blob = Buffer.concat(values.filter((v): v is Buffer => v !== null)).toString('latin1');
      expect(blob.length).to.be.greaterThan(0);
      expect(blob).not.to.contain('Quillbright');
    });
  });
});
