import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { PaginationDto } from '../common/dto/pagination.dto';
import { CreateHealthRecordDto } from './dto/create-health-record.dto';
import { HealthRecordsService } from './health-records.service';

@Controller('health-records')
export class HealthRecordsController {
  constructor(private readonly records: HealthRecordsService) {}

  @Get('student/:studentId/summary')
  summary(@Param('studentId', new ParseUUIDPipe({ version: '4' })) studentId: string) {
    return this.records.summary(studentId);
  }

  @Get('student/:studentId/mental-health')
  mentalHealth(@Param('studentId', new ParseUUIDPipe({ version: '4' })) studentId: string, @Query() page: PaginationDto) {
    return this.records.mentalHealthTimeline(studentId, page);
  }

  @Post()
  create(@Body() dto: CreateHealthRecordDto) {
    return this.records.create(dto);
  }
}
