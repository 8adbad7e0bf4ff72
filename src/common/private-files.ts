import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * Modes for what the service stores: the database (with the generated JWT secret in `service_settings`), its
 * WAL, the evidence files. They hold cadres' statements and case files, so only the service's own user may
 * read them, whatever the umask of the shell that started it (often 022: world-readable).
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates the folder (and missing parents) owner-only; a folder that already exists is left as it is. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Makes sure the file exists and is owner-only. SQLite creates its `-wal` and `-shm` files with the
 * database file's permissions, so creating the database file owner-only first covers them too; an existing
 * file from an older version is tightened.
 */
export function makePrivateFile(path: string): void {
  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  }
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    // A file owned by another user (set up by an operator) keeps the modes the operator chose.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') {
      throw error;
    }
  }
}
