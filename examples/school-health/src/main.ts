import { Logger } from '@nestjs/common';
import { createApp } from './create-app';
import { loadConfig } from './database/app-config';

/**
 * Starts the app on `PORT` (default 3000). Run it instrumented with
 * `node --require @querylens/node/register dist/main.js`.
 */
export async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp({ config });
  await app.listen(config.port);
  new Logger('Bootstrap').log(`White Cross school-health listening on port ${config.port}`);
}

export { createApp };

if (require.main === module) {
  bootstrap().catch((err: Error) => {
    // Startup errors can carry connection strings or SQL: log the class and a safe message only.
    new Logger('Bootstrap').error(`Startup failed: ${err.name}${(err as { code?: string }).code ? ` (${(err as { code?: string }).code})` : ''}`);
    process.exit(1);
  });
}
