import type { EntityManager } from 'typeorm';

import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { runSql, runSqlTuples } from '../database/sql.js';

/** A case's chain head: its last event's seq and hash. */
export interface ChainHead {
  caseId: string;
  seq: number;
  hash: string;
}

/** The `audit_events` table: each case's hash chain (audit/audit-trail.service.ts chains, audit/checkpoint.service.ts anchors). */
export class AuditEventRepository {
  /** The case's last event, or undefined before its first. */
  static async lastOf(manager: EntityManager, caseId: string): Promise<{ seq: number; hash: string } | undefined> {
    // Served by the unique (case_id, seq) index; the same index refuses a second event with this seq.
    const { rows } = await runSql<{ seq: number; hash: string }>(
      manager,
      'SELECT seq, hash FROM audit_events WHERE case_id = ? ORDER BY seq DESC LIMIT 1',
      [caseId],
    );
    return rows[0];
  }

  static async insert(manager: EntityManager, row: AuditEventEntity): Promise<void> {
    // A plain INSERT, never an upsert: an event is written once.
    await runSql(
      manager,
      `INSERT INTO audit_events (id, case_id, seq, type, actor_id, actor_role, at, data, machine_version, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [row.id, row.caseId, row.seq, row.type, row.actorId, row.actorRole, row.at, row.data, row.machineVersion, row.prevHash, row.hash],
    );
  }

  /**
   * A case's events in seq order, by prepared SQL read as tuples: a 1,000-event history took ~9 ms
   * through TypeORM's find, 7.6 ms as row objects, 3.5 ms as tuples. `range` reads only the events after
   * `afterSeq`, at most `limit` of them (the GET /cases/:id/audit page); without it, every event.
   */
  static async list(manager: EntityManager, caseId: string, range?: { afterSeq: number; limit: number }): Promise<AuditEventEntity[]> {
    const columns = 'SELECT id, seq, type, actor_id, actor_role, at, data, machine_version, prev_hash, hash FROM audit_events';
    const rows = await runSqlTuples<[string, number, string, string, string, string, string, number, string, string]>(
      manager,
      range ? `${columns} WHERE case_id = ? AND seq > ? ORDER BY seq LIMIT ?` : `${columns} WHERE case_id = ? ORDER BY seq`,
      range ? [caseId, range.afterSeq, range.limit] : [caseId],
    );
    return rows.map(([id, seq, type, actorId, actorRole, at, data, machineVersion, prevHash, hash]) =>
      Object.assign(new AuditEventEntity(), {
        id,
        caseId,
        seq: Number(seq),
        type,
        actorId,
        actorRole,
        at,
        data,
        machineVersion: Number(machineVersion),
        prevHash,
        hash,
      }),
    );
  }

  /** Every case's last event at or before `at`, cases in id order. */
  static async headsAt(manager: EntityManager, at: string): Promise<ChainHead[]> {
    const { rows } = await runSql<{ case_id: string; seq: number; hash: string }>(
      manager,
      `SELECT e.case_id, e.seq, e.hash FROM audit_events e
       JOIN (SELECT case_id, MAX(seq) AS seq FROM audit_events WHERE at <= ? GROUP BY case_id) head
         ON head.case_id = e.case_id AND head.seq = e.seq
       ORDER BY e.case_id`,
      [at],
    );
    return rows.map((row) => ({ caseId: row.case_id, seq: Number(row.seq), hash: row.hash }));
  }
}
