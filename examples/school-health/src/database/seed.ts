import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize-typescript';
import { Appointment, AppointmentStatus, AppointmentType } from '../appointments/models/appointment.model';
import { ContactPriority, ContactRelationship, EmergencyContact } from '../emergency-contacts/models/emergency-contact.model';
import { HealthRecord, HealthRecordType } from '../health-records/models/health-record.model';
import { MentalHealthRecord, RiskLevel } from '../health-records/models/mental-health-record.model';
import { MedicationAdministration } from '../medications/models/medication-administration.model';
import { Medication } from '../medications/models/medication.model';
import { School } from '../schools/models/school.model';
import { AcademicTranscript } from '../students/models/academic-transcript.model';
import { MAX_GRADE, Student } from '../students/models/student.model';
import { User, UserRole } from '../users/models/user.model';
import { ALL_MODELS } from './models';
import { SyntheticData } from './synthetic-data';

/** Options of {@link seedDatabase}. */
export interface SeedOptions {
  /** Number of students. @default 3000 */
  students?: number;
  /** Number of nurses. @default 40 */
  nurses?: number;
  /** Number of schools (at most 26). @default 6 */
  schools?: number;
  /** Empty every table first (TRUNCATE ... CASCADE). @default true */
  reset?: boolean;
  /** PRNG seed: the same seed gives the same data. @default 42 */
  randomSeed?: number;
  /** Called after each table with its row count (progress display). @default undefined */
  onProgress?: (table: string, rows: number) => void;
}

/** Row counts written by {@link seedDatabase} and the time it took. */
export interface SeedSummary {
  schools: number;
  nurses: number;
  counselors: number;
  students: number;
  transcripts: number;
  emergencyContacts: number;
  appointments: number;
  healthRecords: number;
  mentalHealthRecords: number;
  medications: number;
  medicationAdministrations: number;
  durationMillis: number;
}

const CHUNK_ROWS = 1000;
const SCHOOL_NAMES = ['North', 'South', 'East', 'West', 'Central', 'Riverside', 'Hillcrest', 'Lakeside'];
const MEDICATIONS: Array<[string, string, string, string]> = [
  ['Albuterol', 'albuterol sulfate', 'inhaler', '90 mcg'],
  ['EpiPen', 'epinephrine', 'auto-injector', '0.3 mg'],
  ['Tylenol', 'acetaminophen', 'tablet', '325 mg'],
  ['Advil', 'ibuprofen', 'tablet', '200 mg'],
  ['Ritalin', 'methylphenidate', 'tablet', '10 mg'],
  ['Concerta', 'methylphenidate ER', 'tablet', '18 mg'],
  ['Zyrtec', 'cetirizine', 'tablet', '10 mg'],
  ['Benadryl', 'diphenhydramine', 'capsule', '25 mg'],
  ['Glucagon', 'glucagon', 'injection', '1 mg'],
  ['Humalog', 'insulin lispro', 'injection', '100 units/mL'],
  ['Flovent', 'fluticasone', 'inhaler', '44 mcg'],
  ['Claritin', 'loratadine', 'tablet', '10 mg'],
  ['Tums', 'calcium carbonate', 'chewable', '500 mg'],
  ['Diastat', 'diazepam', 'gel', '10 mg'],
  ['Adderall', 'amphetamine salts', 'tablet', '5 mg'],
];

async function insert(model: typeof Student | any, rows: object[], table: string, onProgress?: SeedOptions['onProgress']): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    await model.bulkCreate(rows.slice(i, i + CHUNK_ROWS), { validate: false, returning: false, logging: false });
  }
  onProgress?.(table, rows.length);
  return rows.length;
}

/**
 * Fills the database with synthetic data (made-up names, never-issued SSNs) with `bulkCreate`
 * in chunks of 1000 rows. The schema must exist (the app syncs it in development).
 * Uses the model classes, so call it with the Sequelize instance they are registered on.
 */
export async function seedDatabase(sequelize: Sequelize, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const studentCount = options.students ?? 3000;
  const nurseCount = options.nurses ?? 40;
  const schoolCount = Math.min(options.schools ?? 6, SCHOOL_NAMES.length);
  const counselorCount = Math.max(2, Math.ceil(nurseCount / 5));
  const data = new SyntheticData(options.randomSeed ?? 42);
  const now = new Date();

  if (options.reset ?? true) {
    const tables = ALL_MODELS.map((m) => `"${m.getTableName() as string}"`).join(', ');
    await sequelize.query(`TRUNCATE ${tables} CASCADE`, { logging: false });
  }

  const schools = Array.from({ length: schoolCount }, (_, i) => ({
    id: randomUUID(),
    name: `White Cross ${SCHOOL_NAMES[i]} School`,
    code: `WC-${SCHOOL_NAMES[i].toUpperCase()}-${randomUUID().slice(0, 6)}`,
    district: 'White Cross Unified (synthetic)',
  }));
  const staff = (role: UserRole, count: number, label: string) =>
    Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      firstName: data.firstName(),
      lastName: data.lastName(),
      email: `${label}.${i}.${randomUUID().slice(0, 8)}@whitecross.example`,
      role,
      schoolId: schools[i % schools.length].id,
      maxStudents: 150,
      isActive: true,
    }));
  const nurses = staff(UserRole.Nurse, nurseCount, 'nurse');
  const counselors = staff(UserRole.Counselor, counselorCount, 'counselor');
  const ssnBase = data.int(0, 900_000);
  const numberBase = randomUUID().slice(0, 6);

  const students = Array.from({ length: studentCount }, (_, i) => {
    const grade = data.int(0, MAX_GRADE);
    const school = schools[i % schools.length];
    const schoolNurses = nurses.filter((n) => n.schoolId === school.id);
    return {
      id: randomUUID(),
      studentNumber: `S${numberBase}${String(i).padStart(6, '0')}`,
      firstName: data.firstName(),
      lastName: data.lastName(),
      dateOfBirth: data.isoDate(now, (grade + 5) * 365 + data.int(0, 364)),
      grade,
      ssn: data.chance(0.8) ? data.ssn(ssnBase + i) : null,
      notes: data.chance(0.2) ? 'Synthetic note: seasonal allergies.' : null,
      schoolId: school.id,
      nurseId: schoolNurses.length && data.chance(0.9) ? data.pick(schoolNurses).id : null,
      isActive: true,
      enrollmentDate: data.isoDate(now, grade * 365 + 200),
    };
  });

  const transcripts = students.flatMap((s) =>
    Array.from({ length: Math.min(s.grade, 4) }, (_, k) => {
      const year = now.getUTCFullYear() - k - 1;
      return {
        id: randomUUID(),
        studentId: s.id,
        schoolYear: `${year}-${year + 1}`,
        grade: s.grade - k - 1,
        gpa: (data.int(180, 400) / 100).toFixed(2),
        credits: data.int(4, 8),
      };
    }),
  );
  const relationships = Object.values(ContactRelationship);
  const contacts = students.flatMap((s) =>
    Array.from({ length: data.int(1, 3) }, (_, k) => ({
      id: randomUUID(),
      studentId: s.id,
      firstName: data.firstName(),
      lastName: s.lastName,
      relationship: data.pick(relationships),
      phone: data.phone(),
      email: data.chance(0.6) ? `contact.${randomUUID().slice(0, 8)}@family.example` : null,
      priority: k === 0 ? ContactPriority.Primary : k === 1 ? ContactPriority.Secondary : ContactPriority.Other,
      isVerified: data.chance(0.7),
      canPickUp: data.chance(0.85),
    })),
  );
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const studentNurse = (s: (typeof students)[number]) => s.nurseId ?? nurses[0].id;
  const types = Object.values(AppointmentType);
  const appointments = students.flatMap((s) =>
    Array.from({ length: 2 }, () => ({
      id: randomUUID(),
      studentId: s.id,
      nurseId: studentNurse(s),
      // Between 7 days ago and 7 days ahead, school hours 08:00-15:45 UTC, on quarter hours.
      scheduledDate: new Date(today.getTime() + data.int(-7, 7) * 86_400_000 + (8 * 60 + data.int(0, 31) * 15) * 60_000),
      durationMinutes: data.pick([15, 15, 30]),
      type: data.pick(types),
      status: data.pick([AppointmentStatus.Scheduled, AppointmentStatus.Scheduled, AppointmentStatus.Completed, AppointmentStatus.Cancelled]),
      reason: 'Synthetic visit reason.',
    })),
  );
  const recordTypes = Object.values(HealthRecordType);
  const healthRecords = students.flatMap((s) =>
    Array.from({ length: 3 }, () => ({
      id: randomUUID(),
      studentId: s.id,
      recordType: data.pick(recordTypes),
      recordDate: data.isoDate(now, data.int(0, 900)),
      title: 'Synthetic record',
      description: 'Synthetic description.',
      createdById: studentNurse(s),
    })),
  );
  const mentalHealth = students
    .filter(() => data.chance(0.5))
    .map((s) => {
      const counselor = data.pick(counselors);
      return {
        id: randomUUID(),
        studentId: s.id,
        counselorId: counselor.id,
        createdById: counselor.id,
        sessionDate: data.isoDate(now, data.int(0, 365)),
        sessionType: data.pick(['INTAKE', 'FOLLOW_UP', 'CHECK_IN', 'CRISIS']),
        riskLevel: data.pick(Object.values(RiskLevel)),
        followUpRequired: data.chance(0.3),
        sessionNotes: 'Synthetic session notes.',
        diagnosis: data.chance(0.2) ? 'Synthetic diagnosis' : null,
      };
    });
  const medications = MEDICATIONS.map(([name, genericName, form, strength], i) => ({
    id: randomUUID(),
    name,
    genericName,
    form,
    strength,
    ndc: `99999-${String(i).padStart(4, '0')}-${randomUUID().slice(0, 8)}`,
    controlledSubstance: ['Ritalin', 'Concerta', 'Adderall', 'Diastat'].includes(name),
  }));
  const administrations = students
    .filter(() => data.chance(0.4))
    .flatMap((s) =>
      Array.from({ length: data.int(1, 4) }, () => ({
        id: randomUUID(),
        studentId: s.id,
        medicationId: data.pick(medications).id,
        administeredById: studentNurse(s),
        administeredAt: new Date(now.getTime() - data.int(0, 60 * 24 * 60) * 60_000),
        dose: '1 unit',
        notes: null,
      })),
    );

  const p = options.onProgress;
  const summary: SeedSummary = {
    schools: await insert(School, schools, 'schools', p),
    nurses: await insert(User, nurses, 'nurses', p),
    counselors: await insert(User, counselors, 'counselors', p),
    students: await insert(Student, students, 'students', p),
    transcripts: await insert(AcademicTranscript, transcripts, 'academic_transcripts', p),
    emergencyContacts: await insert(EmergencyContact, contacts, 'emergency_contacts', p),
    appointments: await insert(Appointment, appointments, 'appointments', p),
    healthRecords: await insert(HealthRecord, healthRecords, 'health_records', p),
    mentalHealthRecords: await insert(MentalHealthRecord, mentalHealth, 'mental_health_records', p),
    medications: await insert(Medication, medications, 'medications', p),
    medicationAdministrations: await insert(MedicationAdministration, administrations, 'medication_administrations', p),
    durationMillis: 0,
  };
  summary.durationMillis = Date.now() - started;
  return summary;
}
