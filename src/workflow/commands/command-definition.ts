/**
 * What defines a case command, in one place: its name, who may issue it, the machine events that stand
 * for it, whether it is a task in someone's inbox, how it decides (its business rules), and the audit
 * events it records with their data and how replay reads them back. Pure: the service's runner
 * (cases/case-command-runner.ts) loads what a command needs, calls `decide`, and writes what it decided.
 */
import type { z } from 'zod';

import type { CaseEvent } from '../case-machine.js';
import type { AppealRecord, Assessment, Outcome, Recommendation, ReviewRecord, Role } from '../case-types.js';
import type { DeadlineKind } from '../deadline-plan.js';
import type { Policy } from '../policy/policy-schema.js';
import type { CaseRecord, HistoryEvent } from '../replay/case-record.js';

/** The case fields commands change: the same names on the stored row and on the record replay builds. */
export interface CaseFields {
  explanation: string | null;
  explanationEvidenceIds: string[] | null;
  assessment: Assessment | null;
  recommendation: Recommendation | null;
  assessorIds: string[];
  reviewerIds: string[];
  review: ReviewRecord | null;
  decidedAt: string | null;
  appeal: AppealRecord | null;
  nameCleared: boolean;
}

/** What a command reads of the case it acts on. */
export interface CaseFacts extends CaseFields {
  id: string;
  title: string;
  subjectId: string;
  unitId: string;
  openedBy: string;
  category: string;
  outcome: Outcome | null;
}

/** A corrective action as commands see it. */
export interface ActionFacts {
  id: string;
  description: string;
  status: 'open' | 'reported' | 'verified';
  dueAt: string;
}

/** Who recorded an event, and when: what an event's field changes may read besides its data. */
export interface Recorder {
  actorId: string;
  at: string;
}

export type PolicyLookup = (id: string, version: number) => Policy | undefined;

/** How replay reads one recorded event: the machine event it stood for, and what only replay keeps. */
export interface ReplayMeaning {
  machineEvent: CaseEvent;
  /** record-only changes (corrective actions, evidence), besides the event's `fields` */
  update?: (r: CaseRecord) => Partial<CaseRecord>;
  /** consistency checks that need the machine's result */
  check?: (next: CaseRecord) => void;
}

/**
 * One audit event type: the data it must carry (a zod schema: replay reports a missing or mistyped field as
 * a divergence at its seq), the case fields it changes — computed from its data, so the row written when
 * the command is accepted and the record replay builds cannot drift apart — and how replay reads it.
 * `fields` gets the data as recorded (checked against the schema, extra fields kept: events gain fields
 * over time and a recommendation's trace is compared whole).
 */
export interface RecordedEvent<D = unknown> {
  type: string;
  data: z.ZodType<D>;
  fields?: (current: CaseFields, data: D, by: Recorder) => Partial<CaseFields>;
  replay: (record: CaseRecord, data: D, event: HistoryEvent, policyOf: PolicyLookup) => ReplayMeaning;
}

/** A recorded event whose data type is erased: lists of them, and what a decision carries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the data type differs per event; each is checked where it is declared
export type AnyRecordedEvent = RecordedEvent<any>;

export function recordedEvent<D>(event: RecordedEvent<D>): RecordedEvent<D> {
  return event;
}

/** Who should hear about an accepted command. */
export interface NotificationPlan {
  to: Array<string | null | undefined>;
  kind: string;
  message: string;
  /** also the leaders of the case's unit and the units above (escalations) */
  unitLeaders?: boolean;
}

/** Rows besides the case a command writes, as data: the runner writes them in the same unit of work. */
export type SideRow =
  | { kind: 'action.add'; actionId: string; description: string; dueAt: string; by: string }
  | { kind: 'action.report'; actionId: string; note: string }
  | { kind: 'action.verify'; actionId: string; accepted: boolean; note: string; by: string };

/** What a command decided, before anything is written. */
export interface CommandDecision {
  event: CaseEvent;
  recorded: AnyRecordedEvent;
  data: Record<string, unknown>;
  sideRows?: SideRow[];
  notify?: NotificationPlan[];
}

/** A decision recording `recorded` with `data` (typed against the event's schema). */
export function accept<D extends Record<string, unknown>>(
  recorded: RecordedEvent<D>,
  data: D,
  rest: Omit<CommandDecision, 'recorded' | 'data'>,
): CommandDecision {
  return { ...rest, recorded: recorded as AnyRecordedEvent, data };
}

/** What the service looks up for a command that needs more than the case (read in the same unit of work). */
export interface CommandLookups {
  /** the ids of the case's evidence */
  evidenceIds(): Promise<ReadonlySet<string>>;
  /** the latest case of the subject in the same category tolerated since `since`, if any */
  earlierTolerance(since: string): Promise<{ caseId: string; decidedAt: string } | null>;
}

/** What a command sees when it decides. */
export interface CommandContext {
  case: CaseFacts;
  actions: readonly ActionFacts[];
  actor: { id: string };
  policy: Policy;
  now: Date;
  at: string;
  /** the due instant of a time limit of the policy counted from `from` (working days skip holidays) */
  dueAt: (kind: DeadlineKind, from: Date) => Date;
  lookups: CommandLookups;
}

/**
 * Whether a command is a task in someone's inbox (GET /me/tasks), and how many: one per case, done
 * against an open deadline of `deadline`; one until the case's first corrective action exists; or one per
 * corrective action in `status`. A command without a task rule is a right (appeal, withdraw, evidence).
 */
export type TaskRule =
  { kind: 'case'; deadline: DeadlineKind | null } | { kind: 'until-first-action' } | { kind: 'per-action'; status: 'open' | 'reported' };

/** Earlier parts a reviewing role must not have taken (separation of duties, domain.md). */
export type EarlierPart = 'opened' | 'assessed' | 'reviewed';

export interface CommandDefinition<Name extends string = string, Input = never> {
  /** the API's `allowedActions` value */
  name: Name;
  /** the roles it may be issued in; with two, the subject issues it as cadre and anyone else in the other */
  roles: readonly [Role, ...Role[]];
  /** separation of duties: who took one of these parts in the case may not issue it */
  independentOf?: readonly EarlierPart[];
  /** events that stand for it when asking the machine whether it can happen at `at` */
  probe: (at: string) => CaseEvent[];
  task?: TaskRule;
  /** the events it may record (replay reads each by its type) */
  records: readonly AnyRecordedEvent[];
  decide: (input: Input, context: CommandContext) => CommandDecision | Promise<CommandDecision>;
}

/** Keeps the literal name and whether it has a task rule in its type (the inbox's counts are typed per task). */
export function defineCommand<Name extends string, Input, const Rule extends TaskRule | undefined = undefined>(
  definition: CommandDefinition<Name, Input> & { task?: Rule },
): CommandDefinition<Name, Input> & { task: Rule } {
  return definition as CommandDefinition<Name, Input> & { task: Rule };
}

/** The ids with the actor added once: who assessed or reviewed a case (separation of duties reads them). */
export const withActor = (ids: string[], actorId: string): string[] => (ids.includes(actorId) ? ids : [...ids, actorId]);
