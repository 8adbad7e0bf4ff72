import { describe, expect, it } from '@jest/globals';

import {
  accessRefusal,
  type Actor,
  allowedActions,
  CASE_COMMANDS,
  type CaseCommand,
  classifyActions,
  COMMAND_ROLES,
  commandPossibleNow,
  commandRole,
  explainActions,
  notPossible,
  type Participants,
  REFUSAL_OF_ACCESS,
} from './case-access.js';
import type { CaseEvent } from './case-machine.js';
import type { Outcome, Role } from './case-types.js';
import { applyEvent, initialSnapshot, type StoredSnapshot } from './case-workflow.js';

const APPEAL_DUE = '2026-01-26T15:59:59.999Z';
const INSIDE_WINDOW = '2026-01-20T02:00:00.000Z';
const AFTER_WINDOW = '2026-01-26T16:00:00.000Z';

const who: Participants = {
  subjectId: 'cadre-1',
  openedBy: 'officer-1',
  assessorIds: ['officer-2'],
  reviewerIds: ['leader-2'],
  conflictedUserIds: ['officer-3', 'leader-3'],
  unitPath: '/root/county/township/',
};

const actor = (id: string, ...roles: Role[]): Actor => ({ id, roles, unitId: 'county' });
const opener = actor('officer-1', 'officer');
const assessor = actor('officer-2', 'officer');
const subject = actor('cadre-1', 'cadre');
const otherCadre = actor('cadre-2', 'cadre');
const leader = actor('leader-1', 'leader');
const reviewer = actor('leader-2', 'leader');
const conflictedOfficer = actor('officer-3', 'officer');
const conflictedLeader = actor('leader-3', 'leader');
const openerLeader = actor('officer-1', 'officer', 'leader');
const assessorLeader = actor('officer-2', 'officer', 'leader');
const admin = actor('admin-1', 'admin');

const decide = (outcome: Outcome): CaseEvent[] => [
  { type: 'explanation.submit' },
  { type: 'assessment.record', recommendedOutcome: outcome },
  { type: 'review.approve', appealDueAt: APPEAL_DUE },
];

/** The situations a case can be in; `decided` splits by outcome because corrections exist only for `correct`. */
const PATHS = {
  awaitingExplanation: [],
  underAssessment: [{ type: 'explanation.submit' }],
  pendingReview: [{ type: 'explanation.submit' }, { type: 'assessment.record', recommendedOutcome: 'tolerate' }],
  'decided (tolerate)': decide('tolerate'),
  'decided (correct)': decide('correct'),
  appealReview: [...decide('correct'), { type: 'appeal.submit', at: INSIDE_WINDOW }],
  correcting: [...decide('correct'), { type: 'deadline.appealWindow', correctionComplete: false }],
  closed: [...decide('tolerate'), { type: 'deadline.appealWindow', correctionComplete: false }],
  withdrawn: [{ type: 'case.withdraw' }],
} satisfies Record<string, CaseEvent[]>;
type Situation = keyof typeof PATHS;
const SITUATIONS = Object.keys(PATHS) as Situation[];

function snapshotIn(situation: Situation): StoredSnapshot {
  return (PATHS[situation] as CaseEvent[]).reduce<StoredSnapshot>((snapshot, event) => {
    const next = applyEvent(snapshot, event);
    if (!next) {
      throw new Error(`fixture event ${event.type} refused in ${snapshot.value}`);
    }
    return next;
  }, initialSnapshot());
}

describe('COMMAND_ROLES', () => {
  it('names the roles of every command', () => {
    expect(COMMAND_ROLES).toEqual({
      explanation: ['cadre'],
      assessment: ['officer'],
      review: ['leader'],
      withdraw: ['officer'],
      appeal: ['cadre'],
      'appeal-review': ['leader'],
      'corrective-actions': ['officer'],
      'corrective-action-report': ['cadre'],
      'corrective-action-verify': ['officer'],
      evidence: ['cadre', 'officer'],
    });
    expect(Object.keys(COMMAND_ROLES)).toEqual([...CASE_COMMANDS]);
  });
});

describe('commandRole', () => {
  it('is the one role of a single-role command, whoever asks', () => {
    for (const command of CASE_COMMANDS.filter((c) => COMMAND_ROLES[c].length === 1)) {
      for (const caller of [subject, opener, leader, otherCadre]) {
        expect(commandRole(command, caller, who)).toBe(COMMAND_ROLES[command][0]);
      }
    }
  });

  it('makes the subject add evidence as cadre and anyone else as officer', () => {
    expect(commandRole('evidence', subject, who)).toBe('cadre');
    expect(commandRole('evidence', actor('cadre-1', 'cadre', 'officer'), who)).toBe('cadre');
    expect(commandRole('evidence', opener, who)).toBe('officer');
    expect(commandRole('evidence', otherCadre, who)).toBe('officer');
    expect(commandRole('evidence', leader, who)).toBe('officer');
  });
});

describe('accessRefusal', () => {
  it.each([
    ['explanation', opener, 'cadre'],
    ['assessment', subject, 'officer'],
    ['review', opener, 'leader'],
    ['withdraw', leader, 'officer'],
    ['review', admin, 'leader'],
    ['appeal', leader, 'cadre'],
    ['appeal-review', opener, 'leader'],
    ['corrective-actions', leader, 'officer'],
    ['corrective-action-report', opener, 'cadre'],
    ['corrective-action-verify', subject, 'officer'],
    ['evidence', leader, 'officer'],
    ['evidence', otherCadre, 'officer'],
    ['evidence', admin, 'officer'],
  ] as const)('%s needs its role', (command, caller, role) => {
    expect(accessRefusal(command, caller, who)).toEqual({ kind: 'role', reason: `requires the ${role} role` });
  });

  it.each(['explanation', 'appeal', 'corrective-action-report'] as const)('lets only the subject do %s', (command) => {
    expect(accessRefusal(command, subject, who)).toBeNull();
    expect(accessRefusal(command, otherCadre, who)).toEqual({ kind: 'subject', reason: 'only the subject of the case may do this' });
  });

  it('never lets the subject act as officer or leader on their own case', () => {
    const subjectWithEveryRole = actor('cadre-1', 'cadre', 'officer', 'leader');
    const asCadre = CASE_COMMANDS.filter((c) => COMMAND_ROLES[c].includes('cadre'));
    expect(asCadre).toEqual(['explanation', 'appeal', 'corrective-action-report', 'evidence']);
    for (const command of CASE_COMMANDS.filter((c) => !asCadre.includes(c))) {
      expect(accessRefusal(command, subjectWithEveryRole, who)).toEqual({ kind: 'subject', reason: 'you are the subject of this case' });
    }
    for (const command of asCadre) {
      expect(accessRefusal(command, subjectWithEveryRole, who)).toBeNull();
    }
  });

  it('lets the subject and any officer (opener, assessor or not) add evidence', () => {
    for (const caller of [subject, opener, assessor, openerLeader, actor('officer-9', 'officer')]) {
      expect(accessRefusal('evidence', caller, who)).toBeNull();
    }
  });

  describe('separation of duties', () => {
    it.each(['review', 'appeal-review'] as const)('refuses %s by the leader who opened the case', (command) => {
      expect(accessRefusal(command, openerLeader, who)).toEqual({ kind: 'separation-of-duties', reason: 'you opened this case' });
    });

    it.each(['review', 'appeal-review'] as const)('refuses %s by the leader who assessed the case', (command) => {
      expect(accessRefusal(command, assessorLeader, who)).toEqual({ kind: 'separation-of-duties', reason: 'you assessed this case' });
    });

    it('refuses the appeal ruling to the leader who reviewed the original decision, not a second review', () => {
      expect(accessRefusal('appeal-review', reviewer, who)).toEqual({
        kind: 'separation-of-duties',
        reason: 'you reviewed the original decision',
      });
      // a returned case comes back to review; the leader who returned it may review it again
      expect(accessRefusal('review', reviewer, who)).toBeNull();
    });

    it('lets an uninvolved leader review and rule on the appeal', () => {
      expect(accessRefusal('review', leader, who)).toBeNull();
      expect(accessRefusal('appeal-review', leader, who)).toBeNull();
      expect(accessRefusal('appeal-review', actor('x', 'officer', 'leader'), who)).toBeNull();
    });

    it('lets the opener and the assessor do all officer work', () => {
      for (const officer of [opener, assessor, openerLeader, assessorLeader]) {
        for (const command of ['assessment', 'withdraw', 'corrective-actions', 'corrective-action-verify'] as const) {
          expect(accessRefusal(command, officer, who)).toBeNull();
        }
      }
    });
  });

  describe('recusal (回避)', () => {
    const recusal = { kind: 'recusal', reason: 'you declared a conflict of interest with this cadre (回避)' };

    it.each(['assessment', 'withdraw', 'corrective-actions', 'corrective-action-verify', 'evidence'] as const)(
      'refuses %s by a conflicted officer',
      (command) => {
        expect(accessRefusal(command, conflictedOfficer, who)).toEqual(recusal);
      },
    );

    it.each(['review', 'appeal-review'] as const)('refuses %s by a conflicted leader', (command) => {
      expect(accessRefusal(command, conflictedLeader, who)).toEqual(recusal);
    });

    it('answers recusal before separation of duties, and the role before both', () => {
      const conflictedOpener: Participants = { ...who, conflictedUserIds: ['officer-1'] };
      expect(accessRefusal('review', openerLeader, conflictedOpener)).toEqual(recusal);
      expect(accessRefusal('review', conflictedOfficer, who)).toEqual({ kind: 'role', reason: 'requires the leader role' });
    });

    it('scopes officer and leader commands by the unit of the role, never widened by admin', () => {
      const elsewhere = (id: string, ...roles: Role[]): Actor => ({ id, roles, unitId: 'other-county' });
      const scope = (role: Role) => ({ kind: 'scope', reason: `the case is outside the unit of your ${role} role` });
      expect(accessRefusal('review', elsewhere('leader-9', 'admin', 'leader'), who)).toEqual(scope('leader'));
      expect(accessRefusal('assessment', elsewhere('officer-9', 'admin', 'officer'), who)).toEqual(scope('officer'));
      expect(accessRefusal('review', { id: 'leader-9', roles: ['leader'], unitId: 'township' }, who)).toBeNull();
      expect(accessRefusal('appeal', { ...subject, unitId: 'other-county' }, who)).toBeNull();
    });

    it('does not touch the subject’s own commands (a cadre cannot be recused from their own case)', () => {
      expect(accessRefusal('appeal', subject, { ...who, conflictedUserIds: ['cadre-1'] })).toBeNull();
      expect(accessRefusal('evidence', subject, { ...who, conflictedUserIds: ['cadre-1'] })).toBeNull();
    });
  });
});

describe('commandPossibleNow', () => {
  it('asks the machine at the given time: an appeal is possible through the last instant of the window only', () => {
    const decided = snapshotIn('decided (tolerate)');
    expect(commandPossibleNow(decided, 'appeal', INSIDE_WINDOW)).toBe(true);
    expect(commandPossibleNow(decided, 'appeal', APPEAL_DUE)).toBe(true);
    expect(commandPossibleNow(decided, 'appeal', AFTER_WINDOW)).toBe(false);
  });

  it('sees evidence as possible in every state but the final ones', () => {
    for (const situation of SITUATIONS) {
      const final = situation === 'closed' || situation === 'withdrawn';
      expect([situation, commandPossibleNow(snapshotIn(situation), 'evidence', INSIDE_WINDOW)]).toEqual([situation, !final]);
    }
  });

  it('sees corrective work as possible in decided only for a correct outcome', () => {
    for (const command of ['corrective-actions', 'corrective-action-report', 'corrective-action-verify'] as const) {
      expect(commandPossibleNow(snapshotIn('decided (correct)'), command, INSIDE_WINDOW)).toBe(true);
      expect(commandPossibleNow(snapshotIn('correcting'), command, INSIDE_WINDOW)).toBe(true);
      expect(commandPossibleNow(snapshotIn('decided (tolerate)'), command, INSIDE_WINDOW)).toBe(false);
      expect(commandPossibleNow(snapshotIn('appealReview'), command, INSIDE_WINDOW)).toBe(false);
    }
  });
});

describe('explainActions', () => {
  it('gives a reason for each refused action and none for allowed ones', () => {
    expect(explainActions(snapshotIn('pendingReview'), who, subject, INSIDE_WINDOW)).toEqual([
      { action: 'explanation', allowed: false, reason: 'not possible while the case is pendingReview' },
      { action: 'assessment', allowed: false, reason: 'requires the officer role' },
      { action: 'review', allowed: false, reason: 'requires the leader role' },
      { action: 'withdraw', allowed: false, reason: 'requires the officer role' },
      { action: 'appeal', allowed: false, reason: 'not possible while the case is pendingReview' },
      { action: 'appeal-review', allowed: false, reason: 'requires the leader role' },
      { action: 'corrective-actions', allowed: false, reason: 'requires the officer role' },
      { action: 'corrective-action-report', allowed: false, reason: 'not possible while the case is pendingReview' },
      { action: 'corrective-action-verify', allowed: false, reason: 'requires the officer role' },
      { action: 'evidence', allowed: true, reason: null },
    ]);
    expect(explainActions(snapshotIn('awaitingExplanation'), who, subject, INSIDE_WINDOW)[0]).toEqual({
      action: 'explanation',
      allowed: true,
      reason: null,
    });
  });

  it('puts the fairness reason before the state', () => {
    const find = (caller: Actor, action: CaseCommand) =>
      explainActions(snapshotIn('pendingReview'), who, caller, INSIDE_WINDOW).find((entry) => entry.action === action);
    expect(find(assessorLeader, 'review')).toEqual({ action: 'review', allowed: false, reason: 'you assessed this case' });
    expect(find(reviewer, 'appeal-review')).toEqual({
      action: 'appeal-review',
      allowed: false,
      reason: 'you reviewed the original decision',
    });
    expect(find(conflictedLeader, 'review')).toEqual({
      action: 'review',
      allowed: false,
      reason: 'you declared a conflict of interest with this cadre (回避)',
    });
  });

  it('explains why an appeal is no longer possible', () => {
    const appealOf = (snapshot: StoredSnapshot, at: string) =>
      explainActions(snapshot, who, subject, at).find((entry) => entry.action === 'appeal');
    const decided = snapshotIn('decided (tolerate)');
    expect(appealOf(decided, INSIDE_WINDOW)).toEqual({ action: 'appeal', allowed: true, reason: null });
    expect(appealOf(decided, AFTER_WINDOW)).toEqual({ action: 'appeal', allowed: false, reason: 'the appeal window has closed' });
    expect(appealOf({ ...decided, context: { ...decided.context, appealed: true } }, INSIDE_WINDOW)).toEqual({
      action: 'appeal',
      allowed: false,
      reason: 'the case was already appealed',
    });
    expect(appealOf(snapshotIn('appealReview'), INSIDE_WINDOW)).toEqual({
      action: 'appeal',
      allowed: false,
      reason: 'not possible while the case is appealReview',
    });
  });

  it('explains that corrective work needs a correct outcome', () => {
    const entry = explainActions(snapshotIn('decided (tolerate)'), who, opener, INSIDE_WINDOW).find(
      (e) => e.action === 'corrective-actions',
    );
    expect(entry).toEqual({ action: 'corrective-actions', allowed: false, reason: 'not possible while the case is decided' });
  });
});

describe("classifyActions: which kind of refusal (the API's `refusal`)", () => {
  const kindOf = (snapshot: StoredSnapshot, caller: Actor, action: CaseCommand, at = INSIDE_WINDOW) =>
    classifyActions(snapshot, who, caller, at).find((entry) => entry.action === action)?.refusal;

  it('is explainActions with a kind added: null when allowed', () => {
    for (const situation of SITUATIONS) {
      for (const caller of [subject, opener, leader, reviewer, conflictedOfficer, admin]) {
        const classified = classifyActions(snapshotIn(situation), who, caller, INSIDE_WINDOW);
        expect(classified.map(({ action, allowed, reason }) => ({ action, allowed, reason }))).toEqual(
          explainActions(snapshotIn(situation), who, caller, INSIDE_WINDOW),
        );
        for (const entry of classified) {
          expect(entry.refusal === null).toBe(entry.allowed);
        }
      }
    }
  });

  it('names each access rule, before the state', () => {
    const pending = snapshotIn('pendingReview');
    expect(kindOf(pending, subject, 'review')).toBe('ROLE');
    expect(kindOf(pending, otherCadre, 'explanation')).toBe('SUBJECT');
    expect(kindOf(pending, actor('cadre-1', 'cadre', 'officer'), 'withdraw')).toBe('SUBJECT');
    expect(kindOf(pending, { ...leader, unitId: 'elsewhere' }, 'review')).toBe('SCOPE');
    expect(kindOf(pending, conflictedLeader, 'review')).toBe('RECUSAL');
    expect(kindOf(pending, openerLeader, 'review')).toBe('SEPARATION_OF_DUTIES');
    expect(kindOf(pending, assessorLeader, 'review')).toBe('SEPARATION_OF_DUTIES');
    expect(kindOf(snapshotIn('appealReview'), reviewer, 'appeal-review')).toBe('SEPARATION_OF_DUTIES');
    expect(REFUSAL_OF_ACCESS).toEqual({
      role: 'ROLE',
      subject: 'SUBJECT',
      scope: 'SCOPE',
      'separation-of-duties': 'SEPARATION_OF_DUTIES',
      recusal: 'RECUSAL',
    });
  });

  it('tells a closed appeal window from a state that allows no appeal', () => {
    const decided = snapshotIn('decided (tolerate)');
    expect(kindOf(decided, subject, 'appeal')).toBeNull();
    expect(kindOf(decided, subject, 'appeal', AFTER_WINDOW)).toBe('APPEAL_WINDOW_CLOSED');
    expect(notPossible('appeal', decided)).toEqual({ refusal: 'APPEAL_WINDOW_CLOSED', reason: 'the appeal window has closed' });
    const appealed = { ...decided, context: { ...decided.context, appealed: true } };
    expect(notPossible('appeal', appealed)).toEqual({ refusal: 'STATE', reason: 'the case was already appealed' });
    expect(kindOf(snapshotIn('appealReview'), subject, 'appeal')).toBe('STATE');
    expect(kindOf(snapshotIn('underAssessment'), subject, 'explanation')).toBe('STATE');
    expect(notPossible('review', snapshotIn('closed'))).toEqual({ refusal: 'STATE', reason: 'not possible while the case is closed' });
  });
});

describe('allowedActions per state and role', () => {
  const none = Object.fromEntries(SITUATIONS.map((s) => [s, []])) as unknown as Record<Situation, CaseCommand[]>;
  const officerWork: Record<Situation, CaseCommand[]> = {
    ...none,
    awaitingExplanation: ['withdraw', 'evidence'],
    underAssessment: ['assessment', 'withdraw', 'evidence'],
    pendingReview: ['withdraw', 'evidence'],
    'decided (tolerate)': ['evidence'],
    'decided (correct)': ['corrective-actions', 'corrective-action-verify', 'evidence'],
    appealReview: ['evidence'],
    correcting: ['corrective-actions', 'corrective-action-verify', 'evidence'],
  };
  const cases: Array<[string, Actor, Record<Situation, CaseCommand[]>]> = [
    ['the opening officer', opener, officerWork],
    ['the assessing officer', assessor, officerWork],
    [
      'the subject cadre',
      subject,
      {
        ...none,
        awaitingExplanation: ['explanation', 'evidence'],
        underAssessment: ['evidence'],
        pendingReview: ['evidence'],
        'decided (tolerate)': ['appeal', 'evidence'],
        'decided (correct)': ['appeal', 'corrective-action-report', 'evidence'],
        appealReview: ['evidence'],
        correcting: ['corrective-action-report', 'evidence'],
      },
    ],
    ['an uninvolved leader', leader, { ...none, pendingReview: ['review'], appealReview: ['appeal-review'] }],
    ['the leader who reviewed', reviewer, { ...none, pendingReview: ['review'] }],
    ['an officer-leader who opened the case', openerLeader, officerWork],
    ['a conflicted officer', conflictedOfficer, none],
    ['a conflicted leader', conflictedLeader, none],
    ['another cadre', otherCadre, none],
    ['an admin', admin, none],
  ];

  for (const [name, caller, expected] of cases) {
    it.each(SITUATIONS)(`${name} in %s`, (situation) => {
      expect(allowedActions(snapshotIn(situation), who, caller, INSIDE_WINDOW)).toEqual(expected[situation]);
    });
  }

  it('drops the appeal once the window has closed, keeping the corrective report', () => {
    expect(allowedActions(snapshotIn('decided (correct)'), who, subject, AFTER_WINDOW)).toEqual(['corrective-action-report', 'evidence']);
    expect(allowedActions(snapshotIn('decided (tolerate)'), who, subject, AFTER_WINDOW)).toEqual(['evidence']);
  });
});
