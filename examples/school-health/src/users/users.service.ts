import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { CacheTtlSeconds, cached } from '../database/cache-policy';
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

  findNurses(schoolId?: string): Promise<User[]> {
    return this.users.findAll({
      where: { role: UserRole.Nurse, ...(schoolId ? { schoolId } : {}) },
      attributes: PROFILE_ATTRIBUTES,
      order: [
        ['lastName', 'ASC'],
        ['id', 'ASC'],
      ],
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
