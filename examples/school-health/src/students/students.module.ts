import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { School } from '../schools/models/school.model';
import { User } from '../users/models/user.model';
import { AcademicTranscript } from './models/academic-transcript.model';
import { Student } from './models/student.model';
import { StudentsBulkService } from './students-bulk.service';
import { StudentsController } from './students.controller';
import { StudentsService } from './students.service';

@Module({
  imports: [SequelizeModule.forFeature([Student, AcademicTranscript, User, School])],
  controllers: [StudentsController],
  providers: [StudentsService, StudentsBulkService],
  exports: [StudentsService],
})
export class StudentsModule {}
