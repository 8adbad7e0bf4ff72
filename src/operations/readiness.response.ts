import { ApiProperty, type ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';

const CHECKS: ApiPropertyOptions = {
  type: 'object',
  description: 'by check name (`database`, `evidenceFolder`, `migrations`, `policies`): its status and what it found',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down', 'degraded'] } },
    additionalProperties: true,
  },
};

/** @nestjs/terminus's answer, as load balancers and its users know it. */
@ApiSchema({ name: 'Readiness' })
export class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'degraded'], description: '`degraded`: serving, with a warning among the checks' })
  status: 'ok' | 'degraded';

  @ApiProperty({ ...CHECKS, description: 'the checks that passed' })
  info: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, description: 'the checks that failed (empty when ready)' })
  error: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, description: 'every check' })
  details: Record<string, unknown>;
}
