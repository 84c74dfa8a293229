import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { NurseFilterDto } from './dto/nurse-filter.dto';
import { UsersService } from './users.service';

@Controller('nurses')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  findAll(@Query() filter: NurseFilterDto) {
    return this.users.findNurses(filter);
  }

  @Get(':id')
  findOne(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string) {
    return this.users.findNurse(id);
  }
}
