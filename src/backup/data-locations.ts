import { dirname, join, resolve } from 'node:path';

import type { AppConfig } from '../config/app-config.js';

/** Where the configured service keeps its data: the same rules as the service (EvidenceStorage). */
export function dataLocations(config: Pick<AppConfig, 'DATABASE_PATH' | 'EVIDENCE_DIR'>): { databasePath: string; evidenceDir: string } {
  const databasePath = resolve(config.DATABASE_PATH);
  return { databasePath, evidenceDir: resolve(config.EVIDENCE_DIR ?? join(dirname(databasePath), 'evidence')) };
}
