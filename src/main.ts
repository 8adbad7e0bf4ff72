import { ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './configure-app.js';
import { PolicyValidationError } from './workflow/policy/policy-schema.js';

async function main(): Promise<void> {
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
