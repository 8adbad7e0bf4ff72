/**
 * What each recorded event means: the machine event it stood for and how it changes the case, read from
 * its data alone. Each event type is declared with its command (workflow/commands/): its schema, the case
 * fields it changes (the same function the runner applied when it accepted the command) and how replay
 * reads it — values the service derived when it accepted the command (the recommendation, "all corrective
 * actions verified") are recomputed, and recorded context is checked against the case replayed so far.
 */
import type { CaseEvent } from '../case-machine.js';
import type { PolicyLookup } from '../commands/command-definition.js';
import { RECORDED_EVENTS } from '../commands/registry.js';
import type { CaseRecord, HistoryEvent } from './case-record.js';
import { Diverged, read } from './divergence.js';

export type { PolicyLookup };

/** What one recorded event means: the machine event it stood for, and how it changes the case. */
export interface Meaning {
  machineEvent: CaseEvent;
  update?: (r: CaseRecord) => Partial<CaseRecord>;
  /** consistency checks that need the machine's result */
  check?: (next: CaseRecord) => void;
}

export function interpret(record: CaseRecord, event: HistoryEvent, policyOf: PolicyLookup): Meaning {
  const recorded = RECORDED_EVENTS.get(event.type);
  if (!recorded) {
    throw new Diverged(`unknown event type ${JSON.stringify(event.type)}`, 'a known event type', event.type);
  }
  const parsed: unknown = read(recorded.data, event.data);
  const meaning = recorded.replay(record, parsed, event, policyOf);
  const { fields } = recorded;
  if (!fields) {
    return meaning;
  }
  // The fields read the data as recorded (checked above), as the runner's did when it was accepted.
  const by = { actorId: event.actorId, at: event.at };
  return {
    ...meaning,
    // A record's fields are a row's with every list set (explanationEvidenceIds is never null here).
    update: (r) => ({ ...(fields(r, event.data, by) as Partial<CaseRecord>), ...meaning.update?.(r) }),
  };
}
