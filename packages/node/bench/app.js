'use strict';
// The benchmarked app: HTTP + pg, 3 queries per request. Knows nothing of telemetry.
const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.QL_BENCH_DB_URL, max: 8 });
let n = 0;
const server = http.createServer((req, res) => {
  const id = (n++ % 10) + 1;
  pool
    .query('SELECT id, name FROM ql_patients WHERE id = $1', [id])
    .then(() => pool.query('SELECT count(*) FROM ql_patients'))
    .then(() => pool.query('SELECT now()'))
    .then(
      () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
      () => res.writeHead(500).end('error'),
    );
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING ${server.address().port}\n`));
