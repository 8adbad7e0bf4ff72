import type { DataSource } from 'typeorm';

/** Whole-table reads of `cases` for start-up checks; a command's own reads and writes of a case are repositories/cases.repository.ts's. */
export class CaseStatsRepository {
  /** Every (policy id, version) some case pins. Run once at start-up, before the unit of work is busy, on the data source. */
  static async pinnedPolicies(dataSource: DataSource): Promise<Array<{ policyId: string; policyVersion: number }>> {
    const pinned: Array<{ policy_id: string; policy_version: number }> = await dataSource.query(
      'SELECT DISTINCT policy_id, policy_version FROM cases',
    );
    return pinned.map((row) => ({ policyId: row.policy_id, policyVersion: Number(row.policy_version) }));
  }
}
