import { Inject, Injectable } from '@nestjs/common';

import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AccountsRepository } from '../repositories/accounts.repository.js';
import { RevokedTokensRepository } from '../repositories/revoked-tokens.repository.js';
import type { Role } from '../workflow/case-types.js';

/** What the guard compares a token with: the account as it stands now. */
export interface AccountState {
  roles: Role[];
  unitId: string;
  disabled: boolean;
  mustChangePassword: boolean;
  tokenGeneration: number;
  /** `jti`s of this account's tokens ended by a logout and not yet expired */
  revokedTokenIds: ReadonlySet<string>;
}

interface Entry {
  state: AccountState | null;
  readAtMs: number;
}

/** Past this many accounts the memo starts over (a memo entry per user active within ACCOUNT_CACHE_MS). */
const REMEMBERED_MAX = 10_000;

/**
 * The accounts behind tokens, read by primary key and remembered for ACCOUNT_CACHE_MS (default 1 s).
 * A change made through this instance (logout, password change or reset, PATCH /users/:id) forgets the
 * account at once, so its old tokens stop working on the next request; a change made by another instance
 * on the same PostgreSQL, or by hand in the database, is seen within ACCOUNT_CACHE_MS. The cost is one
 * primary-key read per active user per interval per instance, not one per request (docs/architecture.md).
 */
@Injectable()
export class AccountStates {
  private readonly remembered = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<AccountState | null>>();
  /** Raised by every `forget`: a read that began before a change does not remember what it read. */
  private changes = 0;

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The account now, or null when it no longer exists. */
  async get(userId: string): Promise<AccountState | null> {
    const known = this.remembered.get(userId);
    const now = this.clock.now().getTime();
    if (known && now - known.readAtMs < this.config.ACCOUNT_CACHE_MS && now >= known.readAtMs) {
      return known.state;
    }
    // Requests of one user that arrive together share one read.
    let pending = this.reading.get(userId);
    if (!pending) {
      pending = this.read(userId).finally(() => this.reading.delete(userId));
      this.reading.set(userId, pending);
    }
    return pending;
  }

  /** Called after this instance changed the account: its next request reads it again. */
  forget(userId: string): void {
    this.changes += 1;
    this.remembered.delete(userId);
    this.reading.delete(userId);
  }

  private async read(userId: string): Promise<AccountState | null> {
    const readAtMs = this.clock.now().getTime();
    const changesBefore = this.changes;
    // Token expiry is wall-clock time (jsonwebtoken checks it against Date.now()), so revocations are too.
    const [row, revoked] = await this.uow.read(async (manager) => [
      await AccountsRepository.stateOf(manager, userId),
      await RevokedTokensRepository.activeIdsOf(manager, userId, new Date().toISOString()),
    ]);
    const state: AccountState | null = row
      ? {
          roles: JSON.parse(row.roles) as Role[],
          unitId: row.unit_id,
          disabled: Boolean(row.disabled),
          mustChangePassword: Boolean(row.must_change_password),
          tokenGeneration: Number(row.token_generation),
          revokedTokenIds: new Set(revoked),
        }
      : null;
    if (this.config.ACCOUNT_CACHE_MS > 0 && this.changes === changesBefore) {
      if (this.remembered.size >= REMEMBERED_MAX) {
        this.remembered.clear();
      }
      this.remembered.set(userId, { state, readAtMs });
    }
    return state;
  }
}
