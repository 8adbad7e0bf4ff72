import type { MigrationInterface, QueryRunner } from 'typeorm';

const KEY = 'unit_id, state, category';
const add = (row: 'NEW' | 'OLD') =>
  `INSERT INTO case_counts (${KEY}, cases) VALUES (${row}.unit_id, ${row}.state, ${row}.category, 1)
     ON CONFLICT (${KEY}) DO UPDATE SET cases = cases + 1;`;
const remove = `UPDATE case_counts SET cases = cases - 1 WHERE unit_id = OLD.unit_id AND state = OLD.state AND category = OLD.category;`;

/**
 * SQLite only: how many cases each unit has in each state and category, kept by triggers on `cases`, so a
 * list's `total` over a unit subtree (filtered by state and category at most) is a sum of a few hundred
 * rows instead of a count of every case: 126,066 index entries for a city at 1,000,000 cases took 5–9 ms,
 * most of the list's time. Every other filter still counts the cases (cases/case-list.ts).
 *
 * Triggers, not the command path, so no writer can miss them: commands, the sweeper, the bulk seed
 * (which keeps a trigger that writes outside the tables it loads) and hand-made repairs alike. A state
 * change costs two writes to this small table. PostgreSQL counts the cases directly: there several
 * instances write at once, and one counter row per unit, state and category would queue every command of
 * that unit behind it.
 */
export class CaseCounts1768700000000 implements MigrationInterface {
  name = 'CaseCounts1768700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      return;
    }
    await queryRunner.query(
      `CREATE TABLE case_counts (unit_id varchar(36) NOT NULL, state varchar(32) NOT NULL, category varchar(100) NOT NULL,
         cases integer NOT NULL, PRIMARY KEY (${KEY})) WITHOUT ROWID`,
    );
    await queryRunner.query(`INSERT INTO case_counts (${KEY}, cases) SELECT ${KEY}, COUNT(*) FROM cases GROUP BY ${KEY}`);
    await queryRunner.query(`CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN ${add('NEW')} END`);
    await queryRunner.query(
      `CREATE TRIGGER case_counts_update AFTER UPDATE OF ${KEY} ON cases
       WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.state IS NOT NEW.state OR OLD.category IS NOT NEW.category
       BEGIN ${remove} ${add('NEW')} END`,
    );
    await queryRunner.query(`CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN ${remove} END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      return;
    }
    for (const trigger of ['case_counts_insert', 'case_counts_update', 'case_counts_delete']) {
      await queryRunner.query(`DROP TRIGGER ${trigger}`);
    }
    await queryRunner.query('DROP TABLE case_counts');
  }
}
