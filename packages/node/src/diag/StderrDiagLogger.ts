import type { DiagLogger } from '@opentelemetry/api';

function format(level: string, message: string, args: unknown[]): string {
  const extra = args
    .map((a) => (a instanceof Error ? a.name : typeof a === 'string' ? a : ''))
    .filter((s) => s !== '')
    .join(' ');
  return `[querylens] ${level} ${message}${extra ? ` ${extra}` : ''}\n`;
}

/**
 * A {@link DiagLogger} writing one line per message to stderr (never stdout, which
 * belongs to the app). Installed by the register only when the user did not choose a
 * logger through `OTEL_LOG_LEVEL`. Error arguments are reduced to their name: their
 * message may carry row values (PHI) from PostgreSQL.
 */
export class StderrDiagLogger implements DiagLogger {
  error(message: string, ...args: unknown[]): void {
    this.write('error', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.write('warn', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.write('info', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.write('debug', message, args);
  }
  verbose(message: string, ...args: unknown[]): void {
    this.write('verbose', message, args);
  }

  private write(level: string, message: string, args: unknown[]): void {
    try {
      process.stderr.write(format(level, message, args));
    } catch {
      // stderr closed: nothing sensible left to do
    }
  }
}
