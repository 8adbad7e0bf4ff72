import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import type { EvidenceRecord } from '../../workflow/replay/case-record.js';
import type { EvidenceView } from '../evidence.service.js';

/** A stored evidence file's metadata, as the dossier keeps it. */
@ApiSchema({ name: 'EvidenceRecord' })
export class EvidenceRecordResponse implements EvidenceRecord {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'minutes.pdf' }) filename: string;
  @ApiProperty({ example: 'application/pdf', description: 'found from the content' }) mediaType: string;
  @ApiProperty({ type: 'integer', description: 'bytes' }) size: number;
  @ApiProperty({ description: 'hex SHA-256 of the bytes' }) sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

@ApiSchema({ name: 'Evidence' })
export class EvidenceResponse extends EvidenceRecordResponse implements EvidenceView {
  @ApiProperty({ example: 'cadre' }) uploaderRole: string;
  @ApiProperty({ type: 'integer', description: 'the case version the upload produced (the list’s `after` cursor)' }) caseVersion: number;
}
