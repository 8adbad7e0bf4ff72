import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';

import { toErrorBody } from './all-exceptions.filter.js';
import { DomainError } from './domain-error.js';

describe('toErrorBody: the `refusal` kind', () => {
  const body = (error: unknown) => toErrorBody(error, 'req-1');

  it('carries the kind a refusal was thrown with, beside the unchanged code and message', () => {
    expect(body(DomainError.conflict('review: not possible while the case is closed', 'STATE'))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'review: not possible while the case is closed',
      requestId: 'req-1',
      code: 'CONFLICT',
      refusal: 'STATE',
    });
    expect(body(DomainError.conflict('the case was changed by another command; reload and retry', 'STALE_VERSION'))).toMatchObject({
      statusCode: 409,
      code: 'CONFLICT',
      refusal: 'STALE_VERSION',
    });
    expect(body(DomainError.forbidden('you assessed this case', 'SEPARATION_OF_DUTIES'))).toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
      refusal: 'SEPARATION_OF_DUTIES',
    });
  });

  it('marks every If-Match failure stale and every rule violation RULE', () => {
    expect(body(DomainError.preconditionFailed('if-match: the case is at version 3, not 2'))).toMatchObject({
      statusCode: 412,
      code: 'PRECONDITION_FAILED',
      refusal: 'STALE_VERSION',
    });
    expect(body(DomainError.ruleViolation([{ field: 'reason', message: 'is required' }]))).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'reason: is required',
      requestId: 'req-1',
      code: 'RULE_VIOLATION',
      refusal: 'RULE',
      fields: [{ field: 'reason', message: 'is required' }],
    });
  });

  it('gives none to errors that are not refusals: 400, 401, 404, 429, framework errors, 500', () => {
    const none = [
      DomainError.validation([{ field: 'title', message: 'must be a string' }]),
      new DomainError('UNAUTHENTICATED', 'authorization: a bearer token is required'),
      DomainError.notFound('case x'),
      DomainError.tooManyRequests([{ field: 'username', message: 'too many attempts' }], 30),
      new BadRequestException('bad'),
      { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'too large' },
    ];
    for (const error of none) {
      expect(body(error)).not.toHaveProperty('refusal');
    }
  });
});
