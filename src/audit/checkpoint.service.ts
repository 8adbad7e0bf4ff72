import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuditEventRepository } from '../repositories/audit-event.repository.js';
import { headLeaf, inclusionPath, merkleRoot } from './merkle.js';

export interface Checkpoint {
  /** the instant the checkpoint describes: every event recorded at or before it, and none after */
  at: string;
  /** RFC 6962 Merkle root over every case's chain head at `at`, cases in id order */
  root: string;
  cases: number;
  /** events covered: the sum of the heads' seqs */
  events: number;
  algorithm: string;
}

/** RFC 6962 inclusion proof of one case's chain head in a checkpoint; `verifyInclusion` (merkle.ts) checks it. */
export interface InclusionProof {
  at: string;
  root: string;
  /** leaves in the tree: the checkpoint's `cases` */
  size: number;
  index: number;
  /** `<caseId> <seq> <hash>` */
  leaf: string;
  /** sibling hashes, leaf to root, hex */
  path: string[];
  algorithm: string;
}

export const CHECKPOINT_ALGORITHM =
  'RFC 6962 Merkle tree hash (SHA-256); one leaf per case: "<caseId> <seq> <hash>" of its last event at `at`; cases ordered by id';

/**
 * Anchoring (issue 4): a digest over all case chain heads. Kept somewhere outside the system (a letter
 * to the higher-level commission, a notarised print), a checkpoint lets anyone later ask for the
 * checkpoint *as of the same instant*: if history up to then is untouched, the root is the same.
 */
@Injectable()
export class CheckpointService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The checkpoint now, or recomputed as of an earlier instant. */
  checkpoint(asOf?: string): Promise<Checkpoint> {
    return this.uow.read(async (manager) => {
      const at = this.instant(asOf);
      const heads = await AuditEventRepository.headsAt(manager, at);
      return {
        at,
        root: merkleRoot(heads.map(headLeaf)),
        cases: heads.length,
        events: heads.reduce((sum, head) => sum + head.seq, 0),
        algorithm: CHECKPOINT_ALGORITHM,
      };
    });
  }

  /**
   * The proof that a case's chain head is one of the leaves of the checkpoint at `asOf` (or now): with a
   * root kept from that checkpoint, the case's history up to `leaf`'s seq is shown to be unchanged since.
   * The caller must be able to see the case (checked by the caller of this method).
   */
  proof(manager: EntityManager, caseId: string, asOf?: string): Promise<InclusionProof | null> {
    return (async () => {
      const at = this.instant(asOf);
      const heads = await AuditEventRepository.headsAt(manager, at);
      const index = heads.findIndex((head) => head.caseId === caseId);
      if (index < 0) {
        return null;
      }
      const leaves = heads.map(headLeaf);
      return {
        at,
        root: merkleRoot(leaves),
        size: leaves.length,
        index,
        leaf: leaves[index],
        path: inclusionPath(leaves, index),
        algorithm: CHECKPOINT_ALGORITHM,
      };
    })();
  }

  /**
   * Inside the unit of work every earlier command has been applied and no later one has started, so
   * "recorded before now" is exactly the set visible here. One millisecond is taken off: a command queued
   * after this read may still be stamped within the current millisecond, and must fall outside.
   */
  private instant(asOf?: string): string {
    const latest = new Date(this.clock.now().getTime() - 1).toISOString();
    if (asOf !== undefined && asOf > latest) {
      // A root for a moment still to come would not be the root of that moment once it has passed.
      throw DomainError.validation([{ field: 'asOf', message: 'must not be later than now' }]);
    }
    return asOf ?? latest;
  }
}
