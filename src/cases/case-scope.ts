import type { EntityManager } from 'typeorm';

import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { runSql } from '../database/sql.js';
import { DirectoryService } from '../users/directory.service.js';
import { unitPath } from '../users/unit-path.js';
import type { CaseEntity } from './case.entity.js';
import type { CaseScope } from './case-filter.js';
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
  return withinUnit(manager, row.unitId, actor.unitId);
}

/** Whether `unitId` is `reachUnitId` or lies below it: the reach of an officer's or leader's unit. */
export async function withinUnit(manager: EntityManager, unitId: string, reachUnitId: string): Promise<boolean> {
  // A unit's path lists every ancestor, so "the case's unit lies in my subtree" is a substring test.
  return (await unitPath(manager, unitId))?.includes(`/${reachUnitId}/`) ?? false;
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

/**
 * What a list reaches (case-filter.ts's CaseScope): admins every case; officers and leaders their
 * units' subtree, plus their own cases when they are the subject of any; cadres their own cases. A
 * `unitId` filter narrows each part to that unit's subtree and never widens it: a unit outside the
 * caller's reach, or unknown, leaves nothing.
 */
export async function listScope(manager: EntityManager, actor: AuthUser, unitId?: string): Promise<CaseScope> {
  const within = unitId === undefined ? undefined : new Set(await DirectoryService.subtreeUnitIds(manager, unitId));
  const narrow = (ids: string[]) => (within ? ids.filter((id) => within.has(id)) : ids);
  if (actor.roles.includes('admin')) {
    return [within ? { unitIds: [...within] } : {}];
  }
  const parts: CaseScope = [];
  let reached = new Set<string>();
  if (actor.roles.includes('officer') || actor.roles.includes('leader')) {
    const unitIds = narrow(await visibleUnitIds(manager, actor));
    reached = new Set(unitIds);
    parts.push({ unitIds });
  }
  // Own cases (as the subject) count only where the unit part does not reach them already, so that an
  // officer's list stays one index range per unit instead of an OR.
  const { rows } = await runSql<{ unit_id: string }>(manager, 'SELECT DISTINCT unit_id FROM cases WHERE subject_id = ?', [actor.id]);
  if (rows.some((row) => !reached.has(row.unit_id) && (!within || within.has(row.unit_id)))) {
    parts.push(within ? { subjectId: actor.id, unitIds: [...within] } : { subjectId: actor.id });
  }
  return parts.filter((part) => part.unitIds === undefined || part.unitIds.length > 0);
}
