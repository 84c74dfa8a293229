import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { Student } from '../students/models/student.model';
import { User } from '../users/models/user.model';
import { HealthRecordsController } from './health-records.controller';
import { HealthRecordsService } from './health-records.service';
import { HealthRecord } from './models/health-record.model';
import { MentalHealthRecord } from './models/mental-health-record.model';

@Module({
  imports: [SequelizeModule.forFeature([HealthRecord, MentalHealthRecord, Student, User])],
  controllers: [HealthRecordsController],
  providers: [HealthRecordsService],
})
export class HealthRecordsModule {}
