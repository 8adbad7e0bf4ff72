import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { appendOnlyRowId } from '../../src/common/row-id.js';
import { runSql } from '../../src/database/sql.js';
import { type Cast, MediumWorld } from './support/medium-world.js';

/**
 * The ManualClock starts on Monday 2026-01-05T09:00Z; under the default policy the explanation is due at the
 * end (Asia/Shanghai) of the fifth working day after, and the review at the end of the tenth
 * (test/support/case-life.ts counts them).
 */
const EXPLANATION_DUE = '2026-01-12T15:59:59.999Z';
const REVIEW_DUE = '2026-01-19T15:59:59.999Z';
const justAfter = (iso: string) => new Date(new Date(iso).getTime() + 1);

/** A world per test: a sweep's count then covers only that test's deadlines. */
describe('DeadlineSweeper on a real SQLite file, without HTTP', () => {
  let world: MediumWorld;
  let cast: Cast;

  beforeEach(async () => {
    world = await MediumWorld.start();
    cast = await world.cast();
  });
  afterEach(() => world.stop());

  it('fires a due deadline exactly once, as actor system, and not one due later', async () => {
    const due = await world.openCase(cast);
    world.clock.advance(24 * 3600_000);
    const later = await world.openCase(cast);
    world.clock.set(justAfter(EXPLANATION_DUE));

    expect(await world.sweeper.sweep()).toBe(1);
    expect(await world.footprint(due.row.id)).toMatchObject({
      state: 'underAssessment',
      version: 2,
      nextDueAt: null,
      auditTypes: ['case.opened', 'explanation.missed'],
      deadlines: [{ kind: 'explanation', status: 'fired' }],
    });
    const [missed] = await world.committed<{ actor_id: string; actor_role: string; at: string }>(
      'SELECT actor_id, actor_role, at FROM audit_events WHERE case_id = ? AND seq = 2',
      due.row.id,
    );
    expect(missed).toEqual({ actor_id: 'system', actor_role: 'system', at: justAfter(EXPLANATION_DUE).toISOString() });
    expect(await world.footprint(later.row.id)).toMatchObject({
      state: 'awaitingExplanation',
      version: 1,
      deadlines: [{ kind: 'explanation', status: 'open' }],
    });

    // Sweeps racing each other, then a later one, fire nothing more.
    expect(await Promise.all([world.sweeper.sweep(), world.sweeper.sweep(), world.sweeper.sweep()])).toEqual([0, 0, 0]);
    expect(
      await world.count("SELECT COUNT(*) AS count FROM audit_events WHERE case_id = ? AND type = 'explanation.missed'", due.row.id),
    ).toBe(1);
  });

  it('racing sweeps over two due deadlines fire each once', async () => {
    const cases = [await world.openCase(cast), await world.openCase(cast)];
    world.clock.set(justAfter(EXPLANATION_DUE));
    const fired = await Promise.all([world.sweeper.sweep(), world.sweeper.sweep(), world.sweeper.sweep()]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(2);
    for (const opened of cases) {
      expect(await world.footprint(opened.row.id)).toMatchObject({ version: 2, auditTypes: ['case.opened', 'explanation.missed'] });
    }
  });

  it('fires nothing at the deadline’s last instant', async () => {
    const opened = await world.openCase(cast);
    world.clock.set(new Date(EXPLANATION_DUE));
    expect(await world.sweeper.sweep()).toBe(0);
    expect(await world.footprint(opened.row.id)).toMatchObject({ state: 'awaitingExplanation', version: 1, auditTypes: ['case.opened'] });
  });

  it('escalates an overdue review once, though sweeps race: the state stays, the opener and the unit’s leaders hear of it', async () => {
    const pending = await world.caseAwaitingReview(cast);
    world.clock.set(justAfter(REVIEW_DUE));
    // The state does not change, so only the claim of the deadline row keeps racing sweeps from repeating it.
    const fired = await Promise.all([world.sweeper.sweep(), world.sweeper.sweep(), world.sweeper.sweep()]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await world.sweeper.sweep()).toBe(0);
    expect(await world.footprint(pending.row.id)).toMatchObject({
      state: 'pendingReview',
      version: 4,
      auditTypes: ['case.opened', 'explanation.submitted', 'assessment.recorded', 'deadline.escalated'],
    });
    const told = await world.committed<{ user_id: string }>(
      "SELECT user_id FROM notifications WHERE case_id = ? AND kind = 'deadline.escalated' ORDER BY user_id",
      pending.row.id,
    );
    expect(told.map((n) => n.user_id)).toEqual([cast.officer.id, cast.leader.id, cast.otherLeader.id].sort());
  });

  it('retires a deadline the machine no longer takes, without touching the case', async () => {
    const pending = await world.caseAwaitingReview(cast);
    // An explanation deadline left open on a case already past that state (as an older release could leave it).
    const strayId = appendOnlyRowId();
    await world.uow.run((manager) =>
      runSql(
        manager,
        "INSERT INTO deadlines (id, case_id, kind, action_id, due_at, status, created_at, resolved_at) VALUES (?, ?, 'explanation', NULL, ?, 'open', ?, NULL)",
        [strayId, pending.row.id, EXPLANATION_DUE, world.clock.now().toISOString()],
      ),
    );
    const before = await world.footprint(pending.row.id);
    world.clock.set(justAfter(EXPLANATION_DUE));
    expect(await world.sweeper.sweep()).toBe(0);
    expect(await world.committed('SELECT status, resolved_at FROM deadlines WHERE id = ?', strayId)).toEqual([
      { status: 'closed', resolved_at: justAfter(EXPLANATION_DUE).toISOString() },
    ]);
    const after = await world.footprint(pending.row.id);
    expect({ ...after, deadlines: undefined }).toEqual({ ...before, deadlines: undefined });
    // The next sweep does not come back to it.
    expect(await world.sweeper.sweep()).toBe(0);
  });
});
