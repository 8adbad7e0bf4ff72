import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { z } from 'zod';

import { hashFile } from './file-hash.js';
import { SNAPSHOT_METHODS } from './sqlite-snapshot.js';

export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FILE = 'case-review.sqlite';
export const EVIDENCE_FOLDER = 'evidence';
export const BACKUP_FORMAT = 'case-review-backup';
export const BACKUP_FORMAT_VERSION = 1;

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/);
const COUNT = z.number().int().min(0);
/** Paths inside the backup: relative, forward slashes, no way out of the folder. */
const INNER_PATH = z.string().regex(/^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);

export const backupManifestSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  source: z.strictObject({
    engine: z.literal('sqlite'),
    databasePath: z.string(),
    evidenceDir: z.string(),
    host: z.string(),
    method: z.enum(SNAPSHOT_METHODS),
  }),
  schema: z.strictObject({ lastMigration: z.string().nullable(), migrations: COUNT }),
  counts: z.strictObject({ cases: COUNT, auditEvents: COUNT, evidence: COUNT, evidenceFiles: COUNT, users: COUNT, units: COUNT }),
  checkpoint: z.strictObject({ at: z.iso.datetime(), root: SHA256, cases: COUNT, events: COUNT, algorithm: z.string() }),
  files: z.array(z.strictObject({ path: INNER_PATH, sha256: SHA256, size: COUNT })),
});

export type BackupManifest = z.infer<typeof backupManifestSchema>;
export type ManifestFile = BackupManifest['files'][number];

export class BackupError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}

/** Reads and checks the manifest of the backup in `dir`; says what is wrong with it. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw new BackupError(
      `${join(dir, MANIFEST_FILE)} cannot be read (${(error as NodeJS.ErrnoException).code}): is ${dir} a backup made by npm run backup?`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError(`${join(dir, MANIFEST_FILE)} is not valid JSON`);
  }
  const parsed = backupManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new BackupError(
      `${join(dir, MANIFEST_FILE)} is not a manifest this version can read`,
      parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** Every file under `dir` (except the manifest), as manifest paths. */
export async function listBackupFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => path !== MANIFEST_FILE)
    .sort();
}

/** The hash and size of every file under `dir`, for the manifest. */
export async function describeFiles(dir: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const path of await listBackupFiles(dir)) {
    files.push({ path, ...(await hashFile(join(dir, path))) });
  }
  return files;
}

/** What differs between the files in `dir` and the manifest's list: altered, missing or unlisted files. */
export async function checkBackupFiles(
  dir: string,
  manifest: BackupManifest,
  progress: (message: string) => void = () => undefined,
): Promise<string[]> {
  const problems: string[] = [];
  const present = new Set(await listBackupFiles(dir));
  for (const [index, file] of manifest.files.entries()) {
    if (!present.delete(file.path)) {
      problems.push(`${file.path} is listed in the manifest but missing`);
      continue;
    }
    const found = await hashFile(join(dir, file.path));
    if (found.sha256 !== file.sha256 || found.size !== file.size) {
      problems.push(
        `${file.path} has been altered since the backup (sha256 ${found.sha256}, ${found.size} bytes; the manifest says ${file.sha256}, ${file.size} bytes)`,
      );
    }
    if ((index + 1) % 1000 === 0) {
      progress(`manifest: ${index + 1} of ${manifest.files.length} files checked`);
    }
  }
  for (const path of present) {
    problems.push(`${path} is in the backup folder but not in the manifest`);
  }
  if (!manifest.files.some((file) => file.path === DATABASE_FILE)) {
    problems.push(`the manifest lists no ${DATABASE_FILE}`);
  }
  return problems;
}
