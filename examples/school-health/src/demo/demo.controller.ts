import { Controller, Get, Query } from '@nestjs/common';
import { DemoLimitDto, SlowReportDto } from './demo-query.dto';
import { DemoService } from './demo.service';

/**
 * DEMONSTRATION endpoints: deliberately bad query patterns next to their fixed twins, so the
 * N+1 and slow-query detections show up in Jaeger, `/metrics` and the performance report.
 */
@Controller('demo')
export class DemoController {
  constructor(private readonly demo: DemoService) {}

  /** DELIBERATE N+1 (1 + limit queries). Its twin below returns the same JSON with 1 query. */
  @Get('n-plus-one/students-with-nurses')
  nPlusOne(@Query() query: DemoLimitDto) {
    return this.demo.studentsWithNursesNPlusOne(query.limit);
  }

  /** The eager-loading twin of the N+1 demonstration (1 query). */
  @Get('eager/students-with-nurses')
  eager(@Query() query: DemoLimitDto) {
    return this.demo.studentsWithNursesEager(query.limit);
  }

  /** DELIBERATELY SLOW report query (at least `minDurationMillis`, default 1100 ms). */
  @Get('slow-report')
  slowReport(@Query() query: SlowReportDto) {
    return this.demo.slowReport(query.minDurationMillis);
  }
}
