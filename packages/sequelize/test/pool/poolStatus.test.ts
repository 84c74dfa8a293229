import { expect } from 'chai';
import { Sequelize } from 'sequelize';
import { poolStatus } from '../../src';
import { ensureDatabase, newSequelize, testDatabaseUrl } from '../support/db';

describe('poolStatus', function () {
  this.timeout(30_000);

  describe('.poolStatus()', () => {
    it('reports active, idle, waiting, max and utilization from the Sequelize pool', async () => {
      const sequelize = await newSequelize({ pool: { max: 2, min: 0, acquire: 5000 } });
      const cm: any = sequelize.connectionManager;
      try {
        const c1 = await cm.getConnection();
        expect(poolStatus(sequelize)).to.deep.equal({ active: 1, idle: 0, waiting: 0, max: 2, utilizationPercent: 50 });
        const c2 = await cm.getConnection();
        const pending = cm.getConnection();
        await new Promise((r) => setTimeout(r, 20));
        expect(poolStatus(sequelize)).to.include({ active: 2, waiting: 1, utilizationPercent: 100 });
        cm.releaseConnection(c1);
        const c3 = await pending;
        cm.releaseConnection(c2);
        cm.releaseConnection(c3);
        expect(poolStatus(sequelize)).to.include({ active: 0, idle: 2, waiting: 0 });
      } finally {
        await sequelize.close();
      }
    });

    it('sums the read and write pools under replication', async () => {
      await ensureDatabase();
      const url = new URL(testDatabaseUrl());
      const server = { host: url.hostname, port: Number(url.port || 5432), username: url.username, password: url.password || undefined };
      const sequelize = new Sequelize(url.pathname.slice(1), url.username, url.password || '', {
        dialect: 'postgres',
        logging: false,
        pool: { max: 3 },
        replication: { read: [server, server], write: server },
      });
      try {
        await sequelize.query('SELECT 1', { useMaster: false } as any);
        await sequelize.query('SELECT 1', { useMaster: true } as any);
        const st = poolStatus(sequelize);
        expect(st.max).to.equal(6);
        expect(st.idle).to.be.at.least(1);
        expect(st.active).to.equal(0);
      } finally {
        await sequelize.close();
      }
    });
  });
});
