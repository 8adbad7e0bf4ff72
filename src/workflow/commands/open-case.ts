/**
 * Opening a case (立案): the creation variant of a command. It has no case to load yet, so instead of the
 * access rules of case-access.ts it checks its own (the subject is a cadre, not the officer, who has no
 * conflict with them and reaches their unit), and it decides the new case rather than a transition.
 */
import { z } from 'zod';

import { DomainError } from '../../common/domain-error.js';
import { CASE_SOURCES, type CaseSource, type Role } from '../case-types.js';
import type { DeadlineKind } from '../deadline-plan.js';
import { policyDigest } from '../policy/policy-digest.js';
import type { Policy } from '../policy/policy-schema.js';
import type { NotificationPlan, RecordedEvent } from './command-definition.js';

export const caseOpened = {
  type: 'case.opened',
  data: z.object({
    subjectId: z.string(),
    unitId: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    source: z.enum(CASE_SOURCES),
    occurredAt: z.string(),
    /** sha256: the pinned policy's digest (recorded since issue 4; older openings lack it) */
    policy: z.object({ id: z.string(), version: z.number().int(), sha256: z.string().optional() }),
    state: z.string(),
  }),
} satisfies Pick<RecordedEvent, 'type' | 'data'>;

export interface OpenCaseInput {
  subjectId: string;
  title: string;
  description: string;
  category: string;
  source?: CaseSource;
  occurredAt: string;
  policyId?: string;
}

/** What opening looks up: policies, the subject, conflicts and the unit tree. */
export interface OpeningLookups {
  /** the highest loaded version of a jurisdiction's policy (the default jurisdiction's without an id) */
  currentPolicy(id: string | undefined): Policy | undefined;
  loadedPolicyIds(): string[];
  user(id: string): Promise<{ id: string; roles: readonly Role[]; unitId: string } | null>;
  declaredConflict(userId: string, subjectId: string): Promise<boolean>;
  /** whether `unitId` is `reachUnitId` or lies below it */
  withinUnit(unitId: string, reachUnitId: string): Promise<boolean>;
}

export interface OpeningContext {
  actor: { id: string; unitId: string };
  now: Date;
  at: string;
  /** the initial state of the machine the case starts in */
  initialState: string;
  dueAt: (policy: Policy, kind: DeadlineKind, from: Date) => Date;
  lookups: OpeningLookups;
}

/** The new case, before anything is written. */
export interface OpeningDecision {
  fields: Required<Omit<OpenCaseInput, 'policyId'>> & { unitId: string };
  policy: Policy;
  data: z.infer<typeof caseOpened.data>;
  /** the time limit that starts with the case */
  deadline: { kind: DeadlineKind; dueAt: string };
  notify: NotificationPlan[];
}

export const OPENING_ROLE: Role = 'officer';

/** What a new case has not had yet: the same on the row written at opening and on the record replay starts from. */
export function blankCaseFields() {
  return {
    outcome: null,
    recommendation: null,
    overridden: false,
    explanation: null,
    assessment: null,
    assessorIds: [] as string[],
    reviewerIds: [] as string[],
    review: null,
    decidedAt: null,
    appeal: null,
    nameCleared: false,
    closedAt: null,
    version: 1,
  };
}

export async function decideOpening(
  input: OpenCaseInput,
  { actor, now, initialState, dueAt, lookups }: OpeningContext,
): Promise<OpeningDecision> {
  // The highest loaded version of the chosen jurisdiction's policy is pinned for the case's whole life.
  const policy = lookups.currentPolicy(input.policyId);
  if (!policy) {
    const known = [...new Set(lookups.loadedPolicyIds())].join(', ');
    throw DomainError.ruleViolation([{ field: 'policyId', message: `no policy with id "${input.policyId}" is loaded (loaded: ${known})` }]);
  }
  const subject = await lookups.user(input.subjectId);
  if (!subject?.roles.includes('cadre')) {
    throw DomainError.ruleViolation([{ field: 'subjectId', message: 'no cadre with this id' }]);
  }
  if (subject.id === actor.id) {
    throw DomainError.forbidden('you cannot open a case about yourself', 'SUBJECT');
  }
  // Recusal (回避) covers opening too: a conflicted officer does not start a case about that cadre.
  if (await lookups.declaredConflict(actor.id, subject.id)) {
    throw DomainError.forbidden('you declared a conflict of interest with this cadre (回避)', 'RECUSAL');
  }
  // The officer role's unit, not what the caller may read: an admin who is also an officer opens
  // cases only within their unit like any officer (admins make no case decisions).
  if (!(await lookups.withinUnit(subject.unitId, actor.unitId))) {
    throw DomainError.forbidden('the subject is outside your unit', 'SCOPE');
  }
  const explanationDueAt = dueAt(policy, 'explanation', now).toISOString();
  const fields = {
    subjectId: subject.id,
    unitId: subject.unitId,
    title: input.title,
    description: input.description,
    category: input.category,
    source: input.source ?? 'report',
    occurredAt: input.occurredAt,
  };
  return {
    fields,
    policy,
    data: {
      ...fields,
      policy: { id: policy.id, version: policy.version, sha256: policyDigest(policy) },
      state: initialState,
      explanationDueAt,
    } as z.infer<typeof caseOpened.data>,
    deadline: { kind: 'explanation', dueAt: explanationDueAt },
    notify: [
      {
        to: [subject.id],
        kind: 'case.opened',
        message: `A case was opened about you: "${input.title}". You may submit an explanation (陈述申辩) until ${explanationDueAt}.`,
      },
    ],
  };
}
