import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class DemoLimitDto {
  /** Students to load. @default 20 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

export class SlowReportDto {
  /** Minimum duration of the report query (pg_sleep), to trip the slow-query threshold. @default 1100 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5000)
  minDurationMillis: number = 1100;
}
