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

/**
 * The canonical JSON of an event whose `data` is already canonical text: RFC 8785 orders the envelope's
 * keys (actorId, actorRole, at, caseId, data, machineVersion, prevHash, seq, type) and serialises strings
 * and integers as JSON.stringify does, so splicing the data in gives exactly the canonical form of the
 * whole event (hash-chain.spec.ts checks it) while the data — the big part — is canonicalised only once.
 */
export function canonicalEventText(event: Omit<ChainedEvent, 'data'>, canonicalData: string): string {
  const [head, tail] = envelopeAround(event);
  return head + canonicalData + tail;
}

/** The canonical text of the event before and after its data. */
function envelopeAround(event: Omit<ChainedEvent, 'data'>): [head: string, tail: string] {
  const s = JSON.stringify;
  return [
    `{"actorId":${s(event.actorId)},"actorRole":${s(event.actorRole)},"at":${s(event.at)},"caseId":${s(event.caseId)},"data":`,
    `,"machineVersion":${s(event.machineVersion)},"prevHash":${s(event.prevHash)},"seq":${s(event.seq)},"type":${s(event.type)}}`,
  ];
}

/**
 * The hash of an event whose `data` is canonical JSON text (as written when it is appended). The parts
 * are fed to the hash one after another rather than joined: the same bytes, without building a second copy
 * of the data for every event a verify hashes.
 */
export function hashCanonical(event: ChainedEvent): string {
  const [head, tail] = envelopeAround(event);
  return createHash('sha256').update(head).update(event.data).update(tail).digest('hex');
}

/** The hash of a stored event: its data is parsed and canonicalised again, whatever its key order. */
export function hashEvent(event: ChainedEvent): string {
  return hashCanonical({ ...event, data: canonicalJson(JSON.parse(event.data) as unknown) });
}

/** The same hash, from the data as an object. */
export function hashWithData(event: Omit<ChainedEvent, 'data'>, data: unknown): string {
  return hashCanonical({ ...event, data: canonicalJson(data) });
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
    // The stored data is the canonical text that was hashed, so hashing it as it is settles an intact event
    // without parsing it; only a mismatch pays for re-canonicalising (data re-serialised in another key
    // order still verifies). A match cannot hide an edit: the text is exactly what the hash covers.
    const intact =
      event.seq === index + 1 && event.prevHash === expectedPrev && (hashCanonical(event) === event.hash || safeHash(event) === event.hash);
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
