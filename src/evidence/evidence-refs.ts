import type { EntityManager } from 'typeorm';

import { runSql, runSqlTuples } from '../database/sql.js';
import type { EvidenceRecord } from '../workflow/replay/case-record.js';
import type { EvidenceEntity } from './evidence.entity.js';

/** Reads of a case's evidence rows, inside a unit of work (prepared SQL, like the rest of the command path). */
export const EvidenceRefs = {
  /** The ids of the case's evidence: what its explanation and assessment may cite. */
  async idsOf(manager: EntityManager, caseId: string): Promise<Set<string>> {
    const { rows } = await runSql<{ id: string }>(manager, 'SELECT id FROM evidence WHERE case_id = ?', [caseId]);
    return new Set(rows.map((row) => row.id));
  },

  /**
   * Read as tuples (database/sql.ts): verify reads every evidence row of a long case. `range`: only the rows
   * after the case version `after`, at most `limit` (the GET /cases/:id/evidence page).
   */
  async list(manager: EntityManager, caseId: string, range?: { after: number; limit: number }): Promise<EvidenceEntity[]> {
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
  },

  /** The case's evidence as its audit events record it (what replay and the dossier compare). */
  async records(manager: EntityManager, caseId: string): Promise<EvidenceRecord[]> {
    return (await EvidenceRefs.list(manager, caseId)).map(({ id, filename, mediaType, size, sha256, uploadedBy, at }) => ({
      id,
      filename,
      mediaType,
      size,
      sha256,
      uploadedBy,
      at,
    }));
  },

  async find(manager: EntityManager, caseId: string, id: string): Promise<EvidenceEntity | null> {
    const { rows } = await runSql(manager, 'SELECT * FROM evidence WHERE id = ? AND case_id = ?', [id, caseId]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  },

  async insert(manager: EntityManager, e: EvidenceEntity): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO evidence (id, case_id, filename, media_type, size, sha256, uploaded_by, uploader_role, at, case_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.id, e.caseId, e.filename, e.mediaType, e.size, e.sha256, e.uploadedBy, e.uploaderRole, e.at, e.caseVersion],
    );
  },
};

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
