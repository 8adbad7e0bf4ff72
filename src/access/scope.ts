import type { EntityManager } from 'typeorm';

import type { AuthUser } from '../auth/auth-user.js';
import type { CaseEntity } from '../cases/case.entity.js';
import type { CaseScope } from '../cases/case-filter.js';
import { DomainError } from '../common/domain-error.js';
import { CaseReadsRepository } from '../repositories/case-reads.repository.js';
import { CasesRepository } from '../repositories/cases.repository.js';
import { UnitsRepository } from '../repositories/units.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import type { UserEntity } from '../users/user.entity.js';
import { pathReaches, pathUnitIds } from '../workflow/unit-path.js';

/*
 * Who sees and reaches what: the one home of the unit-subtree rule. An officer or leader reaches their
 * unit and every unit below it; a unit's `path` lists every ancestor (`/root-id/…/unit-id/`), so "below"
 * is a prefix or substring test on paths. Admins reach everything; a cadre reaches their own cases.
 */

const actsOnCases = (actor: Pick<AuthUser, 'roles'>): boolean => actor.roles.includes('officer') || actor.roles.includes('leader');

/** Whether `unitId` is `reachUnitId` or lies below it: the reach of an officer's or leader's unit. */
export async function withinUnit(manager: EntityManager, unitId: string, reachUnitId: string): Promise<boolean> {
  const path = await UnitsRepository.path(manager, unitId);
  return path !== null && pathReaches(path, reachUnitId);
}

/** Ids of a unit and all units below it (none for an unknown unit): the reach of its officers and leaders. */
export async function subtreeUnitIds(manager: EntityManager, unitId: string): Promise<string[]> {
  const path = await UnitsRepository.path(manager, unitId);
  return path === null ? [] : UnitsRepository.idsUnder(manager, path);
}

/** Unit ids whose cases an officer or leader sees in lists. */
export function visibleUnitIds(manager: EntityManager, actor: AuthUser): Promise<string[]> {
  return subtreeUnitIds(manager, actor.unitId);
}

/**
 * Who may see a case: its subject; officers and leaders of its unit or any unit above it; admins
 * (they verify audit trails). Anyone else gets 404, as if the case did not exist.
 */
export async function canSeeCase(manager: EntityManager, actor: AuthUser, row: CaseEntity): Promise<boolean> {
  if (actor.roles.includes('admin') || row.subjectId === actor.id) {
    return true;
  }
  if (!actsOnCases(actor)) {
    return false;
  }
  return withinUnit(manager, row.unitId, actor.unitId);
}

/** The case if the actor may see it; a 404 otherwise, the same as for a case that does not exist. */
export async function loadVisibleCase(
  manager: EntityManager,
  actor: AuthUser,
  caseId: string,
  options: { forUpdate?: boolean } = {},
): Promise<CaseEntity> {
  const row = await CasesRepository.find(manager, caseId, options);
  if (!row || !(await canSeeCase(manager, actor, row))) {
    throw DomainError.notFound(`case ${caseId}`);
  }
  return row;
}

/**
 * What a list reaches (case-filter.ts's CaseScope): admins every case; officers and leaders their
 * units' subtree, plus their own cases when they are the subject of any; cadres their own cases. A
 * `unitId` filter narrows each part to that unit's subtree and never widens it: a unit outside the
 * caller's reach, or unknown, leaves nothing.
 */
export async function listScope(manager: EntityManager, actor: AuthUser, unitId?: string): Promise<CaseScope> {
  const within = unitId === undefined ? undefined : new Set(await subtreeUnitIds(manager, unitId));
  const narrow = (ids: string[]) => (within ? ids.filter((id) => within.has(id)) : ids);
  if (actor.roles.includes('admin')) {
    return [within ? { unitIds: [...within] } : {}];
  }
  const parts: CaseScope = [];
  let reached = new Set<string>();
  if (actsOnCases(actor)) {
    const unitIds = narrow(await visibleUnitIds(manager, actor));
    reached = new Set(unitIds);
    parts.push({ unitIds });
  }
  // Own cases (as the subject) count only where the unit part does not reach them already, so that an
  // officer's list stays one index range per unit instead of an OR.
  const ownUnits = await CaseReadsRepository.subjectUnitIds(manager, actor.id);
  if (ownUnits.some((id) => !reached.has(id) && (!within || within.has(id)))) {
    parts.push(within ? { subjectId: actor.id, unitIds: [...within] } : { subjectId: actor.id });
  }
  return parts.filter((part) => part.unitIds === undefined || part.unitIds.length > 0);
}

/**
 * The units a report covers: null for every unit (an admin without unitId). A leader reports on their
 * unit or one below it; anything else, known or not, is a 403 — an empty report would read as "no
 * cases" and a 404 would tell which unit ids exist. An admin's unknown unit is a 422.
 */
export async function reportUnits(manager: EntityManager, actor: AuthUser, unitId: string | undefined): Promise<string[] | null> {
  if (actor.roles.includes('admin')) {
    if (unitId === undefined) {
      return null;
    }
    const units = await subtreeUnitIds(manager, unitId);
    if (units.length === 0) {
      throw DomainError.ruleViolation([{ field: 'unitId', message: 'no such unit' }]);
    }
    return units;
  }
  const mine = await subtreeUnitIds(manager, actor.unitId);
  if (unitId === undefined) {
    return mine;
  }
  if (!mine.includes(unitId)) {
    throw DomainError.forbidden('unitId: not your unit or a unit below it', 'SCOPE');
  }
  return subtreeUnitIds(manager, unitId);
}

/** The units whose cadres the actor may look up: null for every unit (an admin), else their subtree. */
export function cadreSearchUnits(manager: EntityManager, actor: AuthUser): Promise<string[] | null> {
  return actor.roles.includes('admin') ? Promise.resolve(null) : subtreeUnitIds(manager, actor.unitId);
}

/**
 * Who may read a cadre's record: the cadre, admins, and officers and leaders whose subtree holds the
 * cadre's unit. False for a user who is no cadre (the caller answers 404 either way).
 */
export async function mayReadRecord(manager: EntityManager, actor: AuthUser, cadre: UserEntity | null): Promise<boolean> {
  if (!cadre?.roles.includes('cadre')) {
    return false;
  }
  if (actor.id === cadre.id || actor.roles.includes('admin')) {
    return true;
  }
  return actsOnCases(actor) && (await subtreeUnitIds(manager, actor.unitId)).includes(cadre.unitId);
}

/**
 * Whether a user of `unitId` could act on the cadre's cases: the cadre's unit (where new cases open) or
 * the unit of one of their cases (a case stays where it was opened) lies in that unit's subtree.
 */
export async function reachesCadre(manager: EntityManager, unitId: string, cadre: UserEntity): Promise<boolean> {
  const caseUnits = await CaseReadsRepository.subjectUnitIds(manager, cadre.id);
  for (const unit of new Set([cadre.unitId, ...caseUnits])) {
    if (await withinUnit(manager, unit, unitId)) {
      return true;
    }
  }
  return false;
}

/** Leaders of a unit and of every unit above it: the people whose reach holds the unit's cases. */
export async function leadersReaching(manager: EntityManager, unitId: string): Promise<string[]> {
  const unitIds = pathUnitIds((await UnitsRepository.path(manager, unitId)) ?? '');
  return UsersRepository.idsWithRoleIn(manager, unitIds, 'leader');
}
