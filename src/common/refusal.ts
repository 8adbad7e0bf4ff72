/**
 * Which kind of refusal an error body (and an allowed-actions entry) carries, so a client can tell "not
 * possible in this state" from "someone changed the case: reload and retry" without reading messages.
 * Stable API values (docs/api.md, "Refusals"); the OpenAPI description names the enum `Refusal`. Errors that
 * are not refusals of a well-formed request carry none: 400/413/415 (the input; `fields` says what), 401,
 * 404 (which deliberately does not tell "out of scope" from "missing"), 429, 500, 503.
 */
export const REFUSALS = [
  /** the case (or the corrective action, the recommendation) is not in a state that allows this: 409 */
  'STATE',
  /** the case changed since the caller read it: 409 of a version-checked write, 412 of If-Match */
  'STALE_VERSION',
  /** the caller lacks the role the action needs: 403 */
  'ROLE',
  /** the subject acting in another role on their own case, or someone acting for the subject: 403 */
  'SUBJECT',
  /** the case (or unit) is outside the caller's unit: 403 */
  'SCOPE',
  /** the caller declared a conflict of interest with the cadre (回避): 403 */
  'RECUSAL',
  /** the caller took part in an earlier step this one must be independent of: 403 */
  'SEPARATION_OF_DUTIES',
  /** the appeal window of the decision has closed: 409 */
  'APPEAL_WINDOW_CLOSED',
  /** the input breaks a business rule of the command (422); `fields` names it */
  'RULE',
  /** the account's password was reset and must be changed first: 403 */
  'PASSWORD_CHANGE_REQUIRED',
  /** what the request would create exists already (a username, a recorded conflict): 409 */
  'DUPLICATE',
  /** a request with the same Idempotency-Key is still being answered: 409, retry it later */
  'IN_PROGRESS',
  /** the stored history of the case does not replay; see /audit/verify: 409 */
  'INTEGRITY',
] as const;

export type RefusalKind = (typeof REFUSALS)[number];
