import { randomBytes } from 'node:crypto';

import type { DataSource } from 'typeorm';

import type { AppConfig } from '../config/app-config.js';

const SETTING = 'jwt-secret';

/**
 * JWT_SECRET when set; otherwise (not production) a random secret generated once and kept in the
 * database (table service_settings), so tokens survive a restart and every instance on one PostgreSQL
 * signs and accepts the same tokens. The first instance to insert wins; the rest read its value.
 */
export async function resolveJwtSecret(config: AppConfig, dataSource: DataSource): Promise<string> {
  if (config.JWT_SECRET) {
    return config.JWT_SECRET;
  }
  const postgres = dataSource.options.type === 'postgres';
  const [insert, select] = postgres ? ['$1, $2', '$1'] : ['?, ?', '?'];
  await dataSource.query(`INSERT INTO service_settings (key, value) VALUES (${insert}) ON CONFLICT (key) DO NOTHING`, [
    SETTING,
    randomBytes(32).toString('hex'),
  ]);
  const rows = await dataSource.query<Array<{ value: string }>>(`SELECT value FROM service_settings WHERE key = ${select}`, [SETTING]);
  return rows[0].value;
}
