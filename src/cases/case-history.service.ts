import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { loadVisibleCase } from '../access/scope.js';
import { type AuditEventView, AuditTrailService } from '../audit/audit-trail.service.js';
import { verifyChain, type VerifyResult } from '../audit/hash-chain.js';
import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { EvidenceRepository } from '../repositories/evidence.repository.js';
import { type CaseRecord, type EvidenceRecord, ROW_FACTS, VIEW_FACTS } from '../workflow/replay/case-record.js';
import { firstDifference, replayCase, type ReplayResult } from '../workflow/replay/replay-case.js';
import { type CaseAggregate, loadAggregate } from './case-aggregate.js';

export interface ReplayCheck {
  /** the case row (and its corrective actions) is exactly what its events, replayed, produce */
  matches: boolean;
  /** the first event whose replay disagrees with what it records; null when the events agree */
  divergedAtSeq: number | null;
  reason: string | null;
  /** the field that differs, when the events agree but the stored case does not */
  field: string | null;
  expected: unknown;
  actual: unknown;
}

export interface FullVerifyResult extends VerifyResult {
  replay: ReplayCheck;
}

/** The stored case in the shape replay produces, so the two can be compared field by field. */
export function storedFacts(aggregate: CaseAggregate, evidence: EvidenceRecord[]) {
  const { row } = aggregate;
  return {
    ...row,
    policy: { id: row.policyId, version: row.policyVersion },
    appealDueAt: row.snapshot.context.appealDueAt ?? null,
    explanationEvidenceIds: row.explanationEvidenceIds ?? [],
    correctiveActions: aggregate.actions,
    evidence,
  };
}

/** Compares a replay with the stored case: the verdict verify reports. */
export function replayCheck(result: ReplayResult, stored: ReturnType<typeof storedFacts>): ReplayCheck {
  const { divergence, record } = result;
  if (divergence) {
    return {
      matches: false,
      divergedAtSeq: divergence.seq,
      reason: divergence.reason,
      field: null,
      expected: divergence.expected,
      actual: divergence.actual,
    };
  }
  if (!record) {
    return {
      matches: false,
      divergedAtSeq: null,
      reason: 'the case has no events',
      field: null,
      expected: 'a case.opened event',
      actual: null,
    };
  }
  const difference = firstDifference(record, stored, [...VIEW_FACTS, ...ROW_FACTS]);
  if (difference) {
    return {
      matches: false,
      divergedAtSeq: null,
      reason: `the stored case's ${difference.field} differs from what its events produce`,
      field: difference.field,
      expected: difference.expected,
      actual: difference.actual,
    };
  }
  return { matches: true, divergedAtSeq: null, reason: null, field: null, expected: null, actual: null };
}

/** A case's history: the chain, its replay, and the case as it stood at an earlier time. */
@Injectable()
export class CaseHistoryService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditTrailService) private readonly audit: AuditTrailService,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
  ) {}

  private readonly policyOf = (id: string, version: number) => this.policies.get(id, version);

  private async events(manager: EntityManager, caseId: string): Promise<AuditEventView[]> {
    return (await this.audit.list(manager, caseId)).map((row) => AuditTrailService.toView(row));
  }

  /** Hash chain plus replay through the recorded machine and policy versions, compared with the stored case. */
  verify(actor: AuthUser, caseId: string): Promise<FullVerifyResult> {
    return this.uow.read(async (manager) => {
      const aggregate = await loadAggregate(manager, await loadVisibleCase(manager, actor, caseId));
      const rows = await this.audit.list(manager, caseId);
      const events = rows.map((row) => AuditTrailService.toView(row));
      const chain = verifyChain(rows);
      const stored = storedFacts(aggregate, await EvidenceRepository.records(manager, caseId));
      return { ...chain, replay: replayCheck(replayCase(caseId, events, this.policyOf), stored) };
    });
  }

  /** The case as its events up to `asOf` made it; 404 when it did not exist yet. */
  asOf(actor: AuthUser, caseId: string, asOf: string): Promise<CaseRecord> {
    return this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      const { record, divergence } = replayCase(caseId, await this.events(manager, caseId), this.policyOf, asOf);
      if (divergence) {
        throw DomainError.conflict(
          `the history of this case does not replay (seq ${divergence.seq}: ${divergence.reason}); see /audit/verify`,
          'INTEGRITY',
        );
      }
      if (!record) {
        throw new DomainError('NOT_FOUND', `case ${caseId} had not been opened by ${asOf}`);
      }
      return record;
    });
  }
}
