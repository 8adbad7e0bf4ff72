import type { AuthUser } from '../auth/auth-user.js';
import type { Assessment, Outcome, PolicyRef, Recommendation } from '../workflow/case-types.js';
import { allowedActions, type CaseCommand } from '../workflow/case-access.js';
import type { CaseState } from '../workflow/case-machine.js';
import type { CaseEntity, ReviewRecord } from './case.entity.js';
import { participantsOf } from './case-scope.js';

/** The contract's case view plus a few fields a real client needs (extra fields are allowed). */
export interface CaseView {
  id: string;
  state: CaseState;
  outcome: Outcome | null;
  recommendation: Recommendation | null;
  overridden: boolean;
  subjectId: string;
  unitId: string;
  openedBy: string;
  title: string;
  description: string;
  category: string;
  source: string;
  occurredAt: string;
  policy: PolicyRef;
  explanation: string | null;
  assessment: Assessment | null;
  review: ReviewRecord | null;
  decidedAt: string | null;
  version: number;
  allowedActions: CaseCommand[];
  createdAt: string;
  updatedAt: string;
}

export function toCaseView(row: CaseEntity, caller: AuthUser): CaseView {
  return {
    id: row.id,
    state: row.state,
    outcome: row.outcome,
    recommendation: row.recommendation,
    overridden: row.overridden,
    subjectId: row.subjectId,
    unitId: row.unitId,
    openedBy: row.openedBy,
    title: row.title,
    description: row.description,
    category: row.category,
    source: row.source,
    occurredAt: row.occurredAt,
    policy: { id: row.policyId, version: row.policyVersion },
    explanation: row.explanation,
    assessment: row.assessment,
    review: row.review,
    decidedAt: row.decidedAt,
    version: row.version,
    allowedActions: allowedActions(row.snapshot, participantsOf(row), caller),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
