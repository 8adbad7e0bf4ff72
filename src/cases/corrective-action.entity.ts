import { Column, Entity, PrimaryColumn } from 'typeorm';

export type CorrectiveActionStatus = 'open' | 'reported' | 'verified';

/** One thing the cadre must fix under a `correct` outcome (纠错), followed until an officer verifies it. */
@Entity('corrective_actions')
export class CorrectiveActionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 16 })
  status: CorrectiveActionStatus;

  @Column({ name: 'due_at', type: 'varchar', length: 32 })
  dueAt: string;

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'report_note', type: 'text', nullable: true })
  reportNote: string | null;

  @Column({ name: 'reported_at', type: 'varchar', length: 32, nullable: true })
  reportedAt: string | null;

  @Column({ name: 'verify_note', type: 'text', nullable: true })
  verifyNote: string | null;

  @Column({ name: 'verified_by', type: 'varchar', length: 36, nullable: true })
  verifiedBy: string | null;

  @Column({ name: 'verified_at', type: 'varchar', length: 32, nullable: true })
  verifiedAt: string | null;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
