import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { AuditTrailService } from '../audit/audit-trail.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { ConflictEntity } from '../conflicts/conflict.entity.js';
import { runSql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { DeadlineBook } from '../deadlines/deadline-book.js';
import { EvidenceRefs } from '../evidence/evidence-refs.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { Notifier } from '../notifications/notifier.js';
import { Metrics } from '../operations/metrics.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { UserEntity } from '../users/user.entity.js';
import { MACHINE_VERSION } from '../workflow/case-machine.js';
import type { Assessment } from '../workflow/case-types.js';
import { initialSnapshot } from '../workflow/case-workflow.js';
import { citationViolations, reviewViolations } from '../workflow/command-rules.js';
import { subtractDuration } from '../workflow/deadline-calendar.js';
import { annotateRepeat, type RepeatOf } from '../workflow/policy/annotate-repeat.js';
import { evaluatePolicy } from '../workflow/policy/evaluate-policy.js';
import { policyDigest } from '../workflow/policy/policy-digest.js';
import { CaseEntity } from './case.entity.js';
import { type CaseAggregate, loadAggregate } from './case-aggregate.js';
import { CaseCommandRunner } from './case-command-runner.js';
import { withinUnit } from './case-scope.js';
import type { AssessmentDto, ExplanationDto, ReviewDto, WithdrawDto } from './dto/case-commands.dto.js';
import type { OpenCaseDto } from './dto/open-case.dto.js';
import { occurredAtUtc } from './occurred-at.js';

/** Opening a case and the commands up to the decision. Appeals and corrections have their own services. */
@Injectable()
export class CaseCommandsService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(CaseCommandRunner) private readonly runner: CaseCommandRunner,
    @Inject(AuditTrailService) private readonly audit: AuditTrailService,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(DeadlineBook) private readonly deadlines: DeadlineBook,
    @Inject(Notifier) private readonly notifier: Notifier,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  open(actor: AuthUser, input: OpenCaseDto): Promise<CaseAggregate> {
    return this.metrics.countCommand('open', async () => this.openCase(actor, input));
  }

  private openCase(actor: AuthUser, input: OpenCaseDto): Promise<CaseAggregate> {
    // The highest loaded version of the chosen jurisdiction's policy is pinned for the case's whole life.
    const policy = this.policies.current(input.policyId ?? this.policies.defaultId);
    if (!policy) {
      const known = [...new Set(this.policies.all().map((p) => p.id))].join(', ');
      throw DomainError.ruleViolation([
        { field: 'policyId', message: `no policy with id "${input.policyId}" is loaded (loaded: ${known})` },
      ]);
    }
    return this.uow.run(async (manager) => {
      const subject = await manager.findOne(UserEntity, { where: { id: input.subjectId } });
      if (!subject?.roles.includes('cadre')) {
        throw DomainError.ruleViolation([{ field: 'subjectId', message: 'no cadre with this id' }]);
      }
      if (subject.id === actor.id) {
        throw DomainError.forbidden('you cannot open a case about yourself', 'SUBJECT');
      }
      // Recusal (回避) covers opening too: a conflicted officer does not start a case about that cadre.
      if (await manager.exists(ConflictEntity, { where: { userId: actor.id, subjectId: subject.id } })) {
        throw DomainError.forbidden('you declared a conflict of interest with this cadre (回避)', 'RECUSAL');
      }
      const now = this.clock.now();
      const at = now.toISOString();
      const snapshot = initialSnapshot();
      const explanationDue = this.deadlines.dueAt(policy, 'explanation', now).toISOString();
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
        occurredAtUtc: occurredAtUtc(input.occurredAt),
        nextDueAt: explanationDue,
        policyId: policy.id,
        policyVersion: policy.version,
        machineVersion: MACHINE_VERSION,
        snapshot,
        explanation: null,
        explanationEvidenceIds: null,
        assessment: null,
        assessorIds: [],
        reviewerIds: [],
        review: null,
        decidedAt: null,
        appeal: null,
        nameCleared: false,
        closedAt: null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      });
      // The officer role's unit, not what the caller may read: an admin who is also an officer opens
      // cases only within their unit like any officer (admins make no case decisions).
      if (!(await withinUnit(manager, row.unitId, actor.unitId))) {
        throw DomainError.forbidden('the subject is outside your unit', 'SCOPE');
      }
      await manager.insert(CaseEntity, row);
      await this.idempotency.claimIn(manager);
      await this.deadlines.open(manager, row.id, 'explanation', explanationDue, at);
      await this.audit.append(manager, {
        caseId: row.id,
        type: 'case.opened',
        actorId: actor.id,
        actorRole: 'officer',
        at,
        data: {
          subjectId: row.subjectId,
          unitId: row.unitId,
          title: row.title,
          description: row.description,
          category: row.category,
          source: row.source,
          occurredAt: row.occurredAt,
          policy: { id: row.policyId, version: row.policyVersion, sha256: policyDigest(policy) },
          state: row.state,
          explanationDueAt: explanationDue,
        },
      });
      await this.notifier.notify(
        manager,
        [row.subjectId],
        {
          caseId: row.id,
          kind: 'case.opened',
          message: `A case was opened about you: "${row.title}". You may submit an explanation (陈述申辩) until ${explanationDue}.`,
        },
        at,
      );
      return loadAggregate(manager, row);
    });
  }

  submitExplanation(actor: AuthUser, caseId: string, ifMatch: number | null, input: ExplanationDto) {
    const evidenceIds = input.evidenceIds ?? [];
    return this.runner.run(actor, caseId, ifMatch, 'explanation', async ({ manager, aggregate: { row } }) => {
      await refuseUnknownEvidence(manager, row.id, [['evidenceIds', evidenceIds]]);
      return {
        event: { type: 'explanation.submit' },
        auditType: 'explanation.submitted',
        auditData: { statement: input.statement, evidenceIds },
        changes: () => ({ explanation: input.statement, explanationEvidenceIds: evidenceIds }),
      };
    });
  }

  recordAssessment(actor: AuthUser, caseId: string, ifMatch: number | null, input: AssessmentDto) {
    return this.runner.run(actor, caseId, ifMatch, 'assessment', async ({ manager, aggregate: { row }, policy, now }) => {
      const unlisted = (input.exclusions ?? []).filter((item) => !policy.negativeList.includes(item));
      if (unlisted.length > 0) {
        throw DomainError.ruleViolation([
          { field: 'exclusions', message: `not on the negative list of policy ${policy.id} v${policy.version}: ${unlisted.join(', ')}` },
        ]);
      }
      const evidence = input.evidence ?? {};
      await refuseUnknownEvidence(
        manager,
        row.id,
        Object.entries(evidence).map(([factor, ids]) => [`evidence.${factor}`, ids ?? []] as const),
      );
      const assessment: Assessment = {
        intent: input.intent,
        motive: input.motive,
        nature: input.nature,
        conditions: { ...input.conditions },
        severity: input.severity,
        exclusions: input.exclusions ?? [],
        findings: input.findings,
        evidence,
      };
      const repeatOf = await this.earlierTolerance(manager, row, subtractDuration(now, policy.repeatWindow).toISOString());
      const recommendation = annotateRepeat(evaluatePolicy(policy, { ...assessment, repeatError: repeatOf !== null }), repeatOf);
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

  /**
   * A repeat error (domain.md, negative list): the cadre already had a case of the same category
   * tolerated within the policy's repeat window. Tolerance is then unavailable.
   */
  private async earlierTolerance(manager: EntityManager, row: CaseEntity, since: string): Promise<RepeatOf | null> {
    const { rows } = await runSql<{ id: string; decided_at: string }>(
      manager,
      `SELECT id, decided_at FROM cases WHERE subject_id = ? AND category = ? AND outcome = 'tolerate' AND id <> ?
       AND decided_at >= ? ORDER BY decided_at DESC LIMIT 1`,
      [row.subjectId, row.category, row.id, since],
    );
    return rows[0] ? { caseId: rows[0].id, decidedAt: rows[0].decided_at } : null;
  }

  review(actor: AuthUser, caseId: string, ifMatch: number | null, input: ReviewDto) {
    return this.runner.run(actor, caseId, ifMatch, 'review', ({ aggregate: { row }, policy, now }) => {
      const violations = reviewViolations(input, row.recommendation);
      if (violations.length > 0) {
        throw DomainError.ruleViolation(violations);
      }
      const reason = input.reason?.trim() || null;
      const reviewerIds = row.reviewerIds.includes(actor.id) ? row.reviewerIds : [...row.reviewerIds, actor.id];
      const record = (at: string) => ({ reviewerIds, review: { decision: input.decision, by: actor.id, reason, at } });
      if (input.decision === 'return') {
        return {
          event: { type: 'review.return' },
          auditType: 'review.returned',
          auditData: { reason },
          changes: (_row, at) => record(at),
          notify: [{ to: row.assessorIds, kind: 'case.returned', message: `"${row.title}" was returned for more work: ${reason}` }],
        };
      }
      const appealDueAt = this.deadlines.dueAt(policy, 'appealWindow', now).toISOString();
      const outcome = input.decision === 'override' ? input.outcome! : row.recommendation!.outcome;
      const decided = {
        kind: 'case.decided',
        message: `Decision on "${row.title}": ${outcome}. An appeal (申诉) is possible until ${appealDueAt}.`,
        to: [row.subjectId, row.openedBy],
      };
      if (input.decision === 'approve') {
        return {
          event: { type: 'review.approve', appealDueAt },
          auditType: 'review.approved',
          auditData: { outcome, reason, appealDueAt },
          changes: (_row, at) => ({ ...record(at), decidedAt: at }),
          notify: [decided],
        };
      }
      return {
        event: { type: 'review.override', outcome, appealDueAt },
        auditType: 'review.overridden',
        auditData: { outcome, recommendedOutcome: row.recommendation?.outcome ?? null, reason, appealDueAt },
        changes: (_row, at) => ({ ...record(at), decidedAt: at }),
        notify: [decided],
      };
    });
  }

  withdraw(actor: AuthUser, caseId: string, ifMatch: number | null, input: WithdrawDto) {
    return this.runner.run(actor, caseId, ifMatch, 'withdraw', ({ aggregate: { row } }) => {
      const clearName = input.clearName === true;
      return {
        event: { type: 'case.withdraw' },
        auditType: 'case.withdrawn',
        auditData: { reason: input.reason, clearName },
        changes: () => ({ nameCleared: clearName }),
        notify: [
          {
            to: [row.subjectId],
            kind: 'case.withdrawn',
            message: clearName
              ? `The case "${row.title}" was withdrawn and your name cleared (澄清正名): ${input.reason}`
              : `The case "${row.title}" was withdrawn: ${input.reason}`,
          },
        ],
      };
    });
  }
}

/** Cited evidence must belong to this case (422 naming the citing field). */
async function refuseUnknownEvidence(
  manager: EntityManager,
  caseId: string,
  citations: ReadonlyArray<readonly [field: string, ids: readonly string[]]>,
): Promise<void> {
  if (citations.every(([, ids]) => ids.length === 0)) {
    return;
  }
  const violations = citationViolations(citations, await EvidenceRefs.idsOf(manager, caseId));
  if (violations.length > 0) {
    throw DomainError.ruleViolation(violations);
  }
}
