import { BackupError } from './backup-manifest.js';
import type { DataSummary } from './data-summary.js';

/** Progress lines for a person watching: on standard error, with the seconds since the start. */
export function progressPrinter(name: string): (message: string) => void {
  const started = performance.now();
  return (message) => process.stderr.write(`${name} [${((performance.now() - started) / 1000).toFixed(1)} s] ${message}\n`);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function describeSummary(summary: DataSummary): string {
  const { counts, checkpoint } = summary;
  return (
    `${counts.cases} cases, ${counts.auditEvents} audit events, ${counts.evidenceFiles} evidence files, ${counts.users} users, ${counts.units} units; ` +
    `checkpoint root ${checkpoint.root} as of ${checkpoint.at}`
  );
}

/**
 * A refusal or a failed check is said in plain words (what is wrong, what to do), exit code 1; anything else
 * is an error of the tool itself and goes to runScript with its stack.
 */
export async function reportRefusals(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof BackupError)) {
      throw error;
    }
    process.stderr.write(`${name} FAILED: ${error.message}\n`);
    process.exitCode = 1;
  }
}
