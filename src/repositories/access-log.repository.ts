import type { EntityManager } from 'typeorm';

import { AccessLogEntity } from '../audit/access-log.entity.js';
import { appendOnlyRowId } from '../common/row-id.js';
import { runSql } from '../database/sql.js';

/** One refused attempt that a fairness rule blocked (recusal, separation of duties). */
export interface AccessLogEntry {
  caseId: string;
  userId: string;
  action: string;
  reason: string;
  at: string;
}

/** The `access_log` table (audit/access-log.entity.ts): kept apart from the case's hash chain, which holds only accepted commands. */
export class AccessLogRepository {
  static async append(manager: EntityManager, entry: AccessLogEntry): Promise<void> {
    await runSql(manager, 'INSERT INTO access_log (id, case_id, user_id, action, reason, at) VALUES (?, ?, ?, ?, ?, ?)', [
      appendOnlyRowId(),
      entry.caseId,
      entry.userId,
      entry.action,
      entry.reason,
      entry.at,
    ]);
  }

  /** A case's refusals, newest first, `take` of them from `skip`. */
  static ofCase(manager: EntityManager, caseId: string, skip: number, take: number): Promise<AccessLogEntity[]> {
    return manager.find(AccessLogEntity, { where: { caseId }, order: { at: 'DESC', id: 'ASC' }, skip, take });
  }
}
