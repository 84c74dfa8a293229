import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, Transaction } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { withPoolBackpressure } from '@querylens/sequelize';
import { todayIso } from '../common/util/dates';
import { BULK_BACKPRESSURE, BulkBackpressureOptions } from '../database/database.tokens';
import { School } from '../schools/models/school.model';
import { User, UserRole } from '../users/models/user.model';
import { BulkAssignNurseDto, BulkGradeTransitionDto, BulkTransferDto } from './dto/bulk-operations.dto';
import { MAX_GRADE, Student } from './models/student.model';

export interface GradeTransitionResult {
  requested: number;
  promoted: number;
  graduated: number;
  /** Inactive students, left unchanged. */
  skipped: number;
}

export interface NurseAssignmentResult {
  nurseId: string;
  assigned: number;
  alreadyAssigned: number;
  workload: number;
  maxStudents: number;
}

export interface TransferResult {
  toSchoolId: string;
  transferred: number;
  alreadyAtSchool: number;
  transferredAt: string;
}

/**
 * The seed's bulk operations. Each runs in one READ COMMITTED transaction behind pool backpressure
 * and issues a constant number of statements whatever the number of students: one batch read,
 * eligibility decided in memory, then set-based UPDATEs with `WHERE id IN (...)`.
 */
@Injectable()
export class StudentsBulkService {
  constructor(
    private readonly sequelize: Sequelize,
    @InjectModel(Student) private readonly students: typeof Student,
    @InjectModel(User) private readonly users: typeof User,
    @InjectModel(School) private readonly schools: typeof School,
    @Inject(BULK_BACKPRESSURE) private readonly backpressure: BulkBackpressureOptions,
  ) {}

  /** End-of-year promotion: grade + 1 for active students below 12; active grade-12 students graduate. 3 statements + BEGIN/COMMIT. */
  gradeTransition(dto: BulkGradeTransitionDto): Promise<GradeTransitionResult> {
    return this.inTransaction(async (transaction) => {
      const rows = await this.loadExisting(dto.studentIds, ['id', 'grade', 'isActive'], transaction);
      const active = rows.filter((r) => r.isActive);
      const promote = active.filter((r) => r.grade < MAX_GRADE).map((r) => r.id);
      const graduate = active.filter((r) => r.grade >= MAX_GRADE).map((r) => r.id);
      // Both statements always run (an empty id list becomes IN (NULL)) so the count stays constant.
      const [promoted] = await this.students.update(
        { grade: Sequelize.literal('"grade" + 1') as unknown as number },
        { where: { id: promote }, transaction },
      );
      const [graduated] = await this.students.update(
        { isActive: false, graduationDate: todayIso(), nurseId: null },
        { where: { id: graduate }, transaction },
      );
      return { requested: dto.studentIds.length, promoted, graduated, skipped: rows.length - active.length };
    });
  }

  /** Assigns students to a nurse, refusing (409) to exceed `maxStudents`. 4 statements + BEGIN/COMMIT. */
  assignNurse(dto: BulkAssignNurseDto): Promise<NurseAssignmentResult> {
    return this.inTransaction(async (transaction) => {
      // Row lock on the nurse serialises concurrent assignments to the same nurse (workload check is race-free).
      const nurse = await this.users.findOne({
        where: { id: dto.nurseId, role: UserRole.Nurse, isActive: true },
        attributes: ['id', 'maxStudents'],
        lock: Transaction.LOCK.UPDATE,
        transaction,
      });
      if (!nurse) throw new NotFoundException('Nurse not found or inactive');
      const rows = await this.loadExisting(dto.studentIds, ['id', 'nurseId'], transaction);
      const workload = await this.students.count({ where: { nurseId: nurse.id, isActive: true }, transaction });
      const newcomers = rows.filter((r) => r.nurseId !== nurse.id).map((r) => r.id);
      if (workload + newcomers.length > nurse.maxStudents) {
        throw new ConflictException(
          `Nurse workload limit exceeded: ${workload} assigned + ${newcomers.length} requested > limit ${nurse.maxStudents}`,
        );
      }
      const [assigned] = await this.students.update({ nurseId: nurse.id }, { where: { id: newcomers }, transaction });
      return {
        nurseId: nurse.id,
        assigned,
        alreadyAssigned: rows.length - newcomers.length,
        workload: workload + assigned,
        maxStudents: nurse.maxStudents,
      };
    });
  }

  /** Moves students to another school: nurse unassigned, previous school and transfer time stamped. 3 statements + BEGIN/COMMIT. */
  transfer(dto: BulkTransferDto): Promise<TransferResult> {
    return this.inTransaction(async (transaction) => {
      const school = await this.schools.findByPk(dto.toSchoolId, { attributes: ['id'], transaction });
      if (!school) throw new NotFoundException('School not found');
      const rows = await this.loadExisting(dto.studentIds, ['id', 'schoolId'], transaction);
      const movers = rows.filter((r) => r.schoolId !== school.id).map((r) => r.id);
      const transferredAt = new Date();
      const [transferred] = await this.students.update(
        {
          previousSchoolId: Sequelize.col('school_id') as unknown as string,
          schoolId: school.id,
          nurseId: null,
          transferredAt,
        },
        { where: { id: movers, schoolId: { [Op.ne]: school.id } }, transaction },
      );
      return { toSchoolId: school.id, transferred, alreadyAtSchool: rows.length - movers.length, transferredAt: transferredAt.toISOString() };
    });
  }

  /** Batch existence check: one SELECT for all ids; 404 with the number of unknown ids (ids are not echoed). */
  private async loadExisting(ids: string[], attributes: string[], transaction: Transaction): Promise<Student[]> {
    const rows = await this.students.findAll({ where: { id: ids }, attributes, raw: true, transaction });
    if (rows.length !== ids.length) throw new NotFoundException(`${ids.length - rows.length} of ${ids.length} students do not exist`);
    return rows;
  }

  private inTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return withPoolBackpressure(
      this.sequelize,
      () => this.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, work),
      this.backpressure,
    );
  }
}
