import type { MigrationInterface, QueryRunner } from 'typeorm';

import { createNextDueTriggers } from './1768000000000-reports.js';

/**
 * `cases.next_due_at` is now written by the command that changes a case's deadlines, in the same UPDATE
 * as the rest of the case (cases/case-command-runner.ts; the sweeper's retire path refreshes it too),
 * instead of by triggers on `deadlines`. The triggers rewrote the whole case row, and its entries in the
 * list index, once per deadline opened or closed: three rewrites of the row for one approval instead of
 * one, about a tenth of the transition's CPU in `npm run bench`. The values the triggers kept are exact,
 * so nothing is recomputed here.
 */
export class NextDueByCommands1768300000000 implements MigrationInterface {
  name = 'NextDueByCommands1768300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP TRIGGER IF EXISTS deadlines_next_due ON deadlines');
      await queryRunner.query('DROP FUNCTION IF EXISTS cases_sync_next_due');
      return;
    }
    for (const operation of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS deadlines_next_due_${operation}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await createNextDueTriggers(queryRunner);
  }
}
