'use strict';
// The school-health workload shared by the load test and the fault run: the seed's hot
// paths in the proportions of a school nurse's day, over a working set of students.
const { sql } = require('./lib/services');

/**
 * Share of requests per endpoint (relative weights). A nurse's screen opens student details
 * most, the list and the day's calendar next, the contact statistics (a dashboard tile) least.
 * Override with BENCH_WEIGHTS="student_list=30,student_details=40,appointment_calendar=20,contact_statistics=10".
 */
const DEFAULT_WEIGHTS = { student_list: 30, student_details: 40, appointment_calendar: 20, contact_statistics: 10 };

function weightsFromEnv() {
  const w = { ...DEFAULT_WEIGHTS };
  for (const part of (process.env.BENCH_WEIGHTS || '').split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (!(k in w) || !(Number(v) >= 0)) throw new Error(`BENCH_WEIGHTS: bad entry ${part}`);
    w[k] = Number(v);
  }
  return w;
}

const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const pickFrom = (arr) => arr[Math.floor(Math.random() * arr.length)];

/**
 * Reads the ids the workload needs from the seeded database.
 * @param {string} url database URL
 * @param {number} hotStudents size of the working set of students whose details are opened
 */
async function loadIds(url, hotStudents) {
  const students = (await sql(url, 'select id from students where is_active order by id limit $1', [hotStudents])).map((r) => r.id);
  const nurses = (await sql(url, "select id from users where role = 'NURSE' order by id")).map((r) => r.id);
  if (!students.length || !nurses.length) throw new Error('the database has no students or nurses: seed it first');
  return { students, nurses };
}

/**
 * The endpoints with their weights. Every one of them is served through the query cache in
 * the app (list 5 min, details 10 min, calendar 5 min, contact statistics 10 min).
 * @param {{ students: string[], nurses: string[] }} ids
 */
function endpoints(ids, weights = weightsFromEnv()) {
  const listPage = (page) => `/students?page=${page}&limit=20`;
  const gradePage = (grade) => `/students?grade=${grade}&page=1&limit=20`;
  const calendar = (day, nurse) => `/appointments/calendar?date=${isoDay(day)}&nurseId=${nurse}`;
  const range = (n, from = 0) => Array.from({ length: n }, (_, i) => i + from);
  const all = [
    {
      name: 'student_list',
      // page 1 to 5 of everyone, or page 1 of one grade
      path: () => (Math.random() < 0.7 ? listPage(1 + Math.floor(Math.random() * 5)) : gradePage(Math.floor(Math.random() * 13))),
      paths: () => [...range(5, 1).map(listPage), ...range(13).map(gradePage)],
    },
    { name: 'student_details', path: () => `/students/${pickFrom(ids.students)}`, paths: () => ids.students.map((id) => `/students/${id}`) },
    {
      name: 'appointment_calendar',
      // today's calendar mostly, yesterday's or tomorrow's otherwise
      path: () => calendar(Math.random() < 0.7 ? 0 : Math.random() < 0.5 ? -1 : 1, pickFrom(ids.nurses)),
      paths: () => [-1, 0, 1].flatMap((d) => ids.nurses.map((n) => calendar(d, n))),
    },
    { name: 'contact_statistics', path: () => '/emergency-contacts/statistics', paths: () => ['/emergency-contacts/statistics'] },
  ];
  return all.map((e) => ({ ...e, weight: weights[e.name], cached: true })).filter((e) => e.weight > 0);
}

/**
 * Requests every distinct path of the workload once (`concurrency` at a time): the steady state
 * of a service that has been up for a while, where each key of the working set was read before.
 * @returns {Promise<number>} the number of requests that did not answer 2xx
 */
async function visitAll(baseUrl, eps, httpGet, concurrency = 8) {
  const queue = eps.flatMap((e) => e.paths());
  let failed = 0;
  const worker = async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      const r = await httpGet(baseUrl + p).catch(() => ({ status: 0 }));
      if (r.status < 200 || r.status >= 300) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failed;
}

module.exports = { DEFAULT_WEIGHTS, loadIds, endpoints, isoDay, visitAll };
