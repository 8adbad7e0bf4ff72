import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/**
 * JWT_SECRET when set; otherwise (not production) a random secret kept beside the database so tokens
 * survive a restart of a development instance.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.JWT_SECRET) {
    return config.JWT_SECRET;
  }
  const folder = config.DATABASE_PATH === ':memory:' ? null : dirname(config.DATABASE_PATH);
  if (!folder) {
    return randomBytes(32).toString('hex');
  }
  const file = join(folder, 'jwt-secret');
  if (existsSync(file)) {
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(folder, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
