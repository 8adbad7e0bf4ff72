import type { EntityManager } from 'typeorm';

import { ConflictEntity } from '../conflicts/conflict.entity.js';
import { runSql } from '../database/sql.js';
import { EvidenceRefs } from '../evidence/evidence-refs.js';
import type { PolicyRegistry } from '../policies/policy-registry.js';
import { UserEntity } from '../users/user.entity.js';
import type { CommandLookups } from '../workflow/commands/command-definition.js';
import type { OpeningLookups } from '../workflow/commands/open-case.js';
import type { CaseEntity } from './case.entity.js';
import { withinUnit } from './case-scope.js';

/** What a command on `row` may look up, read in the command's own unit of work. */
export function commandLookups(manager: EntityManager, row: CaseEntity): CommandLookups {
  return {
    evidenceIds: () => EvidenceRefs.idsOf(manager, row.id),
    async earlierTolerance(since) {
      const { rows } = await runSql<{ id: string; decided_at: string }>(
        manager,
        `SELECT id, decided_at FROM cases WHERE subject_id = ? AND category = ? AND outcome = 'tolerate' AND id <> ?
         AND decided_at >= ? ORDER BY decided_at DESC LIMIT 1`,
        [row.subjectId, row.category, row.id, since],
      );
      return rows[0] ? { caseId: rows[0].id, decidedAt: rows[0].decided_at } : null;
    },
  };
}

/** What opening a case looks up. */
export function openingLookups(manager: EntityManager, policies: PolicyRegistry): OpeningLookups {
  return {
    currentPolicy: (id) => policies.current(id ?? policies.defaultId),
    loadedPolicyIds: () => policies.all().map((p) => p.id),
    user: (id) => manager.findOne(UserEntity, { where: { id } }),
    declaredConflict: (userId, subjectId) => manager.exists(ConflictEntity, { where: { userId, subjectId } }),
    withinUnit: (unitId, reachUnitId) => withinUnit(manager, unitId, reachUnitId),
  };
}
