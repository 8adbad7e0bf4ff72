import { randomUUID } from 'node:crypto';
import { link, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { Clock } from '../common/clock.js';
import { PeriodicJob } from '../common/periodic-job.js';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Metrics } from '../operations/metrics.js';
import { EvidenceRepository } from '../repositories/evidence.repository.js';
import { CLAIM_PREFIX, EvidenceStorage, SHA256, syncDirectory, TEMPORARY_PREFIX } from './evidence-storage.js';

/** A stored file no row names is removed once no upload has written or reused it for this long. */
export const ORPHAN_AGE_MS = 60 * 60 * 1000;
/** A claim older than this was left by a sweep that died before deciding (a sweep decides in milliseconds). */
const CLAIM_STALE_MS = 10 * 60 * 1000;
/** Files whose references one query asks for. */
const BATCH = 500;

const SHARD = /^[0-9a-f]{2}$/;
const CLAIM = /^\.sweep-([0-9a-f]{64})-(\d+)-[0-9a-f-]{36}$/;

/** What one look at the store found to remove. */
export interface SweepCandidates {
  /** stored files not touched for an hour (maybe referenced: the sweep asks the database) */
  stored: string[];
  /** temporary upload files not written for an hour: their uploads are long gone */
  temporaries: string[];
  /** claims a dead sweep left behind */
  claims: Array<{ name: string; sha256: string }>;
}

/**
 * Removes stored evidence files that no evidence row names — e.g. a file put in place by a command whose
 * commit then failed, or left by a crash — and temporary files of uploads that died. Scheduled like the
 * deadline sweeper (an unref'd interval, EVIDENCE_SWEEP_INTERVAL_MS); several instances sharing
 * EVIDENCE_DIR may sweep at once.
 *
 * It must never delete a file that an upload is about to name. An upload writes (or, for content stored
 * already, touches) the file before its row commits (EvidenceStorage.keep). The sweep takes a candidate
 * out of its place by an atomic rename (a claim) and only then decides, from the claimed file's
 * modification time and the rows: so either the upload's touch came before the claim — the claimed file
 * is fresh and is put back — or after it, when the touch fails and the upload puts its own copy in place.
 * A file unreferenced for an hour after its last touch is deleted.
 */
@Injectable()
export class EvidenceSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EvidenceSweeper');
  private readonly job = new PeriodicJob(
    this.logger,
    'evidence sweep failed',
    async () => {
      const removed = await this.sweep();
      if (removed > 0) {
        this.logger.log({ removed }, 'unreferenced evidence files removed');
      }
    },
    (result) => this.metrics.sweeperRuns.inc({ job: 'evidence', result }),
  );

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(EvidenceStorage) private readonly storage: EvidenceStorage,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** Not at start-up: a large store is walked on the first tick, not while the service is starting. */
  onApplicationBootstrap(): void {
    this.job.start(this.config.EVIDENCE_SWEEP_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One sweep; returns how many files it removed. */
  async sweep(): Promise<number> {
    return this.remove(await this.candidates());
  }

  /** Walks the store: what is old enough to be looked at. */
  async candidates(): Promise<SweepCandidates> {
    const now = this.clock.now().getTime();
    const cutoff = now - ORPHAN_AGE_MS;
    const found: SweepCandidates = { stored: [], temporaries: [], claims: [] };
    const root = this.storage.root;
    for (const entry of await listDirectory(root)) {
      if (entry.isDirectory() && SHARD.test(entry.name)) {
        for (const file of await listDirectory(join(root, entry.name))) {
          if (
            file.isFile() &&
            SHA256.test(file.name) &&
            file.name.startsWith(entry.name) &&
            (await modifiedBefore(join(root, entry.name, file.name), cutoff))
          ) {
            found.stored.push(file.name);
          }
        }
      } else if (entry.isFile() && entry.name.startsWith(TEMPORARY_PREFIX) && (await modifiedBefore(join(root, entry.name), cutoff))) {
        found.temporaries.push(entry.name);
      } else if (entry.isFile()) {
        const claim = CLAIM.exec(entry.name);
        if (claim && Number(claim[2]) < now - CLAIM_STALE_MS) {
          found.claims.push({ name: entry.name, sha256: claim[1] });
        }
      }
    }
    return found;
  }

  /** Removes what `candidates` found and still may go; returns how many stored files were deleted. */
  async remove(found: SweepCandidates): Promise<number> {
    const root = this.storage.root;
    for (const name of found.temporaries) {
      await rm(join(root, name), { force: true });
    }
    // A dead sweep's claim: back in place if a row names it, else it goes.
    const claimedReferenced = await this.referenced(found.claims.map((c) => c.sha256));
    for (const claim of found.claims) {
      await this.settle(join(root, claim.name), claim.sha256, claimedReferenced.has(claim.sha256));
    }
    let removed = 0;
    for (let i = 0; i < found.stored.length; i += BATCH) {
      const batch = found.stored.slice(i, i + BATCH);
      const referenced = await this.referenced(batch);
      for (const sha256 of batch.filter((sha) => !referenced.has(sha))) {
        if (await this.claimAndRemove(sha256)) {
          removed++;
        }
      }
    }
    return removed;
  }

  private async claimAndRemove(sha256: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const claimed = join(this.storage.root, `${CLAIM_PREFIX}${sha256}-${now}-${randomUUID()}`);
    try {
      await rename(this.storage.pathOf(sha256), claimed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return false; // another instance's sweep took it
      }
      throw error;
    }
    // Decided only now that the file is out of reach of a new touch: a touch before the claim shows here.
    const keep = !(await modifiedBefore(claimed, now - ORPHAN_AGE_MS)) || (await this.referenced([sha256])).has(sha256);
    await this.settle(claimed, sha256, keep);
    return !keep;
  }

  /** Puts a claimed file back in its place (unless an upload has put a copy there meanwhile), or deletes it. */
  private async settle(claimed: string, sha256: string, keep: boolean): Promise<void> {
    if (keep) {
      const target = this.storage.pathOf(sha256);
      try {
        await link(claimed, target);
        await syncDirectory(join(target, '..'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw error;
        }
      }
    }
    await rm(claimed, { force: true });
  }

  /** Which of these contents some evidence row names. */
  private async referenced(hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) {
      return new Set();
    }
    return this.uow.read((manager) => EvidenceRepository.referencedHashes(manager, hashes));
  }
}

async function listDirectory(path: string) {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
}

/** Whether the file was last modified before `cutoff` (ms); a file gone meanwhile is not. */
async function modifiedBefore(path: string, cutoff: number): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs < cutoff;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
}
