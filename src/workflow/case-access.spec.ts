import { describe, expect, it } from '@jest/globals';
import { type Actor, accessRefusal, allowedActions, type CaseCommand, explainActions, type Participants } from './case-access.js';
import type { CaseState } from './case-machine.js';
import type { Role } from './case-types.js';
import { applyEvent, initialSnapshot, type StoredSnapshot } from './case-workflow.js';

const who: Participants = { subjectId: 'cadre-1', openedBy: 'officer-1', assessorIds: ['officer-2'], reviewerIds: [] };

const actor = (id: string, ...roles: Role[]): Actor => ({ id, roles });
const opener = actor('officer-1', 'officer');
const assessor = actor('officer-2', 'officer');
const subject = actor('cadre-1', 'cadre');
const otherCadre = actor('cadre-2', 'cadre');
const leader = actor('leader-1', 'leader');
const admin = actor('admin-1', 'admin');

function snapshotIn(state: CaseState): StoredSnapshot {
  const path: Record<CaseState, Parameters<typeof applyEvent>[1][]> = {
    awaitingExplanation: [],
    underAssessment: [{ type: 'explanation.submit' }],
    pendingReview: [{ type: 'explanation.submit' }, { type: 'assessment.record', recommendedOutcome: 'tolerate' }],
    decided: [{ type: 'explanation.submit' }, { type: 'assessment.record', recommendedOutcome: 'tolerate' }, { type: 'review.approve' }],
    withdrawn: [{ type: 'case.withdraw' }],
  };
  return path[state].reduce<StoredSnapshot>((snapshot, event) => applyEvent(snapshot, event)!, initialSnapshot());
}

describe('accessRefusal', () => {
  it.each([
    ['explanation', opener, 'requires the cadre role'],
    ['assessment', subject, 'requires the officer role'],
    ['review', opener, 'requires the leader role'],
    ['withdraw', leader, 'requires the officer role'],
    ['review', admin, 'requires the leader role'],
  ] as const)('%s needs its role', (command, who_, reason) => {
    expect(accessRefusal(command, who_, who)).toBe(reason);
  });

  it('lets only the subject explain', () => {
    expect(accessRefusal('explanation', subject, who)).toBeNull();
    expect(accessRefusal('explanation', otherCadre, who)).toBe('only the subject of the case may do this');
  });

  it('never lets the subject act as officer or leader on their own case', () => {
    const subjectWithEveryRole = actor('cadre-1', 'cadre', 'officer', 'leader');
    for (const command of ['assessment', 'withdraw', 'review'] as const) {
      expect(accessRefusal(command, subjectWithEveryRole, who)).toBe('you are the subject of this case');
    }
    expect(accessRefusal('explanation', subjectWithEveryRole, who)).toBeNull();
  });

  it('refuses a reviewer who opened the case', () => {
    expect(accessRefusal('review', actor('officer-1', 'officer', 'leader'), who)).toBe('you opened this case');
  });

  it('refuses a reviewer who assessed the case', () => {
    expect(accessRefusal('review', actor('officer-2', 'officer', 'leader'), who)).toBe('you assessed this case');
  });

  it('lets an uninvolved leader review, and the opener and assessor do officer work', () => {
    expect(accessRefusal('review', leader, who)).toBeNull();
    expect(accessRefusal('review', actor('x', 'officer', 'leader'), who)).toBeNull();
    expect(accessRefusal('assessment', opener, who)).toBeNull();
    expect(accessRefusal('assessment', assessor, who)).toBeNull();
    expect(accessRefusal('withdraw', assessor, who)).toBeNull();
  });
});

describe('explainActions', () => {
  it('gives a reason for each refused action and none for allowed ones', () => {
    expect(explainActions(snapshotIn('pendingReview'), who, subject)).toEqual([
      { action: 'explanation', allowed: false, reason: 'not possible while the case is pendingReview' },
      { action: 'assessment', allowed: false, reason: 'requires the officer role' },
      { action: 'review', allowed: false, reason: 'requires the leader role' },
      { action: 'withdraw', allowed: false, reason: 'requires the officer role' },
    ]);
    expect(explainActions(snapshotIn('awaitingExplanation'), who, subject)[0]).toEqual({
      action: 'explanation',
      allowed: true,
      reason: null,
    });
  });

  it('puts the separation-of-duties reason before the state', () => {
    const assessingLeader = actor('officer-2', 'officer', 'leader');
    const review = explainActions(snapshotIn('pendingReview'), who, assessingLeader).find((entry) => entry.action === 'review');
    expect(review).toEqual({ action: 'review', allowed: false, reason: 'you assessed this case' });
  });
});

describe('allowedActions per state and role', () => {
  const openerLeader = actor('officer-1', 'officer', 'leader');
  const cases: Array<[string, Actor, Record<CaseState, CaseCommand[]>]> = [
    [
      'the opening officer',
      opener,
      {
        awaitingExplanation: ['withdraw'],
        underAssessment: ['assessment', 'withdraw'],
        pendingReview: ['withdraw'],
        decided: [],
        withdrawn: [],
      },
    ],
    [
      'the subject cadre',
      subject,
      { awaitingExplanation: ['explanation'], underAssessment: [], pendingReview: [], decided: [], withdrawn: [] },
    ],
    [
      'an uninvolved leader',
      leader,
      { awaitingExplanation: [], underAssessment: [], pendingReview: ['review'], decided: [], withdrawn: [] },
    ],
    [
      'an officer-leader who opened the case',
      openerLeader,
      {
        awaitingExplanation: ['withdraw'],
        underAssessment: ['assessment', 'withdraw'],
        pendingReview: ['withdraw'],
        decided: [],
        withdrawn: [],
      },
    ],
    ['another cadre', otherCadre, { awaitingExplanation: [], underAssessment: [], pendingReview: [], decided: [], withdrawn: [] }],
    ['an admin', admin, { awaitingExplanation: [], underAssessment: [], pendingReview: [], decided: [], withdrawn: [] }],
  ];

  for (const [name, caller, expected] of cases) {
    it.each(Object.keys(expected) as CaseState[])(`${name} in %s`, (state) => {
      expect(allowedActions(snapshotIn(state), who, caller)).toEqual(expected[state]);
    });
  }
});
