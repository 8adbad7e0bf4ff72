import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { type LoginLimitRow, LoginLimitsRepository } from '../repositories/login-limits.repository.js';

/** The first delay once a key reached its limit; each further attempt doubles it, up to LOGIN_WINDOW_MS. */
const FIRST_DELAY_MS = 1000;
/** Expired counters are deleted at most this often per instance. */
const PRUNE_EVERY_MS = 60_000;

const keys = (username: string, address: string) => ({ pair: `u:${address}|${username.toLowerCase()}`, address: `a:${address}` });

/**
 * Limits password guessing (POST /auth/login, and the current password of POST /me/password) with counters
 * in the database, so every instance on one PostgreSQL shares them, written through the unit of work like
 * any other table (on SQLite nothing may open a connection of its own or run outside the queue).
 *
 * Two counters per failure: the (username, client address) pair, LOGIN_MAX_FAILURES before delays start,
 * and the client address alone, LOGIN_MAX_FAILURES_PER_ADDRESS (password spraying: one password over many
 * usernames). Past its limit a key must wait 1 s, then 2 s, 4 s, … (at most LOGIN_WINDOW_MS) before its
 * next attempt; a key forgets its failures after LOGIN_WINDOW_MS without one. Nobody can lock an account
 * for its owner any more: the owner's address has counters of its own. Successful logins are not counted.
 */
@Injectable()
export class LoginThrottle {
  private nextPruneMs = 0;
  private readonly attempts = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Runs one attempt per (username, address) at a time on this instance. Without this, parallel guesses
   * all pass the check before the first failure is recorded (argon2 is slow and async). Across instances
   * up to one guess per instance can be in flight; the counters still see every one of them.
   */
  exclusive<T>(username: string, address: string, attempt: () => Promise<T>): Promise<T> {
    const key = keys(username, address).pair;
    const result = (this.attempts.get(key) ?? Promise.resolve()).then(attempt);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.attempts.set(key, settled);
    void settled.then(() => {
      if (this.attempts.get(key) === settled) {
        this.attempts.delete(key);
      }
    });
    return result;
  }

  /** 429 while the pair or the address must wait. */
  check(username: string, address: string): Promise<void> {
    const { pair, address: alone } = keys(username, address);
    return this.uow.read(async (manager) => {
      const now = this.clock.now();
      const rows = await LoginLimitsRepository.countersOf(manager, [pair, alone]);
      const waitMs = Math.max(0, ...rows.map((row) => (row.blocked_until ? Date.parse(row.blocked_until) - now.getTime() : 0)));
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw DomainError.tooManyRequests([{ field: 'username', message: `too many failed logins; retry in ${seconds} s` }], seconds);
      }
    });
  }

  recordFailure(username: string, address: string): Promise<void> {
    const { pair, address: alone } = keys(username, address);
    const limits: Array<[string, number]> = [
      [pair, this.config.LOGIN_MAX_FAILURES],
      [alone, this.config.LOGIN_MAX_FAILURES_PER_ADDRESS],
    ];
    return this.uow.run(async (manager) => {
      const now = this.clock.now();
      const at = now.toISOString();
      await this.prune(manager, now);
      for (const [key, limit] of limits) {
        const count = ((await this.current(manager, key, at))?.failures ?? 0) + 1;
        const delay = count >= limit ? Math.min(FIRST_DELAY_MS * 2 ** Math.min(count - limit, 30), this.config.LOGIN_WINDOW_MS) : 0;
        const blockedUntil = delay > 0 ? new Date(now.getTime() + delay).toISOString() : null;
        const expiresAt = new Date(now.getTime() + Math.max(this.config.LOGIN_WINDOW_MS, delay)).toISOString();
        await LoginLimitsRepository.recordFailures(manager, key, { failures: count, lastFailureAt: at, blockedUntil, expiresAt });
      }
    });
  }

  /** The password was right: the pair starts over. The address keeps its count, or a sprayer's own valid logins would reset it. */
  succeeded(username: string, address: string): Promise<void> {
    return this.uow.run(async (manager) => {
      await LoginLimitsRepository.delete(manager, keys(username, address).pair);
    });
  }

  /** The key's counter now (locked until the unit of work ends on PostgreSQL), or null when it has run out. */
  private async current(manager: EntityManager, key: string, at: string): Promise<LoginLimitRow | null> {
    const row = await LoginLimitsRepository.lockOrCreate(manager, key, at);
    return row && row.expires_at > at ? { ...row, failures: Number(row.failures) } : null;
  }

  private async prune(manager: EntityManager, now: Date): Promise<void> {
    if (now.getTime() < this.nextPruneMs) {
      return;
    }
    this.nextPruneMs = now.getTime() + PRUNE_EVERY_MS;
    await LoginLimitsRepository.deleteExpired(manager, now.toISOString());
  }
}
