import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MACHINE_VERSION } from '../workflow/case-machine.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { canonicalJson, GENESIS_HASH, hashEvent, verifyChain, type VerifyResult } from './hash-chain.js';

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
    const last = await manager.findOne(AuditEventEntity, {
      where: { caseId: event.caseId },
      order: { seq: 'DESC' },
      select: { seq: true, hash: true },
    });
    const chained = {
      caseId: event.caseId,
      seq: (last?.seq ?? 0) + 1,
      type: event.type,
      actorId: event.actorId,
      actorRole: event.actorRole,
      at: event.at,
      data: canonicalJson(event.data),
      machineVersion: MACHINE_VERSION,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const row = manager.create(AuditEventEntity, { id: randomUUID(), ...chained, hash: hashEvent(chained) });
    // insert, never save: save() could turn into an UPDATE.
    await manager.insert(AuditEventEntity, row);
    return row;
  }

  list(manager: EntityManager, caseId: string): Promise<AuditEventEntity[]> {
    return manager.find(AuditEventEntity, { where: { caseId }, order: { seq: 'ASC' } });
  }

  async verify(manager: EntityManager, caseId: string): Promise<VerifyResult> {
    return verifyChain(await this.list(manager, caseId));
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
