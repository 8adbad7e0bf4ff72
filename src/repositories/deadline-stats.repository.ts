import type { ReadStatement } from '../database/read-pool.js';

/** Whole-table counts of `deadlines` for the metrics; a command's own deadline rows are deadlines/deadline-book.ts's. */
export class DeadlineStatsRepository {
  /** `open`: deadlines not yet met or fired; `overdue`: those of them due before `now`. A statement for the reader pool. */
  static openAndOverdue(now: string): ReadStatement {
    return {
      sql: "SELECT COUNT(*) AS open, COUNT(CASE WHEN due_at < ? THEN 1 END) AS overdue FROM deadlines WHERE status = 'open'",
      params: [now],
    };
  }
}
