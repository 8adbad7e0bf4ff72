import { join } from 'node:path';

import { type ChainedEvent, verifyChain } from '../audit/hash-chain.js';
import { runSql, runSqlTuples } from '../database/sql.js';
import type { DataSession } from './data-source-session.js';
import { hashFile } from './file-hash.js';

/** Events read per query: a bounded amount of memory whatever the size of the database. */
const EVENT_PAGE = 20_000;
/** Problems named one by one; past this many of a kind, the rest are counted. */
const NAMED = 20;

export type Progress = (message: string) => void;

type EventTuple = [string, number, string, string, string, string, string, number, string, string];

/**
 * Every case's hash chain, by the service's own check (verifyChain, as GET /cases/:id/audit/verify), read
 * in (case, seq) order a page at a time; plus every case must have a trail at all. Returns what is wrong.
 */
export async function verifyAllChains(
  session: DataSession,
  progress: Progress = () => undefined,
): Promise<{ cases: number; problems: string[] }> {
  const problems: string[] = [];
  let broken = 0;
  let cases = 0;
  let current = null as { caseId: string; events: Array<ChainedEvent & { hash: string }> } | null;
  const settle = () => {
    if (current) {
      cases++;
      const result = verifyChain(current.events);
      if (!result.valid) {
        broken++;
        if (broken <= NAMED) {
          problems.push(
            `case ${current.caseId}: its audit hash chain is broken at seq ${result.firstInvalidSeq} (of ${result.length} events)`,
          );
        }
      }
    }
  };
  let after: [string, number] = ['', 0];
  for (;;) {
    const rows = await session.uow.read((manager) =>
      runSqlTuples<EventTuple>(
        manager,
        `SELECT case_id, seq, type, actor_id, actor_role, at, data, machine_version, prev_hash, hash FROM audit_events
         WHERE (case_id, seq) > (?, ?) ORDER BY case_id, seq LIMIT ${EVENT_PAGE}`,
        after,
      ),
    );
    for (const [caseId, seq, type, actorId, actorRole, at, data, machineVersion, prevHash, hash] of rows) {
      if (current?.caseId !== caseId) {
        settle();
        current = { caseId, events: [] };
      }
      current.events.push({
        caseId,
        seq: Number(seq),
        type,
        actorId,
        actorRole,
        at,
        data,
        machineVersion: Number(machineVersion),
        prevHash,
        hash,
      });
    }
    if (rows.length < EVENT_PAGE) {
      break;
    }
    const last = rows[rows.length - 1];
    after = [last[0], Number(last[1])];
    progress(`chains: ${cases} cases verified`);
  }
  settle();
  if (broken > NAMED) {
    problems.push(`… and ${broken - NAMED} more cases with a broken hash chain`);
  }
  const orphans = await session.uow.read((manager) =>
    runSql<{ id: string }>(
      manager,
      'SELECT id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.case_id = c.id) ORDER BY id',
    ),
  );
  for (const { id } of orphans.rows.slice(0, NAMED)) {
    problems.push(`case ${id}: it has no audit events at all`);
  }
  return { cases, problems };
}

/** The stored files the evidence rows name, one per content, with the size the rows record. */
export async function referencedEvidence(
  session: DataSession,
): Promise<{ files: Array<{ sha256: string; size: number }>; problems: string[] }> {
  const { rows } = await session.uow.read((manager) =>
    runSql<{ sha256: string; low: number | string; high: number | string }>(
      manager,
      'SELECT sha256, MIN(size) AS low, MAX(size) AS high FROM evidence GROUP BY sha256 ORDER BY sha256',
    ),
  );
  const problems = rows
    .filter((row) => Number(row.low) !== Number(row.high))
    .map((row) => `evidence ${row.sha256}: its rows record different sizes (${row.low} and ${row.high} bytes)`);
  return { files: rows.map((row) => ({ sha256: row.sha256, size: Number(row.high) })), problems };
}

/** Where the store keeps a content: `<root>/<first two hex>/<sha256>` (evidence-storage.ts). */
export const evidencePath = (root: string, sha256: string): string => join(root, sha256.slice(0, 2), sha256);

/** Every file the rows name is in `root`, with the size recorded and the content its name says. */
export async function verifyEvidenceFiles(
  files: ReadonlyArray<{ sha256: string; size: number }>,
  root: string,
  progress: Progress = () => undefined,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, file] of files.entries()) {
    const path = evidencePath(root, file.sha256);
    const found = await hashFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        return null;
      }
      throw error;
    });
    if (found === null) {
      problems.push(`evidence file ${path} is missing`);
    } else if (found.sha256 !== file.sha256) {
      problems.push(`evidence file ${path} has been altered: its content hashes to ${found.sha256}`);
    } else if (found.size !== file.size) {
      problems.push(`evidence file ${path} is ${found.size} bytes, its rows record ${file.size}`);
    }
    if ((index + 1) % 1000 === 0) {
      progress(`evidence: ${index + 1} of ${files.length} files checked`);
    }
  }
  return problems;
}
