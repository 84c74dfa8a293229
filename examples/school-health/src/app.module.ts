import { DynamicModule, Module } from '@nestjs/common';
import { AppointmentsModule } from './appointments/appointments.module';
import type { AppConfig } from './database/app-config';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { EmergencyContactsModule } from './emergency-contacts/emergency-contacts.module';
import { HealthRecordsModule } from './health-records/health-records.module';
import { MedicationsModule } from './medications/medications.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { SchoolsModule } from './schools/schools.module';
import { StudentsModule } from './students/students.module';
import { UsersModule } from './users/users.module';

/** The White Cross application. Build it with {@link AppModule.forRoot} (see `createApp`). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config),
        SchoolsModule,
        UsersModule,
        StudentsModule,
        AppointmentsModule,
        HealthRecordsModule,
        MedicationsModule,
        EmergencyContactsModule,
        MonitoringModule,
        ...(config.demoEndpoints ? [DemoModule] : []),
      ],
    };
  }
}
