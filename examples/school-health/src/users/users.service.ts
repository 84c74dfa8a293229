import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { CacheTtlSeconds, cached } from '../database/cache-policy';
import { NurseFilterDto } from './dto/nurse-filter.dto';
import { Student } from '../students/models/student.model';
import { User, UserRole } from './models/user.model';

const PROFILE_ATTRIBUTES = ['id', 'firstName', 'lastName', 'email', 'role', 'schoolId', 'maxStudents', 'isActive'];

/** Nurses: profiles (cached 15 minutes) and their current workload. */
@Injectable()
export class UsersService {
  constructor(
    @InjectModel(User) private readonly users: typeof User,
    @InjectModel(Student) private readonly students: typeof Student,
  ) {}

  /** A page of nurses (by last name), cached 15 minutes. */
  findNurses(filter: NurseFilterDto): Promise<User[]> {
    return this.users.findAll({
      where: { role: UserRole.Nurse, ...(filter.schoolId ? { schoolId: filter.schoolId } : {}) },
      attributes: PROFILE_ATTRIBUTES,
      order: [
        ['lastName', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: filter.limit,
      offset: (filter.page - 1) * filter.limit,
      ...cached(CacheTtlSeconds.userProfile, 'user_profile'),
    });
  }

  /** Profile plus workload: the cached profile and an uncached count, in parallel. */
  async findNurse(id: string): Promise<{ nurse: User; workload: number }> {
    const [nurse, workload] = await Promise.all([
      this.users.findOne({ where: { id, role: UserRole.Nurse }, attributes: PROFILE_ATTRIBUTES, ...cached(CacheTtlSeconds.userProfile, 'user_profile') }),
      this.students.count({ where: { nurseId: id, isActive: true } }),
    ]);
    if (!nurse) throw new NotFoundException('Nurse not found');
    return { nurse, workload };
  }
}
