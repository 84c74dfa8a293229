import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { QueryTypes } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { Student } from '../students/models/student.model';
import { User } from '../users/models/user.model';

/** A student with the name of their nurse (the shape both demo endpoints return). */
export interface StudentWithNurse {
  id: string;
  firstName: string;
  lastName: string;
  nurse: { id: string; firstName: string; lastName: string } | null;
}

const ORDER: Array<[string, string]> = [
  ['lastName', 'ASC'],
  ['id', 'ASC'],
];

/**
 * DEMONSTRATION ONLY. Two ways to load the same data, so users can see querylens flag the first:
 * {@link studentsWithNursesNPlusOne} issues 1 + N queries (a classic N+1: one lookup per row, in a
 * loop); {@link studentsWithNursesEager} issues 1 query (LEFT JOIN). Never copy the first one.
 */
@Injectable()
export class DemoService {
  constructor(
    private readonly sequelize: Sequelize,
    @InjectModel(Student) private readonly students: typeof Student,
    @InjectModel(User) private readonly users: typeof User,
  ) {}

  /** The deliberate N+1: 1 query for the students, then 1 query per student for the nurse. */
  async studentsWithNursesNPlusOne(limit: number): Promise<StudentWithNurse[]> {
    const rows = await this.students.findAll({ where: { isActive: true }, attributes: ['id', 'firstName', 'lastName', 'nurseId'], order: ORDER, limit });
    const result: StudentWithNurse[] = [];
    for (const s of rows) {
      // The anti-pattern on purpose: a query inside the loop.
      const nurse = s.nurseId ? await this.users.findByPk(s.nurseId, { attributes: ['id', 'firstName', 'lastName'] }) : null;
      result.push({ id: s.id, firstName: s.firstName, lastName: s.lastName, nurse: nurse ? { id: nurse.id, firstName: nurse.firstName, lastName: nurse.lastName } : null });
    }
    return result;
  }

  /** The eager twin: the same data in one query with a LEFT JOIN. */
  async studentsWithNursesEager(limit: number): Promise<StudentWithNurse[]> {
    const rows = await this.students.findAll({
      where: { isActive: true },
      attributes: ['id', 'firstName', 'lastName'],
      include: [{ model: User, as: 'nurse', attributes: ['id', 'firstName', 'lastName'], required: false }],
      order: ORDER,
      limit,
    });
    return rows.map((s) => ({
      id: s.id,
      firstName: s.firstName,
      lastName: s.lastName,
      nurse: s.nurse ? { id: s.nurse.id, firstName: s.nurse.firstName, lastName: s.nurse.lastName } : null,
    }));
  }

  /**
   * A deliberately slow aggregate (visits per school and grade, padded with `pg_sleep`) so the
   * slow-query detection has something to find. Aggregates only: no PHI in the result.
   */
  async slowReport(minDurationMillis: number): Promise<Array<{ schoolId: string; grade: number; students: number; appointments: number }>> {
    const rows = await this.sequelize.query<{ school_id: string; grade: number; students: string; appointments: string }>(
      `SELECT s.school_id, s.grade, COUNT(DISTINCT s.id) AS students, COUNT(a.id) AS appointments
         FROM students s
         LEFT JOIN appointments a ON a.student_id = s.id
         CROSS JOIN (SELECT pg_sleep($1)) AS pad
        GROUP BY s.school_id, s.grade
        ORDER BY s.school_id, s.grade`,
      { bind: [minDurationMillis / 1000], type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ schoolId: r.school_id, grade: r.grade, students: Number(r.students), appointments: Number(r.appointments) }));
  }
}
