import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataTypes, Model, Sequelize, type ModelStatic, type Options } from 'sequelize';

/** URL of this package's own test database (ql_seq_test), derived from DATABASE_URL. */
export function testDatabaseUrl(): string {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  base.pathname = '/ql_seq_test';
  return base.toString();
}

let ensured = false;
/** Creates ql_seq_test if it does not exist. */
export async function ensureDatabase(): Promise<void> {
  if (ensured) return;
  const c = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  await c.connect();
  try {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = 'ql_seq_test'");
    if (r.rowCount === 0) await c.query('CREATE DATABASE ql_seq_test');
  } catch (err: any) {
    if (err?.code !== '42P04') throw err;
  } finally {
    await c.end();
  }
  ensured = true;
}

export async function newSequelize(options: Options = {}): Promise<Sequelize> {
  await ensureDatabase();
  return new Sequelize(testDatabaseUrl(), { logging: false, pool: { max: 10 }, ...options });
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A Redis key namespace unique to this run (prefix qltest:). */
export function redisNamespace(label: string): string {
  return `qltest:${label}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface Schema {
  Nurse: ModelStatic<any>;
  Student: ModelStatic<any>;
  Course: ModelStatic<any>;
  Enrollment: ModelStatic<any>;
  Note: ModelStatic<any>;
}

/**
 * The school-health schema used by the tests: Student belongsTo Nurse, Student hasMany
 * Note (ON DELETE CASCADE), Student belongsToMany Course through Enrollment; Student is
 * paranoid. Table names carry `suffix` so suites never share tables.
 */
export function defineSchema(sequelize: Sequelize, suffix: string): Schema {
  class Nurse extends Model {}
  Nurse.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, name: DataTypes.STRING }, { sequelize, modelName: 'Nurse', tableName: `nurses_${suffix}` });
  class Student extends Model {}
  Student.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: DataTypes.STRING,
      ssn: DataTypes.STRING,
      grade: DataTypes.STRING,
      visits: { type: DataTypes.INTEGER, defaultValue: 0 },
      birthDate: DataTypes.DATE,
    },
    { sequelize, modelName: 'Student', tableName: `students_${suffix}`, paranoid: true },
  );
  class Course extends Model {}
  Course.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, title: DataTypes.STRING }, { sequelize, modelName: 'Course', tableName: `courses_${suffix}` });
  class Enrollment extends Model {}
  Enrollment.init({ role: DataTypes.STRING }, { sequelize, modelName: 'Enrollment', tableName: `enrollments_${suffix}` });
  class Note extends Model {}
  Note.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, body: DataTypes.TEXT }, { sequelize, modelName: 'Note', tableName: `notes_${suffix}` });
  Student.belongsTo(Nurse, { foreignKey: 'nurseId', onDelete: 'SET NULL' });
  Nurse.hasMany(Student, { foreignKey: 'nurseId' });
  Student.hasMany(Note, { foreignKey: 'studentId', onDelete: 'CASCADE' });
  Note.belongsTo(Student, { foreignKey: 'studentId' });
  Student.belongsToMany(Course, { through: Enrollment, foreignKey: 'studentId', otherKey: 'courseId' });
  Course.belongsToMany(Student, { through: Enrollment, foreignKey: 'courseId', otherKey: 'studentId' });
  return { Nurse, Student, Course, Enrollment, Note };
}

/** Seeds a few rows: 2 nurses, 4 students with notes and enrollments. */
export async function seed(s: Schema): Promise<void> {
  const [n1, n2] = await s.Nurse.bulkCreate([{ name: 'Nurse Joy' }, { name: 'Nurse Ratched' }]);
  const [c1, c2] = await s.Course.bulkCreate([{ title: 'Biology' }, { title: 'Chemistry' }]);
  const students = await s.Student.bulkCreate([
    { name: 'Alice Smith', ssn: '123-45-6789', grade: '5', nurseId: n1.get('id'), birthDate: new Date('2015-03-01T00:00:00Z') },
    { name: 'Bob Jones', ssn: '987-65-4321', grade: '5', nurseId: n2.get('id'), birthDate: new Date('2015-07-09T00:00:00Z') },
    { name: 'Carol White', ssn: '111-22-3333', grade: '6', nurseId: n1.get('id'), birthDate: new Date('2014-01-20T00:00:00Z') },
    { name: 'Dan Brown', ssn: '444-55-6666', grade: '6', nurseId: null, birthDate: null },
  ]);
  await s.Note.bulkCreate(students.flatMap((st: any, i: number) => [{ studentId: st.get('id'), body: `note ${i} a` }, { studentId: st.get('id'), body: `note ${i} b` }]));
  await (students[0] as any).addCourses([c1, c2]);
  await (students[1] as any).addCourse(c1);
}

/** Comparable form of a result (instances via toJSON). */
export function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}
