import { IsOptional, IsUUID } from 'class-validator';
import { PaginationDto } from '../../common/dto/pagination.dto';

/** `GET /nurses?schoolId=&page=&limit=`. */
export class NurseFilterDto extends PaginationDto {
  @IsOptional()
  @IsUUID('4')
  schoolId?: string;
}
