import { expect } from 'chai';
import { startHarness, type Harness } from './harness';

describe('MonitoringController', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  describe('#performance', () => {
    it('answers with the seed PerformanceSummary shape', async () => {
      const res = await h.get('/monitoring/performance');
      expect(res.status).to.equal(200);
      expect(res.body).to.have.keys('timestamp', 'uptime', 'requests', 'cache', 'pool', 'memory');
      expect(res.body.requests).to.have.keys('total', 'perSecond', 'avgDuration', 'errorRate');
      expect(res.body.cache).to.have.keys('hitRate', 'avgHitDuration', 'avgMissDuration');
      expect(res.body.pool).to.have.keys('utilizationPercent', 'waitingRequests');
      expect(res.body.memory).to.have.keys('heapUsed', 'utilizationPercent');
      expect(res.body.memory.heapUsed).to.be.a('number').and.above(0);
      expect(res.body.memory.utilizationPercent).to.be.within(0, 100);
    });
  });

  describe('#endpoints', () => {
    it('records requests under their route template, never the raw URL or query string', async () => {
      const canary = 'Zelda Canary-Smith';
      for (const id of ['qzx101', 'qzx202', 'qzx303']) {
        const res = await fetch(`${h.baseUrl}/things/${id}?name=${encodeURIComponent(canary)}`);
        expect(res.status).to.equal(200);
      }
      const res = await h.get('/monitoring/endpoints');
      expect(res.status).to.equal(200);
      const row = res.body.find((r: any) => r.endpoint === '/things/:id' && r.method === 'GET');
      expect(row, JSON.stringify(res.body)).to.exist;
      expect(row.count).to.equal(3);
      expect(row.statusCodes['2xx']).to.equal(3);
      const text = JSON.stringify(res.body);
      for (const leak of ['qzx', 'Zelda', 'Canary', 'name=']) expect(text).not.to.contain(leak);
    });

    it('counts 5xx as errors and 404s of unknown paths under (unmatched)', async () => {
      expect((await fetch(`${h.baseUrl}/things/fail/now`)).status).to.equal(500);
      expect((await fetch(`${h.baseUrl}/no/such/path/555-12-3456`)).status).to.equal(404);
      const res = await h.get('/monitoring/endpoints');
      const fail = res.body.find((r: any) => r.endpoint === '/things/fail/now');
      expect(fail.errorCount).to.equal(1);
      expect(fail.errorRate).to.equal(1);
      const unmatched = res.body.find((r: any) => r.endpoint === '(unmatched)');
      expect(unmatched.statusCodes['4xx']).to.be.at.least(1);
      expect(JSON.stringify(res.body)).not.to.contain('555-12-3456');
    });

    it('filters by endpoint and by method (case-insensitive)', async () => {
      const res = await h.get('/monitoring/endpoints?endpoint=/things/:id&method=get');
      expect(res.status).to.equal(200);
      expect(res.body).to.have.length(1);
      expect(res.body[0]).to.include({ endpoint: '/things/:id', method: 'GET' });
      const none = await h.get('/monitoring/endpoints?endpoint=/things/:id&method=POST');
      expect(none.body).to.deep.equal([]);
    });

    it('does not count the monitoring endpoints themselves', async () => {
      await h.get('/monitoring/health');
      const res = await h.get('/monitoring/endpoints');
      expect(res.body.some((r: any) => String(r.endpoint).startsWith('/monitoring'))).to.equal(false);
    });

    for (const [name, qs] of [
      ['an unknown method', 'method=BREW'],
      ['a raw URL with a query string', 'endpoint=' + encodeURIComponent('/things/1?name=x')],
      ['an endpoint not starting with /', 'endpoint=things'],
      ['an over-long endpoint', 'endpoint=/' + 'a'.repeat(250)],
      ['an unknown parameter', 'foo=1'],
    ] as const) {
      it(`answers 400 on ${name}`, async () => {
        const res = await h.get(`/monitoring/endpoints?${qs}`);
        expect(res.status).to.equal(400);
        expect(res.body.message).to.exist;
      });
    }
  });

  for (const path of ['trends', 'memory', 'pool']) {
    describe(`#${path}`, () => {
      for (const bad of ['0', '25', '1.5', 'abc', '-1', '']) {
        it(`answers 400 on hours=${JSON.stringify(bad)}`, async () => {
          const res = await h.get(`/monitoring/${path}?hours=${bad}`);
          expect(res.status).to.equal(400);
          expect(JSON.stringify(res.body.message)).to.match(/hours/);
        });
      }
      it('accepts hours=24 and no hours', async () => {
        expect((await h.get(`/monitoring/${path}?hours=24`)).status).to.equal(200);
        expect((await h.get(`/monitoring/${path}`)).status).to.equal(200);
      });
    });
  }

  describe('#trends', () => {
    it('answers one trend per figure and the history of the period', async () => {
      const res = await h.get('/monitoring/trends?hours=1');
      expect(res.body.hours).to.equal(1);
      const metrics = res.body.trends.map((t: any) => t.metric);
      expect(metrics).to.include.members(['p50QueryTime', 'p95QueryTime', 'p99QueryTime', 'cacheHitRate', 'poolUtilizationPercent', 'heapUsed']);
      for (const t of res.body.trends) expect(['improving', 'degrading', 'stable']).to.include(t.trend);
      expect(res.body.history).to.be.an('array');
    });
  });

  describe('#memory', () => {
    it('answers memory samples in bytes, ending with one taken now', async () => {
      const res = await h.get('/monitoring/memory?hours=1');
      expect(res.body).to.be.an('array').that.is.not.empty;
      const last = res.body[res.body.length - 1];
      expect(last).to.include.keys('timestamp', 'heapUsed', 'heapTotal', 'heapLimit', 'rss', 'external', 'utilizationPercent');
      expect(last.rss).to.be.at.least(last.heapUsed);
      expect(Date.now() - Date.parse(last.timestamp)).to.be.below(60_000);
    });
  });

  describe('#pool', () => {
    it('reads the real Sequelize pool', async () => {
      const res = await h.get('/monitoring/pool?hours=1');
      expect(res.body).to.have.keys('current', 'history', 'statistics', 'alerts');
      expect(res.body.statistics).to.have.keys('samples', 'avgUtilizationPercent', 'maxUtilizationPercent', 'avgActive', 'maxWaiting');
    });
  });

  describe('#health', () => {
    it('answers healthy|degraded with checks, reasons and key metrics', async () => {
      const res = await h.get('/monitoring/health');
      expect(['healthy', 'degraded']).to.include(res.body.status);
      expect(res.body.checks).to.have.keys('p50QueryTime', 'p95QueryTime', 'p99QueryTime', 'nPlusOne', 'cacheHitRate', 'poolUtilization');
      expect(res.body.reasons).to.be.an('array');
      expect(res.body.status === 'healthy').to.equal(res.body.reasons.length === 0);
      expect(res.body.metrics).to.include.keys('p50QueryTime', 'cacheHitRate', 'poolUtilizationPercent', 'requestsPerSecond', 'errorRate');
    });
  });

  describe('#export', () => {
    it('bundles performance, queries, pool statistics, cache, endpoints and health', async () => {
      const res = await h.get('/monitoring/export');
      expect(res.body).to.include.keys('exportedAt', 'performance', 'queries', 'pool', 'cache', 'endpoints', 'health');
      expect(res.body.queries).to.have.keys('report', 'slowQueries', 'n1Detections', 'alerts');
    });
  });
});
