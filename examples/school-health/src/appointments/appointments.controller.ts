import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { AppointmentsService } from './appointments.service';
import { CalendarQueryDto } from './dto/calendar-query.dto';
import { CreateAppointmentDto } from './dto/create-appointment.dto';

@Controller('appointments')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get('calendar')
  calendar(@Query() query: CalendarQueryDto) {
    return this.appointments.calendar(query);
  }

  @Post()
  create(@Body() dto: CreateAppointmentDto) {
    return this.appointments.create(dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string) {
    return this.appointments.cancel(id);
  }
}
