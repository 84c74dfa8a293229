import { expect } from 'chai';
import { startHarness, type Harness } from '../harness';

const ENDPOINTS = ['performance', 'queries', 'pool', 'cache', 'trends', 'endpoints', 'memory', 'health', 'export'];

describe('MonitoringTokenGuard', () => {
  describe('#canActivate (token configured)', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ token: 'a-long-random-monitoring-token-42' });
    });
    after(async () => {
      await h?.close();
    });

    for (const name of ENDPOINTS) {
      it(`answers 401 on /monitoring/${name} without a token, 200 with it`, async () => {
        expect((await h.get(`/monitoring/${name}`, null)).status).to.equal(401);
        expect((await h.get(`/monitoring/${name}`)).status).to.equal(200);
      });
    }

    it('rejects a wrong token, a prefix of the token, and a non-bearer scheme', async () => {
      expect((await h.get('/monitoring/health', 'wrong')).status).to.equal(401);
      expect((await h.get('/monitoring/health', h.token.slice(0, -1))).status).to.equal(401);
      expect((await h.get('/monitoring/health', `${h.token}x`)).status).to.equal(401);
      const res = await fetch(`${h.baseUrl}/monitoring/health`, { headers: { authorization: `Basic ${h.token}` } });
      expect(res.status).to.equal(401);
    });

    it('names the Bearer scheme in WWW-Authenticate on a 401', async () => {
      const res = await fetch(`${h.baseUrl}/monitoring/health`);
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Bearer realm="monitoring"');
    });

    it('accepts the scheme in any case', async () => {
      const res = await fetch(`${h.baseUrl}/monitoring/health`, { headers: { authorization: `bearer ${h.token}` } });
      expect(res.status).to.equal(200);
    });

    it('marks responses no-store', async () => {
      const res = await fetch(`${h.baseUrl}/monitoring/performance`, { headers: { authorization: `Bearer ${h.token}` } });
      expect(res.headers.get('cache-control')).to.equal('no-store');
    });
  });

  describe('#canActivate (no token configured)', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ token: '' });
    });
    after(async () => {
      await h?.close();
    });

    it('answers 503 with a clear message, whatever the header', async () => {
      const none = await h.get('/monitoring/health', null);
      expect(none.status).to.equal(503);
      expect(none.body.message).to.match(/MONITORING_TOKEN is not set/);
      expect((await h.get('/monitoring/health', '')).status).to.equal(503);
      expect((await h.get('/monitoring/health', 'anything')).status).to.equal(503);
    });
  });
});
