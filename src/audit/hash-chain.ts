import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** prevHash of a case's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields that are hashed: everything the audit endpoint shows except the hash itself. */
export interface ChainedEvent {
  caseId: string;
  seq: number;
  type: string;
  actorId: string;
  actorRole: string;
  at: string;
  /** canonical JSON text of the event's data */
  data: string;
  machineVersion: number;
  prevHash: string;
}

/** RFC 8785 canonical JSON, so the same event always hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new Error('value cannot be canonicalised');
  }
  return text;
}

export function hashEvent(event: ChainedEvent): string {
  return hashWithData(event, JSON.parse(event.data) as unknown);
}

/** The same hash, from the data as an object (when appending, it need not be parsed back). */
export function hashWithData(event: Omit<ChainedEvent, 'data'>, data: unknown): string {
  // Pick the fields explicitly: a row read back from the database also carries its id and hash.
  const canonical = canonicalJson({
    caseId: event.caseId,
    seq: event.seq,
    type: event.type,
    actorId: event.actorId,
    actorRole: event.actorRole,
    at: event.at,
    data,
    machineVersion: event.machineVersion,
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface VerifyResult {
  valid: boolean;
  length: number;
  firstInvalidSeq: number | null;
}

/**
 * Recomputes the chain in seq order. An event is invalid when its seq is not the next number, its
 * prevHash is not the previous event's hash, or its hash does not match its content; the first such seq
 * is reported (for a deleted event, the seq where the gap shows).
 */
export function verifyChain(events: ReadonlyArray<ChainedEvent & { hash: string }>): VerifyResult {
  let expectedPrev = GENESIS_HASH;
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    const intact = event.seq === index + 1 && event.prevHash === expectedPrev && safeHash(event) === event.hash;
    if (!intact) {
      return { valid: false, length: events.length, firstInvalidSeq: event.seq };
    }
    expectedPrev = event.hash;
  }
  return { valid: true, length: events.length, firstInvalidSeq: null };
}

function safeHash(event: ChainedEvent): string | null {
  try {
    return hashEvent(event);
  } catch {
    return null; // data edited into invalid JSON
  }
}
