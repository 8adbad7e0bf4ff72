import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { CaseAggregate } from '../../src/cases/case-aggregate.js';
import { DomainError } from '../../src/common/domain-error.js';
import { review } from '../../src/workflow/commands/review.js';
import { type CaseFootprint, type Cast, MediumWorld, NEW_CASE, TOLERABLE_ASSESSMENT } from './support/medium-world.js';

/** The refusal a promise ended with: its domain code (the filter maps it to the HTTP status). */
async function refusalOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) {
      return error.code;
    }
    throw error;
  }
  throw new Error('expected the command to be refused');
}

describe('CaseCommandRunner on a real SQLite file, without HTTP', () => {
  let world: MediumWorld;
  let cast: Cast;

  beforeAll(async () => {
    world = await MediumWorld.start();
    cast = await world.cast();
  });
  afterAll(() => world.stop());

  const accessLog = (caseId: string) => world.count('SELECT COUNT(*) AS count FROM access_log WHERE case_id = ?', caseId);

  describe('a refused command writes nothing', () => {
    let pending: CaseAggregate;
    beforeAll(async () => {
      pending = await world.caseAwaitingReview(cast);
    });

    it.each([
      [
        '403 role: an officer reviews',
        'FORBIDDEN',
        () => world.commands.review(cast.officer, pending.row.id, null, { decision: 'approve' }),
      ],
      [
        '409 state: the explanation again',
        'CONFLICT',
        () => world.commands.submitExplanation(cast.cadre, pending.row.id, null, { statement: 'Twice.' }),
      ],
      [
        '412 If-Match: a stale version',
        'PRECONDITION_FAILED',
        () => world.commands.review(cast.leader, pending.row.id, 1, { decision: 'approve' }),
      ],
      [
        '422 rule: a return without reason',
        'RULE_VIOLATION',
        () => world.commands.review(cast.leader, pending.row.id, null, { decision: 'return' }),
      ],
    ])('%s', async (_name, code, command) => {
      const before = await world.footprint(pending.row.id);
      expect(await refusalOf(command())).toBe(code);
      expect(await world.footprint(pending.row.id)).toEqual(before);
      expect(await accessLog(pending.row.id)).toBe(0);
    });

    it('404: a case the caller may not see, though it exists', async () => {
      const elsewhere = await world.unit('Other county');
      const stranger = await world.user(['leader'], elsewhere);
      const before = await world.footprint(pending.row.id);
      expect(await refusalOf(world.commands.review(stranger, pending.row.id, null, { decision: 'approve' }))).toBe('NOT_FOUND');
      expect(await world.footprint(pending.row.id)).toEqual(before);
    });
  });

  it('a fairness refusal (separation of duties) writes nothing to the case and exactly one access_log row', async () => {
    // One person holding both roles opens the case, then tries to review it.
    const both = await world.user(['officer', 'leader']);
    const opened = await world.commands.open(both, { ...NEW_CASE, subjectId: cast.cadre.id });
    await world.commands.submitExplanation(cast.cadre, opened.row.id, null, { statement: 'Explained.' });
    await world.commands.recordAssessment(cast.assessor, opened.row.id, null, { ...TOLERABLE_ASSESSMENT, exclusions: [] });
    const before = await world.footprint(opened.row.id);
    expect(await refusalOf(world.commands.review(both, opened.row.id, null, { decision: 'approve' }))).toBe('FORBIDDEN');
    expect(await world.footprint(opened.row.id)).toEqual(before);
    expect(await world.committed('SELECT user_id, action, at FROM access_log WHERE case_id = ?', opened.row.id)).toEqual([
      { user_id: both.id, action: 'review', at: world.clock.now().toISOString() },
    ]);
  });

  it('an accepted command writes its case row, audit event, deadlines and notifications together', async () => {
    const pending = await world.caseAwaitingReview(cast);
    expect(await world.footprint(pending.row.id)).toMatchObject({
      state: 'pendingReview',
      version: 3,
      deadlines: [
        { kind: 'explanation', status: 'closed' },
        { kind: 'review', status: 'open' },
      ],
    });
    const decided = await world.commands.review(cast.leader, pending.row.id, 3, { decision: 'approve' });
    expect(decided.row).toMatchObject({ state: 'decided', version: 4, outcome: 'tolerate' });
    const after = await world.footprint(pending.row.id);
    expect(after).toMatchObject({ state: 'decided', version: 4 });
    expect(after.auditTypes).toEqual(['case.opened', 'explanation.submitted', 'assessment.recorded', 'review.approved']);
    expect(after.deadlines).toEqual([
      { kind: 'explanation', status: 'closed' },
      { kind: 'review', status: 'closed' },
      { kind: 'appealWindow', status: 'open' },
    ]);
    const [appealWindow] = await world.committed<{ due_at: string }>(
      "SELECT due_at FROM deadlines WHERE case_id = ? AND status = 'open'",
      pending.row.id,
    );
    expect(after.nextDueAt).toBe(appealWindow.due_at);
    // The review event names the transition and the version it produced.
    const [event] = await world.committed<{ actor_id: string; data: string }>(
      'SELECT actor_id, data FROM audit_events WHERE case_id = ? AND seq = 4',
      pending.row.id,
    );
    expect(event.actor_id).toBe(cast.leader.id);
    expect(JSON.parse(event.data)).toMatchObject({ transition: { from: 'pendingReview', to: 'decided' }, caseVersion: 4 });
    expect(
      await world.count("SELECT COUNT(*) AS count FROM notifications WHERE case_id = ? AND kind = 'case.decided'", pending.row.id),
    ).toBe(2);
  });

  it('a refusal in a side effect after the deadlines were written rolls them back too', async () => {
    const pending = await world.caseAwaitingReview(cast);
    const before = await world.footprint(pending.row.id);
    // The decision's effects run after the deadlines of the transition were written: a refusal there must
    // take those writes with it.
    const refused = world.runner.run(cast.leader, pending.row.id, null, review, { decision: 'approve' }, () =>
      Promise.reject(DomainError.ruleViolation([{ field: 'test', message: 'refused after the deadlines were written' }])),
    );
    expect(await refusalOf(refused)).toBe('RULE_VIOLATION');
    expect(await world.footprint(pending.row.id)).toEqual(before);
  });

  it('concurrent commands on one case: one accepted, the others refused by the machine, one audit event', async () => {
    const pending = await world.caseAwaitingReview(cast);
    const leaders = await Promise.all(Array.from({ length: 10 }, () => world.user(['leader'])));
    const settled = await Promise.allSettled(
      leaders.map((leader) => world.commands.review(leader, pending.row.id, null, { decision: 'approve' })),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const codes = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as DomainError).code] : []));
    expect(codes).toEqual(Array(9).fill('CONFLICT'));
    expect(await world.footprint(pending.row.id)).toMatchObject({ state: 'decided', version: 4 });
    expect(
      await world.count("SELECT COUNT(*) AS count FROM audit_events WHERE case_id = ? AND type = 'review.approved'", pending.row.id),
    ).toBe(1);
  });

  it('a burst of accepted and refused commands sharing commits: every acknowledged one is on disk, no refused one wrote', async () => {
    const accepted: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 10; i++) {
      accepted.push((await world.openCase(cast)).row.id);
      refused.push((await world.caseAwaitingReview(cast)).row.id);
    }
    const before = new Map<string, CaseFootprint>();
    for (const id of refused) {
      before.set(id, await world.footprint(id));
    }
    // Started in the same turn of the event loop, so they share group-commit batches (a savepoint each).
    const burst = accepted.flatMap((id, i) => [
      world.commands.submitExplanation(cast.cadre, id, null, { statement: `statement ${i}` }),
      world.commands.review(cast.leader, refused[i], null, { decision: 'override', outcome: 'correct' }),
    ]);
    const settled = await Promise.allSettled(burst);
    expect(settled.map((s) => s.status)).toEqual(accepted.flatMap(() => ['fulfilled', 'rejected']));
    for (const id of accepted) {
      expect(await world.footprint(id)).toMatchObject({
        state: 'underAssessment',
        version: 2,
        auditTypes: ['case.opened', 'explanation.submitted'],
      });
    }
    for (const [id, footprint] of before) {
      expect(await world.footprint(id)).toEqual(footprint);
    }
  });
});
