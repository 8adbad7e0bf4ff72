import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EntityManager, Like } from 'typeorm';

import { runSql } from '../../src/database/sql.js';
import { UnitEntity } from '../../src/users/unit.entity.js';
import { MediumWorld } from './support/medium-world.js';

/**
 * The unit of work on the migrated schema (units: a table with a foreign key), as the services use it. Its
 * own spec (src/database/unit-of-work.spec.ts) covers batching on a bare table; these are the guarantees
 * every command leans on. SQLite only (jest.config.js leaves it out on PostgreSQL, where each unit of work is a
 * transaction of its own: no queue, batch or savepoint).
 */
describe('UnitOfWork on a real SQLite file', () => {
  let world: MediumWorld;
  beforeAll(async () => {
    world = await MediumWorld.start();
  });
  afterAll(() => world.stop());

  const insertUnit = (manager: EntityManager, name: string, parentId: string | null = null) => {
    const id = randomUUID();
    return manager.insert(UnitEntity, { id, name, parentId, path: `/${id}/`, createdAt: '2026-01-05T09:00:00.000Z' });
  };
  const committedNames = async (marker: string) =>
    (await world.committed<{ name: string }>('SELECT name FROM units WHERE name LIKE ? ORDER BY name', `${marker}%`)).map((u) => u.name);

  it('runs reads and writes in the order they were queued, each read seeing exactly the writes queued before it', async () => {
    const marker = `order-${randomUUID()}`;
    const order: string[] = [];
    const write = (name: string) =>
      world.uow.run(async (manager) => {
        order.push(`write ${name}`);
        await insertUnit(manager, `${marker}-${name}`);
      });
    const read = (label: string) =>
      world.uow.read(async (manager) => {
        order.push(`read ${label}`);
        const units = await manager.find(UnitEntity, { where: { name: Like(`${marker}%`) } });
        return units.map((u) => u.name.slice(marker.length + 1)).sort();
      });
    const [, first, , second] = await Promise.all([write('a'), read('1'), write('b'), read('2')]);
    expect(order).toEqual(['write a', 'read 1', 'write b', 'read 2']);
    expect(first).toEqual(['a']);
    expect(second).toEqual(['a', 'b']);
  });

  it('jobs that fail after writing roll back alone; every acknowledged job is on disk', async () => {
    const marker = `savepoints-${randomUUID()}`;
    // Queued in the same turn, so they share one batch: one transaction, a savepoint each.
    const jobs = Array.from({ length: 40 }, (_, i) =>
      world.uow.run(async (manager) => {
        await insertUnit(manager, `${marker}-${String(i).padStart(2, '0')}`);
        if (i % 2 === 1) {
          await insertUnit(manager, `${marker}-${String(i).padStart(2, '0')}-second`);
          throw new Error(`job ${i} refused`);
        }
        return i;
      }),
    );
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? i : `job ${i} refused`)),
    );
    expect(await committedNames(marker)).toEqual(Array.from({ length: 20 }, (_, k) => `${marker}-${String(2 * k).padStart(2, '0')}`));
  });

  it('a job later in a batch sees the writes of the accepted jobs before it, not those of a refused one', async () => {
    const marker = `visibility-${randomUUID()}`;
    const kept = world.uow.run((manager) => insertUnit(manager, `${marker}-kept`));
    const refused = world.uow.run(async (manager) => {
      await insertUnit(manager, `${marker}-refused`);
      throw new Error('refused');
    });
    const seen = world.uow.run((manager) => runSql<{ name: string }>(manager, 'SELECT name FROM units WHERE name LIKE ?', [`${marker}%`]));
    await kept;
    await expect(refused).rejects.toThrow('refused');
    expect((await seen).rows.map((r) => r.name)).toEqual([`${marker}-kept`]);
  });

  it('when the COMMIT fails, no job of the batch is acknowledged and none is on disk; the next batch runs', async () => {
    const marker = `commit-${randomUUID()}`;
    // A foreign key checked only at COMMIT (deferred) makes the batch's COMMIT itself fail.
    const breaksCommit = world.uow.run(async (manager) => {
      await runSql(manager, 'PRAGMA defer_foreign_keys = ON');
      await insertUnit(manager, `${marker}-orphan`, randomUUID());
    });
    const innocent = world.uow.run((manager) => insertUnit(manager, `${marker}-innocent`));
    const outcomes = await Promise.allSettled([breaksCommit, innocent]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(await committedNames(marker)).toEqual([]);

    await world.uow.run((manager) => insertUnit(manager, `${marker}-after`));
    expect(await committedNames(marker)).toEqual([`${marker}-after`]);
  });
});
