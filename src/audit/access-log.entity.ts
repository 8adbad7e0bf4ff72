import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Refused attempts that a fairness rule blocked (recusal, separation of duties). Kept apart from the
 * case's hash chain, which holds only accepted commands.
 */
@Entity('access_log')
export class AccessLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 48 })
  action: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'varchar', length: 32 })
  at: string;
}
