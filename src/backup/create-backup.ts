import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

import { makePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files.js';
import type { AppConfig } from '../config/app-config.js';
import { syncDirectory } from '../evidence/evidence-storage.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  type BackupManifest,
  DATABASE_FILE,
  describeFiles,
  EVIDENCE_FOLDER,
  MANIFEST_FILE,
} from './backup-manifest.js';
import { dataLocations } from './data-locations.js';
import { DataSession } from './data-source-session.js';
import { summariseData } from './data-summary.js';
import { type Progress, referencedEvidence } from './data-verification.js';
import { copyEvidence } from './evidence-copy.js';
import { type SnapshotMethod, snapshotSqlite } from './sqlite-snapshot.js';

export interface BackupOptions {
  method?: SnapshotMethod;
  progress?: Progress;
}

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
  /** bytes of every file in the backup */
  bytes: number;
  ms: { database: number; evidence: number; total: number };
}

/**
 * `npm run backup -- <dir>`: a consistent copy of the running service's SQLite database (a snapshot taken on a
 * connection of its own, which never blocks the service's writers), the evidence files that copy names, and
 * a manifest — counts, schema, the checkpoint root, the hash of every file — written last, so a folder with a
 * manifest holds a complete backup. The counts and the root are computed from the copy itself.
 */
export async function createBackup(config: AppConfig, target: string, options: BackupOptions = {}): Promise<BackupResult> {
  const progress = options.progress ?? (() => undefined);
  const method = options.method ?? 'vacuum-into';
  if (config.DATABASE_URL) {
    throw new BackupError(
      'DATABASE_URL is set: back up PostgreSQL with pg_dump and copy the evidence folder (docs/operations.md, "Backup and restore")',
    );
  }
  const { databasePath, evidenceDir } = dataLocations(config);
  if (!existsSync(databasePath)) {
    throw new BackupError(`there is no database at ${databasePath} (DATABASE_PATH) to back up`);
  }
  const dir = resolve(target);
  await prepareEmptyFolder(dir);
  const started = performance.now();
  try {
    const copy = join(dir, DATABASE_FILE);
    makePrivateFile(copy);
    progress(`database: copying ${databasePath} (${method})`);
    await snapshotSqlite(databasePath, copy, method);
    const databaseDone = performance.now();
    progress(`database: copied in ${((databaseDone - started) / 1000).toFixed(1)} s`);

    progress('database: counts and checkpoint root of the copy');
    const session = await DataSession.readOnlySqlite(copy);
    const { summary, evidence } = await (async () => {
      try {
        return { summary: await summariseData(session), evidence: await referencedEvidence(session) };
      } finally {
        await session.close();
      }
    })();
    if (evidence.problems.length > 0) {
      throw new BackupError('the database is inconsistent', evidence.problems);
    }
    await mkdir(join(dir, EVIDENCE_FOLDER), { mode: PRIVATE_DIR_MODE });
    await copyEvidence(evidenceDir, join(dir, EVIDENCE_FOLDER), evidence.files, progress);
    const evidenceDone = performance.now();

    progress('manifest: hashing every file');
    const files = await describeFiles(dir);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      source: { engine: 'sqlite', databasePath, evidenceDir, host: hostname(), method },
      ...summary,
      files,
    };
    await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE, flush: true });
    await syncDirectory(dir);
    const done = performance.now();
    return {
      dir,
      manifest,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
      ms: { database: databaseDone - started, evidence: evidenceDone - databaseDone, total: done - started },
    };
  } catch (error) {
    // Nothing half-made stays behind to be mistaken for a backup (the folder was empty before).
    await emptyFolder(dir);
    throw error;
  }
}

/** The backup goes into a new or empty folder only: it must never mix with or overwrite anything. */
async function prepareEmptyFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const entries = await readdir(dir);
  if (entries.length > 0) {
    throw new BackupError(`${dir} is not empty (${entries.length} entries): give a new or empty folder for the backup`);
  }
  // Touch-test that it is writable before spending minutes on a copy.
  const probe = join(dir, `.probe-${randomUUID()}`);
  await writeFile(probe, '');
  await rm(probe);
}

async function emptyFolder(dir: string): Promise<void> {
  for (const entry of await readdir(dir).catch(() => [])) {
    await rm(join(dir, entry), { recursive: true, force: true });
  }
}
