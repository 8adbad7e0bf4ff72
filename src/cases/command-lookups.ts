import type { EntityManager } from 'typeorm';

import { withinUnit } from '../access/scope.js';
import type { PolicyRegistry } from '../policies/policy-registry.js';
import { CasesRepository } from '../repositories/cases.repository.js';
import { ConflictsRepository } from '../repositories/conflicts.repository.js';
import { EvidenceRepository } from '../repositories/evidence.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import type { CommandLookups } from '../workflow/commands/command-definition.js';
import type { OpeningLookups } from '../workflow/commands/open-case.js';
import type { CaseEntity } from './case.entity.js';

/** What a command on `row` may look up, read in the command's own unit of work. */
export function commandLookups(manager: EntityManager, row: CaseEntity): CommandLookups {
  return {
    evidenceIds: () => EvidenceRepository.idsOf(manager, row.id),
    earlierTolerance: (since) => CasesRepository.earlierTolerance(manager, row, since),
  };
}

/** What opening a case looks up. */
export function openingLookups(manager: EntityManager, policies: PolicyRegistry): OpeningLookups {
  return {
    currentPolicy: (id) => policies.current(id ?? policies.defaultId),
    loadedPolicyIds: () => policies.all().map((p) => p.id),
    user: (id) => UsersRepository.find(manager, id),
    declaredConflict: (userId, subjectId) => ConflictsRepository.exists(manager, userId, subjectId),
    withinUnit: (unitId, reachUnitId) => withinUnit(manager, unitId, reachUnitId),
  };
}
