import type { EntityManager } from 'typeorm';

import { runSql } from '../database/sql.js';

/** The `revoked_tokens` table: ids (`jti`) of tokens ended by a logout, kept until they would have expired anyway. */
export class RevokedTokensRepository {
  /** The account's revoked tokens that have not expired at `now`. */
  static async activeIdsOf(manager: EntityManager, userId: string, now: string): Promise<string[]> {
    const { rows } = await runSql<{ jti: string }>(manager, 'SELECT jti FROM revoked_tokens WHERE user_id = ? AND expires_at > ?', [
      userId,
      now,
    ]);
    return rows.map((r) => r.jti);
  }

  static async deleteExpired(manager: EntityManager, userId: string, now: string): Promise<void> {
    await runSql(manager, 'DELETE FROM revoked_tokens WHERE user_id = ? AND expires_at <= ?', [userId, now]);
  }

  static async add(manager: EntityManager, token: { jti: string; userId: string; expiresAt: string }): Promise<void> {
    await runSql(manager, 'INSERT INTO revoked_tokens (jti, user_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING', [
      token.jti,
      token.userId,
      token.expiresAt,
    ]);
  }
}
