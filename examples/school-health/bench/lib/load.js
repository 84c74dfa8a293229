'use strict';
// A weighted HTTP workload on autocannon that keeps, per endpoint, every latency and every
// failure with its time, so the load test can report per-endpoint percentiles and the fault
// run can say which requests failed during and after each fault.
const autocannon = require('autocannon');
const { percentile } = require('../../../../bench/lib/records');

/**
 * @typedef {object} Endpoint
 * @property {string} name      short id used in figures (e.g. 'student_details')
 * @property {number} weight    share of the requests (relative)
 * @property {() => string} path the request path (may pick a random id each time)
 * @property {boolean} [cached] served through the query cache
 */

/**
 * Runs autocannon for `seconds` against `url`, choosing each request's endpoint at random by
 * weight. Latencies are recorded per endpoint for 2xx responses; non-2xx responses and request
 * errors are kept with their time (ms since the epoch) in `failures`.
 * @param {object} o
 * @param {string} o.url
 * @param {Endpoint[]} o.endpoints
 * @param {number} o.seconds
 * @param {number} [o.connections] @default 10
 * @param {Record<string,string>} [o.headers]
 * @param {number} [o.timeoutSeconds] per request @default 10
 * @param {(instance: object) => void} [o.onStart] receives the autocannon instance (e.g. to stop it)
 */
async function runLoad(o) {
  const total = o.endpoints.reduce((s, e) => s + e.weight, 0);
  const pick = () => {
    let r = Math.random() * total;
    for (const e of o.endpoints) {
      r -= e.weight;
      if (r < 0) return e;
    }
    return o.endpoints[o.endpoints.length - 1];
  };
  const perEndpoint = new Map(o.endpoints.map((e) => [e.name, { latencies: [], ok: 0, non2xx: 0 }]));
  const failures = [];
  const startedAt = Date.now();
  const instance = autocannon({
    url: o.url,
    connections: o.connections ?? 10,
    duration: o.seconds,
    timeout: o.timeoutSeconds ?? 10,
    headers: o.headers ?? {},
    requests: [
      {
        setupRequest(req, context) {
          const e = pick();
          context.endpoint = e.name;
          return { ...req, method: 'GET', path: e.path() };
        },
      },
    ],
  });
  instance.on('response', (client, statusCode, _bytes, responseTime) => {
    // pipelining is 1, so the client's context still names the request that just completed
    const name = client.requestIterator && client.requestIterator.context ? client.requestIterator.context.endpoint : undefined;
    const slot = perEndpoint.get(name);
    if (!slot) return;
    if (statusCode >= 200 && statusCode < 300) {
      slot.ok++;
      slot.latencies.push(responseTime);
    } else {
      slot.non2xx++;
      failures.push({ at: Date.now(), endpoint: name, status: statusCode });
    }
  });
  instance.on('reqError', (err) => failures.push({ at: Date.now(), endpoint: null, error: err && err.message }));
  if (o.onStart) o.onStart(instance);
  const result = await instance;
  const endedAt = Date.now();
  const all = [];
  const endpoints = {};
  for (const [name, s] of perEndpoint) {
    s.latencies.sort((a, b) => a - b);
    for (const v of s.latencies) all.push(v);
    endpoints[name] = {
      ok: s.ok,
      non2xx: s.non2xx,
      p50: percentile(s.latencies, 50),
      p95: percentile(s.latencies, 95),
      p99: percentile(s.latencies, 99),
      latencies: s.latencies,
    };
  }
  all.sort((a, b) => a - b);
  const ok = all.length;
  const seconds = (endedAt - startedAt) / 1000;
  return {
    startedAt,
    endedAt,
    seconds,
    ok,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    rps: ok / seconds,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    latencies: all,
    endpoints,
    failures,
  };
}

module.exports = { runLoad };
