import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate, type ExecutionContext, Inject, Injectable, Logger, type OnModuleInit,
  ServiceUnavailableException, UnauthorizedException,
} from '@nestjs/common';
import { MONITORING_OPTIONS, type ResolvedMonitoringOptions } from '../monitoring.options';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Requires `Authorization: Bearer <MONITORING_TOKEN>` on the monitoring endpoints.
 * The token is compared in constant time (`timingSafeEqual` on SHA-256 digests,
 * which have equal length whatever the input). Without a configured token the
 * endpoints answer 503: monitoring data is never served unauthenticated.
 */
@Injectable()
export class MonitoringTokenGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger(MonitoringTokenGuard.name);
  private readonly expected: Buffer | undefined;

  constructor(@Inject(MONITORING_OPTIONS) options: ResolvedMonitoringOptions) {
    this.expected = options.token ? digest(options.token) : undefined;
    if (options.token && options.token.length < 16) {
      this.logger.warn('MONITORING_TOKEN is shorter than 16 characters; use a long random value');
    }
  }

  onModuleInit(): void {
    if (!this.expected) {
      this.logger.warn('MONITORING_TOKEN is not set: /monitoring/* endpoints answer 503 until it is');
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new ServiceUnavailableException('Monitoring is disabled: MONITORING_TOKEN is not set');
    }
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = req.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const match = typeof value === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      const res = context.switchToHttp().getResponse<{ setHeader?: (name: string, value: string) => void }>();
      res.setHeader?.('WWW-Authenticate', 'Bearer realm="monitoring"');
      throw new UnauthorizedException('A valid bearer token is required');
    }
    return true;
  }
}
