import { IsOptional, IsUUID } from 'class-validator';

export class NurseFilterDto {
  @IsOptional()
  @IsUUID('4')
  schoolId?: string;
}
