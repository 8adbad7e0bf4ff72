import { Inject, Injectable } from '@nestjs/common';

import { reportUnits } from '../access/scope.js';
import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { toUtcIso } from '../common/instant.js';
import { ReadPool } from '../database/read-pool.js';
import { toBoolean } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CaseReadsRepository } from '../repositories/case-reads.repository.js';
import { UnitsRepository } from '../repositories/units.repository.js';
import type { CaseState } from '../workflow/case-machine.js';
import type { Outcome } from '../workflow/case-types.js';
import type { DeadlineKind } from '../workflow/deadline-plan.js';
import type { SummaryQuery } from './dto/summary.query.js';
import { type CaseGroup, summarise, type SummaryFigures } from './summary.js';

export interface SummaryReport extends SummaryFigures {
  period: { from: string | null; to: string | null; on: 'createdAt' };
  unitId: string | null;
  at: string;
}

/**
 * The leadership report (GET /reports/summary). Period figures cover the cases opened in [from, to);
 * "open" and "overdue" are figures of now, over every case of the units whenever it was opened.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(ReadPool) private readonly reads: ReadPool,
  ) {}

  /**
   * The units are settled on the request thread (a few lookups), the figures read together on a reader
   * (database/read-pool.ts: one snapshot, off the request thread, within the read budget).
   */
  async summary(actor: AuthUser, query: SummaryQuery, now: Date): Promise<SummaryReport> {
    const from = query.from === undefined ? null : toUtcIso(query.from);
    const to = query.to === undefined ? null : toUtcIso(query.to);
    if (from !== null && to !== null && to <= from) {
      throw DomainError.validation([{ field: 'to', message: 'must be after from' }]);
    }
    const at = now.toISOString();
    const units = await this.uow.read((manager) => reportUnits(manager, actor, query.unitId));
    const scope = units === null ? { sql: '', params: [] } : { sql: `unit_id IN (${units.map(() => '?').join(', ')}) AND `, params: units };
    const bounds = [...(from === null ? [] : [['>=', from]]), ...(to === null ? [] : [['<', to]])];
    const period = {
      sql: `${scope.sql}${bounds.map(([op]) => `created_at ${op} ?`).join(' AND ') || '1 = 1'}`,
      params: [...scope.params, ...bounds.map(([, value]) => value)],
    };
    const read = await CaseReadsRepository.summary(this.reads, { period, scope, everyUnit: units === null, at });
    const { decisionMs, open, overdue } = read;
    const groups = read.groups.map(toGroup);
    const names = await this.uow.read((manager) => UnitsRepository.names(manager, [...new Set(groups.map((g) => g.unitId))]));
    const figures = summarise({
      groups,
      // pg returns the rounded numeric as text; better-sqlite3 gives integers already.
      decisionMs: decisionMs.map((row) => Number(row.ms)),
      unitNames: names,
      openByState: Object.fromEntries(open.filter((r) => Number(r.cases) > 0).map((r) => [r.state as CaseState, Number(r.cases)])),
      overdueByKind: Object.fromEntries(
        overdue.flatMap((r): Array<[DeadlineKind, number]> => (r.kind === null ? [] : [[r.kind as DeadlineKind, Number(r.n)]])),
      ),
      overdueCases: Number(overdue.find((r) => r.kind === null)?.n ?? 0),
    });
    return { period: { from, to, on: 'createdAt' as const }, unitId: query.unitId ?? null, at, ...figures };
  }
}

const orNull = <T>(value: unknown): T | null => (value === null || value === undefined ? null : (value as T));

function toGroup(row: Record<string, unknown>): CaseGroup {
  return {
    unitId: row.unit_id as string,
    category: row.category as string,
    outcome: orNull<Outcome>(row.outcome),
    recommendedOutcome: orNull<Outcome>(row.recommended_outcome),
    overridden: toBoolean(row.overridden),
    intent: orNull<string>(row.intent),
    motive: orNull<string>(row.motive),
    nature: orNull<string>(row.nature),
    appealed: toBoolean(row.appealed),
    appealDecision: orNull<'uphold' | 'revise'>(row.appeal_decision),
    decided: toBoolean(row.decided),
    cases: Number(row.cases),
  };
}
