import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { PaginationDto } from '../common/dto/pagination.dto';
import { AdministerBatchDto, AdministerMedicationDto } from './dto/administer-medication.dto';
import { MedicationsService } from './medications.service';

@Controller('medications')
export class MedicationsController {
  constructor(private readonly medications: MedicationsService) {}

  @Get()
  catalog() {
    return this.medications.catalog();
  }

  @Post('administrations')
  administer(@Body() dto: AdministerMedicationDto) {
    return this.medications.administer(dto);
  }

  @Post('administrations/batch')
  administerBatch(@Body() dto: AdministerBatchDto) {
    return this.medications.administerBatch(dto.administrations);
  }

  @Get('administrations/student/:studentId')
  log(@Param('studentId', new ParseUUIDPipe({ version: '4' })) studentId: string, @Query() page: PaginationDto) {
    return this.medications.log(studentId, page);
  }
}
