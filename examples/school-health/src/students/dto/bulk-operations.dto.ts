import { IsUUID } from 'class-validator';
import { StudentIdsDto } from '../../common/dto/student-ids.dto';

/** `POST /students/bulk/grade-transition`: promote active students one grade; grade 12 graduates. */
export class BulkGradeTransitionDto extends StudentIdsDto {}

/** `POST /students/bulk/assign-nurse`: assign students to a nurse within the nurse's workload limit. */
export class BulkAssignNurseDto extends StudentIdsDto {
  @IsUUID('4')
  nurseId!: string;
}

/** `POST /students/bulk/transfer`: move students to another school, unassigning their nurse. */
export class BulkTransferDto extends StudentIdsDto {
  @IsUUID('4')
  toSchoolId!: string;
}
