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
  await app.listen({ port: config.PORT, host: config.HOST });
  process.stdout.write(`case-review service listening on http://${config.HOST}:${config.PORT} (OpenAPI at /docs)\n`);
}

main().catch((error: unknown) => {
  // Configuration and policy errors name the variable or file and field: print just that.
  const expected = error instanceof ConfigError || error instanceof PolicyValidationError;
  process.stderr.write(`${expected ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
