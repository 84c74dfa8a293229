import { expect } from 'chai';
import { PoolBusyError, withPoolBackpressure } from '../../src';
import { newSequelize } from '../support/db';

describe('withPoolBackpressure', function () {
  this.timeout(30_000);

  describe('.withPoolBackpressure()', () => {
    it('runs the operation at once when the pool is not under pressure', async () => {
      const sequelize = await newSequelize({ pool: { max: 4 } });
      try {
        expect(await withPoolBackpressure(sequelize, async () => 42)).to.equal(42);
      } finally {
        await sequelize.close();
      }
    });

    it("mode 'fail' throws PoolBusyError with the status when utilization is too high", async () => {
      const sequelize = await newSequelize({ pool: { max: 2 } });
      const cm: any = sequelize.connectionManager;
      const held = [await cm.getConnection(), await cm.getConnection()];
      let ran = false;
      try {
        const err = await withPoolBackpressure(sequelize, async () => (ran = true), { mode: 'fail', maxUtilizationPercent: 90 }).catch((e) => e);
        expect(err).to.be.instanceOf(PoolBusyError);
        expect(err.status).to.include({ active: 2, max: 2, utilizationPercent: 100 });
        expect(ran).to.equal(false);
      } finally {
        held.forEach((c) => cm.releaseConnection(c));
        await sequelize.close();
      }
    });

    it("mode 'wait' waits until the pressure drops, and gives up after waitMillis", async () => {
      const sequelize = await newSequelize({ pool: { max: 2 } });
      const cm: any = sequelize.connectionManager;
      const held = [await cm.getConnection(), await cm.getConnection()];
      try {
        setTimeout(() => cm.releaseConnection(held.pop()), 100);
        expect(await withPoolBackpressure(sequelize, async () => 'done', { maxUtilizationPercent: 90, waitMillis: 5000, pollMillis: 10 })).to.equal('done');
        const c = await cm.getConnection();
        held.push(c);
        const err = await withPoolBackpressure(sequelize, async () => 'never', { maxUtilizationPercent: 90, waitMillis: 50, pollMillis: 10 }).catch((e) => e);
        expect(err).to.be.instanceOf(PoolBusyError);
      } finally {
        held.forEach((c) => cm.releaseConnection(c));
        await sequelize.close();
      }
    });

    it('throws naming the option on bad options', async () => {
      const sequelize = await newSequelize();
      try {
        for (const [opts, re] of [[{ maxWaiting: -1 }, /maxWaiting/], [{ waitMillis: Number.NaN }, /waitMillis/], [{ mode: 'queue' }, /mode/]] as const) {
          const err = await withPoolBackpressure(sequelize, async () => 1, opts as any).catch((e) => e);
          expect(err.message).to.match(re);
        }
      } finally {
        await sequelize.close();
      }
    });
  });
});
