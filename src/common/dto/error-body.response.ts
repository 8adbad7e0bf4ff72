import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

import type { ErrorBody } from '../all-exceptions.filter.js';
import type { FieldError } from '../domain-error.js';
import { type RefusalKind, REFUSALS } from '../refusal.js';

@ApiSchema({ name: 'FieldError' })
export class FieldErrorResponse implements FieldError {
  @ApiProperty({ example: 'title', description: 'the field, dotted for nested ones (`conditions.diligent`)' })
  field: string;

  @ApiProperty({ example: 'must be shorter than or equal to 300 characters' })
  message: string;
}

/**
 * Every error answer (all-exceptions.filter.ts). Clients should ignore fields they do not know: later versions
 * add some.
 */
@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodyResponse implements ErrorBody {
  @ApiProperty({ type: 'integer', example: 422, description: 'the HTTP status again' })
  statusCode: number;

  @ApiProperty({ example: 'Unprocessable Entity', description: 'the status’s reason phrase' })
  error: string;

  @ApiProperty({ example: 'title: must be shorter than or equal to 300 characters', description: 'for people; names the field' })
  message: string;

  @ApiProperty({ example: '7f0c5b6e-3d1a-4a5e-9a55-2c1b0f5e8d10', description: 'the request’s id, as in `X-Request-Id` and the logs' })
  requestId: string;

  @ApiPropertyOptional({ example: 'RULE_VIOLATION', description: 'a stable code for programs: the DomainError code, or Fastify’s `FST_…`' })
  code?: string;

  @ApiPropertyOptional({
    enum: REFUSALS,
    enumName: 'Refusal',
    example: 'STALE_VERSION',
    description:
      'the kind of refusal (docs/api.md, "Refusals"), e.g. `STATE`: not possible in this state; `STALE_VERSION`: the case changed, reload and retry. Every 403, 409, 412 and 422 error carries one; other errors none',
  })
  refusal?: RefusalKind;

  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'one entry per field at fault' })
  fields?: FieldError[];
}
