import { type EntityManager, IsNull, Not } from 'typeorm';

import { CaseEntity } from '../cases/case.entity.js';
import { type CaseSelection, chunkQuery } from '../cases/case-list.js';
import type { ReadPool, Rows } from '../database/read-pool.js';
import { runSql } from '../database/sql.js';
import { nowSql, periodSql } from '../reports/summary-sql.js';
import { UnitsRepository } from './units.repository.js';
import { UsersRepository } from './users.repository.js';

/** A page of rows: `take` of them from `skip`. */
export interface RowWindow {
  skip: number;
  take: number;
}

/** A condition on cases with its parameters (`sql` may be empty, or end in AND where documented). */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/**
 * Reads of the `cases` table outside the command path (which is repositories/cases.repository.ts): the units a cadre's
 * cases are in (for scope), a cadre's record, and the leadership reports. The reports run on a reader
 * thread (database/read-pool.ts); the SQL they run is built in reports/summary-sql.ts and cases/case-list.ts.
 */
export class CaseReadsRepository {
  /** The units holding cases of which this user is the subject. */
  static async subjectUnitIds(manager: EntityManager, subjectId: string): Promise<string[]> {
    const { rows } = await runSql<{ unit_id: string }>(manager, 'SELECT DISTINCT unit_id FROM cases WHERE subject_id = ?', [subjectId]);
    return rows.map((row) => row.unit_id);
  }

  /** A cadre's decided cases in the order of decision, one window of them, and how many there are. */
  static async decidedOf(manager: EntityManager, subjectId: string, window: RowWindow): Promise<{ rows: CaseEntity[]; total: number }> {
    const where = { subjectId, outcome: Not(IsNull()) };
    const rows = await manager.find(CaseEntity, { where, order: { decidedAt: 'ASC', id: 'ASC' }, ...window });
    return { rows, total: await manager.count(CaseEntity, { where }) };
  }

  /** A cadre's cases withdrawn with their name cleared, in the order of clearing, one window of them, and how many. */
  static async clearingsOf(manager: EntityManager, subjectId: string, window: RowWindow): Promise<{ rows: CaseEntity[]; total: number }> {
    const where = { subjectId, state: 'withdrawn' as const, nameCleared: true };
    const rows = await manager.find(CaseEntity, { where, order: { updatedAt: 'ASC', id: 'ASC' }, ...window });
    return { rows, total: await manager.count(CaseEntity, { where }) };
  }

  /**
   * The summary's four reads on one reader snapshot: the period's groups and times to decision (`period`:
   * scope and bounds), and the figures of now over the scope (`scope`: empty, or a unit condition and AND).
   */
  static async summary(
    reads: ReadPool,
    input: { period: SqlPart; scope: SqlPart; everyUnit: boolean; at: string },
  ): Promise<{ groups: Rows; decisionMs: Rows; open: Rows; overdue: Rows }> {
    const sql = periodSql(reads.dialect, input.period.sql);
    const current = nowSql(reads.dialect, input.scope, input.everyUnit, input.at);
    const [groups, decisionMs, open, overdue] = await reads.query([
      { sql: sql.groups, params: input.period.params },
      { sql: sql.decisionMs, params: input.period.params },
      current.open,
      current.overdue,
    ]);
    return { groups, decisionMs, open, overdue };
  }

  /**
   * One chunk of a list selection's cases (the `columns` named, after the row `from`), read on a reader,
   * then the names of their units and subjects.
   */
  static async chunk(
    reads: ReadPool,
    selection: CaseSelection,
    columns: readonly string[],
    from: Record<string, unknown> | null,
    size: number,
  ): Promise<{ rows: Rows; unitNames: Map<string, string>; subjectNames: Map<string, string> }> {
    const [rows] = await reads.query([chunkQuery(selection, columns, from, size, reads.dialect)]);
    const [units, subjects] = await reads.query([
      UnitsRepository.namesRead(rows.map((r) => String(r.unit_id))),
      UsersRepository.displayNamesRead(rows.map((r) => String(r.subject_id))),
    ]);
    return { rows, unitNames: toMap(units), subjectNames: toMap(subjects) };
  }
}

const toMap = (rows: Rows): Map<string, string> => new Map(rows.map((row) => [String(row.id), String(row.name)]));
