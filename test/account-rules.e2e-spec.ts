import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { loadConfig } from '../src/config/app-config.js';
import { createApp } from '../src/configure-app.js';
import { databaseOptions } from '../src/database/data-source-options.js';
import { openDatabase } from '../src/database/open-database.js';
import { expectRefusal } from './support/expectations.js';
import { ADMIN_PASSWORD, auth, TestApp } from './support/test-app.js';
import { TestDatabase } from './support/test-database.js';

/**
 * Issue 16: passwords were checked for length alone (`aaaaaaaaaaaa`, `password1234` and the username itself
 * were accepted), and `Officer` could be created beside `officer`.
 */
describe('account rules', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.adminToken();
  });
  afterAll(() => t.stop());

  const create = (username: string, password: string) =>
    t.http
      .post('/users')
      .set(auth(admin))
      .send({ username, password, displayName: username, roles: ['officer'], unitId: t.rootUnitId });
  const usernames = async () => (await t.http.get('/users').set(auth(admin)).expect(200)).body.map((u: { username: string }) => u.username);

  describe('password rules', () => {
    it.each([
      ['aaaaaaaaaaaa', /^password: is too easy to guess/],
      ['password1234', /^password: is too easy to guess/],
      ['wang.fang.2026', /^password: must not contain the username/],
      ['gnaf.gnaw-2026-river', /^password: must not contain the username/],
    ])('refuses %s for a new user (422 naming password), creating nothing', async (password, message) => {
      const response = await create('wang.fang', password);
      expectRefusal(response, 422, message);
      expect(response.body.fields).toEqual([{ field: 'password', message: expect.any(String) }]);
      expect(await usernames()).not.toContain('wang.fang');
    });

    it('refuses a weak ADMIN_PASSWORD when creating the first admin, naming the variable', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'admin-password-'));
      const empty = await TestDatabase.create(dir);
      try {
        const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...empty.env, ADMIN_PASSWORD: 'admin-password-2026' });
        await expect(createApp(config)).rejects.toThrow('ADMIN_PASSWORD: must not contain the username');
        expect((await empty.query('SELECT id FROM users')).rows).toEqual([]);
      } finally {
        await empty.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('usernames whatever their case', () => {
    it('refuses `Officer` beside `officer` (409), and finds the user at login whatever the case', async () => {
      await create('case.officer', 'lantern-orchard-velvet-42').expect(201);
      expectRefusal(await create('Case.Officer', 'lantern-orchard-velvet-43'), 409, 'username: already taken');
      expect((await create('Case.Officer', 'lantern-orchard-velvet-43')).body.refusal).toBe('DUPLICATE');
      expect((await usernames()).filter((name: string) => name.toLowerCase() === 'case.officer')).toEqual(['case.officer']);
      const login = await t.http.post('/auth/login').send({ username: 'CASE.Officer', password: 'lantern-orchard-velvet-42' }).expect(200);
      expect(login.body.user.username).toBe('case.officer');
    });

    it('stops the migration of a database that already holds such a pair, naming it, and changes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'username-case-'));
      const old = await TestDatabase.create(dir);
      const first = await TestApp.start({ ...old.env });
      try {
        // The database as it was before migration 1769010000000: no case-insensitive index, and a pair.
        await old.query('DROP INDEX idx_users_username_lower');
        await old.query("DELETE FROM migrations WHERE name IN ('UsernameCase1769010000000', 'LoginLimits1769020000000')");
        await old.query('DROP TABLE login_limits');
        const [unit] = (await old.query<{ id: string }>('SELECT id FROM units')).rows;
        for (const [id, name] of [
          ['00000000-0000-4000-8000-0000000000a1', 'Officer'],
          ['00000000-0000-4000-8000-0000000000a2', 'officer'],
        ]) {
          await old.query(
            "INSERT INTO users (id, username, display_name, password_hash, roles, unit_id, created_at) VALUES (?, ?, ?, 'x', '[\"officer\"]', ?, '2026-01-01T00:00:00.000Z')",
            id,
            name,
            name,
            unit.id,
          );
        }
        // What start-up runs first (TypeOrmModule would retry it ten times, then exit the process).
        const config = loadConfig({ NODE_ENV: 'test', ...old.env });
        await expect(openDatabase(databaseOptions(config))).rejects.toThrow(/usernames that differ only in case exist \(officer\)/);
        expect((await old.query("SELECT name FROM migrations WHERE name = 'UsernameCase1769010000000'")).rows).toEqual([]);
      } finally {
        await first.app.close();
        await old.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('keeps the test helpers’ and the bootstrap’s passwords valid', async () => {
    await t.login('admin', ADMIN_PASSWORD);
  });
});
