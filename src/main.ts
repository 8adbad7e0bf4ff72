import { Logger } from '@nestjs/common';

import { GracefulShutdown } from './common/graceful-shutdown.js';
import { createStartupFailureLogger } from './common/logging.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './configure-app.js';
import { PolicyValidationError } from './workflow/policy/policy-schema.js';

async function main(): Promise<void> {
  // Everything the service writes (database, WAL, evidence, anything later) is for its own user alone, whatever
  // the umask of the shell that started it; the data files are also created with explicit modes
  // (common/private-files.ts), which covers scripts and tests that do not pass through here.
  process.umask(0o077);
  const config = loadConfig();
  const app = await createApp(config);
  new GracefulShutdown({
    server: app.getHttpServer(),
    closeApplication: () => app.close(),
    drainMs: config.SHUTDOWN_DRAIN_MS,
    logger: new Logger('Shutdown'),
    exit: (code) => process.exit(code),
  }).install();
  await app.listen({ port: config.PORT, host: config.HOST });
  const url = `http://${config.HOST}:${config.PORT}`;
  new Logger('Main').log({ msg: `case-review service listening on ${url} (OpenAPI at /docs)`, url, pid: process.pid });
}

main().catch((error: unknown) => {
  // Configuration and policy errors name the variable or file and field: log just that. The service's own
  // logger may not exist yet (the configuration chooses its format), so this one line goes to standard error,
  // JSON like every other line the service writes, or readable on a terminal.
  const expected = error instanceof ConfigError || error instanceof PolicyValidationError;
  const log = createStartupFailureLogger();
  if (expected) {
    log.fatal({ context: 'Main' }, (error as Error).message);
  } else {
    log.fatal({ context: 'Main', err: error }, 'start-up failed');
  }
  process.exit(1);
});
