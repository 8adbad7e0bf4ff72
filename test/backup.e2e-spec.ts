import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';

import { hashWithData } from '../src/audit/hash-chain.js';
import { type BackupManifest, DATABASE_FILE, MANIFEST_FILE } from '../src/backup/backup-manifest.js';
import { createBackup } from '../src/backup/create-backup.js';
import { hashFile } from '../src/backup/file-hash.js';
import { restoreBackup } from '../src/backup/restore-backup.js';
import { SNAPSHOT_METHODS } from '../src/backup/sqlite-snapshot.js';
import { verifyConfiguredData } from '../src/backup/verify-data.js';
import { loadConfig } from '../src/config/app-config.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { decidedCase } from './support/case-life.js';
import { SAMPLES } from './support/sample-files.js';
import { auth, TestApp } from './support/test-app.js';
import { ENGINE } from './support/test-database.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

interface CheckpointBody {
  at: string;
  root: string;
  cases: number;
  events: number;
}

/** The service's configuration for a data folder, as the scripts read it. */
const configFor = (databasePath: string, extra: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', DATABASE_PATH: databasePath, ...extra });

/** Cases with a few events and evidence files of their own (distinct contents, so each is a stored file). */
async function fillWithCases(t: TestApp, cast: Cast, count: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = (await openCase(t, cast)).id;
    await t.http
      .post(`/cases/${id}/evidence`)
      .set(auth(cast.officer))
      .attach('file', Buffer.from(`statement ${tag} ${i}\n`), `s-${i}.txt`)
      .expect(201);
    ids.push(id);
  }
  await decidedCase(t, cast, 'tolerate');
  await t.http.post(`/cases/${ids[0]}/evidence`).set(auth(cast.officer)).attach('file', SAMPLES.pdf, 'report.pdf').expect(201);
  return ids;
}

const checkpointAsOf = async (t: TestApp, token: string, at: string) =>
  (await t.http.get('/audit/checkpoint').query({ asOf: at }).set(auth(token)).expect(200)).body as CheckpointBody;

const expectFailure = async (work: Promise<unknown>, message: RegExp) => {
  const error = await work.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toMatch(message);
};

if (ENGINE === 'sqlite') {
  describe('backup and restore (SQLite)', () => {
    let t: TestApp;
    let cast: Cast;
    let work: string;

    beforeAll(async () => {
      t = await TestApp.start({ SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
      cast = await createCast(t);
      await fillWithCases(t, cast, 4, 'base');
      work = mkdtempSync(join(tmpdir(), 'backup-test-'));
    });
    afterAll(async () => {
      await t.stop();
      rmSync(work, { recursive: true, force: true });
    });

    const liveConfig = () => configFor(t.database.env.DATABASE_PATH);
    const casesNow = async () => Number((await t.database.query<{ n: number }>('SELECT COUNT(*) AS n FROM cases')).rows[0].n);

    it.each(SNAPSHOT_METHODS)(
      "backs up while commands run (%s), restores into a fresh folder, and the restored service gives the manifest's checkpoint root",
      async (method) => {
        // A fresh hour for the uploads (EVIDENCE_MAX_FILES_PER_HOUR: 60 per person).
        t.clock.advance(61 * 60_000);
        const before = await casesNow();
        // Load: waves of concurrent commands (new cases, uploads, withdrawals) while the backup copies.
        const load = (async () => {
          for (let wave = 0; wave < 6; wave++) {
            await Promise.all(
              Array.from({ length: 8 }, async (_, i) => {
                const id = (await openCase(t, cast)).id;
                await t.http
                  .post(`/cases/${id}/evidence`)
                  .set(auth(cast.officer))
                  .attach('file', Buffer.from(`load ${wave} ${i}\n`), 'load.txt')
                  .expect(201);
                if (i % 2 === 0) {
                  await t.http.post(`/cases/${id}/withdraw`).set(auth(cast.officer)).send({ reason: 'Unfounded.' }).expect(200);
                }
              }),
            );
          }
        })();
        const dir = join(work, `under-load-${method}`);
        const [backup] = await Promise.all([createBackup(liveConfig(), dir, { method }), load]);
        const after = await casesNow();
        const { manifest } = backup;
        expect(manifest.counts.cases).toBeGreaterThanOrEqual(before);
        expect(manifest.counts.cases).toBeLessThanOrEqual(after);
        expect(manifest.checkpoint.cases).toBe(manifest.counts.cases);
        expect(manifest.checkpoint.events).toBe(manifest.counts.auditEvents);
        expect(manifest.files.filter((file) => file.path.startsWith('evidence/'))).toHaveLength(manifest.counts.evidenceFiles);
        expect(manifest.schema.lastMigration).toMatch(/^\w+\d{13}$/);
        expect(manifest.source.method).toBe(method);
        expect(readdirSync(dir).sort()).toEqual([DATABASE_FILE, 'evidence', MANIFEST_FILE]);
        for (const file of manifest.files) {
          expect(await hashFile(join(dir, file.path))).toEqual({ sha256: file.sha256, size: file.size });
        }

        const restoredPath = join(work, `fresh-${method}`, 'data', 'restored.sqlite');
        const restored = await restoreBackup(configFor(restoredPath), dir);
        expect(restored.verdict.problems).toEqual([]);
        expect(restored.verdict.summary.checkpoint.root).toBe(manifest.checkpoint.root);
        expect(readdirSync(join(work, `fresh-${method}`, 'data')).sort()).toEqual(['evidence', 'restored.sqlite']);

        const again = await TestApp.start({ DATABASE_PATH: restoredPath });
        try {
          again.clock.set(new Date(Date.parse(manifest.checkpoint.at) + 60_000));
          const admin = await again.adminToken();
          expect(await checkpointAsOf(again, admin, manifest.checkpoint.at)).toMatchObject({
            root: manifest.checkpoint.root,
            cases: manifest.counts.cases,
            events: manifest.counts.auditEvents,
          });
          // The live checkpoint covers exactly the restored events too, and the evidence is served.
          expect((await again.http.get('/audit/checkpoint').set(auth(admin)).expect(200)).body).toMatchObject({
            root: manifest.checkpoint.root,
          });
          const leader = await again.login(cast.leader.username, 'password-for-tests');
          const cases = (await again.http.get('/cases').set(auth(leader)).expect(200)).body as { items: Array<{ id: string }> };
          let served = 0;
          for (const { id } of cases.items.slice(0, 10)) {
            const evidence = (await again.http.get(`/cases/${id}/evidence`).set(auth(leader)).expect(200)).body as Array<{
              id: string;
              sha256: string;
            }>;
            for (const item of evidence) {
              const download = await again.http.get(`/cases/${id}/evidence/${item.id}`).set(auth(leader)).buffer(true).expect(200);
              expect(download.headers.etag).toContain(item.sha256);
              served++;
            }
          }
          expect(served).toBeGreaterThan(0);
        } finally {
          await again.stop();
        }
      },
      60_000,
    );

    it('the manifest holds the root the live service gives for GET /audit/checkpoint?asOf=<checkpoint.at>', async () => {
      const { manifest } = await createBackup(liveConfig(), join(work, 'quiet'));
      t.clock.advance(1000);
      const live = await checkpointAsOf(t, cast.leader.token, manifest.checkpoint.at);
      expect(live).toMatchObject({ root: manifest.checkpoint.root, cases: manifest.counts.cases, events: manifest.counts.auditEvents });
    });

    describe('a damaged backup is refused, naming what is wrong, and nothing is restored', () => {
      let pristine: string;
      let manifest: BackupManifest;

      beforeAll(async () => {
        pristine = join(work, 'pristine');
        manifest = (await createBackup(liveConfig(), pristine)).manifest;
      });

      let round = 0;
      /** A copy of the backup to damage, and a fresh target for the restore. */
      const damaged = () => {
        const dir = join(work, `damaged-${++round}`);
        cpSync(pristine, dir, { recursive: true });
        return { dir, target: join(work, `target-${round}`, 'db.sqlite') };
      };
      /** As a forger would: the manifest's hashes recomputed to match the altered files. */
      const rewriteManifest = async (dir: string) => {
        const written = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
        for (const file of written.files) {
          Object.assign(file, await hashFile(join(dir, file.path)));
        }
        writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(written));
      };
      const editDatabase = (dir: string, edit: (db: Database.Database) => void) => {
        const db = new Database(join(dir, DATABASE_FILE));
        try {
          db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete');
          edit(db);
        } finally {
          db.close();
        }
      };
      const evidenceFile = () => manifest.files.find((file) => file.path.startsWith('evidence/'))!;
      /** No database, no temporary file, no evidence folder. */
      const nothingRestored = (target: string) => {
        expect(existsSync(join(target, '..')) ? readdirSync(join(target, '..')) : []).toEqual([]);
      };

      it('an evidence file altered in the backup', async () => {
        const { dir, target } = damaged();
        writeFileSync(join(dir, evidenceFile().path), 'not what was uploaded');
        await expectFailure(restoreBackup(configFor(target), dir), new RegExp(`${evidenceFile().path} has been altered since the backup`));
        nothingRestored(target);

        await rewriteManifest(dir);
        await expectFailure(
          restoreBackup(configFor(target), dir),
          /does not verify; nothing was restored:\n.*evidence file .* has been altered: its content hashes to/,
        );
        nothingRestored(target);
      });

      it('an audit event altered in the backup', async () => {
        const { dir, target } = damaged();
        const event = editDatabaseEvent(dir, 2);
        await expectFailure(restoreBackup(configFor(target), dir), new RegExp(`${DATABASE_FILE} has been altered since the backup`));
        nothingRestored(target);

        await rewriteManifest(dir);
        await expectFailure(
          restoreBackup(configFor(target), dir),
          new RegExp(`case ${event.caseId}: its audit hash chain is broken at seq 2`),
        );
        nothingRestored(target);
      });

      it("a trail rewritten with valid hashes: the checkpoint root differs from the manifest's", async () => {
        const { dir, target } = damaged();
        editDatabase(dir, (db) => {
          // The last event of some case, re-hashed so that its chain verifies.
          const row = db.prepare('SELECT * FROM audit_events ORDER BY case_id, seq DESC LIMIT 1').get() as Record<string, string | number>;
          const data = { ...(JSON.parse(row.data as string) as object), note: 'added later' };
          const chained = {
            caseId: row.case_id as string,
            seq: Number(row.seq),
            type: row.type as string,
            actorId: row.actor_id as string,
            actorRole: row.actor_role as string,
            at: row.at as string,
            machineVersion: Number(row.machine_version),
            prevHash: row.prev_hash as string,
          };
          db.prepare('UPDATE audit_events SET data = ?, hash = ? WHERE id = ?').run(
            JSON.stringify(data),
            hashWithData(chained, data),
            row.id,
          );
        });
        await rewriteManifest(dir);
        await expectFailure(
          restoreBackup(configFor(target), dir),
          /the checkpoint root as of .* expected .*: the audit trails differ from those backed up/,
        );
        nothingRestored(target);
      });

      it('a manifest that is not one', async () => {
        const { dir, target } = damaged();
        writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, files: [{ path: '../escape', sha256: 'x', size: -1 }] }));
        await expectFailure(restoreBackup(configFor(target), dir), /is not a manifest this version can read:\n {2}- files\.0\.path/);
        nothingRestored(target);
      });

      /** Changes the data of the event `seq` of the first case, leaving its hash: the chain breaks there. */
      function editDatabaseEvent(dir: string, seq: number): { caseId: string } {
        let caseId = '';
        editDatabase(dir, (db) => {
          caseId = (db.prepare('SELECT case_id FROM audit_events WHERE seq = ? ORDER BY case_id LIMIT 1').pluck().get(seq) as string) ?? '';
          db.prepare(`UPDATE audit_events SET data = json_set(data, '$.forged', 1) WHERE case_id = ? AND seq = ?`).run(caseId, seq);
        });
        return { caseId };
      }
    });

    it('refuses a database or evidence folder that holds data unless forced, and a database in use even then', async () => {
      const dir = join(work, 'for-refusals');
      await createBackup(liveConfig(), dir);
      // The running test app's own data folder: a database in use.
      await expectFailure(restoreBackup(liveConfig(), dir), /already holds a database .*: give --force to replace it/);
      await expectFailure(
        restoreBackup(liveConfig(), dir, { force: true }),
        /is in use by another process .*: stop the service before restoring/,
      );

      const target = join(work, 'refusals', 'db.sqlite');
      mkdirSync(join(work, 'refusals', 'evidence', 'ab'), { recursive: true });
      await expectFailure(restoreBackup(configFor(target), dir), /the evidence folder .* is not empty: give --force/);
      expect(existsSync(target)).toBe(false);
      await restoreBackup(configFor(target), dir, { force: true });
      await expectFailure(restoreBackup(configFor(target), dir), /already holds a database/);
      const replaced = await restoreBackup(configFor(target), dir, { force: true });
      expect(replaced.verdict.problems).toEqual([]);
    });

    it('refuses a backup folder that is not empty, and leaves nothing behind when the copy fails', async () => {
      const dir = join(work, 'taken');
      mkdirSync(dir);
      writeFileSync(join(dir, 'notes.txt'), 'mine');
      await expectFailure(createBackup(liveConfig(), dir), /is not empty \(1 entries\)/);
      expect(readdirSync(dir)).toEqual(['notes.txt']);

      const missing = join(work, 'no-such-store');
      await expectFailure(
        createBackup(configFor(t.database.env.DATABASE_PATH, { EVIDENCE_DIR: missing }), join(work, 'failed')),
        /is missing from the evidence store/,
      );
      expect(readdirSync(join(work, 'failed'))).toEqual([]);
    });

    describe('the scripts, as a person runs them', () => {
      let buildDir: string;

      beforeAll(async () => {
        buildDir = mkdtempSync(join(ROOT, '.build-test-'));
        await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', buildDir], { cwd: ROOT });
      }, 180_000);
      afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

      const script = async (name: string, args: string[], env: Record<string, string>) => {
        try {
          const { stdout, stderr } = await run(process.execPath, [join(buildDir, 'scripts', `${name}.js`), ...args], {
            cwd: work,
            env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', ...env },
          });
          return { code: 0, stdout, stderr };
        } catch (error) {
          const failed = error as { code: number; stdout: string; stderr: string };
          return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
        }
      };

      it('npm run backup, restore and verify-data: progress, one summary line, exit codes', async () => {
        const dir = join(work, 'by-cli');
        const backup = await script('backup', [dir], { DATABASE_PATH: t.database.env.DATABASE_PATH });
        expect(backup.code).toBe(0);
        expect(backup.stderr).toMatch(/database: copying .* \(vacuum-into\)/);
        expect(backup.stdout).toMatch(
          /^backup OK: .* — \d+ cases, \d+ audit events, \d+ evidence files, .*checkpoint root [0-9a-f]{64} as of .*\n$/,
        );

        const target = join(work, 'cli-restored', 'db.sqlite');
        const restore = await script('restore', [dir], { DATABASE_PATH: target });
        expect(restore.code).toBe(0);
        expect(restore.stdout).toMatch(/^restore OK: .*every chain and evidence file verified, the root matches the manifest/);

        const verify = await script('verify-data', ['--manifest', dir], { DATABASE_PATH: target });
        expect([verify.code, verify.stdout]).toEqual([0, expect.stringMatching(/^verify-data OK: .*the root matches the one expected/)]);

        const refused = await script('restore', [dir], { DATABASE_PATH: target });
        expect([refused.code, refused.stdout]).toEqual([1, '']);
        expect(refused.stderr).toMatch(/^restore FAILED: .* already holds a database .*give --force/m);

        const usage = await script('backup', [], { DATABASE_PATH: target });
        expect([usage.code, usage.stderr]).toEqual([1, expect.stringContaining('usage: npm run backup -- <backup folder>')]);
      }, 60_000);
    });
  });
}

if (ENGINE === 'postgres') {
  describe('pg_dump / pg_restore checked with verify-data (PostgreSQL)', () => {
    const PG_BIN = process.env.PG_BIN ?? (existsSync('/usr/lib/postgresql/15/bin/pg_dump') ? '/usr/lib/postgresql/15/bin' : '');
    const tool = (name: string) => (PG_BIN ? join(PG_BIN, name) : name);
    let t: TestApp;
    let work: string;
    let restoredUrl: string;
    const onServer = async (sql: string, url = process.env.TEST_POSTGRES_URL ?? '') => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      t = await TestApp.start({ SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
      work = mkdtempSync(join(tmpdir(), 'pg-backup-test-'));
    });
    afterAll(async () => {
      await t.stop();
      if (restoredUrl) {
        await onServer(`DROP DATABASE IF EXISTS ${new URL(restoredUrl).pathname.slice(1)} WITH (FORCE)`);
      }
      rmSync(work, { recursive: true, force: true });
    });

    it('a dump restored elsewhere verifies against the live checkpoint; a tampered event or evidence file does not', async () => {
      const cast = await createCast(t);
      await fillWithCases(t, cast, 3, 'pg');
      t.clock.advance(60_000);
      const leader = cast.leader.token;
      const kept = (await t.http.get('/audit/checkpoint').set(auth(leader)).expect(200)).body as CheckpointBody;

      const dump = join(work, 'case-review.dump');
      await run(tool('pg_dump'), ['-Fc', '-f', dump, t.database.env.DATABASE_URL]);
      const url = new URL(t.database.env.DATABASE_URL);
      const name = `${url.pathname.slice(1)}_restored`;
      url.pathname = `/${name}`;
      restoredUrl = url.toString();
      await onServer(`CREATE DATABASE ${name}`);
      await run(tool('pg_restore'), ['--no-owner', '-d', restoredUrl, dump]);
      const evidenceDir = join(work, 'evidence');
      cpSync(join(t.dataDir, 'evidence'), evidenceDir, { recursive: true });

      const config = configFor(join(work, 'unused.sqlite'), { DATABASE_URL: restoredUrl, EVIDENCE_DIR: evidenceDir });
      const expected = { checkpoint: { at: kept.at, root: kept.root } };
      const verdict = await verifyConfiguredData(config, expected);
      expect(verdict.problems).toEqual([]);
      expect(verdict.summary.checkpoint).toMatchObject({ root: kept.root, cases: kept.cases, events: kept.events });

      const stored = readdirSync(evidenceDir).find((entry) => /^[0-9a-f]{2}$/.test(entry))!;
      const file = join(evidenceDir, stored, readdirSync(join(evidenceDir, stored))[0]);
      writeFileSync(file, 'swapped');
      await onServer('DROP TRIGGER audit_events_no_update ON audit_events', restoredUrl);
      await onServer(
        `UPDATE audit_events SET data = '{"forged":true}' WHERE seq = 1 AND case_id = (SELECT MIN(case_id) FROM audit_events)`,
        restoredUrl,
      );
      const damaged = await verifyConfiguredData(config, expected);
      expect(damaged.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^case .*: its audit hash chain is broken at seq 1/),
          expect.stringMatching(/^evidence file .* has been altered/),
        ]),
      );
    }, 60_000);
  });
}
