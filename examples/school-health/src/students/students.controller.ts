import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { BulkAssignNurseDto, BulkGradeTransitionDto, BulkTransferDto } from './dto/bulk-operations.dto';
import { CreateStudentDto } from './dto/create-student.dto';
import { GraduatingStudentsDto } from './dto/graduating-students.dto';
import { StudentFilterDto } from './dto/student-filter.dto';
import { UpdateStudentDto } from './dto/update-student.dto';
import { StudentsBulkService } from './students-bulk.service';
import { StudentsService } from './students.service';

@Controller('students')
export class StudentsController {
  constructor(
    private readonly students: StudentsService,
    private readonly bulk: StudentsBulkService,
  ) {}

  @Get()
  findAll(@Query() filter: StudentFilterDto) {
    return this.students.findAll(filter);
  }

  @Get('graduating')
  findGraduating(@Query() query: GraduatingStudentsDto) {
    return this.students.findGraduating(query);
  }

  @Get(':id')
  findOne(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string) {
    return this.students.findOne(id);
  }

  @Post()
  create(@Body() dto: CreateStudentDto) {
    return this.students.create(dto);
  }

  @Patch(':id')
  update(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string, @Body() dto: UpdateStudentDto) {
    return this.students.update(id, dto);
  }

  @Post('bulk/grade-transition')
  @HttpCode(200)
  gradeTransition(@Body() dto: BulkGradeTransitionDto) {
    return this.bulk.gradeTransition(dto);
  }

  @Post('bulk/assign-nurse')
  @HttpCode(200)
  assignNurse(@Body() dto: BulkAssignNurseDto) {
    return this.bulk.assignNurse(dto);
  }

  @Post('bulk/transfer')
  @HttpCode(200)
  transfer(@Body() dto: BulkTransferDto) {
    return this.bulk.transfer(dto);
  }
}
