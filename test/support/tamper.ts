import { canonicalJson, GENESIS_HASH, hashWithData } from '../../src/audit/hash-chain.js';
import type { TestDatabase } from './test-database.js';

/** An audit event as a forger edits it: data parsed, chain fields left to `rewriteChain`. */
export interface ForgedEvent {
  id: string;
  type: string;
  actorId: string;
  actorRole: string;
  at: string;
  data: Record<string, unknown>;
  machineVersion: number;
}

/**
 * Someone with write access to the database file rewrites a case's whole trail — drops the append-only
 * triggers, edits the events, renumbers them and recomputes every hash — so the hash chain is valid again.
 * Only replay (and a checkpoint taken earlier) can tell.
 */
export async function rewriteChain(database: TestDatabase, caseId: string, edit: (events: ForgedEvent[]) => ForgedEvent[]): Promise<void> {
  await database.dropAuditTriggers();
  const { rows } = await database.query<Record<string, string | number>>(
    'SELECT * FROM audit_events WHERE case_id = ? ORDER BY seq',
    caseId,
  );
  const events = edit(
    rows.map((row) => ({
      id: row.id as string,
      type: row.type as string,
      actorId: row.actor_id as string,
      actorRole: row.actor_role as string,
      at: row.at as string,
      data: JSON.parse(row.data as string) as Record<string, unknown>,
      machineVersion: Number(row.machine_version),
    })),
  );
  await database.transaction(async (query) => {
    await query('DELETE FROM audit_events WHERE case_id = ?', caseId);
    let prevHash = GENESIS_HASH;
    for (const [index, event] of events.entries()) {
      const chained = {
        caseId,
        seq: index + 1,
        type: event.type,
        actorId: event.actorId,
        actorRole: event.actorRole,
        at: event.at,
        machineVersion: event.machineVersion,
        prevHash,
      };
      const hash = hashWithData(chained, event.data);
      await query(
        `INSERT INTO audit_events (id, case_id, seq, type, actor_id, actor_role, at, data, machine_version, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        event.id,
        caseId,
        chained.seq,
        event.type,
        event.actorId,
        event.actorRole,
        event.at,
        canonicalJson(event.data),
        event.machineVersion,
        prevHash,
        hash,
      );
      prevHash = hash;
    }
  });
}
