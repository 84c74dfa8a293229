import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { MAX_GRADE, MIN_GRADE } from '../models/student.model';

/** Fields a nurse may change on a student (school and nurse moves go through the bulk operations). */
export class UpdateStudentDto {
  @IsOptional()
  @IsString()
  @Length(1, 80)
  firstName?: string;

  @IsOptional()
  @IsString()
  @Length(1, 80)
  lastName?: string;

  @IsOptional()
  @IsInt()
  @Min(MIN_GRADE)
  @Max(MAX_GRADE)
  grade?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @IsOptional()
  @IsUUID('4')
  nurseId?: string;

  @IsOptional()
  @IsBoolean()
  isActive?: boolean;
}
