import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { AuditTrailService } from '../audit/audit-trail.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { appendOnlyRowId } from '../common/row-id.js';
import { runSql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { afterChange, DeadlineBook } from '../deadlines/deadline-book.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { type NotificationDraft, Notifier } from '../notifications/notifier.js';
import { Metrics } from '../operations/metrics.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import {
  accessRefusal,
  type CaseCommand,
  commandPossibleNow,
  commandRole,
  notPossible,
  type Refusal,
  REFUSAL_OF_ACCESS,
} from '../workflow/case-access.js';
import type { CaseEvent } from '../workflow/case-machine.js';
import { applyEvent } from '../workflow/case-workflow.js';
import type { Policy } from '../workflow/policy/policy-schema.js';
import type { CaseEntity } from './case.entity.js';
import { type CaseAggregate, loadAggregate, participantsOf } from './case-aggregate.js';
import { loadVisibleCase } from './case-scope.js';
import { CaseStore } from './case-store.js';

/** What a command sees when it decides. */
export interface CommandScope {
  manager: EntityManager;
  aggregate: CaseAggregate;
  policy: Policy;
  now: Date;
  at: string;
}

/** Who should hear about an accepted command. */
export interface NotificationPlan extends Omit<NotificationDraft, 'caseId'> {
  to: Array<string | null | undefined>;
  /** also the leaders of the case's unit and the units above (escalations) */
  unitLeaders?: boolean;
}

/** What a command decided, before anything is written. */
export interface Decision {
  event: CaseEvent;
  auditType: string;
  auditData: Record<string, unknown>;
  /** field changes beyond state/snapshot/outcome/version */
  changes?: (row: CaseEntity, at: string) => Partial<CaseEntity>;
  /**
   * other rows the command writes in the same transaction (corrective actions, their deadlines); they run
   * before the case row is written, with the row as it will be (`updated`)
   */
  effects?: (scope: CommandScope, updated: CaseEntity) => Promise<void>;
  notify?: NotificationPlan[];
}

export const SYSTEM_ACTOR = { id: 'system', role: 'system' } as const;

/** A 403 from a fairness rule; the runner writes it to the access log after the command rolled back. */
class FairnessRefusal extends DomainError {
  constructor(readonly fairness: Refusal) {
    super('FORBIDDEN', fairness.reason, [], REFUSAL_OF_ACCESS[fairness.kind]);
  }
}

/**
 * The one path every case command takes, users' and the deadline sweeper's alike, in one unit of work:
 * load + scope (404) → who may act (403) → If-Match (412) → can the machine take it now (409) → the
 * command's own rules (422) → write its deadlines, its side rows, the case (version-checked, with the
 * earliest open deadline), its audit event and its notifications together. Anything refused throws before a write survives: the unit of
 * work rolls the command back to its savepoint.
 */
@Injectable()
export class CaseCommandRunner {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditTrailService) private readonly audit: AuditTrailService,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(DeadlineBook) private readonly deadlines: DeadlineBook,
    @Inject(Notifier) private readonly notifier: Notifier,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  /** Counted in the metrics by command and outcome (accepted, or the status it was refused with). */
  run(
    actor: AuthUser,
    caseId: string,
    ifMatch: number | null,
    command: CaseCommand,
    decide: (scope: CommandScope) => Decision | Promise<Decision>,
  ): Promise<CaseAggregate> {
    return this.metrics.countCommand(command, async () => {
      try {
        return await this.uow.run(async (manager) => {
          const now = this.clock.now();
          const aggregate = await this.admit(manager, actor, caseId, ifMatch, command, now, true);
          const applied = await this.apply(
            manager,
            aggregate,
            now,
            { id: actor.id, role: commandRole(command, actor, aggregate.row) },
            decide,
          );
          await this.idempotency.claimIn(manager);
          return applied;
        });
      } catch (error) {
        await this.logIfFairnessRefusal(error, caseId, actor.id, command);
        throw error;
      }
    });
  }

  /**
   * The checks of `run` (404, 403, 412, 409) without running the command: for a command whose input is
   * expensive to accept (an evidence upload), so a caller who may not issue it is refused before the
   * input is stored. `run` checks again in its own transaction.
   */
  async check(actor: AuthUser, caseId: string, ifMatch: number | null, command: CaseCommand): Promise<void> {
    try {
      await this.uow.run((manager) => this.admit(manager, actor, caseId, ifMatch, command, this.clock.now()));
    } catch (error) {
      await this.logIfFairnessRefusal(error, caseId, actor.id, command);
      throw error;
    }
  }

  private async admit(
    manager: EntityManager,
    actor: AuthUser,
    caseId: string,
    ifMatch: number | null,
    command: CaseCommand,
    now: Date,
    forUpdate = false,
  ): Promise<CaseAggregate> {
    const row = await loadVisibleCase(manager, actor, caseId, { forUpdate });
    const aggregate = await loadAggregate(manager, row);
    const refusal = accessRefusal(command, actor, participantsOf(aggregate));
    if (refusal) {
      // Every fairness rule (recusal, separation of duties, the subject acting in another role) is
      // logged; a plain missing role is not.
      throw refusal.kind === 'role' ? DomainError.forbidden(refusal.reason, 'ROLE') : new FairnessRefusal(refusal);
    }
    if (ifMatch !== null && ifMatch !== row.version) {
      throw DomainError.preconditionFailed(`if-match: the case is at version ${row.version}, not ${ifMatch}`);
    }
    if (!commandPossibleNow(row.snapshot, command, now.toISOString())) {
      const why = notPossible(command, row.snapshot);
      throw DomainError.conflict(`${command}: ${why.reason}`, why.refusal);
    }
    return aggregate;
  }

  private async logIfFairnessRefusal(error: unknown, caseId: string, userId: string, command: CaseCommand): Promise<void> {
    if (error instanceof FairnessRefusal) {
      await this.logRefusal(caseId, userId, command, error.fairness.reason);
    }
  }

  /** A deadline firing: the same path, as actor `system`, without the user checks. */
  runAsSystem(manager: EntityManager, row: CaseEntity, decide: (scope: CommandScope) => Decision | Promise<Decision>) {
    return loadAggregate(manager, row).then((aggregate) => this.apply(manager, aggregate, this.clock.now(), SYSTEM_ACTOR, decide));
  }

  private async apply(
    manager: EntityManager,
    aggregate: CaseAggregate,
    now: Date,
    actor: { id: string; role: string },
    decide: (scope: CommandScope) => Decision | Promise<Decision>,
  ): Promise<CaseAggregate> {
    const { row } = aggregate;
    const policy = this.policies.get(row.policyId, row.policyVersion);
    if (!policy) {
      throw new Error(`pinned policy ${row.policyId}@${row.policyVersion} is not loaded`);
    }
    const at = now.toISOString();
    const scope: CommandScope = { manager, aggregate, policy, now, at };
    const decision = await decide(scope);
    const next = applyEvent(row.snapshot, decision.event);
    if (!next) {
      throw DomainError.conflict(`${decision.event.type} is not possible while the case is ${row.state}`, 'STATE');
    }
    const updated: CaseEntity = {
      ...row,
      ...decision.changes?.(row, at),
      state: next.value,
      snapshot: next,
      outcome: next.context.outcome,
      overridden: next.context.overridden,
      version: row.version + 1,
      updatedAt: at,
    };
    if (next.value === 'closed' && !row.closedAt) {
      updated.closedAt = at;
    }
    // Deadlines and side rows first, so the case row is written once, with the `next_due_at` they leave.
    const deadlineChange = await this.deadlines.followTransition(manager, {
      caseId: row.id,
      from: row.state,
      to: next.value,
      policy,
      now,
      appealDueAt: next.context.appealDueAt ?? null,
    });
    await decision.effects?.(scope, updated);
    // Without side rows the open deadlines follow from the transition, in due order, without reading them
    // again; side rows may open or close deadlines of their own, so then they are read.
    const openDeadlines = decision.effects ? null : afterChange(aggregate.deadlines, deadlineChange);
    updated.nextDueAt = openDeadlines ? (openDeadlines[0]?.dueAt ?? null) : await CaseStore.nextDueAt(manager, row.id);
    if (!(await CaseStore.updateIfVersion(manager, row, updated))) {
      // Another command committed between this one's read and its write: the caller's view is stale.
      throw DomainError.conflict('the case was changed by another command; reload and retry', 'STALE_VERSION');
    }
    await this.audit.append(manager, {
      caseId: row.id,
      type: decision.auditType,
      actorId: actor.id,
      actorRole: actor.role,
      at,
      data: { ...decision.auditData, transition: { from: row.state, to: next.value }, caseVersion: updated.version },
    });
    for (const plan of decision.notify ?? []) {
      // Recused leaders are not counted among the people a case is escalated to.
      const recused = new Set(aggregate.conflicts.map((c) => c.userId));
      const leaders = plan.unitLeaders ? (await Notifier.unitLeaders(manager, row.unitId)).filter((id) => !recused.has(id)) : [];
      await this.notifier.notify(manager, [...plan.to, ...leaders], { caseId: row.id, kind: plan.kind, message: plan.message }, at);
    }
    // Conflicts do not change with a case command; actions (and their deadlines) only when the command
    // wrote side rows.
    if (!openDeadlines) {
      return loadAggregate(manager, updated);
    }
    return { ...aggregate, row: updated, deadlines: openDeadlines };
  }

  private async logRefusal(caseId: string, userId: string, action: string, reason: string): Promise<void> {
    await this.uow.run((manager) =>
      runSql(manager, 'INSERT INTO access_log (id, case_id, user_id, action, reason, at) VALUES (?, ?, ?, ?, ?, ?)', [
        appendOnlyRowId(),
        caseId,
        userId,
        action,
        reason,
        this.clock.now().toISOString(),
      ]),
    );
  }
}
