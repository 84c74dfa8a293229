'use strict';
// Embedded PostgreSQL for zero-setup runs: PGlite (in memory) behind the
// pglite-socket wire-protocol server, so pg and Sequelize connect to it like to
// a real server. One backend serves every connection: queries run one at a time.
const { freePort } = require('./ports');

/**
 * Starts PGlite on a free loopback port.
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
async function startEmbeddedPostgres() {
  const { PGlite } = require('@electric-sql/pglite');
  const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const port = await freePort();
  // maxConnections 5: the default of 1 breaks connection pools (see TOOLCHAIN.md).
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 5 });
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}

module.exports = { startEmbeddedPostgres };
