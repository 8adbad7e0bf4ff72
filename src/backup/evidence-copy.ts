import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';

import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files.js';
import { CLAIM_PREFIX } from '../evidence/evidence-storage.js';
import { evidencePath, type Progress } from './data-verification.js';

/** Rounds of looking for a file a sweep holds under a claim name; each round lasts a few milliseconds. */
const ATTEMPTS = 20;
const PAUSE_MS = 25;

/**
 * Copies one stored evidence file from the live store `from` into the store `to`, checking on the way that
 * its content is what its name says. Written under a temporary name and renamed, so a file under its
 * content's name is always complete.
 *
 * The race with the evidence sweeper: every file the snapshot's rows name stays referenced (evidence rows are
 * never deleted), so no sweep deletes it; but a sweep that read "unreferenced" just before the row committed
 * can still move it aside for an instant — renamed to `.sweep-<sha256>-…` (a claim) and linked back once it
 * sees the row. The file is then always under one of the two names: read the other when the first is gone.
 * Files added after the snapshot are not copied; the snapshot does not name them.
 */
export async function copyEvidenceFile(from: string, to: string, file: { sha256: string; size: number }): Promise<void> {
  const target = evidencePath(to, file.sha256);
  await mkdir(dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    for (const source of [evidencePath(from, file.sha256), ...(await claimsOf(from, file.sha256))]) {
      const copied = await copyChecked(source, target, file);
      if (copied) {
        return;
      }
    }
    await delay(PAUSE_MS);
  }
  throw new Error(
    `evidence file ${evidencePath(from, file.sha256)} is missing from the evidence store, yet a row in the database names it`,
  );
}

/** Copies `source` to `target` with its hash checked; false when the source is not there. */
async function copyChecked(source: string, target: string, file: { sha256: string; size: number }): Promise<boolean> {
  const temporary = `${target}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const observe = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(source), observe, createWriteStream(temporary, { flush: true, mode: PRIVATE_FILE_MODE }));
  } catch (error) {
    await rm(temporary, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== file.sha256 || size !== file.size) {
    await rm(temporary, { force: true });
    throw new Error(
      `evidence file ${source} does not hold what its name says (sha256 ${sha256}, ${size} bytes; the rows say ${file.sha256}, ${file.size} bytes): the evidence store is damaged`,
    );
  }
  await rename(temporary, target);
  return true;
}

async function claimsOf(root: string, sha256: string): Promise<string[]> {
  const prefix = `${CLAIM_PREFIX}${sha256}-`;
  const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      return [];
    }
    throw error;
  });
  return names.filter((name) => name.startsWith(prefix)).map((name) => join(root, name));
}

/** Copies every file, reporting progress every thousand. */
export async function copyEvidence(
  from: string,
  to: string,
  files: ReadonlyArray<{ sha256: string; size: number }>,
  progress: Progress,
): Promise<number> {
  let bytes = 0;
  for (const [index, file] of files.entries()) {
    await copyEvidenceFile(from, to, file);
    bytes += file.size;
    if ((index + 1) % 1000 === 0 || index + 1 === files.length) {
      progress(`evidence: ${index + 1} of ${files.length} files copied`);
    }
  }
  return bytes;
}
