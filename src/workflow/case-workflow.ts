import { createActor, initialTransition } from 'xstate';

import { type CaseContext, type CaseEvent, type CaseMachine, caseMachine, type CaseState } from './case-machine.js';

/** What the database keeps of a case's machine: plain JSON, restorable without a running actor. */
export interface StoredSnapshot {
  value: CaseState;
  context: CaseContext;
}

type MachineSnapshot = ReturnType<CaseMachine['resolveState']>;

/**
 * Restored snapshots of the current machine, by stored object: one command asks "can this happen?",
 * applies the event and lists the caller's allowed actions, all from the same stored snapshot. Stored
 * snapshots are never mutated (every change makes a new one), so the entry stays right.
 */
const restored = new WeakMap<StoredSnapshot, MachineSnapshot>();

function restore(stored: StoredSnapshot, machine: CaseMachine = caseMachine): MachineSnapshot {
  if (machine !== caseMachine) {
    return machine.resolveState({ value: stored.value, context: stored.context });
  }
  let snapshot = restored.get(stored);
  if (!snapshot) {
    snapshot = machine.resolveState({ value: stored.value, context: stored.context });
    restored.set(stored, snapshot);
  }
  return snapshot;
}

/**
 * Whether `event` selects a transition now, guards included. Not `snapshot.can(event)`: XState counts a
 * transition with neither target nor actions as forbidden (`can` is false), and this machine uses such
 * stay-in-state transitions on purpose (`deadline.escalate`, `correction.*`).
 */
function selectsTransition(snapshot: ReturnType<typeof restore>, event: CaseEvent, machine: CaseMachine = caseMachine): boolean {
  return machine.getTransitionData(snapshot, event).length > 0;
}

function toStored(snapshot: ReturnType<typeof restore>): StoredSnapshot {
  return { value: snapshot.value, context: snapshot.context };
}

/**
 * One inert actor scope per machine, built once. XState's pure `transition()` builds a whole Actor for
 * every call just to have a scope (restoring and applying an approval: 38.9 µs with it, 19.1 µs without); this
 * is the same scope (`createInertActorScope` in xstate), kept. Reusing it is safe: a transition runs
 * synchronously, the case machine spawns no child actors, and actions other than `assign` are dropped
 * here exactly as `transition()` leaves them unexecuted.
 */
type CaseActorScope = Parameters<CaseMachine['transition']>[2];
const inertScopes = new WeakMap<CaseMachine, CaseActorScope>();

function inertScope(machine: CaseMachine): CaseActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    const ignore = () => undefined;
    scope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      defer: ignore,
      logger: ignore,
      stopChild: ignore,
      emit: ignore,
      actionExecutor: ignore,
    };
    inertScopes.set(machine, scope);
  }
  return scope;
}

export function initialSnapshot(machine: CaseMachine = caseMachine): StoredSnapshot {
  const [snapshot] = initialTransition(machine);
  return toStored(snapshot);
}

export function canApply(stored: StoredSnapshot, event: CaseEvent): boolean {
  return selectsTransition(restore(stored), event);
}

/** Restores once and answers many "can this happen now?" questions (allowedActions asks up to six). */
export function eventProbe(stored: StoredSnapshot): (event: CaseEvent) => boolean {
  const current = restore(stored);
  return (event) => selectsTransition(current, event);
}

/**
 * Applies an event with the machine's pure transition (no running actor, no timers: a restored actor would lose
 * delayed transitions anyway, statelyai/xstate#5331). Returns null when the event cannot happen now,
 * leaving the stored snapshot untouched. `machine` is the current one except in replay, which runs each
 * event through the version it was accepted under.
 */
export function applyEvent(stored: StoredSnapshot, event: CaseEvent, machine: CaseMachine = caseMachine): StoredSnapshot | null {
  const current = restore(stored, machine);
  const selected = machine.getTransitionData(current, event);
  if (selected.length === 0) {
    return null;
  }
  // A stay-in-state transition without actions (evidence.add, an escalation, correction steps in
  // `correcting`) changes nothing: the snapshot is kept as it is. XState would build an equal copy; at
  // a thousand evidence events that was a third of a replay's time.
  if (selected.every((t) => (t.target?.length ?? 0) === 0 && t.actions.length === 0)) {
    return stored;
  }
  const next = machine.transition(current, event, inertScope(machine));
  const result = toStored(next);
  if (machine === caseMachine) {
    restored.set(result, next);
  }
  return result;
}
