import { ParseUUIDPipe } from '@nestjs/common';

import { DomainError } from './domain-error.js';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter. */
export const uuidParam = (field: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => DomainError.validation([{ field, message: 'must be a UUID' }]) });
