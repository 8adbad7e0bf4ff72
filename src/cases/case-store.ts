import type { EntityManager } from 'typeorm';
import { parseJson, runSql, toBoolean } from '../database/sql.js';
import { CaseEntity } from './case.entity.js';

/** Columns a command may change; everything else is fixed when the case opens. */
const MUTABLE = [
  ['state', (c: CaseEntity) => c.state],
  ['outcome', (c: CaseEntity) => c.outcome],
  ['recommendation', (c: CaseEntity) => json(c.recommendation)],
  ['overridden', (c: CaseEntity) => (c.overridden ? 1 : 0)],
  ['snapshot', (c: CaseEntity) => JSON.stringify(c.snapshot)],
  ['explanation', (c: CaseEntity) => c.explanation],
  ['assessment', (c: CaseEntity) => json(c.assessment)],
  ['assessor_ids', (c: CaseEntity) => JSON.stringify(c.assessorIds)],
  ['reviewer_ids', (c: CaseEntity) => JSON.stringify(c.reviewerIds)],
  ['review', (c: CaseEntity) => json(c.review)],
  ['decided_at', (c: CaseEntity) => c.decidedAt],
  ['version', (c: CaseEntity) => c.version],
  ['updated_at', (c: CaseEntity) => c.updatedAt],
] as const;

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

const UPDATE_SQL = `UPDATE cases SET ${MUTABLE.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ? AND version = ?`;

/** Loads and saves the case aggregate for commands, with prepared SQL (see database/sql.ts for why). */
export const CaseStore = {
  async find(manager: EntityManager, id: string): Promise<CaseEntity | null> {
    const { rows } = await runSql(manager, 'SELECT * FROM cases WHERE id = ?', [id]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  },

  /** Writes the changed case only if nobody changed it since it was read; false when someone did. */
  async updateIfVersion(manager: EntityManager, row: CaseEntity, expectedVersion: number): Promise<boolean> {
    const values = MUTABLE.map(([, read]) => read(row));
    const { affected } = await runSql(manager, UPDATE_SQL, [...values, row.id, expectedVersion]);
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
    policyId: r.policy_id,
    policyVersion: Number(r.policy_version),
    machineVersion: Number(r.machine_version),
    snapshot: parseJson(r.snapshot),
    explanation: r.explanation ?? null,
    assessment: r.assessment === null ? null : parseJson(r.assessment),
    assessorIds: parseJson(r.assessor_ids),
    reviewerIds: parseJson(r.reviewer_ids),
    review: r.review === null ? null : parseJson(r.review),
    decidedAt: r.decided_at ?? null,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  } as CaseEntity);
}
