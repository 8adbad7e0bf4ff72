import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A declared conflict of interest (回避): `userId` may not act on `subjectId`'s cases. */
@Entity('conflicts')
export class ConflictEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 36 })
  subjectId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 36 })
  recordedBy: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
