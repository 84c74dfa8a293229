import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';

/** One dose to record in the administration log. */
export class AdministerMedicationDto {
  @IsUUID('4')
  studentId!: string;

  @IsUUID('4')
  medicationId!: string;

  @IsUUID('4')
  administeredById!: string;

  /** ISO date-time. @default now */
  @IsOptional()
  @IsISO8601({ strict: true })
  administeredAt?: string;

  @IsString()
  @Length(1, 40)
  dose!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

/** A batch of doses logged with one INSERT (e.g. the noon medication round). */
export class AdministerBatchDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => AdministerMedicationDto)
  administrations!: AdministerMedicationDto[];
}
