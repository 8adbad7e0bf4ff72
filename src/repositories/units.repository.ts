import type { EntityManager } from 'typeorm';
import { Like } from 'typeorm';

import type { ReadStatement } from '../database/read-pool.js';
import { runSql } from '../database/sql.js';
import { UnitEntity } from '../users/unit.entity.js';

/** Past this many units the memo of paths starts over; a real tree has a few hundred. */
const REMEMBERED_MAX = 10_000;

/**
 * Unit paths already read, by unit id. No command moves, renames or deletes a unit (a path is fixed when
 * the unit is made), so a path read once stays right on every instance. Every case command reads its
 * unit's path to check who may see the case: one statement per command less.
 */
const remembered = new Map<string, string>();

/** The `units` table: the organisation tree, each unit with its materialised path (`/root-id/…/unit-id/`). */
export class UnitsRepository {
  /** The unit's path (every ancestor listed), or null for an unknown unit. */
  static async path(manager: EntityManager, unitId: string): Promise<string | null> {
    const known = remembered.get(unitId);
    if (known !== undefined) {
      return known;
    }
    const { rows } = await runSql<{ path: string }>(manager, 'SELECT path FROM units WHERE id = ?', [unitId]);
    const path = rows[0]?.path ?? null;
    if (path !== null) {
      if (remembered.size >= REMEMBERED_MAX) {
        remembered.clear();
      }
      remembered.set(unitId, path);
    }
    return path;
  }

  /** Ids of the units whose path starts with `path`: that unit and every unit below it. */
  static async idsUnder(manager: EntityManager, path: string): Promise<string[]> {
    const units = await manager.find(UnitEntity, { where: { path: Like(`${path}%`) }, select: { id: true } });
    return units.map((u) => u.id);
  }

  /** Every unit's id. */
  static async allIds(manager: EntityManager): Promise<string[]> {
    const { rows } = await runSql<{ id: string }>(manager, 'SELECT id FROM units');
    return rows.map((row) => row.id);
  }

  static find(manager: EntityManager, id: string): Promise<UnitEntity | null> {
    return manager.findOne(UnitEntity, { where: { id } });
  }

  static exists(manager: EntityManager, id: string): Promise<boolean> {
    return manager.exists(UnitEntity, { where: { id } });
  }

  static async insert(manager: EntityManager, unit: UnitEntity): Promise<UnitEntity> {
    const row = manager.create(UnitEntity, unit);
    await manager.insert(UnitEntity, row);
    return row;
  }

  /** Parents before children (by path); `take` of them from `skip`. */
  static list(manager: EntityManager, skip: number, take?: number): Promise<UnitEntity[]> {
    return manager.find(UnitEntity, { order: { path: 'ASC' }, skip, take });
  }

  /** The names of these units, by id. */
  static async names(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) {
      return new Map();
    }
    const { rows } = await runSql<{ id: string; name: string }>(
      manager,
      `SELECT id, name FROM units WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [...ids],
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** The same as `names`, as a statement for a reader thread (database/read-pool.ts): rows of `id, name`. */
  static namesRead(ids: readonly string[]): ReadStatement {
    return namesStatement('units', 'name', ids);
  }
}

/** The names of the rows with these ids (`NULL` ids when there are none: SQL has no empty IN list). */
export function namesStatement(table: 'units' | 'users', column: 'name' | 'display_name', ids: readonly string[]): ReadStatement {
  const unique = [...new Set(ids)];
  const list = unique.length === 0 ? 'NULL' : unique.map(() => '?').join(', ');
  return { sql: `SELECT id, ${column} AS name FROM ${table} WHERE id IN (${list})`, params: unique };
}
