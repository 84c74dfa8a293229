import type { Schema } from './db';
import { plain } from './db';

/** A named read over the test schema; `cache` toggles the querylens cache. */
export interface NamedRead {
  name: string;
  run(s: Schema, cache: boolean, transaction?: any): Promise<unknown>;
}

const order = [['id', 'ASC']] as any;

/** Reads covering every table of the schema, with includes, through tables and aggregates. */
export const READS: NamedRead[] = [
  { name: 'Student.findAll+include', run: (s, cache, t) => s.Student.findAll({ include: [s.Nurse, s.Course, s.Note], order: [['id', 'ASC'], [s.Course, 'id', 'ASC'], [s.Note, 'id', 'ASC']], cache, transaction: t }) },
  { name: 'Student.findAll grade 5', run: (s, cache, t) => s.Student.findAll({ where: { grade: '5' }, order, cache, transaction: t }) },
  { name: 'Student.findByPk(1)', run: (s, cache, t) => s.Student.findByPk(1, { include: [s.Nurse], cache, transaction: t }) },
  { name: 'Student.findByPk(2) paranoid:false', run: (s, cache, t) => s.Student.findByPk(2, { paranoid: false, cache, transaction: t }) },
  { name: 'Student.findOne by name', run: (s, cache, t) => s.Student.findOne({ where: { name: 'Alice Smith' }, cache, transaction: t }) },
  { name: 'Student.findAndCountAll', run: (s, cache, t) => s.Student.findAndCountAll({ include: [s.Nurse], order, limit: 3, cache, transaction: t }) },
  { name: 'Student.count', run: (s, cache, t) => s.Student.count({ cache, transaction: t }) },
  { name: 'Student.sum(visits)', run: (s, cache, t) => s.Student.sum('visits', { cache, transaction: t }) },
  { name: 'Student.findAll no include', run: (s, cache, t) => s.Student.findAll({ attributes: ['id', 'nurseId', 'name'], order, cache, transaction: t }) },
  { name: 'Course.findAll+Students', run: (s, cache, t) => s.Course.findAll({ include: [s.Student], order: [['id', 'ASC'], [s.Student, 'id', 'ASC']], cache, transaction: t }) },
  { name: 'Nurse.findAll+Students', run: (s, cache, t) => s.Nurse.findAll({ include: [s.Student], order: [['id', 'ASC'], [s.Student, 'id', 'ASC']], cache, transaction: t }) },
  { name: 'Note.findAll', run: (s, cache, t) => s.Note.findAll({ order, cache, transaction: t }) },
  { name: 'Note.count', run: (s, cache, t) => s.Note.count({ cache, transaction: t }) },
  { name: 'Enrollment.findAll', run: (s, cache, t) => s.Enrollment.findAll({ order: [['studentId', 'ASC'], ['courseId', 'ASC']], cache, transaction: t }) },
];

/** Every read, cached, as comparable JSON. */
export async function snapshot(s: Schema, cache: boolean, t?: any): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const r of READS) out[r.name] = plain(await r.run(s, cache, t));
  return out;
}
