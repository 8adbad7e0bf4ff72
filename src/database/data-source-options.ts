import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

import type { DataSourceOptions } from 'typeorm';

import { AccessLogEntity } from '../audit/access-log.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { CaseEntity } from '../cases/case.entity.js';
import { CorrectiveActionEntity } from '../cases/corrective-action.entity.js';
import { makePrivateDir, makePrivateFile } from '../common/private-files.js';
import type { AppConfig } from '../config/app-config.js';
import { ConflictEntity } from '../conflicts/conflict.entity.js';
import { DeadlineEntity } from '../deadlines/deadline.entity.js';
import { EvidenceEntity } from '../evidence/evidence.entity.js';
import { NotificationEntity } from '../notifications/notification.entity.js';
import { UnitEntity } from '../users/unit.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { InitialSchema1767600000000 } from './migrations/1767600000000-initial-schema.js';
import { CaseLife1767700000000 } from './migrations/1767700000000-case-life.js';
import { Evidence1767800000000 } from './migrations/1767800000000-evidence.js';
import { PartialIndexes1767900000000 } from './migrations/1767900000000-partial-indexes.js';
import { Reports1768000000000 } from './migrations/1768000000000-reports.js';
import { ServiceSettings1768100000000 } from './migrations/1768100000000-service-settings.js';
import { PolicyIndex1768200000000 } from './migrations/1768200000000-policy-index.js';
import { NextDueByCommands1768300000000 } from './migrations/1768300000000-next-due-by-commands.js';
import { CategoryListIndex1768400000000 } from './migrations/1768400000000-category-list-index.js';
import { SummaryIndex1768500000000 } from './migrations/1768500000000-summary-index.js';
import { NarrowListIndex1768600000000 } from './migrations/1768600000000-narrow-list-index.js';
import { CaseCounts1768700000000 } from './migrations/1768700000000-case-counts.js';
import { SqliteStateIndexes1768800000000 } from './migrations/1768800000000-sqlite-state-indexes.js';
import { AccountLifecycle1769000000000 } from './migrations/1769000000000-account-lifecycle.js';
import { UsernameCase1769010000000 } from './migrations/1769010000000-username-case.js';
import { LoginLimits1769020000000 } from './migrations/1769020000000-login-limits.js';
import { RevokedTokens1769030000000 } from './migrations/1769030000000-revoked-tokens.js';
import { EvidenceLimits1769100000000 } from './migrations/1769100000000-evidence-limits.js';
import { BigramSearch1769200000000 } from './migrations/1769200000000-bigram-search.js';
import { InboxIndexes1769300000000 } from './migrations/1769300000000-inbox-indexes.js';
import { InboxOrder1769500000000 } from './migrations/1769500000000-inbox-order.js';
import { IdempotencyKeys1769600000000 } from './migrations/1769600000000-idempotency-keys.js';

export const ENTITIES = [
  UnitEntity,
  UserEntity,
  CaseEntity,
  AuditEventEntity,
  DeadlineEntity,
  CorrectiveActionEntity,
  ConflictEntity,
  NotificationEntity,
  AccessLogEntity,
  EvidenceEntity,
];
export const MIGRATIONS = [
  InitialSchema1767600000000,
  CaseLife1767700000000,
  Evidence1767800000000,
  PartialIndexes1767900000000,
  Reports1768000000000,
  ServiceSettings1768100000000,
  PolicyIndex1768200000000,
  NextDueByCommands1768300000000,
  CategoryListIndex1768400000000,
  SummaryIndex1768500000000,
  NarrowListIndex1768600000000,
  CaseCounts1768700000000,
  SqliteStateIndexes1768800000000,
  AccountLifecycle1769000000000,
  UsernameCase1769010000000,
  LoginLimits1769020000000,
  RevokedTokens1769030000000,
  EvidenceLimits1769100000000,
  BigramSearch1769200000000,
  InboxIndexes1769300000000,
  InboxOrder1769500000000,
  IdempotencyKeys1769600000000,
];

/** PostgreSQL when DATABASE_URL is set, otherwise the embedded SQLite file: same entities, same migrations. */
export function databaseOptions(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_PATH' | 'DATABASE_POOL_SIZE'>): DataSourceOptions {
  return config.DATABASE_URL ? postgresOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE) : sqliteOptions(config.DATABASE_PATH);
}

/**
 * PostgreSQL through `pg`, for several instances on one database. Each unit of work is its own pooled
 * READ COMMITTED transaction; commands lock their case row (repositories/cases.repository.ts), so per-case work stays
 * serialised across instances while different cases proceed in parallel.
 */
export function postgresOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // Fail fast instead of queueing forever when the pool is exhausted by a stuck client.
    extra: { max: poolSize, connectionTimeoutMillis: 10000 },
  };
}

/**
 * SQLite through better-sqlite3 (TypeORM 1.x has no node-sqlite3 driver). WAL + synchronous=FULL: an
 * acknowledged command is on disk. The schema comes only from migrations, never `synchronize`.
 */
export function sqliteOptions(databasePath: string): DataSourceOptions {
  if (databasePath !== ':memory:') {
    makePrivateDir(dirname(databasePath));
    for (const path of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
      if (path === databasePath || existsSync(path)) {
        makePrivateFile(path);
      }
    }
  }
  return {
    type: 'better-sqlite3',
    database: databasePath,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    enableWAL: true,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      // 32 MB page cache instead of the 2 MB default: the hot cases and audit index stay in memory. At
      // 64 MB, a million-case database filled it and the service peaked above its 250 MB budget
      // (docs/performance.md); past the cache, pages come from the OS's file cache.
      db.pragma('cache_size = -32768');
    },
  };
}
