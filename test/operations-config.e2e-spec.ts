import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { AppConfig } from '../src/config/app-config.js';
import { TestApp } from './support/test-app.js';

/** What an operator sets or reads at start-up: token lifetimes that work, the first admin's password. */
describe('start-up settings', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('signs tokens with the lifetime JWT_EXPIRES_IN names, read as a duration with a unit', async () => {
    t = await TestApp.start({ JWT_EXPIRES_IN: '2 days' });
    const token = await t.adminToken();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(2 * 24 * 3600);
  });

  it('writes a generated admin password to an owner-only file, not to the log, when no one watches a terminal', async () => {
    const lines: Array<Record<string, unknown>> = [];
    t = await TestApp.start({ ADMIN_PASSWORD: '', LOG_LEVEL: 'info' }, lines);
    const file = join(dirname(t.app.get(AppConfig).DATABASE_PATH), 'initial-admin-password');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    await t.login('admin', password);
    expect(JSON.stringify(lines)).not.toContain(password);
    expect(lines).toContainEqual(expect.objectContaining({ context: 'AdminBootstrap', file, level: 40 }));
  });
});
