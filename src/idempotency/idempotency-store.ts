import { AsyncLocalStorage } from 'node:async_hooks';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '../common/clock.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { IdempotencyKeysRepository } from '../repositories/idempotency-keys.repository.js';

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
    await IdempotencyKeysRepository.deleteIfOlder(manager, request, this.oldest(now));
    await IdempotencyKeysRepository.insert(manager, request, request.requestHash, now.toISOString());
    request.claimed = true;
  }

  /** The remembered answer for this user, key and route (null: none within 24 hours). */
  async find(userId: string, key: string, route: string): Promise<StoredAnswer | null> {
    const row = await this.uow.read((manager) =>
      IdempotencyKeysRepository.findSince(manager, { userId, key, route }, this.oldest(this.clock.now())),
    );
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
      IdempotencyKeysRepository.recordAnswer(manager, request, { statusCode, body, headers: JSON.stringify(headers) }),
    );
  }

  /** Removes keys older than 24 hours; returns how many. */
  async sweep(): Promise<number> {
    return this.uow.run((manager) => IdempotencyKeysRepository.deleteOlderThan(manager, this.oldest(this.clock.now())));
  }

  private oldest(now: Date): string {
    return new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  }
}
