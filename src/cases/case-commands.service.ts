import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { UserEntity } from '../users/user.entity.js';
import { accessRefusal, type CaseCommand, COMMAND_ROLE, commandPossibleNow } from '../workflow/case-access.js';
import { type CaseEvent, MACHINE_VERSION } from '../workflow/case-machine.js';
import { applyEvent, initialSnapshot } from '../workflow/case-workflow.js';
import { reviewViolations } from '../workflow/command-rules.js';
import { evaluatePolicy } from '../workflow/policy/evaluate-policy.js';
import { CaseEntity } from './case.entity.js';
import { CaseStore } from './case-store.js';
import { canSeeCase, loadVisibleCase, participantsOf } from './case-scope.js';
import type { AssessmentDto, ExplanationDto, ReviewDto, WithdrawDto } from './dto/case-commands.dto.js';
import type { OpenCaseDto } from './dto/open-case.dto.js';

/** What a command decided, before anything is written. */
interface Decision {
  event: CaseEvent;
  auditType: string;
  auditData: Record<string, unknown>;
  /** field changes beyond state/snapshot/version */
  changes: (row: CaseEntity, at: string) => Partial<CaseEntity>;
}

/**
 * Applies each command in one unit of work: load + scope → who may act (403) → If-Match (412) → can the
 * machine take it now (409) → business rules (422) → write the case and its audit event together.
 * Anything refused throws before the first write, and the savepoint is rolled back regardless.
 */
@Injectable()
export class CaseCommandsService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditTrailService) private readonly audit: AuditTrailService,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  open(actor: AuthUser, input: OpenCaseDto): Promise<CaseEntity> {
    return this.uow.run(async (manager) => {
      const subject = await manager.findOne(UserEntity, { where: { id: input.subjectId } });
      if (!subject?.roles.includes('cadre')) {
        throw DomainError.ruleViolation([{ field: 'subjectId', message: 'no cadre with this id' }]);
      }
      if (subject.id === actor.id) {
        throw DomainError.forbidden('you cannot open a case about yourself');
      }
      const policy = this.policies.current();
      if (!policy) {
        throw new Error('no default policy loaded');
      }
      const at = this.clock.now().toISOString();
      const snapshot = initialSnapshot();
      const row = manager.create(CaseEntity, {
        id: randomUUID(),
        state: snapshot.value,
        outcome: null,
        recommendation: null,
        overridden: false,
        subjectId: subject.id,
        unitId: subject.unitId,
        openedBy: actor.id,
        title: input.title,
        description: input.description,
        category: input.category,
        source: input.source ?? 'report',
        occurredAt: input.occurredAt,
        policyId: policy.id,
        policyVersion: policy.version,
        machineVersion: MACHINE_VERSION,
        snapshot,
        explanation: null,
        assessment: null,
        assessorIds: [],
        reviewerIds: [],
        review: null,
        decidedAt: null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      });
      if (!(await canSeeCase(manager, actor, row))) {
        throw DomainError.forbidden('the subject is outside your unit');
      }
      await manager.insert(CaseEntity, row);
      const opened = row;
      await this.audit.append(manager, {
        caseId: opened.id,
        type: 'case.opened',
        actorId: actor.id,
        actorRole: 'officer',
        at,
        data: {
          subjectId: opened.subjectId,
          unitId: opened.unitId,
          title: opened.title,
          description: opened.description,
          category: opened.category,
          source: opened.source,
          occurredAt: opened.occurredAt,
          policy: { id: opened.policyId, version: opened.policyVersion },
          state: row.state,
        },
      });
      return row;
    });
  }

  submitExplanation(actor: AuthUser, caseId: string, ifMatch: number | null, input: ExplanationDto) {
    return this.execute(actor, caseId, ifMatch, 'explanation', () => ({
      event: { type: 'explanation.submit' },
      auditType: 'explanation.submitted',
      auditData: { statement: input.statement },
      changes: () => ({ explanation: input.statement }),
    }));
  }

  recordAssessment(actor: AuthUser, caseId: string, ifMatch: number | null, input: AssessmentDto) {
    return this.execute(actor, caseId, ifMatch, 'assessment', (row) => {
      const policy = this.policies.get(row.policyId, row.policyVersion);
      if (!policy) {
        throw new Error(`pinned policy ${row.policyId}@${row.policyVersion} is not loaded`);
      }
      const unlisted = (input.exclusions ?? []).filter((item) => !policy.negativeList.includes(item));
      if (unlisted.length > 0) {
        throw DomainError.ruleViolation([
          { field: 'exclusions', message: `not on the negative list of policy ${policy.id} v${policy.version}: ${unlisted.join(', ')}` },
        ]);
      }
      const assessment = {
        intent: input.intent,
        motive: input.motive,
        nature: input.nature,
        conditions: { ...input.conditions },
        severity: input.severity,
        exclusions: input.exclusions ?? [],
        findings: input.findings,
      };
      // Repeat errors (same category tolerated within the policy's repeatWindow) arrive with the
      // cadre-record capability; until then no case counts as a repeat.
      const recommendation = evaluatePolicy(policy, { ...assessment, repeatError: false });
      return {
        event: { type: 'assessment.record', recommendedOutcome: recommendation.outcome },
        auditType: 'assessment.recorded',
        auditData: { assessment, recommendation },
        changes: (current) => ({
          assessment,
          recommendation,
          assessorIds: current.assessorIds.includes(actor.id) ? current.assessorIds : [...current.assessorIds, actor.id],
        }),
      };
    });
  }

  review(actor: AuthUser, caseId: string, ifMatch: number | null, input: ReviewDto) {
    return this.execute(actor, caseId, ifMatch, 'review', (row) => {
      const violations = reviewViolations(input, row.recommendation);
      if (violations.length > 0) {
        throw DomainError.ruleViolation(violations);
      }
      const reason = input.reason?.trim() || null;
      const reviewerIds = row.reviewerIds.includes(actor.id) ? row.reviewerIds : [...row.reviewerIds, actor.id];
      switch (input.decision) {
        case 'approve':
          return {
            event: { type: 'review.approve' },
            auditType: 'review.approved',
            auditData: { outcome: row.recommendation?.outcome ?? null, reason },
            changes: (_row, at) => ({
              reviewerIds,
              review: { decision: 'approve', by: actor.id, reason, at },
              decidedAt: at,
            }),
          };
        case 'return':
          return {
            event: { type: 'review.return' },
            auditType: 'review.returned',
            auditData: { reason },
            changes: (_row, at) => ({ reviewerIds, review: { decision: 'return', by: actor.id, reason, at } }),
          };
        case 'override': {
          const outcome = input.outcome!;
          return {
            event: { type: 'review.override', outcome },
            auditType: 'review.overridden',
            auditData: { outcome, recommendedOutcome: row.recommendation?.outcome ?? null, reason },
            changes: (_row, at) => ({
              reviewerIds,
              review: { decision: 'override', by: actor.id, reason, at },
              decidedAt: at,
            }),
          };
        }
      }
    });
  }

  withdraw(actor: AuthUser, caseId: string, ifMatch: number | null, input: WithdrawDto) {
    return this.execute(actor, caseId, ifMatch, 'withdraw', () => ({
      event: { type: 'case.withdraw' },
      auditType: 'case.withdrawn',
      auditData: { reason: input.reason },
      changes: () => ({}),
    }));
  }

  private execute(
    actor: AuthUser,
    caseId: string,
    ifMatch: number | null,
    command: CaseCommand,
    decide: (row: CaseEntity) => Decision,
  ): Promise<CaseEntity> {
    return this.uow.run(async (manager) => {
      const row = await loadVisibleCase(manager, actor, caseId);
      const refusal = accessRefusal(command, actor, participantsOf(row));
      if (refusal) {
        throw DomainError.forbidden(refusal);
      }
      if (ifMatch !== null && ifMatch !== row.version) {
        throw new DomainError('PRECONDITION_FAILED', `if-match: the case is at version ${row.version}, not ${ifMatch}`);
      }
      if (!commandPossibleNow(row.snapshot, command)) {
        throw DomainError.conflict(`${command} is not possible while the case is ${row.state}`);
      }
      const decision = decide(row);
      const next = applyEvent(row.snapshot, decision.event);
      if (!next) {
        throw DomainError.conflict(`${command} is not possible while the case is ${row.state}`);
      }
      const at = this.clock.now().toISOString();
      const from = row.state;
      const updated: CaseEntity = {
        ...row,
        ...decision.changes(row, at),
        state: next.value,
        snapshot: next,
        outcome: next.context.outcome,
        overridden: next.context.overridden,
        version: row.version + 1,
        updatedAt: at,
      };
      await this.saveIfUnchanged(manager, row, updated);
      await this.audit.append(manager, {
        caseId,
        type: decision.auditType,
        actorId: actor.id,
        actorRole: COMMAND_ROLE[command],
        at,
        data: { ...decision.auditData, transition: { from, to: next.value }, caseVersion: updated.version },
      });
      return updated;
    });
  }

  /** Optimistic version check: on PostgreSQL two instances may race; the loser writes nothing (409). */
  private async saveIfUnchanged(manager: EntityManager, before: CaseEntity, after: CaseEntity): Promise<void> {
    if (!(await CaseStore.updateIfVersion(manager, before, after))) {
      throw DomainError.conflict('the case was changed by another command; reload and retry');
    }
  }
}
