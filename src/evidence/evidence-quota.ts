import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { DomainError } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { EvidenceRepository } from '../repositories/evidence.repository.js';

const HOUR_MS = 60 * 60 * 1000;

/** 209715200 → "200 MB", 5000 → "4.9 KB" (binary units, as the 10 MB file limit). */
function showBytes(bytes: number): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / 1024 / 1024, 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'bytes'];
  return `${Math.round(value * 10) / 10} ${unit}`;
}

/**
 * How much evidence one person may add (issue 16: a subject once added 400 files in 4.4 s, 42.7 MB in
 * half a second): per case, each uploader's own files and bytes (EVIDENCE_MAX_FILES_PER_CASE,
 * EVIDENCE_MAX_BYTES_PER_CASE), and per person over any 60 minutes, all cases together
 * (EVIDENCE_MAX_FILES_PER_HOUR, EVIDENCE_MAX_BYTES_PER_HOUR). Too many files, or too fast, is a 429 (with
 * `Retry-After` for the hourly limits); a file that does not fit in what the case allows is a 413. Every
 * message names the limit. Counted from the evidence rows themselves, so only accepted uploads count and
 * nothing else needs keeping.
 */
@Injectable()
export class EvidenceQuota {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /**
   * Refuses when `size` more bytes in one more file would pass a limit. With `size` 0 (before the file
   * is read, in a read of its own) it refuses only when no file at all would fit, so a caller at a limit
   * is turned away before a byte is stored. Inside the command's transaction it is asked again with the
   * real size: the case row is locked there, and on PostgreSQL an advisory lock per uploader (taken then)
   * queues their concurrent uploads to other cases, so parallel requests cannot all slip under a limit.
   */
  async admit(manager: EntityManager, userId: string, caseId: string, size: number, now: Date): Promise<void> {
    const c = this.config;
    if (size > 0) {
      // Taken after the case row (the runner locked it): every upload takes the two in that order.
      await EvidenceRepository.lockUploader(manager, userId);
    }
    const onCase = await EvidenceRepository.usageOnCase(manager, caseId, userId);
    if (onCase.files + 1 > c.EVIDENCE_MAX_FILES_PER_CASE) {
      throw DomainError.tooManyRequests([
        {
          field: 'file',
          message: `you have added ${onCase.files} files to this case, the limit per person on one case (EVIDENCE_MAX_FILES_PER_CASE: ${c.EVIDENCE_MAX_FILES_PER_CASE})`,
        },
      ]);
    }
    if (onCase.bytes + Math.max(size, 1) > c.EVIDENCE_MAX_BYTES_PER_CASE) {
      const message = `${size > 0 ? `this file (${showBytes(size)}) does not fit: ` : ''}you have added ${showBytes(onCase.bytes)} to this case, the limit per person on one case is ${showBytes(c.EVIDENCE_MAX_BYTES_PER_CASE)} (EVIDENCE_MAX_BYTES_PER_CASE)`;
      throw new DomainError('PAYLOAD_TOO_LARGE', `file: ${message}`, [{ field: 'file', message }]);
    }
    const since = new Date(now.getTime() - HOUR_MS).toISOString();
    const lastHour = await EvidenceRepository.usageSince(manager, userId, since);
    const retryAfter = () => Math.max(1, Math.ceil((Date.parse(lastHour.oldest ?? since) + HOUR_MS - now.getTime()) / 1000));
    if (lastHour.files + 1 > c.EVIDENCE_MAX_FILES_PER_HOUR) {
      const seconds = retryAfter();
      throw DomainError.tooManyRequests(
        [
          {
            field: 'file',
            message: `you have added ${lastHour.files} files in the last hour, the limit per person (EVIDENCE_MAX_FILES_PER_HOUR: ${c.EVIDENCE_MAX_FILES_PER_HOUR}); retry in ${Math.ceil(seconds / 60)} min`,
          },
        ],
        seconds,
      );
    }
    if (lastHour.bytes + Math.max(size, 1) > c.EVIDENCE_MAX_BYTES_PER_HOUR) {
      const seconds = retryAfter();
      throw DomainError.tooManyRequests(
        [
          {
            field: 'file',
            message: `you have added ${showBytes(lastHour.bytes)} in the last hour, the limit per person is ${showBytes(c.EVIDENCE_MAX_BYTES_PER_HOUR)} (EVIDENCE_MAX_BYTES_PER_HOUR); retry in ${Math.ceil(seconds / 60)} min`,
          },
        ],
        seconds,
      );
    }
  }
}
