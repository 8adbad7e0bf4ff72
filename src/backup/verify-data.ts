import { existsSync } from 'node:fs';

import type { AppConfig } from '../config/app-config.js';
import { BackupError } from './backup-manifest.js';
import { dataLocations } from './data-locations.js';
import { DataSession } from './data-source-session.js';
import { type DataCounts, type DataSummary, summariseData } from './data-summary.js';
import { type Progress, referencedEvidence, verifyAllChains, verifyEvidenceFiles } from './data-verification.js';

/** What the data should show: from a backup's manifest, or a checkpoint kept from the live service. */
export interface Expectation {
  checkpoint?: { at: string; root: string };
  counts?: DataCounts;
}

export interface DataVerdict {
  summary: DataSummary;
  problems: string[];
}

/**
 * Everything the tools check of a database and its evidence folder: every case's hash chain (the service's
 * verifyChain), every evidence file the rows name (present, the size recorded, the content its name says),
 * and — when known — the checkpoint root and the counts expected. The same on SQLite and PostgreSQL.
 */
export async function verifyData(
  session: DataSession,
  evidenceDir: string,
  expected: Expectation = {},
  progress: Progress = () => undefined,
): Promise<DataVerdict> {
  progress('verify: audit hash chains');
  const chains = await verifyAllChains(session, progress);
  progress(`verify: ${chains.cases} chains read; evidence files`);
  const evidence = await referencedEvidence(session);
  const fileProblems = await verifyEvidenceFiles(evidence.files, evidenceDir, progress);
  progress('verify: counts and checkpoint root');
  const summary = await summariseData(session, expected.checkpoint?.at);
  const problems = [...chains.problems, ...evidence.problems, ...fileProblems];
  if (expected.checkpoint && summary.checkpoint.root !== expected.checkpoint.root) {
    problems.push(
      `the checkpoint root as of ${expected.checkpoint.at} is ${summary.checkpoint.root}, expected ${expected.checkpoint.root}: the audit trails differ from those backed up`,
    );
  }
  if (expected.counts) {
    for (const [key, count] of Object.entries(expected.counts) as Array<[keyof DataCounts, number]>) {
      if (summary.counts[key] !== count) {
        problems.push(`${key}: ${summary.counts[key]} found, ${count} expected`);
      }
    }
  }
  return { summary, problems };
}

/** `npm run verify-data`: the configured database (SQLite or PostgreSQL) and evidence folder. */
export async function verifyConfiguredData(config: AppConfig, expected: Expectation = {}, progress?: Progress): Promise<DataVerdict> {
  const { databasePath, evidenceDir } = dataLocations(config);
  if (!config.DATABASE_URL && !existsSync(databasePath)) {
    throw new BackupError(`there is no database at ${databasePath} (DATABASE_PATH)`);
  }
  const session = await DataSession.configured(config);
  try {
    return await verifyData(session, evidenceDir, expected, progress);
  } finally {
    await session.close();
  }
}
