import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { JSON_VALUE } from '../../common/openapi-decorators.js';
import type { AuditEventView } from '../audit-trail.service.js';
import type { Checkpoint, InclusionProof } from '../checkpoint.service.js';

/* The schemas of the audit reads; each class implements the type its service returns. */

@ApiSchema({ name: 'AuditEvent' })
export class AuditEventResponse implements AuditEventView {
  @ApiProperty({ type: 'integer', example: 1 }) seq: number;
  @ApiProperty({ example: 'case.opened' }) type: string;
  @ApiProperty({ format: 'uuid' }) actorId: string;
  @ApiProperty({ example: 'officer' }) actorRole: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ ...JSON_VALUE, description: 'the command’s facts, as hashed' }) data: unknown;
  @ApiProperty({ type: 'integer', description: 'the case machine version that ran the command' }) machineVersion: number;
  @ApiProperty({ description: 'hex SHA-256 of the previous event (zeros for the first)' }) prevHash: string;
  @ApiProperty({ description: 'hex SHA-256 of this event' }) hash: string;
}

@ApiSchema({ name: 'Checkpoint' })
export class CheckpointResponse implements Checkpoint {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'RFC 6962 Merkle root over every case’s chain head, hex' }) root: string;
  @ApiProperty({ type: 'integer' }) cases: number;
  @ApiProperty({ type: 'integer' }) events: number;
  @ApiProperty() algorithm: string;
}

@ApiSchema({ name: 'InclusionProof' })
export class InclusionProofResponse implements InclusionProof {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() root: string;
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ type: 'integer' }) index: number;
  @ApiProperty({ description: '`<caseId> <seq> <hash>`' }) leaf: string;
  @ApiProperty({ type: [String], description: 'sibling hashes, leaf to root, hex' }) path: string[];
  @ApiProperty() algorithm: string;
}
