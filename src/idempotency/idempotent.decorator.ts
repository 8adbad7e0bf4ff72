import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

export const IDEMPOTENT = 'idempotent';

/** A creating command that honours `Idempotency-Key` (idempotency.interceptor.ts), documented as such. */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A key the client generates per request (a UUID, say; 1–255 visible ASCII characters). A retry with the same key, ' +
        'by the same user on the same route, within 24 hours gets the first answer again (status, body, `Location`, `ETag`) ' +
        'and writes nothing; with a different body it is refused (422), while the first is still running 409.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
  );
}
