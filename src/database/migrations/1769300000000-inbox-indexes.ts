import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * The inbox in SQL (me/task-query.ts, issue 16).
 *
 * - `cases.action_count` and `cases.actions_reported`: how many corrective actions the case has, and how many
 *   wait for verification, kept by triggers on `corrective_actions` (so no writer can miss them: commands, the
 *   bulk seed). The inbox counts "set corrective actions" and "verify" tasks from them instead of seeking every
 *   decided case's actions: at 1,000,000 cases those seeks were most of a province officer's inbox. Each trigger
 *   recomputes both numbers from the rows (not +1/−1), so a writer that copies a case row with its counts and
 *   then its actions (scripts/seed-bulk) still ends right.
 * - `idx_cases_open_tasks`: open cases only (a partial index: the 85 % closed or withdrawn cost nothing) with
 *   every column the inbox's rules read, so counting a province's tasks never reads a case row. Its WHERE is
 *   spelled in every inbox query (OPEN_CASE_TERM): SQLite uses a partial index only from a literal term.
 * - corrective actions by status (report and verify tasks), open deadlines by (case, kind) (a task's due time),
 *   notifications by (user, read) (the unread count).
 */
const OPEN_TASKS = new TableIndex({
  name: 'idx_cases_open_tasks',
  columnNames: [
    'state',
    'unit_id',
    'subject_id',
    'outcome',
    'action_count',
    'actions_reported',
    'created_at',
    'id',
    'opened_by',
    'assessor_ids',
    'reviewer_ids',
  ],
  where: "state NOT IN ('closed', 'withdrawn')",
});
const ACTIONS_BY_STATUS = new TableIndex({
  name: 'idx_actions_status_case',
  columnNames: ['status', 'case_id', 'due_at', 'created_at', 'id'],
});
/** The open deadline of one kind of a case (a task's due time) from the index alone: reading each deadline row was seconds for a province's leaders. */
const OPEN_DEADLINE_KIND = new TableIndex({
  name: 'idx_deadlines_open_case_kind',
  columnNames: ['case_id', 'kind', 'due_at'],
  where: "status = 'open'",
});
const NOTIFICATIONS_UNREAD = new TableIndex({ name: 'idx_notifications_user_read', columnNames: ['user_id', 'read_at', 'created_at'] });
/** Plain ALTER TABLE: TypeORM's addColumn rebuilds a SQLite table, a copy of every case. */
const COUNT_COLUMNS = ['action_count', 'actions_reported'];

/** The two kept numbers of case `id` (an SQL expression), recomputed from its actions. */
const recount = (id: string) =>
  `UPDATE cases SET action_count = (SELECT COUNT(*) FROM corrective_actions a WHERE a.case_id = ${id}),
     actions_reported = (SELECT COUNT(*) FROM corrective_actions a WHERE a.case_id = ${id} AND a.status = 'reported')
   WHERE id = ${id}`;

export class InboxIndexes1769300000000 implements MigrationInterface {
  name = 'InboxIndexes1769300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of COUNT_COLUMNS) {
      await queryRunner.query(`ALTER TABLE cases ADD COLUMN ${column} integer NOT NULL DEFAULT 0`);
    }
    await queryRunner.query(
      `UPDATE cases SET action_count = (SELECT COUNT(*) FROM corrective_actions a WHERE a.case_id = cases.id),
         actions_reported = (SELECT COUNT(*) FROM corrective_actions a WHERE a.case_id = cases.id AND a.status = 'reported')
       WHERE id IN (SELECT case_id FROM corrective_actions)`,
    );
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`CREATE FUNCTION inbox_action_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP <> 'DELETE' THEN ${recount('NEW.case_id')}; END IF;
          IF TG_OP <> 'INSERT' THEN ${recount('OLD.case_id')}; END IF;
          RETURN NULL;
        END $$`);
      await queryRunner.query(
        'CREATE TRIGGER inbox_action_counts AFTER INSERT OR DELETE OR UPDATE OF status, case_id ON corrective_actions FOR EACH ROW EXECUTE FUNCTION inbox_action_counts()',
      );
    } else {
      await queryRunner.query(
        `CREATE TRIGGER inbox_action_counts_insert AFTER INSERT ON corrective_actions BEGIN ${recount('NEW.case_id')}; END`,
      );
      await queryRunner.query(
        `CREATE TRIGGER inbox_action_counts_update AFTER UPDATE OF status, case_id ON corrective_actions BEGIN ${recount('NEW.case_id')}; ${recount('OLD.case_id')}; END`,
      );
      await queryRunner.query(
        `CREATE TRIGGER inbox_action_counts_delete AFTER DELETE ON corrective_actions BEGIN ${recount('OLD.case_id')}; END`,
      );
    }
    await queryRunner.createIndex('cases', OPEN_TASKS);
    await queryRunner.createIndex('corrective_actions', ACTIONS_BY_STATUS);
    await queryRunner.createIndex('notifications', NOTIFICATIONS_UNREAD);
    await queryRunner.createIndex('deadlines', OPEN_DEADLINE_KIND);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('deadlines', OPEN_DEADLINE_KIND);
    await queryRunner.dropIndex('notifications', NOTIFICATIONS_UNREAD);
    await queryRunner.dropIndex('corrective_actions', ACTIONS_BY_STATUS);
    await queryRunner.dropIndex('cases', OPEN_TASKS);
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP TRIGGER inbox_action_counts ON corrective_actions');
      await queryRunner.query('DROP FUNCTION inbox_action_counts()');
    } else {
      for (const trigger of ['inbox_action_counts_insert', 'inbox_action_counts_update', 'inbox_action_counts_delete']) {
        await queryRunner.query(`DROP TRIGGER ${trigger}`);
      }
    }
    for (const column of COUNT_COLUMNS) {
      await queryRunner.query(`ALTER TABLE cases DROP COLUMN ${column}`);
    }
  }
}
