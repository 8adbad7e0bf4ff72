import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { CaseEntity } from '../cases/case.entity.js';
import { UnitEntity } from '../users/unit.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { AccessLogEntity } from '../audit/access-log.entity.js';
import { CorrectiveActionEntity } from '../cases/corrective-action.entity.js';
import { ConflictEntity } from '../conflicts/conflict.entity.js';
import { EvidenceEntity } from '../evidence/evidence.entity.js';
import { DeadlineEntity } from '../deadlines/deadline.entity.js';
import { NotificationEntity } from '../notifications/notification.entity.js';
import { InitialSchema1767600000000 } from './migrations/1767600000000-initial-schema.js';
import { CaseLife1767700000000 } from './migrations/1767700000000-case-life.js';
import { Evidence1767800000000 } from './migrations/1767800000000-evidence.js';
import { PartialIndexes1767900000000 } from './migrations/1767900000000-partial-indexes.js';
import { Reports1768000000000 } from './migrations/1768000000000-reports.js';

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
export const MIGRATIONS = [InitialSchema1767600000000, CaseLife1767700000000, Evidence1767800000000, PartialIndexes1767900000000, Reports1768000000000];

/**
 * SQLite through better-sqlite3 (TypeORM 1.x has no node-sqlite3 driver). WAL + synchronous=FULL: an
 * acknowledged command is on disk. The schema comes only from migrations, never `synchronize`.
 */
export function sqliteOptions(databasePath: string): DataSourceOptions {
  if (databasePath !== ':memory:') {
    mkdirSync(dirname(databasePath), { recursive: true });
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
      // 64 MB page cache instead of the 2 MB default: the hot cases and audit index stay in memory.
      db.pragma('cache_size = -65536');
    },
  };
}
