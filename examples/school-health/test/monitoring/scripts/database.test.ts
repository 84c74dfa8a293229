import { expect } from 'chai';
import { Client } from 'pg';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startDatabase, redactUrl } = require('../../../scripts/lib/database') as {
  startDatabase: (o: { env: NodeJS.ProcessEnv; log?: (m: string) => void }) => Promise<{ url: string; embedded: boolean; stop: () => Promise<void> }>;
  redactUrl: (u: string) => string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { appEnv } = require('../../../scripts/lib/app') as {
  appEnv: (o: { databaseUrl: string; embedded: boolean; overrides?: Record<string, unknown>; base?: NodeJS.ProcessEnv }) => Promise<NodeJS.ProcessEnv>;
};

describe('demo/start boot (scripts/lib)', () => {
  describe('#startDatabase', () => {
    it('uses DATABASE_URL when it is set, starting nothing', async () => {
      const db = await startDatabase({ env: { DATABASE_URL: 'postgres://u:secret@db.example:5432/x' } });
      expect(db).to.include({ url: 'postgres://u:secret@db.example:5432/x', embedded: false });
      await db.stop();
    });

    it('starts embedded PostgreSQL (PGlite) that pg can query, and stops it', async () => {
      const db = await startDatabase({ env: {} });
      expect(db.embedded).to.equal(true);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const r = await client.query('SELECT 40 + 2 AS answer');
      expect(r.rows[0].answer).to.equal(42);
      await client.end();
      await db.stop();
      const again = new Client({ connectionString: db.url, connectionTimeoutMillis: 2000 });
      let refused = false;
      await again.connect().catch(() => {
        refused = true;
      });
      expect(refused).to.equal(true);
    });
  });

  describe('#redactUrl', () => {
    it('hides the password of a connection string', () => {
      expect(redactUrl('postgres://u:secret@h:5432/db')).to.equal('postgres://u:***@h:5432/db');
      expect(redactUrl('not a url')).to.equal('(unparsable URL)');
    });
  });

  describe('#appEnv', () => {
    it('sets free ports, a random token, no traces export and a small pool for PGlite', async () => {
      const env = await appEnv({ databaseUrl: 'postgres://x', embedded: true, base: {} });
      expect(env.DATABASE_URL).to.equal('postgres://x');
      expect(Number(env.PORT)).to.be.above(0);
      expect(env.OTEL_EXPORTER_PROMETHEUS_PORT).to.not.equal(env.PORT);
      expect(env.MONITORING_TOKEN).to.match(/^[0-9a-f]{48}$/);
      expect(env.OTEL_TRACES_EXPORTER).to.equal('none');
      expect(env.DB_POOL_MAX).to.equal('4');
      expect(env.REDIS_URL).to.equal(undefined);
    });

    it("keeps the user's choices (traces exporter, token, Redis)", async () => {
      const env = await appEnv({
        databaseUrl: 'postgres://x', embedded: false,
        base: { OTEL_TRACES_EXPORTER: 'otlp', MONITORING_TOKEN: 'mine-mine-mine-mine', REDIS_URL: 'redis://r:6379' },
      });
      expect(env).to.include({ OTEL_TRACES_EXPORTER: 'otlp', MONITORING_TOKEN: 'mine-mine-mine-mine', REDIS_URL: 'redis://r:6379' });
      expect(env.DB_POOL_MAX).to.equal(undefined);
    });
  });
});
