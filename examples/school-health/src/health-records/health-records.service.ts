import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { col, fn } from 'sequelize';
import { Page, PaginationDto, toPage } from '../common/dto/pagination.dto';
import { CacheTtlSeconds, cached } from '../database/cache-policy';
import { Student } from '../students/models/student.model';
import { User } from '../users/models/user.model';
import { CreateHealthRecordDto } from './dto/create-health-record.dto';
import { HealthRecord, HealthRecordType } from './models/health-record.model';
import { MENTAL_HEALTH_SENSITIVE_ATTRIBUTES, MentalHealthRecord } from './models/mental-health-record.model';

/** A student's health summary: counts by record type and the latest entries. */
export interface HealthSummary {
  studentId: string;
  totalRecords: number;
  byType: Array<{ recordType: HealthRecordType; count: number; lastRecordDate: string }>;
  recent: HealthRecord[];
}

const STAFF_ATTRIBUTES = ['id', 'firstName', 'lastName', 'role'];

@Injectable()
export class HealthRecordsService {
  constructor(
    @InjectModel(HealthRecord) private readonly records: typeof HealthRecord,
    @InjectModel(MentalHealthRecord) private readonly mentalHealth: typeof MentalHealthRecord,
    @InjectModel(Student) private readonly students: typeof Student,
  ) {}

  /**
   * Health summary (hot path): the student check, a GROUP BY over record types and the five latest
   * records run in parallel, each cached 5 minutes. Three queries on a miss, none on a hit.
   */
  async summary(studentId: string): Promise<HealthSummary> {
    const ttl = CacheTtlSeconds.healthSummary;
    const [student, byType, recent] = await Promise.all([
      this.students.findByPk(studentId, { attributes: ['id'], ...cached(ttl, 'health_summary') }),
      this.records.findAll({
        where: { studentId },
        attributes: ['recordType', [fn('COUNT', col('id')), 'count'], [fn('MAX', col('record_date')), 'lastRecordDate']],
        group: [col('record_type')],
        order: [[col('record_type'), 'ASC']],
        raw: true,
        ...cached(ttl, 'health_summary'),
      }) as unknown as Promise<Array<{ recordType: HealthRecordType; count: string; lastRecordDate: string }>>,
      this.records.findAll({
        where: { studentId },
        attributes: ['id', 'recordType', 'recordDate', 'title'],
        order: [
          ['recordDate', 'DESC'],
          ['id', 'ASC'],
        ],
        limit: 5,
        ...cached(ttl, 'health_summary'),
      }),
    ]);
    if (!student) throw new NotFoundException('Student not found');
    const counts = byType.map((r) => ({ recordType: r.recordType, count: Number(r.count), lastRecordDate: r.lastRecordDate }));
    return { studentId, totalRecords: counts.reduce((sum, r) => sum + r.count, 0), byType: counts, recent };
  }

  /**
   * Mental-health timeline (hot path): counselor and creator eager-loaded, paginated with a distinct
   * count, session notes and diagnosis excluded (they are never served by the API), cached 5 minutes.
   */
  async mentalHealthTimeline(studentId: string, page: PaginationDto): Promise<Page<MentalHealthRecord>> {
    const { rows, count } = await this.mentalHealth.findAndCountAll({
      where: { studentId },
      attributes: { exclude: [...MENTAL_HEALTH_SENSITIVE_ATTRIBUTES] },
      include: [
        { model: User, as: 'counselor', attributes: STAFF_ATTRIBUTES },
        { model: User, as: 'creator', attributes: STAFF_ATTRIBUTES },
      ],
      order: [
        ['sessionDate', 'DESC'],
        ['id', 'ASC'],
      ],
      limit: page.limit,
      offset: (page.page - 1) * page.limit,
      distinct: true,
      ...cached(CacheTtlSeconds.mentalHealthTimeline, 'mental_health_timeline'),
    });
    return toPage(rows, count, page.page, page.limit);
  }

  create(dto: CreateHealthRecordDto): Promise<HealthRecord> {
    return this.records.create({ ...dto });
  }
}
