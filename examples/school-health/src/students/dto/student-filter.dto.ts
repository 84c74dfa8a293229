import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PaginationDto } from '../../common/dto/pagination.dto';
import { MAX_GRADE, MIN_GRADE } from '../models/student.model';

/** `GET /students` filters. */
export class StudentFilterDto extends PaginationDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_GRADE)
  @Max(MAX_GRADE)
  grade?: number;

  @IsOptional()
  @IsUUID('4')
  schoolId?: string;

  @IsOptional()
  @IsUUID('4')
  nurseId?: string;

  /** Prefix of the first or last name (case-insensitive). */
  @IsOptional()
  @IsString()
  @Length(1, 80)
  search?: string;

  /** @default true */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  isActive: boolean = true;
}
