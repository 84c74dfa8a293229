'use strict';
const autocannon = require('autocannon');

/** GET a JSON document from the app (used to discover ids for the workload). */
async function getJson(baseUrl, path, headers = {}) {
  const res = await fetch(baseUrl + path, { headers, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${path.split('?')[0]} answered ${res.status}`);
  return res.json();
}

function rowsOf(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.data)) return body.data;
  return [];
}

/** Real ids from the seeded data, read through the app's own endpoints. */
async function discover(baseUrl) {
  const students = rowsOf(await getJson(baseUrl, '/students?page=1&limit=50'));
  const nurses = rowsOf(await getJson(baseUrl, '/nurses?page=1&limit=20').catch(() => []));
  const studentIds = students.map((s) => s.id).filter(Boolean);
  const nurseIds = [...new Set([...nurses.map((n) => n.id), ...students.map((s) => s.nurseId)].filter(Boolean))];
  if (studentIds.length === 0) throw new Error('no students found: did the seed run?');
  return { studentIds, nurseIds };
}

/** The scripted phases of the demo workload (paths only; never PHI in a URL). */
function phases({ studentIds, nurseIds }, { slowReportMillis, hotSeconds = 15, warmSeconds = 4 }) {
  const today = new Date().toISOString().slice(0, 10);
  const hot = [];
  for (const id of studentIds.slice(0, 25)) {
    hot.push({ method: 'GET', path: `/students/${id}` });
    hot.push({ method: 'GET', path: `/health-records/student/${id}/summary` });
  }
  for (let page = 1; page <= 5; page++) hot.push({ method: 'GET', path: `/students?page=${page}&limit=20` });
  hot.push({ method: 'GET', path: '/medications' });
  hot.push({ method: 'GET', path: '/emergency-contacts/statistics' });
  hot.push({ method: 'GET', path: '/students/graduating' });
  for (const nurseId of nurseIds.slice(0, 5)) hot.push({ method: 'GET', path: `/appointments/calendar?date=${today}&nurseId=${nurseId}` });
  return [
    {
      title: 'Warm-up: lists and catalogs (first reads fill the cache)',
      connections: 2,
      durationSeconds: warmSeconds,
      requests: [
        { method: 'GET', path: '/students?page=1&limit=20' },
        { method: 'GET', path: '/medications' },
        { method: 'GET', path: '/schools' },
        { method: 'GET', path: '/nurses' },
        { method: 'GET', path: '/emergency-contacts/statistics' },
      ],
    },
    { title: 'Hot paths: details, summaries, calendar (cached)', connections: 4, durationSeconds: hotSeconds, requests: hot },
    { title: 'N+1 demonstration: /demo/n-plus-one/students-with-nurses', connections: 2, amount: 30, requests: [{ method: 'GET', path: '/demo/n-plus-one/students-with-nurses?limit=20' }] },
    { title: 'Its eager-loading twin: /demo/eager/students-with-nurses', connections: 2, amount: 30, requests: [{ method: 'GET', path: '/demo/eager/students-with-nurses?limit=20' }] },
    { title: `Slow report query (${slowReportMillis} ms): /demo/slow-report`, connections: 1, amount: 3, requests: [{ method: 'GET', path: `/demo/slow-report?minDurationMillis=${slowReportMillis}` }] },
    {
      title: 'Invalid requests (400/404 expected)',
      connections: 1,
      amount: 10,
      requests: [
        { method: 'GET', path: '/students?limit=1000' },
        { method: 'GET', path: '/students/00000000-0000-4000-8000-000000000000' },
      ],
    },
  ];
}

/**
 * Runs one phase with autocannon, calling `onProgress({ requests, elapsedMillis })`
 * about 4 times a second. Resolves with autocannon's result.
 */
function runPhase(baseUrl, phase, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let requests = 0;
    const opts = { url: baseUrl, connections: phase.connections, requests: phase.requests, timeout: 30 };
    if (phase.amount) opts.amount = phase.amount;
    else opts.duration = phase.durationSeconds;
    const instance = autocannon(opts, (err, result) => {
      clearInterval(ticker);
      if (err) reject(err);
      else resolve(result);
    });
    instance.on('response', () => {
      requests++;
    });
    const ticker = setInterval(() => onProgress({ requests, elapsedMillis: Date.now() - started }), 250);
  });
}

module.exports = { discover, phases, runPhase };
