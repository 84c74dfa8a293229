import { expect } from 'chai';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { instrumentPool } from '../../src';
import { newSequelize } from '../support/db';
import { TestReader } from '../support/metrics';

describe('instrumentPool', function () {
  this.timeout(30_000);

  describe('.instrumentPool()', () => {
    it('observes db.client.connection.count (idle/used), .max and .pending_requests from the Sequelize pool', async () => {
      const sequelize = await newSequelize({ pool: { max: 4, min: 0 } });
      const reader = new TestReader();
      const meterProvider = new MeterProvider({ readers: [reader] });
      const handle = instrumentPool(sequelize, { meterProvider, poolName: 'school' });
      const cm: any = sequelize.connectionManager;
      try {
        const a = await cm.getConnection();
        const b = await cm.getConnection();
        cm.releaseConnection(b);
        const { resourceMetrics } = await reader.collect();
        const ms = resourceMetrics.scopeMetrics.flatMap((x) => x.metrics);
        const byName = (n: string) => ms.find((m) => m.descriptor.name === n)!;
        const count = byName('db.client.connection.count').dataPoints.map((p) => [p.attributes['db.client.connection.state'], p.attributes['db.client.connection.pool.name'], p.value]);
        expect(count).to.deep.include.members([['used', 'school', 1], ['idle', 'school', 1]]);
        expect(byName('db.client.connection.max').dataPoints[0].value).to.equal(4);
        expect(byName('db.client.connection.pending_requests').dataPoints[0].value).to.equal(0);
        expect(byName('db.client.connection.count').descriptor.unit).to.equal('{connection}');
        expect(handle.status()).to.include({ active: 1, idle: 1, max: 4 });
        cm.releaseConnection(a);
        handle.stop();
        handle.stop();
      } finally {
        await meterProvider.shutdown();
        await sequelize.close();
      }
    });

    it('throws when not given a Sequelize instance', () => {
      expect(() => instrumentPool({} as any)).to.throw(/Sequelize instance/);
    });
  });
});
