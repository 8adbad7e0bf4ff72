import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { appendOnlyRowId } from '../common/row-id.js';
import { AuditEventRepository } from '../repositories/audit-event.repository.js';
import { MACHINE_VERSION } from '../workflow/case-machine.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { canonicalJson, GENESIS_HASH, hashCanonical } from './hash-chain.js';

export interface NewAuditEvent {
  caseId: string;
  type: string;
  actorId: string;
  actorRole: string;
  at: string;
  data: Record<string, unknown>;
}

export interface AuditEventView {
  seq: number;
  type: string;
  actorId: string;
  actorRole: string;
  at: string;
  data: unknown;
  machineVersion: number;
  prevHash: string;
  hash: string;
}

/** Appends to and reads a case's hash chain. Always called inside the command's unit of work. */
@Injectable()
export class AuditTrailService {
  async append(manager: EntityManager, event: NewAuditEvent): Promise<AuditEventEntity> {
    const last = await AuditEventRepository.lastOf(manager, event.caseId);
    const chained = {
      caseId: event.caseId,
      seq: Number(last?.seq ?? 0) + 1,
      type: event.type,
      actorId: event.actorId,
      actorRole: event.actorRole,
      at: event.at,
      data: canonicalJson(event.data),
      machineVersion: MACHINE_VERSION,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const row = Object.assign(new AuditEventEntity(), { id: appendOnlyRowId(), ...chained, hash: hashCanonical(chained) });
    await AuditEventRepository.insert(manager, row);
    return row;
  }

  /** A case's events in seq order; `range`: only those after `afterSeq`, at most `limit` (AuditEventRepository.list). */
  list(manager: EntityManager, caseId: string, range?: { afterSeq: number; limit: number }): Promise<AuditEventEntity[]> {
    return AuditEventRepository.list(manager, caseId, range);
  }

  static toView(row: AuditEventEntity): AuditEventView {
    return {
      seq: row.seq,
      type: row.type,
      actorId: row.actorId,
      actorRole: row.actorRole,
      at: row.at,
      data: safeParse(row.data),
      machineVersion: row.machineVersion,
      prevHash: row.prevHash,
      hash: row.hash,
    };
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // a tampered row is still shown as it is stored; verify names it
  }
}
