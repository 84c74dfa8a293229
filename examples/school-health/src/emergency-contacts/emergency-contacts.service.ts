import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { col, fn } from 'sequelize';
import { CacheTtlSeconds, cached } from '../database/cache-policy';
import { Student } from '../students/models/student.model';
import { CreateEmergencyContactDto } from './dto/create-emergency-contact.dto';
import { ContactPriority, ContactRelationship, EmergencyContact } from './models/emergency-contact.model';

/** Aggregate contact statistics (counts only, no PHI). */
export interface ContactStatistics {
  total: number;
  byRelationship: Record<string, number>;
  byPriority: Record<string, { total: number; verified: number }>;
  pickUp: { allowed: number; notAllowed: number; studentsWithPickUpContact: number };
}

@Injectable()
export class EmergencyContactsService {
  constructor(
    @InjectModel(EmergencyContact) private readonly contacts: typeof EmergencyContact,
    @InjectModel(Student) private readonly students: typeof Student,
  ) {}

  /**
   * Emergency-contact statistics (hot path): three GROUP BY aggregates run in parallel on separate
   * pool connections, each cached 10 minutes. Three queries on a miss, none on a hit.
   */
  async statistics(): Promise<ContactStatistics> {
    const cache = cached(CacheTtlSeconds.contactStatistics, 'contact_statistics');
    const count = [fn('COUNT', col('id')), 'count'] as [ReturnType<typeof fn>, string];
    type Row = Record<string, unknown> & { count: string };
    const [byRelationship, byPriority, pickUp] = (await Promise.all([
      this.contacts.findAll({ attributes: ['relationship', count], group: [col('relationship')], raw: true, ...cache }),
      this.contacts.findAll({ attributes: ['priority', 'isVerified', count], group: [col('priority'), col('is_verified')], raw: true, ...cache }),
      this.contacts.findAll({
        attributes: ['canPickUp', count, [fn('COUNT', fn('DISTINCT', col('student_id'))), 'students']],
        group: [col('can_pick_up')],
        raw: true,
        ...cache,
      }),
    ])) as unknown as [Row[], Row[], Row[]];

    const stats: ContactStatistics = {
      total: 0,
      byRelationship: Object.fromEntries(Object.values(ContactRelationship).map((r) => [r, 0])),
      byPriority: Object.fromEntries(Object.values(ContactPriority).map((p) => [p, { total: 0, verified: 0 }])),
      pickUp: { allowed: 0, notAllowed: 0, studentsWithPickUpContact: 0 },
    };
    for (const row of byRelationship) {
      stats.byRelationship[row.relationship as string] = Number(row.count);
      stats.total += Number(row.count);
    }
    for (const row of byPriority) {
      const bucket = stats.byPriority[row.priority as string];
      bucket.total += Number(row.count);
      if (row.isVerified) bucket.verified += Number(row.count);
    }
    for (const row of pickUp) {
      if (row.canPickUp) {
        stats.pickUp.allowed = Number(row.count);
        stats.pickUp.studentsWithPickUpContact = Number(row.students);
      } else {
        stats.pickUp.notAllowed = Number(row.count);
      }
    }
    return stats;
  }

  /** A student's contacts by priority, cached 15 minutes. */
  forStudent(studentId: string): Promise<EmergencyContact[]> {
    return this.contacts.findAll({
      where: { studentId },
      order: [
        ['priority', 'ASC'],
        ['id', 'ASC'],
      ],
      ...cached(CacheTtlSeconds.emergencyContacts, 'emergency_contacts'),
    });
  }

  async create(studentId: string, dto: CreateEmergencyContactDto): Promise<EmergencyContact> {
    const student = await this.students.findByPk(studentId, { attributes: ['id'] });
    if (!student) throw new NotFoundException('Student not found');
    return this.contacts.create({ ...dto, studentId });
  }
}
