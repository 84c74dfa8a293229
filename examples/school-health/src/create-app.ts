import 'reflect-metadata';
import { INestApplication, LoggerService, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { RequestLoggingInterceptor } from './common/interceptors/request-logging.interceptor';
import { AppConfig, loadConfig } from './database/app-config';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Configuration; anything missing is read from the environment by `loadConfig`. @default loadConfig(process.env) */
  config?: Partial<AppConfig>;
  /** Nest logger, log levels, or false to silence it. @default Nest's console logger */
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * Builds the configured (not yet listening) Nest application: global validation (whitelist,
 * transform, 400 with the failing constraints), the PHI-safe exception filter and request log.
 * Call `app.listen(port)` or `app.init()`; `app.close()` releases the pool and Redis.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<INestApplication> {
  const config: AppConfig = { ...loadConfig(), ...options.config };
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: options.logger, bufferLogs: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalInterceptors(new RequestLoggingInterceptor());
  app.enableShutdownHooks();
  return app;
}
