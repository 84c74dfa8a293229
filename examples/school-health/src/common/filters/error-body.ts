import { HttpException, HttpStatus } from '@nestjs/common';
import { DatabaseError, ForeignKeyConstraintError, UniqueConstraintError, ValidationError } from 'sequelize';
import { PoolBusyError } from '@querylens/sequelize';

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status] ?? 'ERROR';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** PostgreSQL SQLSTATEs caused by bad client input (invalid text representation, numeric out of range, ...). */
const CLIENT_SQLSTATES = new Set(['22P02', '22003', '22007', '22008', '22001']);

/**
 * Maps any thrown value to a status and a fixed, value-free message (database messages carry
 * row values, so they are never used). Shared by the filter and the request log.
 */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const body = typeof res === 'string' ? { message: res } : (res as { message?: string | string[]; error?: string });
    return { statusCode: status, error: body.error ?? reasonPhrase(status), message: body.message ?? exception.message };
  }
  if (exception instanceof UniqueConstraintError) {
    const fields = Object.keys(exception.fields ?? {}).join(', ') || 'a unique field';
    return { statusCode: 409, error: 'Conflict', message: `A record with the same ${fields} already exists` };
  }
  if (exception instanceof ForeignKeyConstraintError) {
    return { statusCode: 400, error: 'Bad Request', message: 'The request references a record that does not exist' };
  }
  if (exception instanceof ValidationError) {
    const paths = [...new Set(exception.errors.map((e) => e.path ?? 'value'))].join(', ');
    return { statusCode: 400, error: 'Bad Request', message: `Invalid value for: ${paths}` };
  }
  if (exception instanceof PoolBusyError) {
    return { statusCode: 503, error: 'Service Unavailable', message: 'The database is busy; retry shortly' };
  }
  if (exception instanceof DatabaseError && CLIENT_SQLSTATES.has((exception.parent as { code?: string })?.code ?? '')) {
    return { statusCode: 400, error: 'Bad Request', message: 'A parameter has an invalid format' };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
}
