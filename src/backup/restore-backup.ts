import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { makePrivateDir, PRIVATE_DIR_MODE } from '../common/private-files.js';
import type { AppConfig } from '../config/app-config.js';
import { MIGRATIONS } from '../database/data-source-options.js';
import { syncDirectory } from '../evidence/evidence-storage.js';
import { BackupError, type BackupManifest, checkBackupFiles, DATABASE_FILE, EVIDENCE_FOLDER, readManifest } from './backup-manifest.js';
import { dataLocations } from './data-locations.js';
import { DataSession } from './data-source-session.js';
import { type Progress, verifyEvidenceFiles } from './data-verification.js';
import { copyEvidence } from './evidence-copy.js';
import { hashFile } from './file-hash.js';
import { type DataVerdict, verifyData } from './verify-data.js';

export interface RestoreOptions {
  /** replace a database (and add to an evidence folder) that already holds data */
  force?: boolean;
  progress?: Progress;
}

export interface RestoreResult {
  manifest: BackupManifest;
  databasePath: string;
  evidenceDir: string;
  verdict: DataVerdict;
  ms: number;
}

/**
 * `npm run restore -- <dir> [--force]`, with the service stopped. In this order, so that nothing is replaced
 * before the backup has shown itself sound:
 * 1. every file's hash against the manifest;
 * 2. the target: a database or evidence folder that holds data is refused without `force`, and a database
 *    another process has open (the service still running) always;
 * 3. the database copied to a temporary file beside the target and verified there — every chain, every
 *    evidence file in the backup, counts and checkpoint root against the manifest;
 * 4. the evidence files copied into the evidence folder (content-addressed: a file already there is the same);
 * 5. the temporary file renamed over the database (its old -wal/-shm removed first: SQLite would replay them
 *    into the new file);
 * 6. the file in place is the file verified (its hash), and every evidence file is in the evidence folder, intact.
 */
export async function restoreBackup(config: AppConfig, source: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const progress = options.progress ?? (() => undefined);
  const started = performance.now();
  if (config.DATABASE_URL) {
    throw new BackupError(
      'DATABASE_URL is set: restore PostgreSQL with pg_restore and check it with npm run verify-data (docs/operations.md, "Backup and restore")',
    );
  }
  const dir = resolve(source);
  const manifest = await readManifest(dir);
  const known = MIGRATIONS.map((migration) => migration.name);
  if (manifest.schema.lastMigration !== null && !known.includes(manifest.schema.lastMigration)) {
    throw new BackupError(
      `the backup's schema (${manifest.schema.lastMigration}) is newer than this version of the service knows: restore it with the version that made it`,
    );
  }
  progress(`manifest: checking ${manifest.files.length} files`);
  const altered = await checkBackupFiles(dir, manifest, progress);
  if (altered.length > 0) {
    throw new BackupError(`the backup in ${dir} does not match its manifest; nothing was restored`, altered);
  }

  const { databasePath, evidenceDir } = dataLocations(config);
  await refuseUnlessEmpty(databasePath, evidenceDir, options.force === true);

  makePrivateDir(dirname(databasePath));
  const temporary = `${databasePath}.restore-${randomUUID()}`;
  let verdict: DataVerdict;
  try {
    progress(`database: copying to ${temporary}`);
    await copyFile(join(dir, DATABASE_FILE), temporary);
    verdict = await verifySqlite(temporary, join(dir, EVIDENCE_FOLDER), manifest, progress);
    if (verdict.problems.length > 0) {
      throw new BackupError(`the backup in ${dir} does not verify; nothing was restored`, verdict.problems);
    }
    await mkdir(evidenceDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const files = manifest.files.filter((file) => file.path.startsWith(`${EVIDENCE_FOLDER}/`));
    await copyEvidence(join(dir, EVIDENCE_FOLDER), evidenceDir, files.map(asEvidence), progress);
    for (const suffix of ['-wal', '-shm', '-journal']) {
      await rm(`${databasePath}${suffix}`, { force: true });
    }
    await rename(temporary, databasePath);
    await syncDirectory(dirname(databasePath));
  } finally {
    for (const leftover of [temporary, `${temporary}-wal`, `${temporary}-shm`, `${temporary}-journal`]) {
      await rm(leftover, { force: true });
    }
  }

  progress('verify: the restored database file and evidence folder');
  const problems = await checkInstalled(databasePath, evidenceDir, manifest, progress);
  if (problems.length > 0) {
    // Not left in place looking restored: the service would start on it.
    const aside = `${databasePath}.failed-restore-${Date.now()}`;
    await rename(databasePath, aside);
    throw new BackupError(`the restored data does not verify; the database was moved aside to ${aside}`, problems);
  }
  return { manifest, databasePath, evidenceDir, verdict, ms: performance.now() - started };
}

/**
 * After the rename: the file in place holds exactly the bytes verified (its hash is the manifest's; the
 * verification opened it read-only), and every evidence file the rows name is in the evidence folder, intact.
 * Verifying the chains a second time would read the same bytes again (a minute at 100,000 cases).
 */
async function checkInstalled(databasePath: string, evidenceDir: string, manifest: BackupManifest, progress: Progress): Promise<string[]> {
  const expected = manifest.files.find((file) => file.path === DATABASE_FILE)!;
  const found = await hashFile(databasePath);
  const problems =
    found.sha256 === expected.sha256
      ? []
      : [`${databasePath} is not the file verified (sha256 ${found.sha256}, expected ${expected.sha256})`];
  const files = manifest.files.filter((file) => file.path.startsWith(`${EVIDENCE_FOLDER}/`));
  return [...problems, ...(await verifyEvidenceFiles(files.map(asEvidence), evidenceDir, progress))];
}

const asEvidence = (file: { path: string; size: number }) => ({ sha256: file.path.split('/').at(-1)!, size: file.size });

async function verifySqlite(path: string, evidenceDir: string, manifest: BackupManifest, progress: Progress): Promise<DataVerdict> {
  const session = await DataSession.readOnlySqlite(path);
  try {
    return await verifyData(session, evidenceDir, { checkpoint: manifest.checkpoint, counts: manifest.counts }, progress);
  } finally {
    await session.close();
  }
}

async function refuseUnlessEmpty(databasePath: string, evidenceDir: string, force: boolean): Promise<void> {
  const databaseBytes = await stat(databasePath).then(
    (s) => s.size,
    () => 0,
  );
  const evidenceEntries = await readdir(evidenceDir).then(
    (entries) => entries.length,
    () => 0,
  );
  if (databaseBytes > 0) {
    if (!force) {
      throw new BackupError(`${databasePath} already holds a database (${databaseBytes} bytes): give --force to replace it`);
    }
    refuseIfOpen(databasePath);
  }
  if (evidenceEntries > 0 && !force) {
    throw new BackupError(
      `the evidence folder ${evidenceDir} is not empty: give --force to restore into it (files already there are kept)`,
    );
  }
}

/**
 * A database the service still has open must not be replaced under it. Every connection to a WAL database
 * holds a shared lock on its -shm; taking the file in exclusive locking mode fails while any is open.
 */
function refuseIfOpen(databasePath: string): void {
  const db = new Database(databasePath, { timeout: 0, fileMustExist: true });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    throw new BackupError(`${databasePath} is in use by another process (${(error as Error).message}): stop the service before restoring`);
  } finally {
    db.close();
  }
}
