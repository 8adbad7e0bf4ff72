import type { CaseEvent } from './case-machine.js';
import { eventProbe, type StoredSnapshot } from './case-workflow.js';
import type { Role } from './case-types.js';

/** The commands a user can issue on a case; the names are the API's `allowedActions` values. */
export const CASE_COMMANDS = ['explanation', 'assessment', 'review', 'withdraw'] as const;
export type CaseCommand = (typeof CASE_COMMANDS)[number];

/** The role a command is issued in; it is also the `actorRole` written to the audit trail. */
export const COMMAND_ROLE: Record<CaseCommand, Role> = {
  explanation: 'cadre',
  assessment: 'officer',
  review: 'leader',
  withdraw: 'officer',
};

export interface Actor {
  id: string;
  roles: readonly Role[];
}

/** Who has taken part in a case so far: the input to separation of duties. */
export interface Participants {
  subjectId: string;
  openedBy: string;
  assessorIds: readonly string[];
  reviewerIds: readonly string[];
}

/**
 * Why `actor` may not issue `command` on this case, or null when they may. Fairness rules from domain.md:
 * the subject acts only as subject; the reviewing leader took no part in opening or assessing.
 */
export function accessRefusal(command: CaseCommand, actor: Actor, who: Participants): string | null {
  const role = COMMAND_ROLE[command];
  if (!actor.roles.includes(role)) {
    return `requires the ${role} role`;
  }
  const isSubject = actor.id === who.subjectId;
  if (role === 'cadre') {
    return isSubject ? null : 'only the subject of the case may do this';
  }
  if (isSubject) {
    return 'you are the subject of this case';
  }
  if (command === 'review') {
    if (actor.id === who.openedBy) {
      return 'you opened this case';
    }
    if (who.assessorIds.includes(actor.id)) {
      return 'you assessed this case';
    }
  }
  return null;
}

/** One event per command that stands for it when asking the machine whether it can happen now. */
const PROBE_EVENTS: Record<CaseCommand, CaseEvent[]> = {
  explanation: [{ type: 'explanation.submit' }],
  assessment: [{ type: 'assessment.record', recommendedOutcome: 'correct' }],
  review: [{ type: 'review.approve' }, { type: 'review.return' }, { type: 'review.override', outcome: 'correct' }],
  withdraw: [{ type: 'case.withdraw' }],
};

export function commandPossibleNow(stored: StoredSnapshot, command: CaseCommand): boolean {
  return PROBE_EVENTS[command].some(eventProbe(stored));
}

export interface ActionExplanation {
  action: CaseCommand;
  allowed: boolean;
  reason: string | null;
}

export function explainActions(stored: StoredSnapshot, who: Participants, actor: Actor): ActionExplanation[] {
  const canHappen = eventProbe(stored);
  return CASE_COMMANDS.map((action) => {
    const refusal = accessRefusal(action, actor, who);
    if (refusal) {
      return { action, allowed: false, reason: refusal };
    }
    if (!PROBE_EVENTS[action].some(canHappen)) {
      return { action, allowed: false, reason: `not possible while the case is ${stored.value}` };
    }
    return { action, allowed: true, reason: null };
  });
}

export function allowedActions(stored: StoredSnapshot, who: Participants, actor: Actor): CaseCommand[] {
  return explainActions(stored, who, actor)
    .filter((entry) => entry.allowed)
    .map((entry) => entry.action);
}
