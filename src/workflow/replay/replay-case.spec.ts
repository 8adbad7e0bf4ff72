import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { policyDigest } from '../policy/policy-digest.js';
import { parsePolicy } from '../policy/policy-schema.js';
import type { HistoryEvent } from './case-record.js';
import { replayCase } from './replay-case.js';

const policy = parsePolicy(JSON.parse(readFileSync('config/policies/default-v1.json', 'utf8')), 'default-v1.json');
const policyOf = (id: string, version: number) => (id === policy.id && version === policy.version ? policy : undefined);

const OFFICER = 'officer-1';
const CADRE = 'cadre-1';

function opened(machineVersion = 3): HistoryEvent {
  return {
    seq: 1,
    type: 'case.opened',
    actorId: OFFICER,
    actorRole: 'officer',
    at: '2026-01-05T09:00:00.000Z',
    machineVersion,
    data: {
      subjectId: CADRE,
      unitId: 'unit-1',
      title: 't',
      description: 'd',
      category: 'c',
      source: 'report',
      occurredAt: '2026-01-01',
      policy: { id: 'default', version: 1 },
      state: 'awaitingExplanation',
    },
  };
}

const evidence = (seq: number, machineVersion: number): HistoryEvent => ({
  seq,
  type: 'evidence.added',
  actorId: CADRE,
  actorRole: 'cadre',
  at: '2026-01-05T10:00:00.000Z',
  machineVersion,
  data: {
    evidenceId: 'e1',
    filename: 'receipt.pdf',
    mediaType: 'application/pdf',
    size: 10,
    sha256: 'ab'.repeat(32),
    transition: { from: 'awaitingExplanation', to: 'awaitingExplanation' },
    caseVersion: seq,
  },
});

describe('replayCase', () => {
  it('rebuilds the opened case from its first event', () => {
    const { record, divergence, replayed } = replayCase('case-1', [opened()], policyOf);
    expect(divergence).toBeNull();
    expect(replayed).toBe(1);
    expect(record).toMatchObject({
      id: 'case-1',
      state: 'awaitingExplanation',
      version: 1,
      openedBy: OFFICER,
      policy: { id: 'default', version: 1 },
    });
  });

  it('runs each event through the machine version it was accepted under', () => {
    // evidence.add exists from machine v3 on: the same event recorded under v2 cannot have happened.
    expect(replayCase('case-1', [opened(2), evidence(2, 3)], policyOf).divergence).toBeNull();
    expect(replayCase('case-1', [opened(2), evidence(2, 3)], policyOf).record?.evidence).toHaveLength(1);
    expect(replayCase('case-1', [opened(2), evidence(2, 2)], policyOf).divergence).toMatchObject({
      seq: 2,
      reason: 'evidence.added (evidence.add) is not possible while the case is awaitingExplanation (machine v2)',
    });
  });

  it('keeps every piece of evidence in order, and a divergence returns the case without the event that diverged', () => {
    const pieces = [2, 3, 4].map((seq) => {
      const event = evidence(seq, 3);
      return { ...event, data: { ...(event.data as object), evidenceId: `e${seq}` } };
    });
    const whole = replayCase('case-1', [opened(), ...pieces], policyOf);
    expect(whole.record?.evidence.map((e) => e.id)).toEqual(['e2', 'e3', 'e4']);
    const broken = replayCase('case-1', [opened(), pieces[0], pieces[1], { ...pieces[2], machineVersion: 2 }], policyOf);
    expect(broken.divergence?.seq).toBe(4);
    expect(broken.record?.evidence.map((e) => e.id)).toEqual(['e2', 'e3']);
    // Each replay builds its own lists (evidence is appended in place): an earlier result is not changed.
    expect(whole.record?.evidence.map((e) => e.id)).toEqual(['e2', 'e3', 'e4']);
  });

  it('refuses to guess the meaning of a machine version it does not know', () => {
    expect(replayCase('case-1', [opened(1)], policyOf).divergence).toMatchObject({
      seq: 1,
      reason: 'machine version 1 is not known to this build',
    });
    expect(replayCase('case-1', [opened(), evidence(2, 99)], policyOf).divergence?.seq).toBe(2);
  });

  it('binds the case to the exact rules of its pinned policy when the opening recorded their digest', () => {
    const withDigest = (sha256: string): HistoryEvent => {
      const event = opened();
      return { ...event, data: { ...(event.data as object), policy: { id: 'default', version: 1, sha256 } } };
    };
    expect(replayCase('case-1', [withDigest(policyDigest(policy))], policyOf).divergence).toBeNull();
    const edited = { ...policy, rules: policy.rules.slice(1) };
    expect(replayCase('case-1', [withDigest(policyDigest(edited))], policyOf).divergence).toMatchObject({
      seq: 1,
      reason: 'the rules of policy default v1 differ from those the case was opened under',
    });
  });

  it('needs the opening first and seqs without gaps', () => {
    expect(replayCase('case-1', [{ ...evidence(1, 3) }], policyOf).divergence).toMatchObject({ seq: 1, expected: 'case.opened' });
    expect(replayCase('case-1', [opened(), evidence(3, 3)], policyOf).divergence).toMatchObject({
      seq: 3,
      reason: 'seq differs from what replay gives',
      expected: 2,
    });
  });

  it('stops before events recorded after `until`, and has no case before the opening', () => {
    const events = [opened(), evidence(2, 3)];
    expect(replayCase('case-1', events, policyOf, '2026-01-05T09:30:00.000Z').record?.evidence).toEqual([]);
    expect(replayCase('case-1', events, policyOf, '2026-01-05T08:59:59.999Z')).toEqual({ record: null, divergence: null, replayed: 0 });
  });

  it('reports malformed event data at its seq instead of failing', () => {
    const broken = { ...evidence(2, 3), data: { ...(evidence(2, 3).data as object), size: 'ten' } };
    expect(replayCase('case-1', [opened(), broken], policyOf).divergence).toMatchObject({
      seq: 2,
      reason: expect.stringMatching(/^event data is malformed at size/),
    });
  });
});
