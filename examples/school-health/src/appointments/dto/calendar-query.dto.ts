import { IsISO8601, IsOptional, IsUUID } from 'class-validator';

/** `GET /appointments/calendar?date=YYYY-MM-DD&nurseId=`. */
export class CalendarQueryDto {
  /** The UTC day, `YYYY-MM-DD`. */
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'date must be an ISO date (YYYY-MM-DD)' })
  date!: string;

  @IsOptional()
  @IsUUID('4')
  nurseId?: string;
}
