import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Inject, Injectable } from '@nestjs/common';

import { Clock } from '../common/clock.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files.js';
import { AppConfig } from '../config/app-config.js';
import { type ContentVerdict, judgeFile, Utf8TextCheck } from './evidence-type.js';

/** What arrived: its hash and size, what its content turned out to be, and where it waits to be kept. */
export interface ReceivedFile {
  sha256: string;
  size: number;
  verdict: ContentVerdict;
  /** the upload stopped at the size limit */
  truncated: boolean;
  /** the temporary file holding the bytes until `keep` or `discard` */
  temporary: string;
}

export const SHA256 = /^[0-9a-f]{64}$/;
/** Names in the store's root that are not stored files: uploads being received, files being swept. */
export const TEMPORARY_PREFIX = '.upload-';
export const CLAIM_PREFIX = '.sweep-';

/**
 * Evidence files, content-addressed under EVIDENCE_DIR (default: `evidence/` in the folder of DATABASE_PATH):
 * `<dataDir>/evidence/<first 2 hex of sha256>/<sha256>`. A file is received into a temporary name in
 * `<dataDir>/evidence/` while it is hashed, fsynced and judged; it is moved into place (`keep`) only by
 * the command that writes its row, inside that command's transaction, once every check has passed, so a
 * refused upload leaves nothing behind and a stored name always holds exactly the bytes it names; the
 * same content is kept once.
 *
 * Each stored file's modification time is when an upload last wrote or reused it, by the service's clock:
 * the sweep of unreferenced files (evidence-sweeper.ts) leaves alone anything touched in the last hour,
 * which is what keeps it from deleting a file an upload is about to name.
 */
@Injectable()
export class EvidenceStorage {
  readonly root: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.root = config.EVIDENCE_DIR ?? join(dirname(config.DATABASE_PATH), 'evidence');
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) {
      throw new Error(`not a sha256: ${sha256}`);
    }
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` to a temporary file while hashing it and checking whether it is UTF-8 text, then
   * judges its content. A file that is not allowed (or truncated, or empty) is removed at once; an allowed
   * one waits for `keep`, and the caller `discard`s it in any case when done.
   * `isTruncated` reports whether the source stopped at its size limit (busboy ends the stream then).
   */
  async receive(source: Readable, isTruncated: () => boolean): Promise<ReceivedFile> {
    await mkdir(this.root, { recursive: true, mode: PRIVATE_DIR_MODE });
    const temporary = join(this.root, `${TEMPORARY_PREFIX}${randomUUID()}`);
    const hash = createHash('sha256');
    const text = new Utf8TextCheck();
    let size = 0;
    const observe = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        text.push(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      // `flush`: the data is fsynced before the stream closes, i.e. before any rename into place.
      await pipeline(source, observe, createWriteStream(temporary, { flags: 'wx', flush: true, mode: PRIVATE_FILE_MODE }));
      const sha256 = hash.digest('hex');
      const truncated = isTruncated();
      const verdict: ContentVerdict = truncated
        ? { allowed: false, detected: 'truncated' }
        : size === 0
          ? { allowed: false, detected: 'empty' }
          : await judgeFile(temporary, text.end());
      if (!verdict.allowed) {
        await this.discard({ temporary });
      }
      return { sha256, size, verdict, truncated, temporary };
    } catch (error) {
      await this.discard({ temporary });
      throw error;
    }
  }

  /**
   * Makes a received file available under its address. When the same bytes are stored already, that copy
   * is kept and touched instead: the touch, before the row naming it commits, tells a concurrent sweep to
   * leave it (and if a sweep has just taken it away, the touch fails and this copy is put in its place).
   */
  async keep(file: ReceivedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    const now = this.clock.now();
    try {
      await utimes(target, now, now);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
    await utimes(file.temporary, now, now);
    await mkdir(dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
    await rename(file.temporary, target);
    await syncDirectory(dirname(target));
  }

  /** Removes the temporary file, if it is still there. */
  async discard(file: Pick<ReceivedFile, 'temporary'>): Promise<void> {
    await rm(file.temporary, { force: true });
  }
}

/** Makes a rename durable (POSIX); not supported everywhere (e.g. Windows), where it is skipped. */
export async function syncDirectory(path: string): Promise<void> {
  try {
    const directory = await open(path, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch {
    // best effort: the file's own data was fsynced before the rename
  }
}
