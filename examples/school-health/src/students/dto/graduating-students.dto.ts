import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** `GET /students/graduating` filters. */
export class GraduatingStudentsDto {
  @IsOptional()
  @IsUUID('4')
  schoolId?: string;

  /** Credits required to graduate. @default 20 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(200)
  requiredCredits: number = 20;

  /** Minimum cumulative GPA. @default 2.0 */
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(4)
  minGpa: number = 2;

  /** Largest number of students returned. @default 500 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit: number = 500;
}
