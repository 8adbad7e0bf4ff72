import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { CaseState } from '../workflow/case-machine.js';
import type { AppealRecord, Assessment, CaseSource, Outcome, Recommendation, ReviewRecord } from '../workflow/case-types.js';
import type { StoredSnapshot } from '../workflow/case-workflow.js';

export type { AppealRecord, ReviewRecord } from '../workflow/case-types.js';

/**
 * The case aggregate. `state` and `outcome` duplicate the machine snapshot as plain columns so lists
 * can filter on them with an index; the snapshot stays the source of truth for the machine.
 * Timestamps are ISO 8601 UTC strings: portable between SQLite and PostgreSQL and sortable.
 */
@Entity('cases')
export class CaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  state: CaseState;

  @Column({ type: 'varchar', length: 32, nullable: true })
  outcome: Outcome | null;

  @Column({ type: 'simple-json', nullable: true })
  recommendation: Recommendation | null;

  @Column({ type: 'boolean', default: false })
  overridden: boolean;

  @Column({ name: 'subject_id', type: 'varchar', length: 36 })
  subjectId: string;

  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;

  @Column({ name: 'opened_by', type: 'varchar', length: 36 })
  openedBy: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 100 })
  category: string;

  @Column({ type: 'varchar', length: 32 })
  source: CaseSource;

  @Column({ name: 'occurred_at', type: 'varchar', length: 32 })
  occurredAt: string;

  /** `occurredAt` as a UTC instant, for filtering and sorting (see occurred-at.ts); null for week dates */
  @Column({ name: 'occurred_at_utc', type: 'varchar', length: 32, nullable: true })
  occurredAtUtc: string | null;

  /**
   * The earliest due time of the case's open deadlines, null when none runs: "overdue" is then a
   * comparison on the case row. Written by the command that changes the deadlines (repositories/cases.repository.ts).
   */
  @Column({ name: 'next_due_at', type: 'varchar', length: 32, nullable: true })
  nextDueAt: string | null;

  @Column({ name: 'policy_id', type: 'varchar', length: 64 })
  policyId: string;

  @Column({ name: 'policy_version', type: 'integer' })
  policyVersion: number;

  @Column({ name: 'machine_version', type: 'integer' })
  machineVersion: number;

  @Column({ type: 'simple-json' })
  snapshot: StoredSnapshot;

  @Column({ type: 'text', nullable: true })
  explanation: string | null;

  /** evidence the explanation cites (null before an explanation) */
  @Column({ name: 'explanation_evidence_ids', type: 'simple-json', nullable: true })
  explanationEvidenceIds: string[] | null;

  @Column({ type: 'simple-json', nullable: true })
  assessment: Assessment | null;

  @Column({ name: 'assessor_ids', type: 'simple-json' })
  assessorIds: string[];

  @Column({ name: 'reviewer_ids', type: 'simple-json' })
  reviewerIds: string[];

  @Column({ type: 'simple-json', nullable: true })
  review: ReviewRecord | null;

  @Column({ name: 'decided_at', type: 'varchar', length: 32, nullable: true })
  decidedAt: string | null;

  @Column({ type: 'simple-json', nullable: true })
  appeal: AppealRecord | null;

  /** withdrawn with a clearing of the cadre's name (澄清正名) */
  @Column({ name: 'name_cleared', type: 'boolean', default: false })
  nameCleared: boolean;

  @Column({ name: 'closed_at', type: 'varchar', length: 32, nullable: true })
  closedAt: string | null;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
