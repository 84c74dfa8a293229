import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CreateEmergencyContactDto } from './dto/create-emergency-contact.dto';
import { EmergencyContactsService } from './emergency-contacts.service';

@Controller('emergency-contacts')
export class EmergencyContactsController {
  constructor(private readonly contacts: EmergencyContactsService) {}

  @Get('statistics')
  statistics() {
    return this.contacts.statistics();
  }

  @Get('student/:studentId')
  forStudent(@Param('studentId', new ParseUUIDPipe({ version: '4' })) studentId: string) {
    return this.contacts.forStudent(studentId);
  }

  @Post('student/:studentId')
  create(@Param('studentId', new ParseUUIDPipe({ version: '4' })) studentId: string, @Body() dto: CreateEmergencyContactDto) {
    return this.contacts.create(studentId, dto);
  }
}
