// Only a type: the API's refusal vocabulary, kept dependency-free beside DomainError.
import type { RefusalKind } from '../common/refusal.js';
import type { CaseEvent } from './case-machine.js';
import type { Role } from './case-types.js';
import { eventProbe, type StoredSnapshot } from './case-workflow.js';
import type { EarlierPart } from './commands/command-definition.js';
import { type CaseCommand, COMMAND_DEFINITIONS, definitionOf } from './commands/registry.js';
import { pathReaches } from './unit-path.js';

/** The commands a user can issue on a case, defined in commands/; the names are the API's `allowedActions` values. */
export const CASE_COMMANDS: readonly CaseCommand[] = COMMAND_DEFINITIONS.map((definition) => definition.name);
export type { CaseCommand };

/**
 * The roles each command may be issued in. All but one have exactly one; evidence (证据材料) is added by the
 * subject, as part of their statement (陈述申辩), or by an officer, as part of the investigation.
 */
export const COMMAND_ROLES = Object.fromEntries(COMMAND_DEFINITIONS.map((definition) => [definition.name, definition.roles])) as Record<
  CaseCommand,
  readonly [Role, ...Role[]]
>;

export interface Actor {
  id: string;
  roles: readonly Role[];
  /** the one unit all the actor's roles belong to */
  unitId: string;
}

/** Who has taken part in a case so far, and who declared a conflict: the inputs to the fairness rules. */
export interface Participants {
  subjectId: string;
  openedBy: string;
  assessorIds: readonly string[];
  reviewerIds: readonly string[];
  /** users who declared (or were recorded with) a conflict of interest with the subject: 回避 */
  conflictedUserIds: readonly string[];
  /** the path of the case's unit, every ancestor listed (`/root/…/unit/`): who may act on it as officer or leader */
  unitPath: string;
}

/** Refusals that are fairness rules (separation of duties, recusal), as opposed to a missing role. */
export interface Refusal {
  reason: string;
  kind: 'role' | 'subject' | 'scope' | 'separation-of-duties' | 'recusal';
}

/** The API's `refusal` value of each access refusal (error bodies, allowed-actions entries). */
export const REFUSAL_OF_ACCESS: Record<Refusal['kind'], RefusalKind> = {
  role: 'ROLE',
  subject: 'SUBJECT',
  scope: 'SCOPE',
  'separation-of-duties': 'SEPARATION_OF_DUTIES',
  recusal: 'RECUSAL',
};

/**
 * The role `actor` issues `command` in; it is also the `actorRole` written to the audit trail. Where a
 * command has two roles, the subject issues it as cadre and anyone else in the other role — so the subject
 * never acts on their own case as an officer, and every other rule below applies unchanged.
 */
export function commandRole(command: CaseCommand, actor: Pick<Actor, 'id'>, who: Pick<Participants, 'subjectId'>): Role {
  const roles = COMMAND_ROLES[command];
  if (roles.length === 1) {
    return roles[0];
  }
  const other = roles.find((role) => role !== 'cadre') ?? roles[0];
  return actor.id === who.subjectId && roles.includes('cadre') ? 'cadre' : other;
}

/**
 * Why `actor` may not issue `command` on this case, or null when they may. Fairness rules from domain.md:
 * the subject acts only as subject; an officer or leader only within their unit; the reviewing leader took no part in opening or assessing; the leader
 * who decides an appeal took no part in the original decision; a conflicted user does not act at all.
 */
export function accessRefusal(command: CaseCommand, actor: Actor, who: Participants): Refusal | null {
  const role = commandRole(command, actor, who);
  if (!actor.roles.includes(role)) {
    return { kind: 'role', reason: `requires the ${role} role` };
  }
  const isSubject = actor.id === who.subjectId;
  if (role === 'cadre') {
    return isSubject ? null : { kind: 'subject', reason: 'only the subject of the case may do this' };
  }
  if (isSubject) {
    return { kind: 'subject', reason: 'you are the subject of this case' };
  }
  // An officer or leader acts only on cases of their own unit and below, whatever else they may see: the
  // admin role widens what one reads, never where one acts (admins make no case decisions, domain.md).
  if (!pathReaches(who.unitPath, actor.unitId)) {
    return { kind: 'scope', reason: `the case is outside the unit of your ${role} role` };
  }
  if (who.conflictedUserIds.includes(actor.id)) {
    return { kind: 'recusal', reason: 'you declared a conflict of interest with this cadre (回避)' };
  }
  const earlier = tookPart(actor, who, definitionOf(command).independentOf ?? []);
  return earlier ? { kind: 'separation-of-duties', reason: SEPARATION_REASON[earlier] } : null;
}

const SEPARATION_REASON: Record<EarlierPart, string> = {
  opened: 'you opened this case',
  assessed: 'you assessed this case',
  reviewed: 'you reviewed the original decision',
};

/** The first of `parts` the actor took in the case, or null. */
function tookPart(actor: Actor, who: Participants, parts: readonly EarlierPart[]): EarlierPart | null {
  const took: Record<EarlierPart, boolean> = {
    opened: actor.id === who.openedBy,
    assessed: who.assessorIds.includes(actor.id),
    reviewed: who.reviewerIds.includes(actor.id),
  };
  return parts.find((part) => took[part]) ?? null;
}

/** Events that stand for a command when asking the machine whether it can happen at `at`. */
const probeEvents = (command: CaseCommand, at: string): CaseEvent[] => definitionOf(command).probe(at);

export function commandPossibleNow(stored: StoredSnapshot, command: CaseCommand, at: string): boolean {
  return probeEvents(command, at).some(eventProbe(stored));
}

export interface ActionExplanation {
  action: CaseCommand;
  allowed: boolean;
  reason: string | null;
}

/** An explanation with its kind of refusal: null when allowed. */
export interface ClassifiedAction extends ActionExplanation {
  refusal: RefusalKind | null;
}

/** Why a command the caller may issue cannot happen now, and which kind of refusal that is. */
export interface NotPossible {
  refusal: 'STATE' | 'APPEAL_WINDOW_CLOSED';
  reason: string;
}

/** Each command, whether `actor` may issue it now and, if not, why and which kind of refusal. */
export function classifyActions(stored: StoredSnapshot, who: Participants, actor: Actor, at: string): ClassifiedAction[] {
  const canHappen = eventProbe(stored);
  return CASE_COMMANDS.map((action) => {
    const refusal = accessRefusal(action, actor, who);
    if (refusal) {
      return { action, allowed: false, reason: refusal.reason, refusal: REFUSAL_OF_ACCESS[refusal.kind] };
    }
    if (!probeEvents(action, at).some(canHappen)) {
      return { action, allowed: false, ...notPossible(action, stored) };
    }
    return { action, allowed: true, reason: null, refusal: null };
  });
}

/** `classifyActions` without the kind: the default allowed-actions entry. */
export function explainActions(stored: StoredSnapshot, who: Participants, actor: Actor, at: string): ActionExplanation[] {
  return classifyActions(stored, who, actor, at).map(({ action, allowed, reason }) => ({ action, allowed, reason }));
}

/** Why a command the caller may issue cannot happen now (the 409's reason and refusal, and allowed-actions'). */
export function notPossible(action: CaseCommand, stored: StoredSnapshot): NotPossible {
  if (action === 'appeal' && stored.value === 'decided' && !stored.context.appealed) {
    return { refusal: 'APPEAL_WINDOW_CLOSED', reason: 'the appeal window has closed' };
  }
  if (action === 'appeal' && stored.value === 'decided') {
    return { refusal: 'STATE', reason: 'the case was already appealed' };
  }
  return { refusal: 'STATE', reason: `not possible while the case is ${stored.value}` };
}

export function allowedActions(stored: StoredSnapshot, who: Participants, actor: Actor, at: string): CaseCommand[] {
  return explainActions(stored, who, actor, at)
    .filter((entry) => entry.allowed)
    .map((entry) => entry.action);
}
