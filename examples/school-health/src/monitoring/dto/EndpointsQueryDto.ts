import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Methods accepted by `?method=`. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * `?endpoint=&method=` of `GET /monitoring/endpoints`. `endpoint` is a route
 * template (`/students/:id`), bounded in length and charset; it only filters
 * the stored keys and is never stored or echoed.
 */
export class EndpointsQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^(\/[A-Za-z0-9/_:.{}*-]*|\(unmatched\)|\(other\))$/, { message: 'endpoint must be a route template such as /students/:id' })
  endpoint?: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsIn(HTTP_METHODS as unknown as string[], { message: `method must be one of ${HTTP_METHODS.join(', ')}` })
  method?: string;
}
