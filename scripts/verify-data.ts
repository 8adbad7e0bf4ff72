/**
 * `npm run verify-data [-- --as-of <instant> --expect-root <hex>] [--manifest <backup folder>]`: verifies the
 * configured database — SQLite or PostgreSQL (DATABASE_URL) — and evidence folder as restore does: every case's
 * hash chain, every evidence file, and the checkpoint root against one kept from the live service
 * (GET /audit/checkpoint) or a backup's manifest. For a PostgreSQL restore (pg_restore), see docs/operations.md.
 */
import { parseArgs } from 'node:util';

import { BackupError, readManifest } from '../src/backup/backup-manifest.js';
import { describeSummary, progressPrinter, reportRefusals } from '../src/backup/cli-output.js';
import { type Expectation, verifyConfiguredData } from '../src/backup/verify-data.js';
import { loadConfig, readEnvironment } from '../src/config/app-config.js';
import { runScript } from './run-script.js';

runScript('verify-data', () =>
  reportRefusals('verify-data', async () => {
    const { values } = parseArgs({
      options: { 'as-of': { type: 'string' }, 'expect-root': { type: 'string' }, manifest: { type: 'string' } },
    });
    let expected: Expectation = {};
    if (values.manifest) {
      const manifest = await readManifest(values.manifest);
      expected = { checkpoint: manifest.checkpoint, counts: manifest.counts };
    } else if (values['expect-root'] || values['as-of']) {
      if (!values['expect-root'] || !values['as-of'] || Number.isNaN(Date.parse(values['as-of']))) {
        throw new BackupError(
          '--expect-root <hex> and --as-of <ISO instant> go together: the root the live service gave for GET /audit/checkpoint?asOf=<instant>',
        );
      }
      expected = { checkpoint: { at: new Date(values['as-of']).toISOString(), root: values['expect-root'] } };
    }
    const verdict = await verifyConfiguredData(loadConfig(readEnvironment()), expected, progressPrinter('verify-data'));
    if (verdict.problems.length > 0) {
      throw new BackupError('the data does not verify', verdict.problems);
    }
    const compared = expected.checkpoint ? 'the root matches the one expected' : 'no root was given to compare with';
    process.stdout.write(`verify-data OK: ${describeSummary(verdict.summary)}; every chain and evidence file verified, ${compared}\n`);
  }),
);
