import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { leadersReaching } from '../access/scope.js';
import { NotificationsRepository } from '../repositories/notifications.repository.js';

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
    const rows = [...recipients].map((userId) => ({
      userId,
      caseId: draft.caseId,
      kind: draft.kind,
      message: draft.message,
      createdAt: at,
    }));
    await NotificationsRepository.insertMany(manager, rows);
  }

  /** Leaders of the case's unit and of every unit above it: those escalations go to (access/scope.ts). */
  static unitLeaders(manager: EntityManager, unitId: string): Promise<string[]> {
    return leadersReaching(manager, unitId);
  }
}
