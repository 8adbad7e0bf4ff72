import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { IDEMPOTENCY_TTL_MS, IdempotencyStore, type IdempotentRequest } from '../../src/idempotency/idempotency-store.js';
import { type Cast, MediumWorld, NEW_CASE } from './support/medium-world.js';

/** The keys table under the creating command that claims a key in its own transaction (CaseCommandRunner.open). */
describe('IdempotencyStore on a real SQLite file, without HTTP', () => {
  let world: MediumWorld;
  let cast: Cast;
  let store: IdempotencyStore;
  let counter = 0;

  beforeAll(async () => {
    world = await MediumWorld.start();
    cast = await world.cast();
    store = world.module.get(IdempotencyStore);
  });
  afterAll(() => world.stop());

  /** What the interceptor puts in the context of a request carrying `Idempotency-Key`. */
  const request = (): IdempotentRequest => ({
    userId: cast.officer.id,
    key: `key-${++counter}`,
    route: 'POST /cases',
    requestHash: 'h',
    claimed: false,
  });
  const keys = (key: string) => world.count('SELECT COUNT(*) AS count FROM idempotency_keys WHERE idempotency_key = ?', key);

  it('a command that commits holds its key; one that is refused leaves none, so a retry runs again', async () => {
    const accepted = request();
    const opened = await store.context.run(accepted, () => world.openCase(cast));
    expect(accepted.claimed).toBe(true);
    expect(await keys(accepted.key)).toBe(1);
    expect((await world.footprint(opened.row.id)).version).toBe(1);

    const refused = request();
    const notACadre = store.context.run(refused, () => world.commands.open(cast.officer, { ...NEW_CASE, subjectId: cast.leader.id }));
    await expect(notACadre).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    expect(await keys(refused.key)).toBe(0);
  });

  it('a key claimed by work that then fails goes with that work’s savepoint, beside work that commits', async () => {
    const failing = request();
    const kept = request();
    const outcomes = await Promise.allSettled([
      store.context.run(failing, () =>
        world.uow.run(async (manager) => {
          await store.claimIn(manager);
          throw new Error('refused after the claim');
        }),
      ),
      store.context.run(kept, () => world.uow.run((manager) => store.claimIn(manager))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect([await keys(failing.key), await keys(kept.key)]).toEqual([0, 1]);
  });

  it('an answer is found for 24 hours, then no more; the sweep removes it and the key can be used again', async () => {
    const first = request();
    await store.context.run(first, () => world.openCase(cast));
    await store.complete(first, 201, '{"id":"x"}', { etag: '"1"' });
    expect(await store.find(first.userId, first.key, first.route)).toEqual({
      requestHash: 'h',
      statusCode: 201,
      body: '{"id":"x"}',
      headers: { etag: '"1"' },
    });
    // Another user's key, or another route's, is another key.
    expect(await store.find(cast.assessor.id, first.key, first.route)).toBeNull();
    expect(await store.find(first.userId, first.key, 'POST /conflicts')).toBeNull();

    world.clock.advance(IDEMPOTENCY_TTL_MS + 1);
    expect(await store.find(first.userId, first.key, first.route)).toBeNull();
    // Claimed again before any sweep: the stale row is replaced, not a duplicate key.
    const again = { ...first, claimed: false };
    await store.context.run(again, () => world.openCase(cast));
    expect(await keys(first.key)).toBe(1);
    expect(await store.find(first.userId, first.key, first.route)).toMatchObject({ statusCode: null });

    world.clock.advance(IDEMPOTENCY_TTL_MS + 1);
    expect(await store.sweep()).toBeGreaterThanOrEqual(1);
    expect(await keys(first.key)).toBe(0);
  });
});
