import type { EntityManager } from 'typeorm';

import type { ReadStatement } from '../database/read-pool.js';
import { isPostgres, runSql, runSqlTuples } from '../database/sql.js';
import type { EvidenceEntity } from '../evidence/evidence.entity.js';
import type { EvidenceRecord } from '../workflow/replay/case-record.js';

/** Namespace of this lock among the service's advisory locks (open-database.ts takes a one-key lock). */
const UPLOADER_LOCK_SPACE = 16;

/** What one person added, as evidence/evidence-quota.ts counts it. */
export interface EvidenceUsage {
  files: number;
  bytes: number;
  /** when the earliest of those files was added */
  oldest: string | null;
}

/**
 * The `evidence` table: a case's evidence rows, inside a unit of work (prepared SQL, like the rest of the
 * command path), and what the quota, the sweeper and the metrics count.
 */
export class EvidenceRepository {
  /** The ids of the case's evidence: what its explanation and assessment may cite. */
  static async idsOf(manager: EntityManager, caseId: string): Promise<Set<string>> {
    const { rows } = await runSql<{ id: string }>(manager, 'SELECT id FROM evidence WHERE case_id = ?', [caseId]);
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Read as tuples (database/sql.ts): verify reads every evidence row of a long case. `range`: only the rows
   * after the case version `after`, at most `limit` (the GET /cases/:id/evidence page).
   */
  static async list(manager: EntityManager, caseId: string, range?: { after: number; limit: number }): Promise<EvidenceEntity[]> {
    const columns = 'SELECT id, filename, media_type, size, sha256, uploaded_by, uploader_role, at, case_version FROM evidence';
    const rows = await runSqlTuples<[string, string, string, number, string, string, string, string, number]>(
      manager,
      range
        ? `${columns} WHERE case_id = ? AND case_version > ? ORDER BY case_version LIMIT ?`
        : `${columns} WHERE case_id = ? ORDER BY case_version`,
      range ? [caseId, range.after, range.limit] : [caseId],
    );
    return rows.map(([id, filename, mediaType, size, sha256, uploadedBy, uploaderRole, at, caseVersion]) => ({
      id,
      caseId,
      filename,
      mediaType,
      size: Number(size),
      sha256,
      uploadedBy,
      uploaderRole,
      at,
      caseVersion: Number(caseVersion),
    }));
  }

  /** The case's evidence as its audit events record it (what replay and the dossier compare). */
  static async records(manager: EntityManager, caseId: string): Promise<EvidenceRecord[]> {
    return (await EvidenceRepository.list(manager, caseId)).map(({ id, filename, mediaType, size, sha256, uploadedBy, at }) => ({
      id,
      filename,
      mediaType,
      size,
      sha256,
      uploadedBy,
      at,
    }));
  }

  static async find(manager: EntityManager, caseId: string, id: string): Promise<EvidenceEntity | null> {
    const { rows } = await runSql(manager, 'SELECT * FROM evidence WHERE id = ? AND case_id = ?', [id, caseId]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  static async insert(manager: EntityManager, e: EvidenceEntity): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO evidence (id, case_id, filename, media_type, size, sha256, uploaded_by, uploader_role, at, case_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.id, e.caseId, e.filename, e.mediaType, e.size, e.sha256, e.uploadedBy, e.uploaderRole, e.at, e.caseVersion],
    );
  }

  /**
   * On PostgreSQL, queues this uploader's concurrent uploads (to any case) until the unit of work ends;
   * on SQLite the unit of work runs them one after another anyway.
   */
  static async lockUploader(manager: EntityManager, userId: string): Promise<void> {
    if (isPostgres(manager)) {
      await runSql(manager, `SELECT pg_advisory_xact_lock(${UPLOADER_LOCK_SPACE}, hashtext(?))`, [userId]);
    }
  }

  /** What `userId` added to this case. */
  static usageOnCase(manager: EntityManager, caseId: string, userId: string): Promise<EvidenceUsage> {
    return usage(manager, 'case_id = ? AND uploaded_by = ?', [caseId, userId]);
  }

  /** What `userId` added to any case after `since`. */
  static usageSince(manager: EntityManager, userId: string, since: string): Promise<EvidenceUsage> {
    return usage(manager, 'uploaded_by = ? AND at > ?', [userId, since]);
  }

  /** Which of these contents (SHA-256) some evidence row names. */
  static async referencedHashes(manager: EntityManager, hashes: string[]): Promise<Set<string>> {
    const { rows } = await runSql<{ sha256: string }>(
      manager,
      `SELECT DISTINCT sha256 FROM evidence WHERE sha256 IN (${hashes.map(() => '?').join(', ')})`,
      hashes,
    );
    return new Set(rows.map((row) => row.sha256));
  }

  /**
   * The content stored, each distinct file once (the store keeps one file per SHA-256 however many cases
   * cite it): `files`, `bytes`. A statement for the reader pool (database/read-pool.ts).
   */
  static storedContent(): ReadStatement {
    return {
      sql: 'SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM (SELECT sha256, MAX(size) AS size FROM evidence GROUP BY sha256) AS stored',
      params: [],
    };
  }
}

async function usage(manager: EntityManager, where: string, parameters: unknown[]): Promise<EvidenceUsage> {
  const { rows } = await runSql<{ files: number | string; bytes: number | string | null; oldest: string | null }>(
    manager,
    `SELECT COUNT(*) AS files, SUM(size) AS bytes, MIN(at) AS oldest FROM evidence WHERE ${where}`,
    parameters,
  );
  return { files: Number(rows[0].files), bytes: Number(rows[0].bytes ?? 0), oldest: rows[0].oldest };
}

function fromRow(r: Record<string, unknown>): EvidenceEntity {
  return {
    id: String(r.id),
    caseId: String(r.case_id),
    filename: String(r.filename),
    mediaType: String(r.media_type),
    size: Number(r.size),
    sha256: String(r.sha256),
    uploadedBy: String(r.uploaded_by),
    uploaderRole: String(r.uploader_role),
    at: String(r.at),
    caseVersion: Number(r.case_version),
  };
}
