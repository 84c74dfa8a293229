/**
 * Loads `@querylens/node/register` before anything requires pg, exactly as a user would with
 * `node --require @querylens/node/register`, so `captureQueries` sees every query the app makes.
 * Nothing is exported: traces and metrics stay in process.
 */
process.env.OTEL_TRACES_EXPORTER = 'none';
process.env.OTEL_METRICS_EXPORTER = 'none';
process.env.OTEL_LOGS_EXPORTER = 'none';
process.env.QUERYLENS_HANDLE_SIGNALS = 'false';
import '@querylens/node/register';
