import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** A declared conflict of interest (回避): `userId` stays out of `subjectId`'s cases. */
@ApiSchema({ name: 'Conflict' })
export class ConflictResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
