import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from '../auth/auth-user.js';
import { runSql } from '../database/sql.js';
import { DirectoryService } from '../users/directory.service.js';
import type { CaseEntity } from './case.entity.js';
import { CaseStore } from './case-store.js';

/**
 * Who may see a case: its subject; officers and leaders of its unit or any unit above it; admins
 * (they verify audit trails). Anyone else gets 404, as if the case did not exist.
 */
export async function canSeeCase(manager: EntityManager, actor: AuthUser, row: CaseEntity): Promise<boolean> {
  if (actor.roles.includes('admin') || row.subjectId === actor.id) {
    return true;
  }
  if (!actor.roles.includes('officer') && !actor.roles.includes('leader')) {
    return false;
  }
  const { rows } = await runSql<{ path: string }>(manager, 'SELECT path FROM units WHERE id = ?', [row.unitId]);
  // A unit's path lists every ancestor, so "the case's unit lies in my subtree" is a substring test.
  return rows[0]?.path.includes(`/${actor.unitId}/`) ?? false;
}

export async function loadVisibleCase(
  manager: EntityManager,
  actor: AuthUser,
  caseId: string,
  options: { forUpdate?: boolean } = {},
): Promise<CaseEntity> {
  const row = await CaseStore.find(manager, caseId, options);
  if (!row || !(await canSeeCase(manager, actor, row))) {
    throw DomainError.notFound(`case ${caseId}`);
  }
  return row;
}

/** Unit ids whose cases an officer or leader sees in lists. */
export function visibleUnitIds(manager: EntityManager, actor: AuthUser): Promise<string[]> {
  return DirectoryService.subtreeUnitIds(manager, actor.unitId);
}
