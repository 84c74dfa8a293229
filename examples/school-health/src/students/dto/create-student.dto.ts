import { IsBoolean, IsDateString, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_GRADE, MIN_GRADE } from '../models/student.model';

export class CreateStudentDto {
  @IsString()
  @Length(1, 20)
  studentNumber!: string;

  @IsString()
  @Length(1, 80)
  firstName!: string;

  @IsString()
  @Length(1, 80)
  lastName!: string;

  @IsDateString({ strict: true })
  dateOfBirth!: string;

  /** 0 (kindergarten) to 12. */
  @IsInt()
  @Min(MIN_GRADE)
  @Max(MAX_GRADE)
  grade!: number;

  /** `NNN-NN-NNNN`; stored, unique, never returned. */
  @IsOptional()
  @Matches(/^\d{3}-\d{2}-\d{4}$/, { message: 'ssn must have the form NNN-NN-NNNN' })
  ssn?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @IsUUID('4')
  schoolId!: string;

  @IsOptional()
  @IsUUID('4')
  nurseId?: string;

  @IsOptional()
  @IsBoolean()
  isActive?: boolean;

  @IsOptional()
  @IsDateString({ strict: true })
  enrollmentDate?: string;
}
