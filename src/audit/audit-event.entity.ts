import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One accepted command on a case. Append-only: no code path updates or deletes a row, and database
 * triggers (see the initial migration) refuse it too. `data` keeps the exact canonical JSON that was hashed.
 */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ type: 'varchar', length: 32 })
  at: string;

  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'machine_version', type: 'integer' })
  machineVersion: number;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
