import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from '../auth/auth-user.js';
import { UnitEntity } from '../users/unit.entity.js';
import { DirectoryService } from '../users/directory.service.js';
import type { Participants } from '../workflow/case-access.js';
import { CaseEntity } from './case.entity.js';

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
  const unit = await manager.findOne(UnitEntity, { where: { id: row.unitId }, select: { path: true } });
  // A unit's path lists every ancestor, so "the case's unit lies in my subtree" is a substring test.
  return unit?.path.includes(`/${actor.unitId}/`) ?? false;
}

export async function loadVisibleCase(manager: EntityManager, actor: AuthUser, caseId: string): Promise<CaseEntity> {
  const row = await manager.findOne(CaseEntity, { where: { id: caseId } });
  if (!row || !(await canSeeCase(manager, actor, row))) {
    throw DomainError.notFound(`case ${caseId}`);
  }
  return row;
}

/** Unit ids whose cases an officer or leader sees in lists. */
export function visibleUnitIds(manager: EntityManager, actor: AuthUser): Promise<string[]> {
  return DirectoryService.subtreeUnitIds(manager, actor.unitId);
}

export function participantsOf(row: CaseEntity): Participants {
  return {
    subjectId: row.subjectId,
    openedBy: row.openedBy,
    assessorIds: row.assessorIds,
    reviewerIds: row.reviewerIds,
  };
}
