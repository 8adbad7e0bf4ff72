import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

import type { PolicySummary } from '../policy-view.js';

@ApiSchema({ name: 'PolicySummary' })
export class PolicySummaryResponse implements PolicySummary {
  @ApiProperty({ example: 'default' }) id: string;
  @ApiProperty({ type: 'integer', example: 1 }) version: number;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ description: 'the highest loaded version of its id: the one a new case under this id pins' }) current: boolean;
  @ApiProperty({ description: 'its id is DEFAULT_POLICY: new cases use it unless the officer names another' }) default: boolean;
}
