import { Inject, Injectable } from '@nestjs/common';

import { listScope, loadVisibleCase } from '../access/scope.js';
import type { AccessLogEntity } from '../audit/access-log.entity.js';
import { type AuditEventView, AuditTrailService } from '../audit/audit-trail.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { type Slice, sliceOf } from '../common/paging.js';
import { ReadPool, type Rows } from '../database/read-pool.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { AccessLogRepository } from '../repositories/access-log.repository.js';
import { CasesRepository } from '../repositories/cases.repository.js';
import { type ActionExplanation, classifyActions, explainActions } from '../workflow/case-access.js';
import { type CaseAggregate, loadAggregate, loadAggregates, participantsOf } from './case-aggregate.js';
import { searchCountSql } from './case-filter.js';
import { countQuery, pageQuery, plainScope, toCaseFilter } from './case-list.js';
import { type DecisionView, toDecisionView } from './decision-view.js';
import type { ListCasesQuery } from './dto/list-cases.query.js';

export interface CasePage {
  items: CaseAggregate[];
  total: number;
  page: number;
  pageSize: number;
}

/** Reads, scoped to what the caller may see, each against one consistent snapshot (UnitOfWork.read). */
@Injectable()
export class CaseQueriesService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditTrailService) private readonly audit: AuditTrailService,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(ReadPool) private readonly reads: ReadPool,
  ) {}

  get(actor: AuthUser, caseId: string): Promise<CaseAggregate> {
    return this.uow.read(async (manager) => loadAggregate(manager, await loadVisibleCase(manager, actor, caseId)));
  }

  /**
   * The explained decision, scoped exactly as the case itself. Counterfactuals use the policy version the
   * recommendation was computed with (the case's pinned one), never a newer version.
   */
  async decision(actor: AuthUser, caseId: string): Promise<DecisionView> {
    const row = await this.uow.read((manager) => loadVisibleCase(manager, actor, caseId));
    const ref = row.recommendation?.policy ?? { id: row.policyId, version: row.policyVersion };
    const policy = this.policies.get(ref.id, ref.version);
    if (!policy) {
      // PinnedPolicyCheck refuses to start without every pinned version, so this is a bug, not a user error.
      throw new Error(`pinned policy ${ref.id}@${ref.version} is not loaded`);
    }
    return toDecisionView(row, policy);
  }

  /**
   * Each action with whether the caller may take it now and, if not, why (e.g. "you assessed this case");
   * `withRefusal` adds which kind of refusal (`ROLE`, `STATE`, …).
   */
  explainActions(actor: AuthUser, caseId: string, now: Date, withRefusal = false): Promise<ActionExplanation[]> {
    return this.uow.read(async (manager) => {
      const aggregate = await loadAggregate(manager, await loadVisibleCase(manager, actor, caseId));
      const explain = withRefusal ? classifyActions : explainActions;
      return explain(aggregate.row.snapshot, participantsOf(aggregate), actor, now.toISOString());
    });
  }

  /** Refusals by the fairness rules (recusal, separation of duties): newest first, `take` entries from `skip`. */
  accessLog(actor: AuthUser, caseId: string, skip: number, take: number): Promise<AccessLogEntity[]> {
    return this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      return AccessLogRepository.ofCase(manager, caseId, skip, take);
    });
  }

  /**
   * One page of the cases the caller reaches that match the filters, and how many match in all. The
   * count and the page's ids come from the list index alone (case-list.ts), read together on a reader
   * (one snapshot, off the request thread, within the read budget); then only the page's rows are read.
   */
  async list(actor: AuthUser, query: ListCasesQuery, now: Date): Promise<CasePage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const scope = await this.uow.read(async (manager) => plainScope(manager, await listScope(manager, actor, query.unitId)));
    if (scope.length === 0) {
      return { items: [], total: 0, page, pageSize };
    }
    const selection = { scope, filter: toCaseFilter(query), sort: query.sort, now: now.toISOString() };
    const dialect = this.reads.dialect;
    const offset = (page - 1) * pageSize;
    let total: number;
    let paged: Rows;
    if (dialect === 'sqlite' && searchCountSql(scope, selection.filter) !== null) {
      // A search over every case: its page's plan depends on how many match (pageQuery), so two reads.
      const [counted] = await this.reads.query([countQuery(selection, dialect)]);
      total = Number(counted[0].total);
      paged = total > offset ? (await this.reads.query([pageQuery(selection, pageSize, offset, dialect, total)]))[0] : [];
    } else {
      const [counted, rows] = await this.reads.query([countQuery(selection, dialect), pageQuery(selection, pageSize, offset, dialect)]);
      // PostgreSQL's COUNT is a bigint, which pg returns as text.
      total = Number(counted[0].total);
      paged = rows;
    }
    const ids = paged.map((row) => String(row.id));
    // The rows as they are now: a case changed since the count shows its new state (as the CSV export does).
    const items =
      ids.length === 0 ? [] : await this.uow.read(async (manager) => loadAggregates(manager, await CasesRepository.findMany(manager, ids)));
    return { items, total, page, pageSize };
  }

  /** `limit` events after `afterSeq`, in seq order, and the seq to continue after (null when none follows). */
  auditTrail(actor: AuthUser, caseId: string, afterSeq: number, limit: number): Promise<Slice<AuditEventView>> {
    return this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      const rows = await this.audit.list(manager, caseId, { afterSeq, limit: limit + 1 });
      return sliceOf(
        rows.map((row) => AuditTrailService.toView(row)),
        limit,
        (event) => event.seq,
      );
    });
  }
}
