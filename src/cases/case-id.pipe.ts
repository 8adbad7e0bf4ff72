import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';

/** Path ids are UUIDs; anything else is a 400 naming the parameter. */
export const caseIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => DomainError.validation([{ field: 'id', message: 'must be a UUID' }]),
});

export const actionIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => DomainError.validation([{ field: 'actionId', message: 'must be a UUID' }]),
});
