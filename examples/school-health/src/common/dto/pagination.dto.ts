import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=&limit=` shared by every paginated list. */
export class PaginationDto {
  /** 1-based page number. @default 1 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  /** Page size, at most 100. @default 20 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

/** The envelope of a paginated response. */
export interface Page<T> {
  data: T[];
  meta: { page: number; limit: number; total: number; pages: number };
}

export function toPage<T>(rows: T[], total: number, page: number, limit: number): Page<T> {
  return { data: rows, meta: { page, limit, total, pages: Math.ceil(total / limit) } };
}
