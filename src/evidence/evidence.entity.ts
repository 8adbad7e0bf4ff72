import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A file added to a case (证据材料). The bytes are not in the database: they are stored once per content
 * under `<dataDir>/evidence/<sha256[0..2]>/<sha256>` (evidence-storage.ts); this row is what the case knows.
 */
@Entity('evidence')
export class EvidenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  /** the name the uploader gave, without any path */
  @Column({ type: 'varchar', length: 255 })
  filename: string;

  /** detected from the content, never taken from the name or the client's Content-Type */
  @Column({ name: 'media_type', type: 'varchar', length: 128 })
  mediaType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 36 })
  uploadedBy: string;

  /** `cadre` (the subject) or `officer` */
  @Column({ name: 'uploader_role', type: 'varchar', length: 16 })
  uploaderRole: string;

  @Column({ type: 'varchar', length: 32 })
  at: string;

  /** the case version the upload produced */
  @Column({ name: 'case_version', type: 'integer' })
  caseVersion: number;
}
