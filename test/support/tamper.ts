import Database from 'better-sqlite3';
import { canonicalJson, GENESIS_HASH, hashWithData } from '../../src/audit/hash-chain.js';

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
export function rewriteChain(databasePath: string, caseId: string, edit: (events: ForgedEvent[]) => ForgedEvent[]): void {
  const db = new Database(databasePath);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
    const rows = db.prepare('SELECT * FROM audit_events WHERE case_id = ? ORDER BY seq').all(caseId) as Array<Record<string, string | number>>;
    const events = edit(
      rows.map((row) => ({
        id: row.id as string,
        type: row.type as string,
        actorId: row.actor_id as string,
        actorRole: row.actor_role as string,
        at: row.at as string,
        data: JSON.parse(row.data as string) as Record<string, unknown>,
        machineVersion: row.machine_version as number,
      })),
    );
    const insert = db.prepare(
      `INSERT INTO audit_events (id, case_id, seq, type, actor_id, actor_role, at, data, machine_version, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      db.prepare('DELETE FROM audit_events WHERE case_id = ?').run(caseId);
      let prevHash = GENESIS_HASH;
      events.forEach((event, index) => {
        const chained = { caseId, seq: index + 1, type: event.type, actorId: event.actorId, actorRole: event.actorRole, at: event.at, machineVersion: event.machineVersion, prevHash };
        const hash = hashWithData(chained, event.data);
        insert.run(event.id, caseId, chained.seq, event.type, event.actorId, event.actorRole, event.at, canonicalJson(event.data), event.machineVersion, prevHash, hash);
        prevHash = hash;
      });
    })();
  } finally {
    db.close();
  }
}

/** Runs one statement on the database file behind the application's back. */
export function editDatabase(databasePath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(databasePath);
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
