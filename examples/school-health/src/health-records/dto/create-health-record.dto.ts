import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { HealthRecordType } from '../models/health-record.model';

export class CreateHealthRecordDto {
  @IsUUID('4')
  studentId!: string;

  @IsEnum(HealthRecordType)
  recordType!: HealthRecordType;

  @IsISO8601({ strict: true })
  recordDate!: string;

  @IsString()
  @Length(1, 160)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @IsOptional()
  @IsUUID('4')
  createdById?: string;
}
