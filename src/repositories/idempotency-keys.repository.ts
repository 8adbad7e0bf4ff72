import type { EntityManager } from 'typeorm';

import { runSql } from '../database/sql.js';

/** A key's row: whose request, on which route. */
export interface IdempotencyKeyId {
  userId: string;
  key: string;
  route: string;
}

/** A key's stored answer, as stored. */
export interface IdempotencyKeyRow {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  response_headers: string | null;
}

/** The `idempotency_keys` table (idempotency/idempotency-store.ts): one row per (user, key, route). */
export class IdempotencyKeysRepository {
  /** Removes this one key if it was created before `oldest`. */
  static async deleteIfOlder(manager: EntityManager, id: IdempotencyKeyId, oldest: string): Promise<void> {
    await runSql(manager, 'DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND route = ? AND created_at < ?', [
      id.userId,
      id.key,
      id.route,
      oldest,
    ]);
  }

  /** A plain INSERT, never an upsert: a key claimed first by another instance fails on the primary key (idempotency.interceptor.ts). */
  static async insert(manager: EntityManager, id: IdempotencyKeyId, requestHash: string, createdAt: string): Promise<void> {
    await runSql(
      manager,
      'INSERT INTO idempotency_keys (user_id, idempotency_key, route, request_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      [id.userId, id.key, id.route, requestHash, createdAt],
    );
  }

  /** The key's row if it was created at or after `oldest`. */
  static async findSince(manager: EntityManager, id: IdempotencyKeyId, oldest: string): Promise<IdempotencyKeyRow | undefined> {
    const { rows } = await runSql<IdempotencyKeyRow>(
      manager,
      'SELECT request_hash, status_code, response_body, response_headers FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND route = ? AND created_at >= ?',
      [id.userId, id.key, id.route, oldest],
    );
    return rows[0];
  }

  static async recordAnswer(
    manager: EntityManager,
    id: IdempotencyKeyId,
    answer: { statusCode: number; body: string; headers: string },
  ): Promise<void> {
    await runSql(
      manager,
      'UPDATE idempotency_keys SET status_code = ?, response_body = ?, response_headers = ? WHERE user_id = ? AND idempotency_key = ? AND route = ?',
      [answer.statusCode, answer.body, answer.headers, id.userId, id.key, id.route],
    );
  }

  /** Removes every key created before `oldest`; returns how many. */
  static async deleteOlderThan(manager: EntityManager, oldest: string): Promise<number> {
    const { affected } = await runSql(manager, 'DELETE FROM idempotency_keys WHERE created_at < ?', [oldest]);
    return affected;
  }
}
