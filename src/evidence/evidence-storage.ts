import { createHash, randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files.js';
import { type ContentVerdict, judgeFile, Utf8TextCheck } from './evidence-type.js';

/** What arrived: its hash and size, and what its content turned out to be. */
export interface StoredFile {
  sha256: string;
  size: number;
  verdict: ContentVerdict;
  /** the upload stopped at the size limit; nothing was kept */
  truncated: boolean;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Evidence files, content-addressed under EVIDENCE_DIR (default: `evidence/` in the folder of DATABASE_PATH):
 * `<dataDir>/evidence/<first 2 hex of sha256>/<sha256>`. A file is written to a temporary name in
 * `<dataDir>/evidence/` while it is hashed, fsynced, and renamed into place only once it is complete and
 * allowed, so a stored name always holds exactly the bytes it names; the same content is kept once.
 */
@Injectable()
export class EvidenceStorage {
  readonly root: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.root = config.EVIDENCE_DIR ?? join(dirname(config.DATABASE_PATH), 'evidence');
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) {
      throw new Error(`not a sha256: ${sha256}`);
    }
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` to disk while hashing it and checking whether it is UTF-8 text, then judges its
   * content. Only an allowed, complete file is kept; anything else leaves no file behind.
   * `isTruncated` reports whether the source stopped at its size limit (busboy ends the stream then).
   */
  async store(source: Readable, isTruncated: () => boolean): Promise<StoredFile> {
    await mkdir(this.root, { recursive: true, mode: PRIVATE_DIR_MODE });
    const temporary = join(this.root, `.upload-${randomUUID()}`);
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
      // `flush`: the data is fsynced before the stream closes, i.e. before the rename below.
      await pipeline(source, observe, createWriteStream(temporary, { flags: 'wx', flush: true, mode: PRIVATE_FILE_MODE }));
      const sha256 = hash.digest('hex');
      if (isTruncated()) {
        return { sha256, size, verdict: { allowed: false, detected: 'truncated' }, truncated: true };
      }
      const verdict = size === 0 ? { allowed: false as const, detected: 'empty' } : await judgeFile(temporary, text.end());
      if (verdict.allowed) {
        await this.moveIntoPlace(temporary, sha256);
      }
      return { sha256, size, verdict, truncated: false };
    } finally {
      await rm(temporary, { force: true });
    }
  }

  private async moveIntoPlace(temporary: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    if (await exists(target)) {
      return; // the same bytes are stored already: keep one copy (the caller removes the temporary file)
    }
    await mkdir(dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
    await rename(temporary, target);
    await syncDirectory(dirname(target));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Makes the rename itself durable (POSIX); not supported everywhere (e.g. Windows), where it is skipped. */
async function syncDirectory(path: string): Promise<void> {
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
