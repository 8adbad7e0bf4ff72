import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A message to one user, written in the same transaction as the command that caused it (an outbox). */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36, nullable: true })
  caseId: string | null;

  @Column({ type: 'varchar', length: 48 })
  kind: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'read_at', type: 'varchar', length: 32, nullable: true })
  readAt: string | null;
}
