import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DatabaseError, ForeignKeyConstraintError, UniqueConstraintError, ValidationError } from 'sequelize';
import { PoolBusyError } from '@querylens/sequelize';

interface ErrorBody {
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
 * Turns every error into a JSON response without echoing stored values.
 * Database error messages carry row values (`Key (ssn)=(...) already exists`), so they are
 * never sent or logged: the client gets a fixed message naming at most the columns involved,
 * and the log line carries only the error class and SQLSTATE.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (exception instanceof PoolBusyError) response.setHeader('Retry-After', '1');
    if (body.statusCode >= 500) {
      const code = (exception as { parent?: { code?: string } })?.parent?.code;
      this.logger.error(`Unhandled ${(exception as Error)?.name ?? typeof exception}${code ? ` (SQLSTATE ${code})` : ''}`);
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
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
}
