import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';

/** Largest batch a bulk operation accepts in one request. */
export const MAX_BULK_STUDENTS = 5000;

/** A batch of student ids for the bulk operations. */
export class StudentIdsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_STUDENTS)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  studentIds!: string[];
}
