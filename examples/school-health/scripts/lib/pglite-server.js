'use strict';
// Child-process entry: runs embedded PostgreSQL (see ./pglite.js) in its own
// process so its single-threaded WebAssembly backend does not share an event
// loop with the load generator. Prints one JSON line {"url": ...} when ready,
// stops on SIGTERM/SIGINT or when the parent goes away (stdin closes).
const { startEmbeddedPostgres } = require('./pglite');

async function main() {
  const pg = await startEmbeddedPostgres();
  process.stdout.write(`${JSON.stringify({ url: pg.url })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write(`embedded PostgreSQL failed to start: ${err && err.message}\n`);
  process.exit(1);
});
