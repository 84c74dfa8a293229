import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { AppointmentType } from '../models/appointment.model';

export class CreateAppointmentDto {
  @IsUUID('4')
  studentId!: string;

  @IsUUID('4')
  nurseId!: string;

  /** ISO date-time. */
  @IsISO8601({ strict: true })
  scheduledDate!: string;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(240)
  durationMinutes?: number;

  @IsEnum(AppointmentType)
  type!: AppointmentType;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
