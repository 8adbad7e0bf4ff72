import type { EntityManager } from 'typeorm';

import { CaseEntity } from '../cases/case.entity.js';
import { isPostgres, parseJson, runSql, runSqlTuples, toBoolean } from '../database/sql.js';
import { DeadlinesRepository } from './deadlines.repository.js';

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
export const CasesRepository = {
  /**
   * `forUpdate`: a command is about to change the case. On PostgreSQL the row is locked until the
   * transaction ends, so commands on one case — from any instance — run one after another and each sees
   * the state its predecessor committed. SQLite runs every unit of work in turn anyway (database/unit-of-work.ts).
   */
  async find(manager: EntityManager, id: string, { forUpdate = false } = {}): Promise<CaseEntity | null> {
    const lock = forUpdate && isPostgres(manager) ? ' FOR UPDATE' : '';
    const [found] = await runSqlTuples<CaseTuple>(manager, `${SELECT_CASE} WHERE id = ?${lock}`, [id]);
    return found ? fromTuple(found) : null;
  },

  /** The cases with these ids, in the order of `ids` (ids without a case are skipped). */
  async findMany(manager: EntityManager, ids: readonly string[]): Promise<CaseEntity[]> {
    if (ids.length === 0) {
      return [];
    }
    const found = await runSqlTuples<CaseTuple>(manager, `${SELECT_CASE} WHERE id IN (${ids.map(() => '?').join(', ')})`, [...ids]);
    const byId = new Map(found.map((tuple) => [tuple[0] as string, fromTuple(tuple)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  },

  /** The earliest due time of the case's open deadlines as they stand in this transaction. */
  nextDueAt(manager: EntityManager, caseId: string): Promise<string | null> {
    return DeadlinesRepository.earliestOpenDue(manager, caseId);
  },

  /** A new case (opening). */
  async insert(manager: EntityManager, row: CaseEntity): Promise<void> {
    await manager.insert(CaseEntity, row);
  },

  /** PostgreSQL: locks the case row until the transaction ends (SQLite runs one unit of work at a time anyway). */
  async lock(manager: EntityManager, id: string): Promise<void> {
    if (isPostgres(manager)) {
      await runSql(manager, 'SELECT id FROM cases WHERE id = ? FOR UPDATE', [id]);
    }
  },

  /**
   * The subject's latest other case of the same category tolerated since `since`, if any: a repeat error
   * (domain.md, negative list) makes tolerance unavailable.
   */
  async earlierTolerance(manager: EntityManager, row: CaseEntity, since: string): Promise<{ caseId: string; decidedAt: string } | null> {
    const { rows } = await runSql<{ id: string; decided_at: string }>(
      manager,
      `SELECT id, decided_at FROM cases WHERE subject_id = ? AND category = ? AND outcome = 'tolerate' AND id <> ?
       AND decided_at >= ? ORDER BY decided_at DESC LIMIT 1`,
      [row.subjectId, row.category, row.id, since],
    );
    return rows[0] ? { caseId: rows[0].id, decidedAt: rows[0].decided_at } : null;
  },

  /** Brings `next_due_at` up to date after a deadline changed outside a case command (the sweeper retiring one). */
  async refreshNextDue(manager: EntityManager, caseId: string): Promise<void> {
    await runSql(manager, 'UPDATE cases SET next_due_at = ? WHERE id = ?', [await CasesRepository.nextDueAt(manager, caseId), caseId]);
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

/**
 * The case row's columns, read as a tuple in this order: better-sqlite3 built each 38-column row object
 * in ~20 µs, as long as the read itself (a command loads its case once, a list page twenty).
 */
const CASE_COLUMNS = [
  'id',
  'state',
  'outcome',
  'recommendation',
  'overridden',
  'subject_id',
  'unit_id',
  'opened_by',
  'title',
  'description',
  'category',
  'source',
  'occurred_at',
  'occurred_at_utc',
  'next_due_at',
  'policy_id',
  'policy_version',
  'machine_version',
  'snapshot',
  'explanation',
  'explanation_evidence_ids',
  'assessment',
  'assessor_ids',
  'reviewer_ids',
  'review',
  'decided_at',
  'appeal',
  'name_cleared',
  'closed_at',
  'version',
  'created_at',
  'updated_at',
] as const;
type CaseTuple = unknown[] & { length: typeof CASE_COLUMNS.length };
const SELECT_CASE = `SELECT ${CASE_COLUMNS.join(', ')} FROM cases`;

const jsonOrNull = (value: unknown) => (value === null || value === undefined ? null : parseJson(value));

function fromTuple(t: CaseTuple): CaseEntity {
  const [
    id,
    state,
    outcome,
    recommendation,
    overridden,
    subjectId,
    unitId,
    openedBy,
    title,
    description,
    category,
    source,
    occurredAt,
    occurredAtUtc,
    nextDueAt,
    policyId,
    policyVersion,
    machineVersion,
    snapshot,
    explanation,
    explanationEvidenceIds,
    assessment,
    assessorIds,
    reviewerIds,
    review,
    decidedAt,
    appeal,
    nameCleared,
    closedAt,
    version,
    createdAt,
    updatedAt,
  ] = t;
  return Object.assign(new CaseEntity(), {
    id,
    state,
    outcome: outcome ?? null,
    recommendation: jsonOrNull(recommendation),
    overridden: toBoolean(overridden),
    subjectId,
    unitId,
    openedBy,
    title,
    description,
    category,
    source,
    occurredAt,
    occurredAtUtc: occurredAtUtc ?? null,
    nextDueAt: nextDueAt ?? null,
    policyId,
    policyVersion: Number(policyVersion),
    machineVersion: Number(machineVersion),
    snapshot: parseJson(snapshot),
    explanation: explanation ?? null,
    explanationEvidenceIds: jsonOrNull(explanationEvidenceIds),
    assessment: jsonOrNull(assessment),
    assessorIds: parseJson(assessorIds),
    reviewerIds: parseJson(reviewerIds),
    review: jsonOrNull(review),
    decidedAt: decidedAt ?? null,
    appeal: jsonOrNull(appeal),
    nameCleared: toBoolean(nameCleared),
    closedAt: closedAt ?? null,
    version: Number(version),
    createdAt,
    updatedAt,
  } as CaseEntity);
}
