/**
 * Replays a case's audit events from the initial state, each through the machine version it was
 * accepted under and the policy version the case pinned, and says where (if anywhere) the history stops
 * making sense: an event the machine would not have taken, a recorded transition or case version that
 * differs from the one replay produces, a recommendation the policy does not give for the recorded
 * assessment, a derived value (the outcome in force, an action's status) that contradicts what came
 * before. The hash chain proves events were not edited after the fact; replay proves they mean what the
 * case row claims — and works offline on a dossier.
 *
 * Pure: no database, no clock, no framework.
 */
import { z } from 'zod';

import type { CaseMachine } from '../case-machine.js';
import { MACHINE_VERSIONS, machineFor } from '../case-machine.js';
import { applyEvent, initialSnapshot } from '../case-workflow.js';
import { blankCaseFields, caseOpened } from '../commands/open-case.js';
import { policyDigest } from '../policy/policy-digest.js';
import { caseFacts, type CaseRecord, type HistoryEvent } from './case-record.js';
import { Diverged, read, same, sameJson } from './divergence.js';
import { interpret, type PolicyLookup } from './event-meaning.js';

export type { PolicyLookup } from './event-meaning.js';

/** Where replay and the record part ways: the event's seq (null for the stored case itself), why, and both sides. */
export interface Divergence {
  seq: number | null;
  reason: string;
  expected: unknown;
  actual: unknown;
}

export interface ReplayResult {
  /** the case as the events up to the divergence (or all of them) make it; null before the opening */
  record: CaseRecord | null;
  divergence: Divergence | null;
  /** how many events were replayed without divergence */
  replayed: number;
}

/** Every command's event carries the transition it made and the case version it produced. */
const commandEnvelope = z.object({
  transition: z.object({ from: z.string(), to: z.string() }),
  caseVersion: z.number().int(),
});

function machineOf(event: HistoryEvent): CaseMachine {
  const machine = machineFor(event.machineVersion);
  if (!machine) {
    throw new Diverged(`machine version ${event.machineVersion} is not known to this build`, MACHINE_VERSIONS, event.machineVersion);
  }
  return machine;
}

/**
 * Replays `events` (in the order given, which must be seq order). With `until`, stops before the first
 * event recorded after that instant: the case as it stood then.
 */
export function replayCase(caseId: string, events: readonly HistoryEvent[], policyOf: PolicyLookup, until?: string): ReplayResult {
  let record: CaseRecord | null = null;
  let replayed = 0;
  for (const [index, event] of events.entries()) {
    if (until !== undefined && event.at > until) {
      break;
    }
    try {
      same('seq', index + 1, event.seq);
      record = record === null ? open(caseId, event, policyOf) : step(record, event, policyOf);
      replayed++;
    } catch (error) {
      if (!(error instanceof Diverged)) {
        throw error;
      }
      return { record, divergence: { seq: event.seq, reason: error.reason, expected: error.expected, actual: error.actual }, replayed };
    }
  }
  return { record, divergence: null, replayed };
}

function open(caseId: string, event: HistoryEvent, policyOf: PolicyLookup): CaseRecord {
  if (event.type !== 'case.opened') {
    throw new Diverged('the first event must open the case', 'case.opened', event.type);
  }
  const opened = read(caseOpened.data, event.data);
  const snapshot = initialSnapshot(machineOf(event));
  same('initial state', snapshot.value, opened.state);
  const { id, version, sha256 } = opened.policy;
  const policy = policyOf(id, version);
  if (sha256 !== undefined && policy && policyDigest(policy) !== sha256) {
    throw new Diverged(`the rules of policy ${id} v${version} differ from those the case was opened under`, sha256, policyDigest(policy));
  }
  return {
    id: caseId,
    ...blankCaseFields(),
    state: snapshot.value,
    snapshot,
    subjectId: opened.subjectId,
    unitId: opened.unitId,
    openedBy: event.actorId,
    title: opened.title,
    description: opened.description,
    category: opened.category,
    source: opened.source,
    occurredAt: opened.occurredAt,
    policy: { id: opened.policy.id, version: opened.policy.version },
    explanationEvidenceIds: [],
    appealDueAt: null,
    correctiveActions: [],
    evidence: [],
    createdAt: event.at,
    updatedAt: event.at,
  };
}

function step(record: CaseRecord, event: HistoryEvent, policyOf: PolicyLookup): CaseRecord {
  const machine = machineOf(event);
  const envelope = read(commandEnvelope, event.data);
  const meaning = interpret(record, event, policyOf);
  const next = applyEvent(record.snapshot, meaning.machineEvent, machine);
  if (!next) {
    throw new Diverged(
      `${event.type} (${meaning.machineEvent.type}) is not possible while the case is ${record.state} (machine v${event.machineVersion})`,
      null,
      event.type,
    );
  }
  same('transition', { from: record.state, to: next.value }, envelope.transition);
  same('caseVersion', record.version + 1, envelope.caseVersion);
  const updated: CaseRecord = {
    ...record,
    ...meaning.update?.(record),
    state: next.value,
    snapshot: next,
    outcome: next.context.outcome,
    overridden: next.context.overridden,
    appealDueAt: next.context.appealDueAt ?? null,
    version: record.version + 1,
    updatedAt: event.at,
    closedAt: record.closedAt ?? (next.value === 'closed' ? event.at : null),
  };
  meaning.check?.(updated);
  return updated;
}

/**
 * The first field (of `fields`) where a stored case (or a case view) differs from the replayed record,
 * or null. Both sides are cut to their comparable facts first.
 */
export function firstDifference(
  record: CaseRecord,
  stored: Parameters<typeof caseFacts>[0],
  fields: ReadonlyArray<keyof CaseRecord>,
): { field: keyof CaseRecord; expected: unknown; actual: unknown } | null {
  const expected = caseFacts(record);
  const actual = caseFacts(stored);
  for (const field of fields) {
    if (!sameJson(expected[field], actual[field])) {
      return { field, expected: expected[field] ?? null, actual: actual[field] ?? null };
    }
  }
  return null;
}
