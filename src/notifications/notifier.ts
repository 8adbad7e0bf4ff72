import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { appendOnlyRowId } from '../common/row-id.js';
import { parseJson, runSql } from '../database/sql.js';
import { unitPath } from '../users/unit-path.js';
import type { Role } from '../workflow/case-types.js';

export interface NotificationDraft {
  caseId: string | null;
  kind: string;
  message: string;
}

/**
 * Writes notifications inside the caller's unit of work, so they commit or roll back with the command
 * that caused them: none is lost, none is sent for a refused command.
 */
@Injectable()
export class Notifier {
  async notify(manager: EntityManager, userIds: Iterable<string | null | undefined>, draft: NotificationDraft, at: string): Promise<void> {
    const recipients = new Set([...userIds].filter((id): id is string => !!id && id !== 'system'));
    if (recipients.size === 0) {
      return;
    }
    // One statement for all recipients: a decision notifies several people.
    const rows = [...recipients];
    await runSql(
      manager,
      `INSERT INTO notifications (id, user_id, case_id, kind, message, created_at, read_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, NULL)').join(', ')}`,
      rows.flatMap((userId) => [appendOnlyRowId(), userId, draft.caseId, draft.kind, draft.message, at]),
    );
  }

  /** Leaders of the case's unit and of every unit above it: those escalations go to. */
  static async unitLeaders(manager: EntityManager, unitId: string): Promise<string[]> {
    const unitIds = ((await unitPath(manager, unitId)) ?? '').split('/').filter(Boolean);
    if (unitIds.length === 0) {
      return [];
    }
    const users = await runSql<{ id: string; roles: string }>(
      manager,
      `SELECT id, roles FROM users WHERE unit_id IN (${unitIds.map(() => '?').join(', ')})`,
      unitIds,
    );
    return users.rows.filter((u) => parseJson<Role[]>(u.roles).includes('leader')).map((u) => u.id);
  }
}
