import { CHECKPOINT_ALGORITHM, CheckpointService } from '../audit/checkpoint.service.js';
import { merkleRoot } from '../audit/merkle.js';
import { runSql } from '../database/sql.js';
import { AtLeastClock, type DataSession } from './data-source-session.js';

export interface DataCounts {
  cases: number;
  auditEvents: number;
  /** evidence rows (one per upload) */
  evidence: number;
  /** distinct stored files the rows name (the same content is stored once) */
  evidenceFiles: number;
  users: number;
  units: number;
}

export interface SchemaVersion {
  /** the name of the last migration applied, e.g. InboxOrder1769500000000 */
  lastMigration: string | null;
  migrations: number;
}

/** The service's checkpoint (GET /audit/checkpoint?asOf=`at`) over the data. */
export interface CheckpointSummary {
  at: string;
  root: string;
  cases: number;
  events: number;
  algorithm: string;
}

export interface DataSummary {
  counts: DataCounts;
  schema: SchemaVersion;
  checkpoint: CheckpointSummary;
}

const COUNTS: Record<keyof DataCounts, string> = {
  cases: 'SELECT COUNT(*) AS n FROM cases',
  auditEvents: 'SELECT COUNT(*) AS n FROM audit_events',
  evidence: 'SELECT COUNT(*) AS n FROM evidence',
  evidenceFiles: 'SELECT COUNT(DISTINCT sha256) AS n FROM evidence',
  users: 'SELECT COUNT(*) AS n FROM users',
  units: 'SELECT COUNT(*) AS n FROM units',
};

/**
 * Counts, schema and checkpoint of a database, in one read (one snapshot on PostgreSQL). The checkpoint is
 * the service's own (CheckpointService), as of `asOf` — by default the instant of the last event, so that
 * it covers every event there is and the live service gives the same root for `?asOf=` that instant.
 */
export async function summariseData(session: DataSession, asOf?: string): Promise<DataSummary> {
  const facts = await session.uow.read(async (manager) => {
    const counts = {} as DataCounts;
    for (const [key, query] of Object.entries(COUNTS) as Array<[keyof DataCounts, string]>) {
      counts[key] = Number((await runSql<{ n: number | string }>(manager, query)).rows[0].n);
    }
    const migrations = await runSql<{ name: string }>(manager, 'SELECT name FROM migrations ORDER BY timestamp DESC, id DESC');
    const last = await runSql<{ at: string | null }>(manager, 'SELECT MAX(at) AS at FROM audit_events');
    return {
      counts,
      schema: { lastMigration: migrations.rows[0]?.name ?? null, migrations: migrations.rows.length },
      lastEventAt: last.rows[0]?.at ?? null,
    };
  });
  const at = asOf ?? facts.lastEventAt;
  if (at === null) {
    // No event at all: the empty tree, as the checkpoint API gives for a database without cases.
    return {
      counts: facts.counts,
      schema: facts.schema,
      checkpoint: { at: new Date(0).toISOString(), root: merkleRoot([]), cases: 0, events: 0, algorithm: CHECKPOINT_ALGORITHM },
    };
  }
  const clock = new AtLeastClock(new Date(Date.parse(at) + 1));
  const checkpoint = await new CheckpointService(session.uow, clock).checkpoint(at);
  return { counts: facts.counts, schema: facts.schema, checkpoint };
}
