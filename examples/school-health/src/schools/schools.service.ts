import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { School } from './models/school.model';

@Injectable()
export class SchoolsService {
  constructor(@InjectModel(School) private readonly schools: typeof School) {}

  findAll(): Promise<School[]> {
    return this.schools.findAll({ order: [['name', 'ASC']] });
  }
}
