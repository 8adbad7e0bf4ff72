import { Inject, Injectable } from '@nestjs/common';
import { type FindOptionsWhere, In } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AuditTrailService, type AuditEventView } from '../audit/audit-trail.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AccessLogEntity } from '../audit/access-log.entity.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { type ActionExplanation, explainActions } from '../workflow/case-access.js';
import { type CaseAggregate, loadAggregate, participantsOf } from './case-aggregate.js';
import { CaseEntity } from './case.entity.js';
import { loadVisibleCase, visibleUnitIds } from './case-scope.js';
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

  /** Each action with whether the caller may take it now and, if not, why (e.g. "you assessed this case"). */
  explainActions(actor: AuthUser, caseId: string, now: Date): Promise<ActionExplanation[]> {
    return this.uow.read(async (manager) => {
      const aggregate = await loadAggregate(manager, await loadVisibleCase(manager, actor, caseId));
      return explainActions(aggregate.row.snapshot, participantsOf(aggregate), actor, now.toISOString());
    });
  }

  /** Refusals by the fairness rules (recusal, separation of duties), newest first. */
  accessLog(actor: AuthUser, caseId: string): Promise<AccessLogEntity[]> {
    return this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      return manager.find(AccessLogEntity, { where: { caseId }, order: { at: 'DESC' } });
    });
  }

  list(actor: AuthUser, query: ListCasesQuery): Promise<CasePage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    return this.uow.read(async (manager) => {
      const filters: FindOptionsWhere<CaseEntity> = {};
      if (query.state) {
        filters.state = query.state;
      }
      if (query.outcome) {
        filters.outcome = query.outcome;
      }
      if (query.subjectId) {
        filters.subjectId = query.subjectId;
      }
      // Scope: the union of what each of the caller's roles reaches.
      const scopes: FindOptionsWhere<CaseEntity>[] = [];
      if (actor.roles.includes('admin')) {
        scopes.push({});
      } else {
        // Never let a subjectId filter widen the "own cases" scope to someone else's.
        if (!query.subjectId || query.subjectId === actor.id) {
          scopes.push({ subjectId: actor.id });
        }
        if (actor.roles.includes('officer') || actor.roles.includes('leader')) {
          scopes.push({ unitId: In(await visibleUnitIds(manager, actor)) });
        }
      }
      if (scopes.length === 0) {
        return { items: [], total: 0, page, pageSize };
      }
      const where = scopes.map((scope) => ({ ...filters, ...scope }));
      const [items, total] = await manager.findAndCount(CaseEntity, {
        where,
        order: { createdAt: 'DESC', id: 'ASC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      });
      const aggregates: CaseAggregate[] = [];
      for (const row of items) {
        aggregates.push(await loadAggregate(manager, row));
      }
      return { items: aggregates, total, page, pageSize };
    });
  }

  auditTrail(actor: AuthUser, caseId: string): Promise<AuditEventView[]> {
    return this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      return (await this.audit.list(manager, caseId)).map((row) => AuditTrailService.toView(row));
    });
  }
}
