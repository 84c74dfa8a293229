import { randomUUID } from 'node:crypto';
import { School } from '../../src/schools/models/school.model';
import { Student } from '../../src/students/models/student.model';
import { User, UserRole } from '../../src/users/models/user.model';

/** Creates a school of its own for a test (so assertions never depend on the shared seed). */
export async function createSchool(): Promise<School> {
  const tag = randomUUID().slice(0, 8);
  return School.create({ name: `Test School ${tag}`, code: `T-${tag}`, district: 'Test district' });
}

export async function createNurse(schoolId: string, maxStudents = 150): Promise<User> {
  const tag = randomUUID().slice(0, 8);
  return User.create({ firstName: 'Nurse', lastName: `Test${tag}`, email: `nurse.${tag}@test.example`, role: UserRole.Nurse, schoolId, maxStudents });
}

/** Bulk-creates `count` students in one INSERT and returns their ids. */
export async function createStudents(count: number, values: Partial<Record<string, unknown>> & { schoolId: string }): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    studentNumber: `T${randomUUID().slice(0, 12)}${i}`.slice(0, 20),
    firstName: 'Test',
    lastName: `Student${i}`,
    dateOfBirth: '2012-01-01',
    grade: 5,
    enrollmentDate: '2020-09-01',
    ...values,
  }));
  await Student.bulkCreate(rows, { returning: false });
  return rows.map((r) => r.id);
}
