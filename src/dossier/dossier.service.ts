import { Inject, Injectable } from '@nestjs/common';

import { loadVisibleCase } from '../access/scope.js';
import { type AuditEventView, AuditTrailService } from '../audit/audit-trail.service.js';
import { CheckpointService, type InclusionProof } from '../audit/checkpoint.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { loadAggregate } from '../cases/case-aggregate.js';
import { type CaseView, toCaseView } from '../cases/case-view.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { EvidenceRepository } from '../repositories/evidence.repository.js';
import type { Policy } from '../workflow/policy/policy-schema.js';
import type { EvidenceRecord } from '../workflow/replay/case-record.js';
import { DOSSIER_FORMAT } from './check-dossier.js';

export interface CaseDossier {
  format: typeof DOSSIER_FORMAT;
  generatedAt: string;
  case: CaseView;
  events: AuditEventView[];
  evidence: EvidenceRecord[];
  policy: Policy;
  chainHead: { seq: number; hash: string };
}

/**
 * One self-contained JSON document per case: everything `npm run verify-dossier` needs to re-check it
 * without this service — the case, its events exactly as the audit endpoint shows them, its evidence
 * metadata, the policy version it was judged under, and the chain head.
 */
@Injectable()
export class DossierService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditTrailService) private readonly audit: AuditTrailService,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CheckpointService) private readonly checkpoints: CheckpointService,
  ) {}

  /** The case's chain head in the checkpoint at `asOf` (or now), with its RFC 6962 inclusion proof. */
  checkpointProof(actor: AuthUser, caseId: string, asOf?: string): Promise<InclusionProof> {
    return this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      const proof = await this.checkpoints.proof(manager, caseId, asOf);
      if (!proof) {
        throw new DomainError('NOT_FOUND', `case ${caseId} had no recorded event by ${asOf ?? 'now'}`);
      }
      return proof;
    });
  }

  dossier(actor: AuthUser, caseId: string): Promise<CaseDossier> {
    return this.uow.read(async (manager) => {
      const aggregate = await loadAggregate(manager, await loadVisibleCase(manager, actor, caseId));
      const events = (await this.audit.list(manager, caseId)).map((row) => AuditTrailService.toView(row));
      const { row } = aggregate;
      const policy = this.policies.get(row.policyId, row.policyVersion);
      if (!policy) {
        throw new Error(`pinned policy ${row.policyId}@${row.policyVersion} is not loaded`);
      }
      const now = this.clock.now();
      const last = events[events.length - 1];
      return {
        format: DOSSIER_FORMAT,
        generatedAt: now.toISOString(),
        case: toCaseView(aggregate, actor, now),
        events,
        evidence: await EvidenceRepository.records(manager, caseId),
        policy,
        chainHead: { seq: last.seq, hash: last.hash },
      };
    });
  }
}
