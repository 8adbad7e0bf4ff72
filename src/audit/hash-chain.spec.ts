import { describe, expect, it } from '@jest/globals';

import { canonicalEventText, canonicalJson, type ChainedEvent, GENESIS_HASH, hashEvent, hashWithData, verifyChain } from './hash-chain.js';

function chain(length: number): Array<ChainedEvent & { hash: string }> {
  const events: Array<ChainedEvent & { hash: string }> = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const event: ChainedEvent = {
      caseId: 'c1',
      seq,
      type: 'test.event',
      actorId: 'u1',
      actorRole: 'officer',
      at: `2026-01-0${seq}T00:00:00.000Z`,
      data: JSON.stringify({ n: seq, text: '容错' }),
      machineVersion: 1,
      prevHash,
    };
    const hash = hashEvent(event);
    events.push({ ...event, hash });
    prevHash = hash;
  }
  return events;
}

describe('hash chain', () => {
  it('hashes independently of key order', () => {
    const [event] = chain(1);
    const reordered = { ...event, data: '{"text":"容错","n":1}' };
    expect(hashEvent(reordered)).toBe(event.hash);
  });

  it('splices canonical data into exactly the canonical form of the whole event', () => {
    const data = { z: [1, 'é', { b: null, a: true }], a: 'line\nbreak "quoted" 容错', n: 1.5e-7 };
    const envelope = {
      caseId: 'c"1',
      seq: 12,
      type: 'review.approved',
      actorId: 'u\\1',
      actorRole: 'leader',
      at: '2026-01-05T09:00:00.000Z',
      machineVersion: 3,
      prevHash: GENESIS_HASH,
    };
    expect(canonicalEventText(envelope, canonicalJson(data))).toBe(canonicalJson({ ...envelope, data }));
    expect(hashWithData(envelope, data)).toBe(hashEvent({ ...envelope, data: JSON.stringify(data) }));
  });

  it('accepts an intact chain', () => {
    expect(verifyChain(chain(4))).toEqual({ valid: true, length: 4, firstInvalidSeq: null });
  });

  it('names the seq whose data was edited', () => {
    const events = chain(4);
    events[2] = { ...events[2], data: '{"n":99,"text":"容错"}' };
    expect(verifyChain(events)).toEqual({ valid: false, length: 4, firstInvalidSeq: 3 });
  });

  it('detects a removed event', () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(verifyChain(events).firstInvalidSeq).toBe(3);
  });

  it('detects a rehashed event whose successor still points at the old hash', () => {
    const events = chain(3);
    const edited = { ...events[1], data: '{"n":7}' };
    events[1] = { ...edited, hash: hashEvent(edited) };
    expect(verifyChain(events).firstInvalidSeq).toBe(3);
  });

  it('rejects data that is no longer JSON', () => {
    const events = chain(2);
    events[0] = { ...events[0], data: '{broken' };
    expect(verifyChain(events).firstInvalidSeq).toBe(1);
  });
});
