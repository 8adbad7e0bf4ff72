import { OptionalIntParam } from '../common/paging.js';

/** A case's evidence list is read this many files at a time unless asked for fewer (issue 16). */
export const EVIDENCE_LIMIT = 100;
export const EVIDENCE_LIMIT_MAX = 500;

export class EvidenceListQuery {
  @OptionalIntParam({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'files after this cursor (the previous page’s X-Next-Cursor: a caseVersion)',
  })
  after?: number;

  @OptionalIntParam({ default: EVIDENCE_LIMIT, minimum: 1, maximum: EVIDENCE_LIMIT_MAX })
  limit?: number;
}
