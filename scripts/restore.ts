/**
 * `npm run restore -- <dir> [--force]`: restores a backup made by `npm run backup` into the configured
 * DATABASE_PATH / EVIDENCE_DIR, with the service stopped, and verifies it (src/backup/restore-backup.ts).
 */
import { parseArgs } from 'node:util';

import { BackupError } from '../src/backup/backup-manifest.js';
import { describeSummary, progressPrinter, reportRefusals } from '../src/backup/cli-output.js';
import { restoreBackup } from '../src/backup/restore-backup.js';
import { loadConfig, readEnvironment } from '../src/config/app-config.js';
import { runScript } from './run-script.js';

runScript('restore', () =>
  reportRefusals('restore', async () => {
    const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) {
      throw new BackupError('usage: npm run restore -- <backup folder> [--force]');
    }
    const config = loadConfig(readEnvironment());
    const result = await restoreBackup(config, positionals[0], { force: values.force, progress: progressPrinter('restore') });
    process.stdout.write(
      `restore OK: ${result.databasePath} and ${result.evidenceDir} — ${describeSummary(result.verdict.summary)}; ` +
        `every chain and evidence file verified, the root matches the manifest; ${(result.ms / 1000).toFixed(1)} s\n`,
    );
  }),
);
