import { v7 } from 'uuid';

/**
 * The id of a row that is only ever appended (audit events, deadlines, notifications, access-log
 * entries): a time-ordered UUID (RFC 9562 version 7). New ids sort after older ones, so each insert
 * lands on the right-hand page of the primary-key index instead of a random one — one page less for a
 * durable commit to write per row. Ids users pass around (cases, evidence, actions) stay random.
 */
export const appendOnlyRowId = (): string => v7();
