import type { EntityManager } from 'typeorm';

import { isPostgres, runSql } from '../database/sql.js';

/** One failure counter of auth/login-throttle.ts, as stored. */
export interface LoginLimitRow {
  failures: number;
  blocked_until: string | null;
  expires_at: string;
}

/** The `login_limits` table: failed-login counters per key, shared by every instance on one PostgreSQL. */
export class LoginLimitsRepository {
  /** The counters of these keys (expired ones included). */
  static async countersOf(manager: EntityManager, keys: readonly [string, string]): Promise<LoginLimitRow[]> {
    const { rows } = await runSql<LoginLimitRow>(
      manager,
      'SELECT failures, blocked_until, expires_at FROM login_limits WHERE key IN (?, ?)',
      [...keys],
    );
    return rows;
  }

  /** The key's counter, created (expired at `at`, so counted from zero) when missing; locked until the unit of work ends on PostgreSQL. */
  static async lockOrCreate(manager: EntityManager, key: string, at: string): Promise<LoginLimitRow | undefined> {
    await runSql(
      manager,
      'INSERT INTO login_limits (key, failures, last_failure_at, blocked_until, expires_at) VALUES (?, 0, ?, NULL, ?) ON CONFLICT (key) DO NOTHING',
      [key, at, at],
    );
    const lock = isPostgres(manager) ? ' FOR UPDATE' : '';
    const { rows } = await runSql<LoginLimitRow>(
      manager,
      `SELECT failures, blocked_until, expires_at FROM login_limits WHERE key = ?${lock}`,
      [key],
    );
    return rows[0];
  }

  static async recordFailures(
    manager: EntityManager,
    key: string,
    counter: { failures: number; lastFailureAt: string; blockedUntil: string | null; expiresAt: string },
  ): Promise<void> {
    await runSql(manager, 'UPDATE login_limits SET failures = ?, last_failure_at = ?, blocked_until = ?, expires_at = ? WHERE key = ?', [
      counter.failures,
      counter.lastFailureAt,
      counter.blockedUntil,
      counter.expiresAt,
      key,
    ]);
  }

  static async delete(manager: EntityManager, key: string): Promise<void> {
    await runSql(manager, 'DELETE FROM login_limits WHERE key = ?', [key]);
  }

  static async deleteExpired(manager: EntityManager, before: string): Promise<void> {
    await runSql(manager, 'DELETE FROM login_limits WHERE expires_at < ?', [before]);
  }
}
