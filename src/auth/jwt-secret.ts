import { randomBytes } from 'node:crypto';

import type { DataSource } from 'typeorm';

import type { AppConfig } from '../config/app-config.js';
import { ServiceSettingsRepository } from '../repositories/service-settings.repository.js';

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
  await ServiceSettingsRepository.insertIfAbsent(dataSource, SETTING, randomBytes(32).toString('hex'));
  const secret = await ServiceSettingsRepository.valueOf(dataSource, SETTING);
  if (secret === undefined) {
    throw new Error(`service_settings: no ${SETTING} after inserting one`);
  }
  return secret;
}
