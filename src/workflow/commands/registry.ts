/**
 * Every case command, in the order the API lists them (`allowedActions`, the inbox's order within a case).
 * Adding a command: its definition file here, one line below, its DTO and route, and its docs row
 * (docs/architecture.md, "Adding a command").
 */
import { appeal } from './appeal.js';
import { appealReview } from './appeal-review.js';
import { assessment } from './assessment.js';
import type { AnyRecordedEvent, TaskRule } from './command-definition.js';
import { correctiveActionReport, correctiveActions, correctiveActionVerify } from './corrective-actions.js';
import { FIRING_EVENTS } from './deadline-firings.js';
import { evidence } from './evidence.js';
import { explanation } from './explanation.js';
import { review } from './review.js';
import { withdraw } from './withdraw.js';

export const COMMAND_DEFINITIONS = [
  explanation,
  assessment,
  review,
  withdraw,
  appeal,
  appealReview,
  correctiveActions,
  correctiveActionReport,
  correctiveActionVerify,
  evidence,
] as const;

export type CommandDefinitionOf = (typeof COMMAND_DEFINITIONS)[number];
export type CaseCommand = CommandDefinitionOf['name'];

/** The commands that are tasks in someone's inbox (the others are rights: appeal, withdraw, evidence). */
export type TaskAction = Extract<CommandDefinitionOf, { task: TaskRule }>['name'];
export const TASK_ACTIONS = COMMAND_DEFINITIONS.filter((definition) => definition.task !== undefined).map(
  (definition) => definition.name,
) as readonly TaskAction[];

const BY_NAME = new Map<string, CommandDefinitionOf>(COMMAND_DEFINITIONS.map((definition) => [definition.name, definition]));

export function definitionOf(command: CaseCommand): CommandDefinitionOf {
  return BY_NAME.get(command)!;
}

/** Every event a command or a deadline records after the opening, by type: what replay reads. */
export const RECORDED_EVENTS: ReadonlyMap<string, AnyRecordedEvent> = new Map(
  [...COMMAND_DEFINITIONS.flatMap((definition) => definition.records), ...FIRING_EVENTS].map((event) => [event.type, event]),
);
