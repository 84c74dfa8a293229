import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Sequelize } from 'sequelize-typescript';
import { Page, PaginationDto, toPage } from '../common/dto/pagination.dto';
import { CacheTtlSeconds, cached } from '../database/cache-policy';
import { User } from '../users/models/user.model';
import { AdministerMedicationDto } from './dto/administer-medication.dto';
import { MedicationAdministration } from './models/medication-administration.model';
import { Medication } from './models/medication.model';

@Injectable()
export class MedicationsService {
  constructor(
    private readonly sequelize: Sequelize,
    @InjectModel(Medication) private readonly medications: typeof Medication,
    @InjectModel(MedicationAdministration) private readonly administrations: typeof MedicationAdministration,
  ) {}

  /** The medication catalog (hot path): one query, cached 30 minutes. */
  catalog(): Promise<Medication[]> {
    return this.medications.findAll({
      order: [
        ['name', 'ASC'],
        ['id', 'ASC'],
      ],
      ...cached(CacheTtlSeconds.medicationCatalog, 'medication_catalog'),
    });
  }

  administer(dto: AdministerMedicationDto): Promise<MedicationAdministration> {
    return this.administrations.create(this.toRow(dto));
  }

  /** Batch administration logging: one multi-row INSERT inside one transaction, whatever the batch size. */
  async administerBatch(doses: AdministerMedicationDto[]): Promise<{ logged: number }> {
    await this.sequelize.transaction(async (transaction) => {
      await this.administrations.bulkCreate(doses.map((d) => this.toRow(d)), { transaction, returning: false });
    });
    return { logged: doses.length };
  }

  /** A student's administration log, newest first, medication and nurse eager-loaded. */
  async log(studentId: string, page: PaginationDto): Promise<Page<MedicationAdministration>> {
    const { rows, count } = await this.administrations.findAndCountAll({
      where: { studentId },
      attributes: ['id', 'administeredAt', 'dose', 'medicationId', 'administeredById'],
      include: [
        { model: Medication, as: 'medication', attributes: ['id', 'name', 'strength', 'form'] },
        { model: User, as: 'administeredBy', attributes: ['id', 'firstName', 'lastName'] },
      ],
      order: [
        ['administeredAt', 'DESC'],
        ['id', 'ASC'],
      ],
      limit: page.limit,
      offset: (page.page - 1) * page.limit,
      distinct: true,
    });
    return toPage(rows, count, page.page, page.limit);
  }

  private toRow(dto: AdministerMedicationDto) {
    return { ...dto, administeredAt: dto.administeredAt ? new Date(dto.administeredAt) : new Date() };
  }
}
