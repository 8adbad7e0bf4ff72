import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { ManualClock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/app-config.js';
import { createApp } from '../../src/configure-app.js';
import { DirectoryService } from '../../src/users/directory.service.js';
import type { Role } from '../../src/workflow/case-types.js';
import { NEW_CASE, TOLERABLE_ASSESSMENT } from './case-inputs.js';
import { TestDatabase } from './test-database.js';

export { NEW_CASE, TOLERABLE_ASSESSMENT };

/** Passes the password rules (auth/password-rules.ts): it must not contain the username `admin`. */
export const ADMIN_PASSWORD = 'tests-root-password-2026';
const PASSWORD = 'password-for-tests';

export interface TestUser {
  id: string;
  username: string;
  token: string;
  unitId: string;
  roles: Role[];
}

/**
 * The real application (same pipes, filters, limits as production) on a fresh database — a temporary
 * SQLite file, or a new PostgreSQL database when the suite runs on PostgreSQL (test-database.ts) —
 * schema from the migrations, with a clock the test controls. Given `DATABASE_PATH` (and on PostgreSQL
 * `DATABASE_URL`), e.g. `other.database.env`, it opens that existing database instead: a restart.
 */
export class TestApp {
  private counter = 0;

  private constructor(
    readonly app: NestFastifyApplication,
    readonly clock: ManualClock,
    readonly dataDir: string,
    readonly database: TestDatabase,
    readonly rootUnitId: string,
    private readonly ownsDatabase: boolean,
  ) {}

  /** `logLines`: the JSON log lines are parsed into it (logging at LOG_LEVEL, silent unless `env` sets one). */
  static async start(env: Record<string, string> = {}, logLines?: Array<Record<string, unknown>>): Promise<TestApp> {
    const dataDir = mkdtempSync(join(tmpdir(), 'case-review-test-'));
    const reused = env.DATABASE_PATH !== undefined;
    const database = reused ? TestDatabase.existing(env) : await TestDatabase.create(dataDir);
    const config = loadConfig({
      NODE_ENV: 'test',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'silent',
      ...env,
      ...database.env,
    });
    const clock = new ManualClock();
    const destination = logLines && { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) };
    const app = await createApp(config, clock, destination);
    const units = await app.get(DirectoryService).listUnits();
    return new TestApp(app, clock, dataDir, database, units[0].id, !reused);
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  async login(username: string, password: string): Promise<string> {
    const response = await this.http.post('/auth/login').send({ username, password }).expect(200);
    return (response.body as { accessToken: string }).accessToken;
  }

  adminToken(): Promise<string> {
    return this.login('admin', ADMIN_PASSWORD);
  }

  async createUnit(name: string, parentId: string = this.rootUnitId): Promise<string> {
    const unit = await this.app.get(DirectoryService).createUnit(name, parentId);
    return unit.id;
  }

  /** A user created through the directory service, logged in through the real login route. */
  async user(roles: Role[], unitId: string = this.rootUnitId): Promise<TestUser> {
    const username = `${roles.join('-')}-${++this.counter}`;
    const created = await this.app.get(DirectoryService).createUser({
      username,
      password: PASSWORD,
      displayName: username,
      roles,
      unitId,
    });
    return { id: created.id, username, token: await this.login(username, PASSWORD), unitId, roles };
  }

  async stop(): Promise<void> {
    await this.app.close();
    if (this.ownsDatabase) {
      await this.database.drop();
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const auth = (user: TestUser | string) => ({
  Authorization: `Bearer ${typeof user === 'string' ? user : user.token}`,
});
