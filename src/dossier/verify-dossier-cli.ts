import { readFileSync } from 'node:fs';
import { checkDossier } from './check-dossier.js';

export const USAGE = 'usage: npm run verify-dossier -- <dossier.json> [evidence files…]';

export interface CliResult {
  /** 0: the dossier checks out; 1: a problem was found; 2: the command was used wrongly or a file is unreadable */
  code: 0 | 1 | 2;
  lines: string[];
}

/** The offline verifier's whole behaviour, as a function of its arguments (the entry point only prints). */
export function runVerifyDossier(args: readonly string[], read: (path: string) => Buffer = readFileSync): CliResult {
  const [dossierPath, ...evidencePaths] = args;
  if (!dossierPath || dossierPath.startsWith('-')) {
    return { code: 2, lines: [USAGE] };
  }
  let raw: unknown;
  let files;
  try {
    raw = JSON.parse(read(dossierPath).toString('utf8'));
    files = evidencePaths.map((name) => ({ name, bytes: read(name) }));
  } catch (error) {
    return { code: 2, lines: [`cannot read ${(error as { path?: string }).path ?? dossierPath}: ${(error as Error).message}`] };
  }
  const report = checkDossier(raw, files);
  if (!report.ok) {
    return {
      code: 1,
      lines: [`INVALID ${dossierPath}: ${report.problems[0]}`, ...report.problems.slice(1).map((problem) => `  also: ${problem}`)],
    };
  }
  return {
    code: 0,
    lines: [
      `OK ${dossierPath}: case ${report.caseId}, ${report.events} events — chain intact, replay matches the case, evidence list matches the events` +
        (report.filesChecked > 0 ? `, ${report.filesChecked} file(s) match their SHA-256` : ''),
    ],
  };
}
