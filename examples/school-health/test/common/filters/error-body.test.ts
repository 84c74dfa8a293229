import { expect } from 'chai';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DatabaseError, ForeignKeyConstraintError, UniqueConstraintError, ValidationError, ValidationErrorItem } from 'sequelize';
import { PoolBusyError } from '@querylens/sequelize';
import { toErrorBody } from '../../../src/common/filters/error-body';

const SSN = '771-29-4468';

function pgError(code: string, message: string): Error & { code: string; sql: string } {
  return Object.assign(new Error(message), { code, sql: `SELECT '${SSN}'` });
}

describe('error-body', () => {
  describe('.toErrorBody()', () => {
    const cases: Array<[string, unknown, number, string | string[]]> = [
      ['an HttpException to its own status and message', new NotFoundException('Student not found'), 404, 'Student not found'],
      ['a validation failure to its constraint list', new BadRequestException(['grade must not be greater than 12']), 400, ['grade must not be greater than 12']],
      [
        'a unique violation to 409 naming the column, never the value',
        new UniqueConstraintError({ message: `Key (ssn)=(${SSN}) already exists.`, fields: { ssn: SSN } } as any),
        409,
        'A record with the same ssn already exists',
      ],
      [
        'a foreign-key violation',
        new ForeignKeyConstraintError({ message: `Key (school_id)=(${SSN}) is not present`, parent: pgError('23503', SSN) as any }),
        400,
        'The request references a record that does not exist',
      ],
      ['a model validation error to 400 naming the path', new ValidationError(`bad ${SSN}`, [new ValidationErrorItem(`bad ${SSN}`, 'validation error', 'ssn', SSN, null as never, 'is', 'is', [])]), 400, 'Invalid value for: ssn'],
      ['a busy pool', new PoolBusyError('pool busy', { active: 10, idle: 0, waiting: 9, max: 10, utilizationPercent: 100 } as any), 503, 'The database is busy; retry shortly'],
      ['bad input text (22P02)', new DatabaseError(pgError('22P02', `invalid input syntax for type uuid: "${SSN}"`) as any), 400, 'A parameter has an invalid format'],
      ['any other database error', new DatabaseError(pgError('XX000', `internal ${SSN}`) as any), 500, 'Internal server error'],
      ['a plain Error', new Error(`boom ${SSN}`), 500, 'Internal server error'],
      ['a thrown string', SSN, 500, 'Internal server error'],
    ];
    for (const [name, exception, status, message] of cases) {
      it(`maps ${name}`, () => {
        const body = toErrorBody(exception);
        expect(body.statusCode).to.equal(status);
        expect(body.message).to.deep.equal(message);
        expect(JSON.stringify(body)).not.to.contain(SSN);
      });
    }
  });
});
