'use strict';
// A small HTTP service on pg.Pool, run by the deploy tests under
// `node --require @querylens/node/register` when the school-health app is not built.
// It exercises what the register instruments: HTTP server spans and metrics,
// pg queries (fast, slow, an N+1 loop), pg.Pool connection metrics and a 500.
// Env: DATABASE_URL, PORT. Only synthetic values ever reach the database.
const http = require('node:http');
const pg = require('pg');

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

async function handle(url) {
  if (url.startsWith('/n-plus-one')) {
    // one "list" query, then one lookup per row: the pattern querylens flags
    const { rows } = await pool.query('SELECT generate_series(1, 8) AS id');
    for (const row of rows) await pool.query('SELECT $1::int AS id, md5($1::text) AS nurse', [row.id]);
    return 200;
  }
  if (url.startsWith('/slow')) {
    await pool.query('SELECT pg_sleep(0.12)');
    return 200;
  }
  if (url.startsWith('/search')) {
    // a name typed into a search box, inlined as a literal the way Sequelize inlines WHERE values,
    // and cast to int so PostgreSQL's error message quotes it back
    const name = new URL(url, 'http://x').searchParams.get('name') ?? '';
    const literal = `'${name.replace(/'/g, "''")}'`;
    await pool.query(`SELECT * FROM (VALUES (${literal})) AS v(name) WHERE name = $1`, [name]);
    await pool.query(`SELECT ${literal}::int`).catch(() => undefined);
    return 404;
  }
  if (url.startsWith('/error')) {
    await pool.query('SELECT 1 / 0').catch(() => undefined);
    return 500;
  }
  await pool.query("SELECT 'synthetic' AS name WHERE 1 = $1", [1]);
  return 200;
}

const server = http.createServer((req, res) => {
  handle(req.url ?? '/').then(
    (status) => {
      res.statusCode = status;
      res.end(String(status));
    },
    () => {
      res.statusCode = 500;
      res.end('error');
    },
  );
});
server.listen(Number(process.env.PORT), '127.0.0.1');

function stop() {
  server.close();
  pool.end().finally(() => process.exit(0));
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
