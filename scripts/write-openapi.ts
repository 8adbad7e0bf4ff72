/**
 * Writes the service's OpenAPI description (the `/docs-json` document) to a file without serving anything:
 * `npm run openapi -- [file]` (default dist/openapi.json). A client generator reads the file, e.g.
 * `npx openapi-typescript dist/openapi.json -o api.d.ts`. The app is built on a throwaway SQLite database,
 * as the description depends only on the code.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { openApiDocument } from '../src/common/openapi.js';
import { loadConfig } from '../src/config/app-config.js';
import { createApp } from '../src/configure-app.js';
import { runScript } from './run-script.js';

runScript('openapi', async () => {
  const target = resolve(process.argv[2] ?? 'dist/openapi.json');
  const dataDir = mkdtempSync(join(tmpdir(), 'case-review-openapi-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      DATABASE_PATH: join(dataDir, 'openapi.sqlite'),
      ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      JWT_SECRET: randomBytes(32).toString('base64url'),
    });
    const app = await createApp(config);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${target}: OpenAPI description written\n`);
});
