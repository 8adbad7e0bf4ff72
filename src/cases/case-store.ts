import type { EntityManager } from 'typeorm';
import { isPostgres, parseJson, runSql, toBoolean } from '../database/sql.js';
import { CaseEntity } from './case.entity.js';

type Column = readonly [column: string, field: keyof CaseEntity, write: (c: CaseEntity) => unknown];

/** Columns a command may change; everything else is fixed when the case opens. */
const MUTABLE: readonly Column[] = [
  ['state', 'state', (c) => c.state],
  ['outcome', 'outcome', (c) => c.outcome],
  ['recommendation', 'recommendation', (c) => json(c.recommendation)],
  ['overridden', 'overridden', (c) => (c.overridden ? 1 : 0)],
  ['snapshot', 'snapshot', (c) => JSON.stringify(c.snapshot)],
  ['explanation', 'explanation', (c) => c.explanation],
  ['explanation_evidence_ids', 'explanationEvidenceIds', (c) => json(c.explanationEvidenceIds)],
  ['assessment', 'assessment', (c) => json(c.assessment)],
  ['assessor_ids', 'assessorIds', (c) => JSON.stringify(c.assessorIds)],
  ['reviewer_ids', 'reviewerIds', (c) => JSON.stringify(c.reviewerIds)],
  ['review', 'review', (c) => json(c.review)],
  ['decided_at', 'decidedAt', (c) => c.decidedAt],
  ['appeal', 'appeal', (c) => json(c.appeal)],
  ['name_cleared', 'nameCleared', (c) => (c.nameCleared ? 1 : 0)],
  ['closed_at', 'closedAt', (c) => c.closedAt],
  ['updated_at', 'updatedAt', (c) => c.updatedAt],
  ['next_due_at', 'nextDueAt', (c) => c.nextDueAt],
  // Plain copies of JSON fields for lists and reports (migration 1768000000000-reports), written with them.
  ['intent', 'assessment', (c) => c.assessment?.intent ?? null],
  ['motive', 'assessment', (c) => c.assessment?.motive ?? null],
  ['nature', 'assessment', (c) => c.assessment?.nature ?? null],
  ['recommended_outcome', 'recommendation', (c) => c.recommendation?.outcome ?? null],
  ['appealed', 'appeal', (c) => (c.appeal ? 1 : 0)],
  ['appeal_decision', 'appeal', (c) => c.appeal?.decision ?? null],
];

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** Loads and saves the case aggregate for commands, with prepared SQL (see database/sql.ts for why). */
export const CaseStore = {
  /**
   * `forUpdate`: a command is about to change the case. On PostgreSQL the row is locked until the
   * transaction ends, so commands on one case — from any instance — run one after another and each sees
   * the state its predecessor committed. SQLite runs every unit of work in turn anyway (database/unit-of-work.ts).
   */
  async find(manager: EntityManager, id: string, { forUpdate = false } = {}): Promise<CaseEntity | null> {
    const lock = forUpdate && isPostgres(manager) ? ' FOR UPDATE' : '';
    const { rows } = await runSql(manager, `SELECT * FROM cases WHERE id = ?${lock}`, [id]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  },

  /** The cases with these ids, in the order of `ids` (ids without a case are skipped). */
  async findMany(manager: EntityManager, ids: readonly string[]): Promise<CaseEntity[]> {
    if (ids.length === 0) {
      return [];
    }
    const { rows } = await runSql(manager, `SELECT * FROM cases WHERE id IN (${ids.map(() => '?').join(', ')})`, [...ids]);
    const byId = new Map(rows.map((row) => [row.id as string, fromRow(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  },

  /** The earliest due time of the case's open deadlines as they stand in this transaction. */
  async nextDueAt(manager: EntityManager, caseId: string): Promise<string | null> {
    const { rows } = await runSql<{ next: string | null }>(manager, "SELECT MIN(due_at) AS next FROM deadlines WHERE case_id = ? AND status = 'open'", [
      caseId,
    ]);
    return rows[0]?.next ?? null;
  },

  /** Brings `next_due_at` up to date after a deadline changed outside a case command (the sweeper retiring one). */
  async refreshNextDue(manager: EntityManager, caseId: string): Promise<void> {
    await runSql(manager, 'UPDATE cases SET next_due_at = ? WHERE id = ?', [await CaseStore.nextDueAt(manager, caseId), caseId]);
  },

  /**
   * Writes the fields that changed between `before` and `after` (compared by reference: a command
   * replaces what it changes), and bumps the version only if nobody changed the case since `before`
   * was read. False when someone did. Skipping untouched columns keeps the large JSON ones
   * (recommendation trace, assessment) from being rewritten by every command.
   */
  async updateIfVersion(manager: EntityManager, before: CaseEntity, after: CaseEntity): Promise<boolean> {
    const changed = MUTABLE.filter(([, field]) => before[field] !== after[field]);
    const assignments = [...changed.map(([column]) => `${column} = ?`), 'version = ?'].join(', ');
    const values = [...changed.map(([, , write]) => write(after)), after.version];
    const { affected } = await runSql(manager, `UPDATE cases SET ${assignments} WHERE id = ? AND version = ?`, [
      ...values,
      after.id,
      before.version,
    ]);
    return affected === 1;
  },
};

function fromRow(r: Record<string, unknown>): CaseEntity {
  return Object.assign(new CaseEntity(), {
    id: r.id,
    state: r.state,
    outcome: r.outcome ?? null,
    recommendation: r.recommendation === null ? null : parseJson(r.recommendation),
    overridden: toBoolean(r.overridden),
    subjectId: r.subject_id,
    unitId: r.unit_id,
    openedBy: r.opened_by,
    title: r.title,
    description: r.description,
    category: r.category,
    source: r.source,
    occurredAt: r.occurred_at,
    occurredAtUtc: r.occurred_at_utc ?? null,
    nextDueAt: r.next_due_at ?? null,
    policyId: r.policy_id,
    policyVersion: Number(r.policy_version),
    machineVersion: Number(r.machine_version),
    snapshot: parseJson(r.snapshot),
    explanation: r.explanation ?? null,
    explanationEvidenceIds: r.explanation_evidence_ids === null || r.explanation_evidence_ids === undefined ? null : parseJson(r.explanation_evidence_ids),
    assessment: r.assessment === null ? null : parseJson(r.assessment),
    assessorIds: parseJson(r.assessor_ids),
    reviewerIds: parseJson(r.reviewer_ids),
    review: r.review === null ? null : parseJson(r.review),
    decidedAt: r.decided_at ?? null,
    appeal: r.appeal === null || r.appeal === undefined ? null : parseJson(r.appeal),
    nameCleared: toBoolean(r.name_cleared),
    closedAt: r.closed_at ?? null,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  } as CaseEntity);
}
