import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { Student } from '../students/models/student.model';
import { User } from '../users/models/user.model';
import { DemoController } from './demo.controller';
import { DemoService } from './demo.service';

/** Demonstration endpoints (N+1 and slow query on purpose). Leave out of a real deployment with `DEMO_ENDPOINTS=false`. */
@Module({
  imports: [SequelizeModule.forFeature([Student, User])],
  controllers: [DemoController],
  providers: [DemoService],
})
export class DemoModule {}
