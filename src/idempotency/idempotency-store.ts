import { AsyncLocalStorage } from 'node:async_hooks';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '../common/clock.js';
import { runSql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** One request sent with an Idempotency-Key, as its command sees it. */
export interface IdempotentRequest {
  userId: string;
  key: string;
  route: string;
  requestHash: string;
  /** set once the command's transaction inserted the key */
  claimed: boolean;
}

export interface StoredAnswer {
  requestHash: string;
  /** null: the command committed, its answer is not recorded yet (in progress, or the process died between) */
  statusCode: number | null;
  body: string | null;
  headers: Record<string, string>;
}

/**
 * The idempotency keys table. The interceptor puts the request in `context`; the command claims the key
 * inside its own transaction (`claimIn`), so a command that rolls back leaves no key and one that commits
 * always has it; the answer is added afterwards (`complete`).
 */
@Injectable()
export class IdempotencyStore {
  readonly context = new AsyncLocalStorage<IdempotentRequest>();

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Called by each creating command inside the transaction that writes it; nothing without a key. */
  async claimIn(manager: EntityManager): Promise<void> {
    const request = this.context.getStore();
    if (!request || request.claimed) {
      return;
    }
    const now = this.clock.now();
    // A key past its 24 hours that the sweep has not removed yet is forgotten here.
    await runSql(manager, 'DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND route = ? AND created_at < ?', [
      request.userId,
      request.key,
      request.route,
      this.oldest(now),
    ]);
    await runSql(
      manager,
      'INSERT INTO idempotency_keys (user_id, idempotency_key, route, request_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      [request.userId, request.key, request.route, request.requestHash, now.toISOString()],
    );
    request.claimed = true;
  }

  /** The remembered answer for this user, key and route (null: none within 24 hours). */
  async find(userId: string, key: string, route: string): Promise<StoredAnswer | null> {
    const { rows } = await this.uow.read((manager) =>
      runSql<{ request_hash: string; status_code: number | null; response_body: string | null; response_headers: string | null }>(
        manager,
        'SELECT request_hash, status_code, response_body, response_headers FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND route = ? AND created_at >= ?',
        [userId, key, route, this.oldest(this.clock.now())],
      ),
    );
    const row = rows[0];
    if (!row) {
      return null;
    }
    return {
      requestHash: row.request_hash,
      statusCode: row.status_code === null ? null : Number(row.status_code),
      body: row.response_body,
      headers: row.response_headers ? (JSON.parse(row.response_headers) as Record<string, string>) : {},
    };
  }

  async complete(request: IdempotentRequest, statusCode: number, body: string, headers: Record<string, string>): Promise<void> {
    await this.uow.run((manager) =>
      runSql(
        manager,
        'UPDATE idempotency_keys SET status_code = ?, response_body = ?, response_headers = ? WHERE user_id = ? AND idempotency_key = ? AND route = ?',
        [statusCode, body, JSON.stringify(headers), request.userId, request.key, request.route],
      ),
    );
  }

  /** Removes keys older than 24 hours; returns how many. */
  async sweep(): Promise<number> {
    const { affected } = await this.uow.run((manager) =>
      runSql(manager, 'DELETE FROM idempotency_keys WHERE created_at < ?', [this.oldest(this.clock.now())]),
    );
    return affected;
  }

  private oldest(now: Date): string {
    return new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  }
}
