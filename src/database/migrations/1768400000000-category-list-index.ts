import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * A list filtered by category (an admin's, across every unit) is counted and paged on the category index.
 * It held (category, created_at) only, so a page had to read each candidate's row for its `id`, the
 * tie-breaker of every list order: 5 ms for page 5 of 122,709 cases at 1,000,000. With `id` in the index,
 * the page is read from the index alone. Category never changes after a case opens, so commands do not
 * rewrite these entries.
 */
export class CategoryListIndex1768400000000 implements MigrationInterface {
  name = 'CategoryListIndex1768400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'cases',
      new TableIndex({ name: 'idx_cases_category_list', columnNames: ['category', 'created_at', 'id'] }),
    );
    await queryRunner.dropIndex('cases', 'idx_cases_category_created');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('cases', new TableIndex({ name: 'idx_cases_category_created', columnNames: ['category', 'created_at'] }));
    await queryRunner.dropIndex('cases', 'idx_cases_category_list');
  }
}
