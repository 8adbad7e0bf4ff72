import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { CASE_STATES, type CaseState } from '../../workflow/case-machine.js';
import { type Outcome, OUTCOMES } from '../../workflow/case-types.js';

/* The schema of a cadre's record (结果运用). */

@ApiSchema({ name: 'RecordCase' })
export class RecordCaseResponse {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() title: string;
  @ApiProperty() category: string;
  @ApiProperty({ enum: OUTCOMES, enumName: 'Outcome' }) outcome: Outcome;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ enum: CASE_STATES, enumName: 'CaseState' }) state: CaseState;
  @ApiProperty({ description: 'no appeal can change it any more' }) final: boolean;
  @ApiProperty() underAppeal: boolean;
  @ApiProperty({ description: 'counts against appraisal, promotion and awards' }) negativeEvaluation: boolean;
  @ApiProperty() note: string;
}

@ApiSchema({ name: 'RecordClearing' })
export class RecordClearingResponse {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() title: string;
  @ApiProperty() category: string;
  @ApiProperty({ format: 'date-time' }) clearedAt: string;
  @ApiProperty() note: string;
}

@ApiSchema({ name: 'CadreRecord' })
export class CadreRecordResponse {
  @ApiProperty({ format: 'uuid' }) cadreId: string;
  @ApiProperty({ type: 'integer', description: 'decided cases' }) total: number;
  @ApiProperty({ type: 'integer', description: 'name clearings' }) clearingsTotal: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
  @ApiProperty({ type: [RecordCaseResponse] }) cases: RecordCaseResponse[];
  @ApiProperty({ type: [RecordClearingResponse], description: 'name clearings (澄清正名)' }) clearings: RecordClearingResponse[];
}
