import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { User } from '../users/models/user.model';
import { MedicationsController } from './medications.controller';
import { MedicationsService } from './medications.service';
import { MedicationAdministration } from './models/medication-administration.model';
import { Medication } from './models/medication.model';

@Module({
  imports: [SequelizeModule.forFeature([Medication, MedicationAdministration, User])],
  controllers: [MedicationsController],
  providers: [MedicationsService],
})
export class MedicationsModule {}
