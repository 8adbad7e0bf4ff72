import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search for one- and two-character terms (issue 16): `q=扶贫` scanned the caller's cases (4.8 s over a
 * province at 1,000,000 cases), since trigram indexes need three characters.
 *
 * SQLite: `cases_bigrams`, a contentless FTS5 table (no text stored, only the index) whose one column holds,
 * for each position of the title and of the description, the two characters starting there (the last
 * character alone at the end), separated by spaces. The `unicode61` tokenizer folds case (as the trigram
 * tokenizer does, diacritics kept) and splits at separators, so a two-character term made of letters and
 * digits is a token exactly when it is a substring of the title or the description: the match is exact,
 * with no re-check. A one-character term is a prefix query, answered by the 1-character prefix index
 * (every character is the first of some token). Terms holding a separator (`a,`, ` 1`) cannot be tokens;
 * they keep the scan (cases/case-filter.ts). A second column holds the case's unit as a token, so a
 * search within a leader's units is one query of this index, returning only their matches. `detail=none`:
 * presence is all a substring needs (and column filters are not needed: unit tokens are long), so no
 * positions are kept (the index stays small). The triggers build the grams in SQL, so every writer (the
 * commands, the bulk seed, a restore) keeps the index without application code; title and description
 * are computed separately, so no pair spans the two.
 *
 * PostgreSQL: an expression GIN index over the lower-cased characters and pairs of characters of the
 * title and description (`case_search_grams`). A 1–2 character search asks `@> ARRAY[lower(q)]` and keeps
 * its ILIKE as the exact test, so results are those of ILIKE, from the index instead of every row.
 */
export class BigramSearch1769200000000 implements MigrationInterface {
  name = 'BigramSearch1769200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(PG_GRAMS_FUNCTION);
      await queryRunner.query('CREATE INDEX idx_cases_search_grams ON cases USING gin (case_search_grams(title, description))');
      return;
    }
    await queryRunner.query(
      `CREATE VIRTUAL TABLE cases_bigrams USING fts5(grams, unit, content='', contentless_delete=1, detail=none, prefix='1',
       tokenize='unicode61 remove_diacritics 0')`,
    );
    await queryRunner.query(
      `INSERT INTO cases_bigrams (rowid, grams, unit) SELECT rowid, ${gramsOf('cases')}, ${unitToken('cases')} FROM cases`,
    );
    const add = `INSERT INTO cases_bigrams (rowid, grams, unit) VALUES (NEW.rowid, ${gramsOf('NEW')}, ${unitToken('NEW')});`;
    const remove = 'DELETE FROM cases_bigrams WHERE rowid = OLD.rowid;';
    await queryRunner.query(`CREATE TRIGGER cases_bigrams_insert AFTER INSERT ON cases BEGIN ${add} END`);
    // Title and description never change and cases are never deleted; these keep the index right anyway.
    await queryRunner.query(
      `CREATE TRIGGER cases_bigrams_update AFTER UPDATE OF title, description, unit_id ON cases BEGIN ${remove} ${add} END`,
    );
    await queryRunner.query(`CREATE TRIGGER cases_bigrams_delete AFTER DELETE ON cases BEGIN ${remove} END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP INDEX IF EXISTS idx_cases_search_grams');
      await queryRunner.query('DROP FUNCTION IF EXISTS case_search_grams(text, text)');
      return;
    }
    for (const operation of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS cases_bigrams_${operation}`);
    }
    await queryRunner.query('DROP TABLE IF EXISTS cases_bigrams');
  }
}

/**
 * The case's unit as one token ('u' and the id's hex digits, longer than any gram, so never confused
 * with one): a search within units asks for the term AND any of their tokens (cases/case-filter.ts).
 */
const unitToken = (row: string): string => `'u' || replace(${row}.unit_id, '-', '')`;

/**
 * The grams of a row's title and description (`row`: NEW in a trigger, the table in the backfill): at
 * each position, the pair of characters starting there; at the end of each text, its last character.
 */
function gramsOf(row: string): string {
  const longest = `max(length(${row}.title), length(${row}.description))`;
  return `(WITH RECURSIVE at(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM at WHERE n < ${longest})
    SELECT group_concat(substr(${row}.title, n, 2) || ' ' || substr(${row}.description, n, 2), ' ') FROM at)`;
}

/** Lower-cased single characters and pairs of the two texts, each once; IMMUTABLE, as an index expression must be. */
const PG_GRAMS_FUNCTION = `
CREATE FUNCTION case_search_grams(title text, description text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT gram), '{}')
  FROM unnest(ARRAY[lower(title), lower(description)]) AS text_of(t),
       generate_series(1, length(t)) AS at(n),
       LATERAL (VALUES (substr(t, n, 1)), (substr(t, n, 2))) AS grams(gram)
$$`;
