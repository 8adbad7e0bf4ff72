import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';

import { msBetween } from './summary-sql.js';

describe('msBetween on SQLite: whole milliseconds between two ISO instants, as Date.parse gives them', () => {
  it('matches Date.parse exactly for 20,000 pairs with arbitrary milliseconds across three years', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE spans (opened TEXT, decided TEXT)');
    const insert = db.prepare('INSERT INTO spans VALUES (?, ?)');
    const expected: number[] = [];
    const start = Date.parse('2024-01-01T00:00:00.000Z');
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20000; i++) {
      const from = start + Math.floor(random() * 3 * 365 * 86400000);
      const to = from + Math.floor(random() * 400 * 86400000);
      insert.run(new Date(from).toISOString(), new Date(to).toISOString());
      expected.push(to - from);
    }
    expect(
      db
        .prepare(`SELECT ${msBetween('opened', 'decided', 'sqlite')} FROM spans ORDER BY rowid`)
        .pluck()
        .all(),
    ).toEqual(expected);
    db.close();
  });
});
