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
  const all = [
    {
      name: 'student_list',
      // page 1 to 5 of everyone, or page 1 of one grade
      path: () => (Math.random() < 0.7 ? `/students?page=${1 + Math.floor(Math.random() * 5)}&limit=20` : `/students?grade=${Math.floor(Math.random() * 13)}&page=1&limit=20`),
    },
    { name: 'student_details', path: () => `/students/${pickFrom(ids.students)}` },
    {
      name: 'appointment_calendar',
      // today's calendar mostly, yesterday's or tomorrow's otherwise
      path: () => `/appointments/calendar?date=${isoDay(Math.random() < 0.7 ? 0 : Math.random() < 0.5 ? -1 : 1)}&nurseId=${pickFrom(ids.nurses)}`,
    },
    { name: 'contact_statistics', path: () => '/emergency-contacts/statistics' },
  ];
  return all.map((e) => ({ ...e, weight: weights[e.name], cached: true })).filter((e) => e.weight > 0);
}

module.exports = { DEFAULT_WEIGHTS, loadIds, endpoints, isoDay };
