import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Cast, createCast, openCase } from './support/case-actors.js';
import { SAMPLES } from './support/sample-files.js';
import { auth, TestApp } from './support/test-app.js';
import { ENGINE } from './support/test-database.js';

/** Every file and folder under `root`, with its permission bits. */
function modes(root: string): Array<{ path: string; mode: number; dir: boolean }> {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).map((relative) => {
    const stat = statSync(join(root, relative));
    return { path: relative, mode: stat.mode & 0o777, dir: stat.isDirectory() };
  });
}

/**
 * What the service stores holds cadres' statements, evidence and (in the database) the generated JWT secret:
 * only the service's own user may read it, even when started under the usual umask 022.
 */
describe('data files are owner-only (e2e)', () => {
  let t: TestApp;
  let cast: Cast;
  const umask = process.umask(0o022);

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
    const caseId = (await openCase(t, cast)).id;
    await t.http.post(`/cases/${caseId}/evidence`).set(auth(cast.cadre)).attach('file', SAMPLES.pdf, 'statement.pdf').expect(201);
  });

  afterAll(async () => {
    await t.stop();
    process.umask(umask);
  });

  it('stores evidence files and their folders for the owner only', () => {
    const stored = modes(join(t.dataDir, 'evidence'));
    expect(stored.filter((entry) => !entry.dir).length).toBeGreaterThan(0);
    for (const entry of stored) {
      expect({ path: entry.path, mode: entry.mode.toString(8) }).toEqual({ path: entry.path, mode: entry.dir ? '700' : '600' });
    }
  });

  // On PostgreSQL the database is the server's; the evidence folder above is still ours.
  if (ENGINE === 'sqlite') {
    it('creates the SQLite database and its WAL for the owner only', () => {
      const files = readdirSync(t.dataDir).filter((name) => name.startsWith('test.sqlite'));
      expect(files).toEqual(expect.arrayContaining(['test.sqlite', 'test.sqlite-wal']));
      for (const name of files) {
        expect({ name, mode: (statSync(join(t.dataDir, name)).mode & 0o777).toString(8) }).toEqual({ name, mode: '600' });
      }
    });
  }
});
