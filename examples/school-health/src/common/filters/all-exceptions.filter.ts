import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { PoolBusyError } from '@querylens/sequelize';
import { toErrorBody } from './error-body';

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
    const body = toErrorBody(exception);
    if (exception instanceof PoolBusyError) response.setHeader('Retry-After', '1');
    if (body.statusCode >= 500) {
      const code = (exception as { parent?: { code?: string } })?.parent?.code;
      this.logger.error(`Unhandled ${(exception as Error)?.name ?? typeof exception}${code ? ` (SQLSTATE ${code})` : ''}`);
    }
    response.status(body.statusCode).json(body);
  }
}
