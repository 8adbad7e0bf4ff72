/**
 * `npm run backup -- <dir> [--method vacuum-into|backup-api]`: an online, consistent backup of the SQLite
 * database (while the service runs) with the evidence files it names and a manifest (src/backup/create-backup.ts).
 * Uses the service's configuration (environment, .env): DATABASE_PATH, EVIDENCE_DIR.
 */
import { parseArgs } from 'node:util';

import { BackupError } from '../src/backup/backup-manifest.js';
import { describeSummary, formatBytes, progressPrinter, reportRefusals } from '../src/backup/cli-output.js';
import { createBackup } from '../src/backup/create-backup.js';
import { SNAPSHOT_METHODS, type SnapshotMethod } from '../src/backup/sqlite-snapshot.js';
import { loadConfig, readEnvironment } from '../src/config/app-config.js';
import { runScript } from './run-script.js';

runScript('backup', () =>
  reportRefusals('backup', async () => {
    const { values, positionals } = parseArgs({ allowPositionals: true, options: { method: { type: 'string', default: 'vacuum-into' } } });
    if (positionals.length !== 1) {
      throw new BackupError('usage: npm run backup -- <backup folder> [--method vacuum-into|backup-api]');
    }
    if (!SNAPSHOT_METHODS.includes(values.method as SnapshotMethod)) {
      throw new BackupError(`--method must be one of ${SNAPSHOT_METHODS.join(', ')}`);
    }
    const config = loadConfig(readEnvironment());
    const result = await createBackup(config, positionals[0], {
      method: values.method as SnapshotMethod,
      progress: progressPrinter('backup'),
    });
    const { manifest } = result;
    process.stdout.write(
      `backup OK: ${result.dir} — ${describeSummary(manifest)}; ${manifest.files.length} files, ${formatBytes(result.bytes)}; ` +
        `database copied in ${(result.ms.database / 1000).toFixed(1)} s, ${(result.ms.total / 1000).toFixed(1)} s in all\n`,
    );
  }),
);
