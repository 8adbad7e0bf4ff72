import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { DeadlineKind } from '../workflow/deadline-plan.js';

export type DeadlineStatus = 'open' | 'closed' | 'fired';

/**
 * A time limit on a case, written and closed in the same transaction as the transition that starts or
 * ends it. The sweeper fires due `open` rows exactly once (status open → fired in the firing command).
 */
@Entity('deadlines')
export class DeadlineEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: DeadlineKind;

  /** the corrective action a `correction` deadline belongs to */
  @Column({ name: 'action_id', type: 'varchar', length: 36, nullable: true })
  actionId: string | null;

  @Column({ name: 'due_at', type: 'varchar', length: 32 })
  dueAt: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeadlineStatus;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'resolved_at', type: 'varchar', length: 32, nullable: true })
  resolvedAt: string | null;
}
