import { randomFillSync } from 'node:crypto';

import { v7 } from 'uuid';

/** Entropy for ids, drawn from the OS in blocks: one system call per 256 ids instead of one per id. */
const POOL = Buffer.alloc(16 * 256);
let offset = POOL.length;

function randomBytes16(): Uint8Array {
  if (offset === POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  offset += 16;
  return POOL.subarray(offset - 16, offset);
}

/**
 * The id of a row that is only ever appended (audit events, deadlines, notifications, access-log
 * entries): a time-ordered UUID (RFC 9562 version 7). New ids sort after older ones, so each insert
 * lands on the right-hand page of the primary-key index instead of a random one — one page less for a
 * durable commit to write per row (ids made within one millisecond need not be ordered among themselves:
 * they land on the same page anyway). Ids users pass around (cases, evidence, actions) stay random.
 */
export const appendOnlyRowId = (): string => v7({ random: randomBytes16() });
