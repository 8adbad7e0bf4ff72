import { OptionalIntParam } from '../common/paging.js';

/** A case's audit trail is read this many events at a time unless asked for fewer (issue 16). */
export const AUDIT_LIMIT = 500;
export const AUDIT_LIMIT_MAX = 1000;

export class AuditListQuery {
  @OptionalIntParam({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'events after this seq (the previous page’s X-Next-Cursor)',
  })
  afterSeq?: number;

  @OptionalIntParam({ default: AUDIT_LIMIT, minimum: 1, maximum: AUDIT_LIMIT_MAX })
  limit?: number;
}
