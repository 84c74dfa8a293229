import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, WhereOptions } from 'sequelize';
import { Page, toPage } from '../common/dto/pagination.dto';
import { escapeLike } from '../common/util/like';
import { CacheTtlSeconds, cached } from '../database/cache-policy';
import { EmergencyContact } from '../emergency-contacts/models/emergency-contact.model';
import { School } from '../schools/models/school.model';
import { User } from '../users/models/user.model';
import { CreateStudentDto } from './dto/create-student.dto';
import { GraduatingStudentsDto } from './dto/graduating-students.dto';
import { StudentFilterDto } from './dto/student-filter.dto';
import { UpdateStudentDto } from './dto/update-student.dto';
import { AcademicTranscript } from './models/academic-transcript.model';
import { MAX_GRADE, STUDENT_PRIVATE_ATTRIBUTES, Student } from './models/student.model';

const NURSE_ATTRIBUTES = ['id', 'firstName', 'lastName'];

/** One graduating student with the totals of the batch-loaded transcripts. */
export interface GraduatingStudent {
  id: string;
  firstName: string;
  lastName: string;
  schoolId: string;
  totalCredits: number;
  cumulativeGpa: number | null;
  eligible: boolean;
}

/** Reads and single-row writes of students (bulk operations live in {@link StudentsBulkService}). */
@Injectable()
export class StudentsService {
  constructor(
    @InjectModel(Student) private readonly students: typeof Student,
    @InjectModel(AcademicTranscript) private readonly transcripts: typeof AcademicTranscript,
  ) {}

  /**
   * The student list (hot path): nurse eager-loaded with a LEFT JOIN, paginated, distinct count,
   * private columns excluded, cached 5 minutes. Two queries on a miss (count + page), none on a hit.
   */
  async findAll(filter: StudentFilterDto): Promise<Page<Student>> {
    const where: WhereOptions = { isActive: filter.isActive };
    if (filter.grade !== undefined) Object.assign(where, { grade: filter.grade });
    if (filter.schoolId) Object.assign(where, { schoolId: filter.schoolId });
    if (filter.nurseId) Object.assign(where, { nurseId: filter.nurseId });
    if (filter.search) {
      const prefix = `${escapeLike(filter.search)}%`;
      Object.assign(where, { [Op.or]: [{ firstName: { [Op.iLike]: prefix } }, { lastName: { [Op.iLike]: prefix } }] });
    }
    const { rows, count } = await this.students.findAndCountAll({
      where,
      attributes: { exclude: [...STUDENT_PRIVATE_ATTRIBUTES] },
      include: [{ model: User, as: 'nurse', attributes: NURSE_ATTRIBUTES, required: false }],
      order: [
        ['lastName', 'ASC'],
        ['firstName', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: filter.limit,
      offset: (filter.page - 1) * filter.limit,
      distinct: true,
      ...cached(CacheTtlSeconds.studentList, 'student_list'),
    });
    return toPage(rows, count, filter.page, filter.limit);
  }

  /** Student details (hot path): nurse, school and emergency contacts in one query, cached 10 minutes. */
  async findOne(id: string): Promise<Student> {
    const student = await this.students.findByPk(id, {
      attributes: { exclude: [...STUDENT_PRIVATE_ATTRIBUTES] },
      include: [
        { model: User, as: 'nurse', attributes: NURSE_ATTRIBUTES, required: false },
        { model: School, as: 'school', attributes: ['id', 'name', 'code'] },
        {
          model: EmergencyContact,
          as: 'emergencyContacts',
          attributes: ['id', 'firstName', 'lastName', 'relationship', 'phone', 'priority', 'canPickUp'],
          required: false,
        },
      ],
      order: [[{ model: EmergencyContact, as: 'emergencyContacts' }, 'priority', 'ASC']],
      ...cached(CacheTtlSeconds.studentDetail, 'student_detail'),
    });
    if (!student) throw new NotFoundException('Student not found');
    return student;
  }

  async create(dto: CreateStudentDto): Promise<Student> {
    const student = await this.students.create({
      ...dto,
      enrollmentDate: dto.enrollmentDate ?? new Date().toISOString().slice(0, 10),
    });
    return this.withoutPrivate(student);
  }

  async update(id: string, dto: UpdateStudentDto): Promise<Student> {
    const student = await this.students.findByPk(id, { attributes: { exclude: [...STUDENT_PRIVATE_ATTRIBUTES] } });
    if (!student) throw new NotFoundException('Student not found');
    await student.update(dto);
    return this.withoutPrivate(student);
  }

  /**
   * Graduating students (hot path): one query for the grade-12 students and one batch query for
   * all their transcripts (`WHERE student_id IN (...)`), aggregated in memory: 2 queries for any count.
   */
  async findGraduating(query: GraduatingStudentsDto): Promise<{ data: GraduatingStudent[]; total: number; eligible: number }> {
    const where: WhereOptions = { grade: MAX_GRADE, isActive: true };
    if (query.schoolId) Object.assign(where, { schoolId: query.schoolId });
    const seniors = await this.students.findAll({
      where,
      attributes: ['id', 'firstName', 'lastName', 'schoolId'],
      order: [
        ['lastName', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: query.limit,
      raw: true,
    });
    if (seniors.length === 0) return { data: [], total: 0, eligible: 0 };
    const history = await this.transcripts.findAll({
      where: { studentId: seniors.map((s) => s.id) },
      attributes: ['studentId', 'gpa', 'credits'],
      raw: true,
    });
    const totals = new Map<string, { credits: number; weighted: number }>();
    for (const row of history) {
      const t = totals.get(row.studentId) ?? { credits: 0, weighted: 0 };
      t.credits += row.credits;
      t.weighted += Number(row.gpa) * row.credits;
      totals.set(row.studentId, t);
    }
    const data = seniors.map((s) => {
      const t = totals.get(s.id);
      const cumulativeGpa = t && t.credits > 0 ? Math.round((t.weighted / t.credits) * 100) / 100 : null;
      const totalCredits = t?.credits ?? 0;
      return {
        id: s.id,
        firstName: s.firstName,
        lastName: s.lastName,
        schoolId: s.schoolId,
        totalCredits,
        cumulativeGpa,
        eligible: totalCredits >= query.requiredCredits && (cumulativeGpa ?? 0) >= query.minGpa,
      };
    });
    return { data, total: data.length, eligible: data.filter((d) => d.eligible).length };
  }

  private withoutPrivate(student: Student): Student {
    const json = student.toJSON() as Record<string, unknown>;
    for (const key of STUDENT_PRIVATE_ATTRIBUTES) delete json[key];
    return json as unknown as Student;
  }
}
