/**
 * A case as its history says it is: what replaying its audit events produces. The stored case row, the
 * case view in a dossier and the historical view (`?asOf=`) are all compared with, or built from, this.
 */
import type { CaseState } from '../case-machine.js';
import type { AppealRecord, Assessment, CaseSource, Outcome, PolicyRef, Recommendation, ReviewRecord } from '../case-types.js';
import type { StoredSnapshot } from '../case-workflow.js';

/** One audit event as the audit endpoint shows it (data parsed), which is all replay needs. */
export interface HistoryEvent {
  seq: number;
  type: string;
  actorId: string;
  actorRole: string;
  at: string;
  data: unknown;
  machineVersion: number;
}

export interface ActionRecord {
  id: string;
  description: string;
  status: 'open' | 'reported' | 'verified';
  dueAt: string;
  createdAt: string;
  reportNote: string | null;
  reportedAt: string | null;
  verifyNote: string | null;
  verifiedAt: string | null;
}

export interface EvidenceRecord {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  at: string;
}

export interface CaseRecord {
  id: string;
  state: CaseState;
  snapshot: StoredSnapshot;
  outcome: Outcome | null;
  recommendation: Recommendation | null;
  overridden: boolean;
  subjectId: string;
  unitId: string;
  openedBy: string;
  title: string;
  description: string;
  category: string;
  source: CaseSource;
  occurredAt: string;
  policy: PolicyRef;
  explanation: string | null;
  explanationEvidenceIds: string[];
  assessment: Assessment | null;
  assessorIds: string[];
  reviewerIds: string[];
  review: ReviewRecord | null;
  decidedAt: string | null;
  appeal: AppealRecord | null;
  appealDueAt: string | null;
  nameCleared: boolean;
  closedAt: string | null;
  correctiveActions: ActionRecord[];
  evidence: EvidenceRecord[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The fields of a case that anyone holding its view can check against its history (the dossier's
 * verifier has only the view). The service also checks the row-only fields below.
 */
export const VIEW_FACTS = [
  'id',
  'state',
  'outcome',
  'recommendation',
  'overridden',
  'subjectId',
  'unitId',
  'openedBy',
  'title',
  'description',
  'category',
  'source',
  'occurredAt',
  'policy',
  'explanation',
  'explanationEvidenceIds',
  'assessment',
  'review',
  'decidedAt',
  'appeal',
  'appealDueAt',
  'nameCleared',
  'closedAt',
  'correctiveActions',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof CaseRecord>;

export const ROW_FACTS = ['snapshot', 'assessorIds', 'reviewerIds', 'evidence'] as const satisfies ReadonlyArray<keyof CaseRecord>;

type FactsSource = Partial<Record<keyof CaseRecord, unknown>> & { correctiveActions?: ReadonlyArray<Partial<ActionRecord>> };

/**
 * The comparable facts of a stored case or a case view: corrective actions cut down to what history
 * records (a view adds `overdue`, a row `updatedAt`), in creation order.
 */
export function caseFacts(source: FactsSource): Partial<Record<keyof CaseRecord, unknown>> {
  const actions = [...(source.correctiveActions ?? [])]
    .sort((a, b) => `${a.createdAt}${a.id}`.localeCompare(`${b.createdAt}${b.id}`))
    .map((a) => ({
      id: a.id,
      description: a.description,
      status: a.status,
      dueAt: a.dueAt,
      createdAt: a.createdAt,
      reportNote: a.reportNote ?? null,
      reportedAt: a.reportedAt ?? null,
      verifyNote: a.verifyNote ?? null,
      verifiedAt: a.verifiedAt ?? null,
    }));
  return { ...source, correctiveActions: actions };
}
