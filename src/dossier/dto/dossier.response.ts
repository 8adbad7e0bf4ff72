import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';

import { AuditEventResponse } from '../../audit/dto/audit.response.js';
import { CaseViewResponse } from '../../cases/dto/case-view.response.js';
import { EvidenceRecordResponse } from '../../evidence/dto/evidence-view.response.js';
import type { Policy } from '../../workflow/policy/policy-schema.js';
import { DOSSIER_FORMAT } from '../check-dossier.js';
import type { CaseDossier } from '../dossier.service.js';

@ApiSchema({ name: 'ChainHead' })
export class ChainHeadResponse {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty() hash: string;
}

/** The case's self-contained dossier; `npm run verify-dossier` checks it offline. */
@ApiSchema({ name: 'CaseDossier' })
export class CaseDossierResponse implements CaseDossier {
  @ApiProperty({ enum: [DOSSIER_FORMAT] }) format: typeof DOSSIER_FORMAT;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: CaseViewResponse }) case: CaseViewResponse;
  @ApiProperty({ type: [AuditEventResponse] }) events: AuditEventResponse[];
  @ApiProperty({ type: [EvidenceRecordResponse] }) evidence: EvidenceRecordResponse[];
  // The component comes from the policy file's zod schema (policies/policy-openapi.ts).
  @ApiProperty({ allOf: [{ $ref: getSchemaPath('Policy') }] }) policy: Policy;
  @ApiProperty({ type: ChainHeadResponse }) chainHead: ChainHeadResponse;
}
