import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { Inject, Injectable } from '@nestjs/common';

import { loadVisibleCase } from '../access/scope.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CaseCommandRunner } from '../cases/case-command-runner.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { type Slice, sliceOf } from '../common/paging.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { EvidenceRepository } from '../repositories/evidence.repository.js';
import { commandRole } from '../workflow/case-access.js';
import { evidence as evidenceCommand } from '../workflow/commands/evidence.js';
import type { EvidenceEntity } from './evidence.entity.js';
import { evidenceFilename } from './evidence-filename.js';
import { EvidenceQuota } from './evidence-quota.js';
import { EvidenceStorage, type ReceivedFile } from './evidence-storage.js';

/** The largest evidence file (the multipart limit in configure-app.ts); larger is a 413. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

/** An uploaded file part as the multipart plugin hands it over. */
export interface UploadedPart {
  filename: string | undefined;
  file: Readable & { truncated?: boolean };
}

export interface EvidenceView {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploaderRole: string;
  at: string;
  /** the case version the upload produced */
  caseVersion: number;
}

/**
 * The view of a stored row. The name is cleaned again on the way out: rows stored before names were
 * cleaned on upload may hold bidi characters or an extension that does not fit the content.
 */
export const toEvidenceView = (e: EvidenceEntity): EvidenceView => ({
  id: e.id,
  filename: evidenceFilename(e.filename, e.mediaType),
  mediaType: e.mediaType,
  size: e.size,
  sha256: e.sha256,
  uploadedBy: e.uploadedBy,
  uploaderRole: e.uploaderRole,
  at: e.at,
  caseVersion: e.caseVersion,
});

/** Reads an upload to its end without keeping it. */
async function drain(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream).catch(() => undefined);
}

/** Adding evidence to a case (a case command) and reading it back, scoped as the case is. */
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(CaseCommandRunner) private readonly runner: CaseCommandRunner,
    @Inject(EvidenceStorage) private readonly storage: EvidenceStorage,
    @Inject(EvidenceQuota) private readonly quota: EvidenceQuota,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async upload(actor: AuthUser, caseId: string, ifMatch: number | null, part: UploadedPart): Promise<EvidenceView> {
    // Who may add evidence here, whether the case takes it now and whether the caller is within their
    // limits is checked before a byte is stored: nobody outside the case, and nobody at a limit, can fill
    // the disk. The upload is read to its end (not stored) before the refusal goes out, so the client gets
    // the answer rather than a reset connection.
    try {
      await this.runner.check(actor, caseId, ifMatch, 'evidence');
      await this.uow.read((manager) => this.quota.admit(manager, actor.id, caseId, 0, this.clock.now()));
    } catch (error) {
      await drain(part.file);
      throw error;
    }
    const received = await this.storage.receive(part.file, () => part.file.truncated === true);
    try {
      return await this.add(actor, caseId, ifMatch, part.filename, received);
    } finally {
      await this.storage.discard(received);
    }
  }

  private async add(actor: AuthUser, caseId: string, ifMatch: number | null, filename: string | undefined, received: ReceivedFile) {
    if (received.truncated) {
      const message = `larger than the ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB limit`;
      throw new DomainError('PAYLOAD_TOO_LARGE', `file: ${message}`, [{ field: 'file', message }]);
    }
    if (received.size === 0) {
      throw DomainError.validation([{ field: 'file', message: 'is empty' }]);
    }
    if (!received.verdict.allowed) {
      const message = `${received.verdict.detected} is not an accepted type of evidence (PDF, images, UTF-8 text, office documents)`;
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `file: ${message}`, [{ field: 'file', message }]);
    }
    const evidence: EvidenceEntity = {
      id: randomUUID(),
      caseId,
      filename: evidenceFilename(filename, received.verdict.mediaType),
      mediaType: received.verdict.mediaType,
      size: received.size,
      sha256: received.sha256,
      uploadedBy: actor.id,
      uploaderRole: '',
      at: '',
      caseVersion: 0,
    };
    const { id: evidenceId, filename: name, mediaType, size, sha256 } = evidence;
    await this.runner.run(
      actor,
      caseId,
      ifMatch,
      evidenceCommand,
      { evidenceId, filename: name, mediaType, size, sha256 },
      async (scope, updated) => {
        evidence.uploaderRole = commandRole('evidence', actor, updated);
        evidence.at = scope.at;
        // Limits again, now with the file's size and under the case's lock: concurrent uploads queue here.
        await this.quota.admit(scope.manager, actor.id, caseId, received.size, scope.now);
        // The file is put in place only now, after every check and before the row naming it is written,
        // so a refused upload leaves no file and a row never names a missing one. Should the commit
        // itself fail, the file stays unreferenced until the sweep (evidence-sweeper.ts) removes it.
        await this.storage.keep(received);
        evidence.caseVersion = updated.version;
        await EvidenceRepository.insert(scope.manager, evidence);
      },
    );
    return toEvidenceView(evidence);
  }

  /** `limit` files after the case version `after`, oldest first, and the cursor to continue after (null at the end). */
  list(actor: AuthUser, caseId: string, after: number, limit: number): Promise<Slice<EvidenceView>> {
    return this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      const rows = await EvidenceRepository.list(manager, caseId, { after, limit: limit + 1 });
      const { items, next } = sliceOf(rows, limit, (row) => row.caseVersion);
      return { items: items.map(toEvidenceView), next };
    });
  }

  /** The evidence row (its name cleaned, see toEvidenceView) and an open handle on its bytes; the caller streams and closes it. */
  async open(actor: AuthUser, caseId: string, evidenceId: string) {
    const evidence = await this.uow.read(async (manager) => {
      await loadVisibleCase(manager, actor, caseId);
      const found = await EvidenceRepository.find(manager, caseId, evidenceId);
      if (!found) {
        throw DomainError.notFound(`evidence ${evidenceId}`);
      }
      return { ...found, filename: evidenceFilename(found.filename, found.mediaType) };
    });
    // A missing file is a broken store, not a client error: it surfaces as a logged 500.
    const handle = await open(this.storage.pathOf(evidence.sha256), 'r');
    return { evidence, handle };
  }
}
