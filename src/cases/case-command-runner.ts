import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { loadVisibleCase } from '../access/scope.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { afterChange, DeadlineBook } from '../deadlines/deadline-book.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { Notifier } from '../notifications/notifier.js';
import { Metrics } from '../operations/metrics.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { AccessLogRepository } from '../repositories/access-log.repository.js';
import { CasesRepository } from '../repositories/cases.repository.js';
import {
  accessRefusal,
  type CaseCommand,
  commandPossibleNow,
  commandRole,
  notPossible,
  type Refusal,
  REFUSAL_OF_ACCESS,
} from '../workflow/case-access.js';
import { MACHINE_VERSION } from '../workflow/case-machine.js';
import { applyEvent, initialSnapshot } from '../workflow/case-workflow.js';
import type { CommandContext, CommandDecision, CommandDefinition, NotificationPlan } from '../workflow/commands/command-definition.js';
import { blankCaseFields, caseOpened, decideOpening, type OpenCaseInput, OPENING_ROLE } from '../workflow/commands/open-case.js';
import type { Policy } from '../workflow/policy/policy-schema.js';
import { CaseEntity } from './case.entity.js';
import { type CaseAggregate, loadAggregate, participantsOf } from './case-aggregate.js';
import { commandLookups, openingLookups } from './command-lookups.js';
import { occurredAtUtc } from './occurred-at.js';
import { writeSideRows } from './side-rows.js';

/** What the service-side part of a command sees (the evidence upload puts its file in place with it). */
export interface CommandScope {
  manager: EntityManager;
  aggregate: CaseAggregate;
  policy: Policy;
  now: Date;
  at: string;
}

/**
 * Writes a command makes beyond its definition's side rows, run before the case row is written with the row
 * as it will be (`updated`): the evidence upload's file and row.
 */
export type ExtraEffects = (scope: CommandScope, updated: CaseEntity) => Promise<void>;

export const SYSTEM_ACTOR = { id: 'system', role: 'system' } as const;

/** A 403 from a fairness rule; the runner writes it to the access log after the command rolled back. */
class FairnessRefusal extends DomainError {
  constructor(readonly fairness: Refusal) {
    super('FORBIDDEN', fairness.reason, [], REFUSAL_OF_ACCESS[fairness.kind]);
  }
}

/**
 * The one path every case command takes — users' and the deadline sweeper's, and the opening of a case —
 * in one unit of work: load + scope (404) → who may act (403) → If-Match (412) → can the machine take it
 * now (409) → the command's own rules (422, its definition's `decide`) → write its deadlines, its side rows,
 * the case (version-checked, with the earliest open deadline), its audit event and its notifications
 * together. Anything refused throws before a write survives: the unit of work rolls the command back.
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
  run<Input>(
    actor: AuthUser,
    caseId: string,
    ifMatch: number | null,
    definition: CommandDefinition<CaseCommand, Input>,
    input: Input,
    extraEffects?: ExtraEffects,
  ): Promise<CaseAggregate> {
    const command = definition.name;
    return this.metrics.countCommand(command, async () => {
      try {
        return await this.uow.run(async (manager) => {
          const now = this.clock.now();
          const aggregate = await this.admit(manager, actor, caseId, ifMatch, command, now, true);
          const role = commandRole(command, actor, aggregate.row);
          const applied = await this.apply(
            manager,
            aggregate,
            now,
            { id: actor.id, role },
            (context) => definition.decide(input, context),
            extraEffects,
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

  /** The creation variant: the same unit of work, audit event, deadline and notifications, for a case that does not exist yet. */
  open(actor: AuthUser, input: OpenCaseInput): Promise<CaseAggregate> {
    return this.metrics.countCommand('open', () =>
      this.uow.run(async (manager) => {
        const now = this.clock.now();
        const at = now.toISOString();
        const snapshot = initialSnapshot();
        const opening = await decideOpening(input, {
          actor,
          now,
          at,
          initialState: snapshot.value,
          dueAt: (policy, kind, from) => this.deadlines.dueAt(policy, kind, from),
          lookups: openingLookups(manager, this.policies),
        });
        const row: CaseEntity = Object.assign(new CaseEntity(), {
          id: randomUUID(),
          ...blankCaseFields(),
          ...opening.fields,
          state: snapshot.value,
          openedBy: actor.id,
          occurredAtUtc: occurredAtUtc(opening.fields.occurredAt),
          nextDueAt: opening.deadline.dueAt,
          policyId: opening.policy.id,
          policyVersion: opening.policy.version,
          machineVersion: MACHINE_VERSION,
          snapshot,
          explanationEvidenceIds: null,
          createdAt: at,
          updatedAt: at,
        });
        await CasesRepository.insert(manager, row);
        await this.idempotency.claimIn(manager);
        await this.deadlines.open(manager, row.id, opening.deadline.kind, opening.deadline.dueAt, at);
        await this.audit.append(manager, {
          caseId: row.id,
          type: caseOpened.type,
          actorId: actor.id,
          actorRole: OPENING_ROLE,
          at,
          data: opening.data,
        });
        await this.notifyAll(manager, row, [], opening.notify, at);
        return loadAggregate(manager, row);
      }),
    );
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

  /** A deadline firing: the same path, as actor `system`, without the user checks. */
  runAsSystem(manager: EntityManager, row: CaseEntity, decide: (context: CommandContext) => CommandDecision) {
    return loadAggregate(manager, row).then((aggregate) => this.apply(manager, aggregate, this.clock.now(), SYSTEM_ACTOR, decide));
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

  private async apply(
    manager: EntityManager,
    aggregate: CaseAggregate,
    now: Date,
    actor: { id: string; role: string },
    decide: (context: CommandContext) => CommandDecision | Promise<CommandDecision>,
    extraEffects?: ExtraEffects,
  ): Promise<CaseAggregate> {
    const { row } = aggregate;
    const policy = this.policies.get(row.policyId, row.policyVersion);
    if (!policy) {
      throw new Error(`pinned policy ${row.policyId}@${row.policyVersion} is not loaded`);
    }
    const at = now.toISOString();
    const decision = await decide({
      case: row,
      actions: aggregate.actions,
      actor: { id: actor.id },
      policy,
      now,
      at,
      dueAt: (kind, from) => this.deadlines.dueAt(policy, kind, from),
      lookups: commandLookups(manager, row),
    });
    const next = applyEvent(row.snapshot, decision.event);
    if (!next) {
      throw DomainError.conflict(`${decision.event.type} is not possible while the case is ${row.state}`, 'STATE');
    }
    const updated: CaseEntity = {
      ...row,
      // The same function replay applies to the recorded data: the row cannot say what the history does not.
      ...decision.recorded.fields?.(row, decision.data, { actorId: actor.id, at }),
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
    const sideRows = decision.sideRows ?? [];
    await writeSideRows(manager, this.deadlines, row.id, sideRows, at);
    await extraEffects?.({ manager, aggregate, policy, now, at }, updated);
    // Without side rows the open deadlines follow from the transition, in due order, without reading them
    // again; side rows may open or close deadlines of their own, so then they are read.
    const wroteMore = sideRows.length > 0 || extraEffects !== undefined;
    const openDeadlines = wroteMore ? null : afterChange(aggregate.deadlines, deadlineChange);
    updated.nextDueAt = openDeadlines ? (openDeadlines[0]?.dueAt ?? null) : await CasesRepository.nextDueAt(manager, row.id);
    if (!(await CasesRepository.updateIfVersion(manager, row, updated))) {
      // Another command committed between this one's read and its write: the caller's view is stale.
      throw DomainError.conflict('the case was changed by another command; reload and retry', 'STALE_VERSION');
    }
    await this.audit.append(manager, {
      caseId: row.id,
      type: decision.recorded.type,
      actorId: actor.id,
      actorRole: actor.role,
      at,
      data: { ...decision.data, transition: { from: row.state, to: next.value }, caseVersion: updated.version },
    });
    // Recused leaders are not counted among the people a case is escalated to.
    await this.notifyAll(
      manager,
      row,
      aggregate.conflicts.map((c) => c.userId),
      decision.notify ?? [],
      at,
    );
    // Conflicts do not change with a case command; actions (and their deadlines) only when the command
    // wrote side rows.
    if (!openDeadlines) {
      return loadAggregate(manager, updated);
    }
    return { ...aggregate, row: updated, deadlines: openDeadlines };
  }

  private async notifyAll(
    manager: EntityManager,
    row: CaseEntity,
    recusedIds: string[],
    plans: NotificationPlan[],
    at: string,
  ): Promise<void> {
    for (const plan of plans) {
      const recused = new Set(recusedIds);
      const leaders = plan.unitLeaders ? (await Notifier.unitLeaders(manager, row.unitId)).filter((id) => !recused.has(id)) : [];
      await this.notifier.notify(manager, [...plan.to, ...leaders], { caseId: row.id, kind: plan.kind, message: plan.message }, at);
    }
  }

  private async logRefusal(caseId: string, userId: string, action: string, reason: string): Promise<void> {
    await this.uow.run((manager) =>
      AccessLogRepository.append(manager, { caseId, userId, action, reason, at: this.clock.now().toISOString() }),
    );
  }
}
