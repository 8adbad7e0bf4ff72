import type { EntityManager } from 'typeorm';

import { runSql } from '../database/sql.js';

/** Past this many units the memo starts over; a real tree has a few hundred. */
const REMEMBERED_MAX = 10_000;

/**
 * Unit paths already read, by unit id. No command moves, renames or deletes a unit (a path is fixed when
 * the unit is made, users/directory.service.ts), so a path read once stays right on every instance. Every
 * case command reads its unit's path to check who may see the case: one statement per command less.
 */
const remembered = new Map<string, string>();

/** The unit's path (`/root-id/…/unit-id/`, every ancestor listed), or null for an unknown unit. */
export async function unitPath(manager: EntityManager, unitId: string): Promise<string | null> {
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
