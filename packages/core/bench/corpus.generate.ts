/**
 * Regenerates bench/corpus.json: SQL that Sequelize 6 really emits for a school-health
 * data model, captured through its `logging` hook while running against PostgreSQL
 * (DATABASE_URL, database ql_core_test; tables ql_sql_bench_*, dropped afterwards).
 *
 *   npx tsx bench/corpus.generate.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataTypes, Model, Op, Sequelize } from 'sequelize';

const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
base.pathname = '/ql_core_test';

const statements: string[] = [];
let capture = false;
const sequelize = new Sequelize(base.toString(), {
  logging: (sql: string) => {
    if (capture) statements.push(sql.replace(/^Executing \([^)]*\): /, ''));
  },
});

class School extends Model {}
class Student extends Model {}
class HealthRecord extends Model {}
class Medication extends Model {}
class Appointment extends Model {}
class EmergencyContact extends Model {}

School.init(
  { name: DataTypes.STRING, district: DataTypes.STRING },
  { sequelize, tableName: 'ql_sql_bench_schools' },
);
Student.init(
  {
    firstName: DataTypes.STRING,
    lastName: DataTypes.STRING,
    ssn: DataTypes.STRING,
    dateOfBirth: DataTypes.DATEONLY,
    grade: DataTypes.INTEGER,
    notes: DataTypes.TEXT,
    active: DataTypes.BOOLEAN,
  },
  { sequelize, tableName: 'ql_sql_bench_students' },
);
HealthRecord.init(
  { recordType: DataTypes.STRING, diagnosis: DataTypes.TEXT, severity: DataTypes.INTEGER, recordedAt: DataTypes.DATE },
  { sequelize, tableName: 'ql_sql_bench_health_records' },
);
Medication.init(
  { name: DataTypes.STRING, dosage: DataTypes.STRING, frequency: DataTypes.STRING, startDate: DataTypes.DATEONLY },
  { sequelize, tableName: 'ql_sql_bench_medications' },
);
Appointment.init(
  { reason: DataTypes.STRING, status: DataTypes.STRING, scheduledAt: DataTypes.DATE, durationMinutes: DataTypes.INTEGER },
  { sequelize, tableName: 'ql_sql_bench_appointments' },
);
EmergencyContact.init(
  { name: DataTypes.STRING, phone: DataTypes.STRING, relationship: DataTypes.STRING },
  { sequelize, tableName: 'ql_sql_bench_emergency_contacts' },
);
School.hasMany(Student, { foreignKey: 'schoolId' });
Student.belongsTo(School, { foreignKey: 'schoolId' });
Student.hasMany(HealthRecord, { foreignKey: 'studentId' });
HealthRecord.belongsTo(Student, { foreignKey: 'studentId' });
Student.hasMany(Medication, { foreignKey: 'studentId' });
Student.hasMany(Appointment, { foreignKey: 'studentId' });
Appointment.belongsTo(Student, { foreignKey: 'studentId' });
Student.hasMany(EmergencyContact, { foreignKey: 'studentId' });

let seed = 42;
const rand = (): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (max: number): number => 1 + Math.floor(rand() * max);
const first = ['Alice', 'Bob', "D'Angelo", 'Zoë', 'Maria José', 'Liam', 'Noah', 'Emma', 'Olivia', 'Ava'];
const last = ['Smith', "O'Brien", 'Nguyen', 'García', 'Johnson', 'Müller', 'Brown', 'Davis', 'Miller'];
const diagnoses = ['asthma, mild persistent', 'peanut allergy; carries EpiPen', 'type 1 diabetes\ninsulin pump', 'ADHD', 'seizure disorder (absence)'];
const ssn = (): string => `${100 + int(799)}-${10 + int(89)}-${1000 + int(8999)}`;
const date = (): string => `20${10 + int(14)}-0${int(9)}-1${int(9)}`;

async function main(): Promise<void> {
  await sequelize.sync({ force: true });
  await School.bulkCreate([{ name: 'North Elementary', district: 'D1' }, { name: 'South High', district: 'D2' }]);
  capture = true;

  for (let k = 0; k < 20; k++) {
    const s = (await Student.create({
      firstName: pick(first), lastName: pick(last), ssn: ssn(), dateOfBirth: date(), grade: int(12),
      notes: `Parent says: "${pick(diagnoses)}"`, active: rand() < 0.8, schoolId: int(2),
    })) as Model & { id: number };
    await HealthRecord.create({ studentId: s.id, recordType: pick(['ALLERGY', 'CONDITION', 'VISIT']), diagnosis: pick(diagnoses), severity: int(5), recordedAt: new Date() });
    await Medication.create({ studentId: s.id, name: pick(['Albuterol', 'Insulin', 'Methylphenidate']), dosage: `${int(50)} mg`, frequency: 'daily', startDate: date() });
  }
  for (let k = 0; k < 20; k++) {
    await Student.findAll({ where: { lastName: pick(last), schoolId: int(2) }, include: [School], limit: 20 });
    await Student.findOne({ where: { ssn: ssn() } });
    await Student.findByPk(int(20));
    await Student.findAll({ where: { id: { [Op.in]: Array.from({ length: 3 + Math.floor(rand() * rand() * 498) }, () => int(100000)) } } });
    await HealthRecord.findAll({
      where: { studentId: int(20), recordType: pick(['ALLERGY', 'CONDITION']), recordedAt: { [Op.gte]: new Date(Date.UTC(2020, int(11), int(27))) } },
      include: [{ model: Student, include: [School] }],
      order: [['recordedAt', 'DESC']],
    });
    await Medication.findAndCountAll({ where: { studentId: int(20), name: { [Op.iLike]: `%${pick(['albu', 'insu', "o'"])}%` } }, limit: 10, offset: int(3) * 10 });
    await Appointment.findAll({
      where: { [Op.or]: [{ status: 'SCHEDULED' }, { reason: { [Op.iLike]: `%${pick(diagnoses)}%` } }], scheduledAt: { [Op.between]: [new Date(Date.UTC(2024, 0, int(28))), new Date(Date.UTC(2024, 5, int(28)))] } },
      include: [{ model: Student, attributes: ['id', 'firstName', 'lastName'], where: { active: true }, include: [{ model: EmergencyContact }, { model: School }] }],
    });
    await Student.update({ notes: `Nurse note ${k}: ${pick(diagnoses)} -- follow up`, grade: int(12) }, { where: { id: int(20) } });
    await Appointment.create({ studentId: int(20), reason: pick(diagnoses), status: 'SCHEDULED', scheduledAt: new Date(), durationMinutes: 15 * int(4) });
    await EmergencyContact.bulkCreate(
      Array.from({ length: 1 + int(5) }, () => ({ studentId: int(20), name: `${pick(first)} ${pick(last)}`, phone: `+1-555-${1000 + int(8999)}`, relationship: pick(['mother', 'father', 'guardian']) })),
    );
    await Student.count({ where: { schoolId: int(2), grade: { [Op.between]: [int(5), 6 + int(6)] }, dateOfBirth: { [Op.lt]: date() } } });
    await Student.findAll({
      attributes: ['schoolId', [sequelize.fn('COUNT', sequelize.col('id')), 'n']],
      where: { active: true, lastName: { [Op.notIn]: [pick(last), pick(last), pick(last)] } },
      group: ['schoolId'],
    });
    await Appointment.destroy({ where: { status: 'CANCELLED', scheduledAt: { [Op.lt]: new Date(Date.UTC(2023, int(11), 1)) } } });
    await Student.increment({ grade: 1 }, { where: { id: int(20) } });
    await HealthRecord.findAll({ where: { diagnosis: { [Op.like]: `%${pick(['asthma', 'allergy'])}%` }, severity: { [Op.gte]: int(5) } }, limit: 5 });
  }
  capture = false;
  await sequelize.getQueryInterface().dropTable('ql_sql_bench_emergency_contacts');
  await sequelize.getQueryInterface().dropTable('ql_sql_bench_appointments');
  await sequelize.getQueryInterface().dropTable('ql_sql_bench_medications');
  await sequelize.getQueryInterface().dropTable('ql_sql_bench_health_records');
  await sequelize.getQueryInterface().dropTable('ql_sql_bench_students');
  await sequelize.getQueryInterface().dropTable('ql_sql_bench_schools');
  await sequelize.close();

  const out = join(__dirname, 'corpus.json');
  writeFileSync(out, JSON.stringify(statements, null, 1) + '\n');
  const lengths = statements.map((s) => s.length);
  console.log(
    `${statements.length} statements, ${Math.min(...lengths)}..${Math.max(...lengths)} chars, mean ${Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length)} -> ${out}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
